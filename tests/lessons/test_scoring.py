"""Scoring every kind of question, on plain snapshots."""

from decimal import Decimal

import pytest

from lessons.scoring import normalise, overlap, score


def choices(*correct):
    return [{"id": n, "text": f"choice {n}", "correct": n in correct} for n in range(1, 5)]


def test_single_choice_is_all_or_nothing():
    question = {"kind": "single", "points": 2, "choices": choices(3)}
    assert score(question, 3).points == Decimal(2) and score(question, 3).correct
    assert score(question, 1).points == 0 and not score(question, 1).correct


@pytest.mark.parametrize(
    ("ticked", "points", "correct"),
    [([1, 2], "3", True), ([1], "1.50", False), ([1, 3], "0", False), ([1, 2, 3], "1.50", False), ([3, 4], "0", False)],
)
def test_multiple_select_gives_partial_credit_and_never_below_zero(ticked, points, correct):
    question = {"kind": "multiple", "points": 3, "choices": choices(1, 2)}
    marked = score(question, ticked)
    assert marked.points == Decimal(points) and marked.correct is correct
    assert "never goes below zero" in marked.note


def test_true_false():
    question = {"kind": "truefalse", "points": 1, "answer": False}
    assert score(question, False).correct and not score(question, True).correct


@pytest.mark.parametrize(
    "answer",
    [
        "Special Coordination Committee",
        "special coordination committee",
        "  Special   Coordination Committee. ",
        "SPECIAL-COORDINATION committee!",
        "scc",
        "S.C.C",
    ],
)
def test_short_answers_are_normalised_for_case_spacing_and_punctuation(answer):
    question = {"kind": "short", "points": 1, "accepted": ["Special Coordination Committee", "SCC"]}
    assert score(question, answer).correct, answer


def test_short_answer_that_is_not_accepted_is_wrong():
    question = {"kind": "short", "points": 1, "accepted": ["Special Coordination Committee"]}
    assert not score(question, "Security Council").correct


def test_normalise_folds_accents_and_quotes():
    assert normalise("Détente “Non-Paper”") == normalise("detente non paper")


@pytest.mark.parametrize(
    ("marked", "correct"),
    [
        ((100, 200), True),
        ((110, 190), True),
        ((100, 260), True),
        ((60, 200), True),
        ((150, 400), False),
        ((0, 99), False),
        ((190, 260), False),
    ],
)
def test_find_the_evidence_is_scored_by_overlap_with_the_key_sentence(marked, correct):
    question = {"kind": "evidence", "points": 1, "target": {"start": 100, "end": 200}}
    assert score(question, list(marked)).correct is correct


def test_overlap_is_intersection_over_union():
    assert overlap((0, 10), (5, 15)) == pytest.approx(5 / 15)
    assert overlap((0, 10), (20, 30)) == 0
