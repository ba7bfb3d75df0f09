"""Anchors survive corrections to the text, or become orphans; they never land on the wrong passage.

The property tests below correct the real transcriptions as an editor would (`bench/edits.py`) and follow
where each passage truly is. What the figures count, precisely:

- The *passage* after an edit is the quoted span carried through it (text inserted at its first
  character goes before it, at its last after it). It is *deleted* when the edit takes away the whole
  passage or either end of it.
- A resolution is *misplaced* when it is placed although the passage was deleted, or when it marks text
  that is not the passage: its overlap with the passage is under half of their union (IoU < 0.5), unless
  it lies wholly inside the passage. Marking none of the passage is the extreme case.
- A resolution is *orphaned* when it is not placed although the passage is still there.
- An edit is a *small change* when the passage is still there and its Levenshtein distance to the old
  quote is at most 15 % of the quote's length. Edits around the passage change it by 0 %.
"""

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from bench.edits import KINDS, Edit, random_edit, random_passage, shipped_passages, texts
from documents.anchoring import MIN_SIMILARITY, AnchorStatus, Resolution, make_selector, resolve_anchor
from documents.pipeline import canonical_text

CONTENT = Path(__file__).resolve().parents[2] / "documents" / "content"
TEXT = canonical_text((CONTENT / "frus1977-80v26-d293.md").read_text())
OTHER_TEXT = canonical_text((CONTENT / "frus1977-80v26-d285.md").read_text())


def select(text, phrase, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return make_selector(text, start, start + len(phrase))


def test_unchanged_text_anchors_at_the_stored_position():
    selector = select(TEXT, "the Soviets were serious")
    resolution = resolve_anchor(TEXT, selector)
    assert resolution.status == AnchorStatus.ANCHORED
    assert (resolution.start, resolution.end) == (selector.start, selector.end)


def test_a_paragraph_inserted_before_moves_the_anchor_with_its_quote():
    selector = select(TEXT, "the Soviets were serious")
    edited = TEXT.replace("Delegation Report\n\n", "Delegation Report\n\nA new paragraph, added later.\n\n")
    resolution = resolve_anchor(edited, selector)
    assert resolution.status == AnchorStatus.MOVED
    assert edited[resolution.start : resolution.end] == "the Soviets were serious"
    assert resolution.start == selector.start + len("A new paragraph, added later.\n\n")


def test_a_typo_fixed_inside_the_quote_is_found_approximately():
    text = TEXT.replace("wary and skeptical", "wary and skeptcal")
    selector = select(text, "The fundamental Soviet stance remains wary and skeptcal.")
    resolution = resolve_anchor(TEXT, selector)
    assert resolution.status == AnchorStatus.APPROXIMATE
    assert TEXT[resolution.start : resolution.end] == "The fundamental Soviet stance remains wary and skeptical."
    assert resolution.similarity >= MIN_SIMILARITY


def test_a_deleted_quote_makes_an_orphan():
    phrase = "Nor did they shrink from discussions of topics on which they are vulnerable"
    selector = select(TEXT, phrase)
    edited = TEXT.replace(phrase + "—such as arms transfers to the Horn of Africa.", "")
    assert resolve_anchor(edited, selector).status == AnchorStatus.ORPHAN


def test_a_quote_that_appears_twice_keeps_to_the_one_with_its_context():
    assert TEXT.count("next round") == 7
    second = select(TEXT, "next round", occurrence=1)
    # shift everything so the stored position is stale; context must pick the right one
    edited = "Inserted at the top.\n\n" + TEXT
    resolution = resolve_anchor(edited, second)
    expected = edited.index("next round", edited.index("next round") + 1)
    assert resolution.start == expected


def test_a_short_quote_rewritten_in_place_does_not_jump_to_copies_without_its_context():
    text = "Alpha says the round went well. Beta says it did not."
    selector = select(text, "went well")
    edited = "Gamma: went well? " + text.replace("went well", "went very well") + " Alpha: went well."
    # "went very well" is too different from a nine-letter quote, and neither copy has its context
    assert resolve_anchor(edited, selector).status == AnchorStatus.ORPHAN


def test_short_quotes_are_never_matched_approximately():
    selector = select(TEXT, "SCC")
    assert resolve_anchor(TEXT.replace("SCC", "NSC"), selector).status == AnchorStatus.ORPHAN


@pytest.mark.parametrize("operation", ["replace", "insert"])
def test_letters_typed_right_after_an_untouched_quote_leave_the_note_on_the_quote(operation):
    # the quote's prefix is intact; its suffix " arms without…" became "aaaaarms without…" (or "aaaa arms…")
    selector = select(TEXT, "considered desirable under these norms—could receive")
    edited = TEXT[: selector.end] + "aaaa" + TEXT[selector.end + (operation == "replace") :]
    resolution = resolve_anchor(edited, selector)
    assert resolution.status == AnchorStatus.ANCHORED
    assert (resolution.start, resolution.end) == (selector.start, selector.end)
    shifted = "An editor's new sentence. " + edited
    resolution = resolve_anchor(shifted, selector)
    assert resolution.status == AnchorStatus.MOVED
    assert shifted[resolution.start : resolution.end] == selector.exact


def test_an_approximate_passage_does_not_take_in_the_end_of_its_prefix():
    # before the fix: ", prospects for continuing", the prefix's comma and space included
    selector = select(OTHER_TEXT, "the prospects for continuing")
    edited = OTHER_TEXT.replace("cooperation, the prospects for continuing", "cooperation, prospects for continuing")
    resolution = resolve_anchor(edited, selector)
    assert resolution.status == AnchorStatus.APPROXIMATE
    assert edited[resolution.start : resolution.end] == "prospects for continuing"


def test_an_approximate_passage_does_not_take_in_the_start_of_its_suffix():
    # the last word deleted: before the fix the note covered "…with developing for", the suffix's " for" included;
    # the passage left differs by more than 15 %, so the note is an orphan rather than spilling over
    selector = select(OTHER_TEXT, "foregoing co-production arrangements with developing countries")
    assert selector.suffix.startswith(" for significant")
    edited = OTHER_TEXT.replace("with developing countries for significant", "with developing for significant")
    resolution = resolve_anchor(edited, selector)
    passage_end = edited.index("with developing for significant") + len("with developing")
    assert not resolution.placed or resolution.end <= passage_end


def test_a_selection_outside_the_text_is_refused():
    with pytest.raises(ValueError, match="outside the text"):
        make_selector(TEXT, len(TEXT) - 2, len(TEXT) + 5)


# ---- property tests over random edits -------------------------------------------------------

edits = st.lists(
    st.tuples(
        st.sampled_from(["insert", "delete", "replace"]),
        st.floats(0, 1),
        st.integers(1, 40),
        st.text(alphabet="abcdefghij klmnop.,—\n", min_size=1, max_size=40),
    ),
    min_size=1,
    max_size=6,
)


def apply_edits(text, quote_start, quote_end, operations):
    """Apply edits; track the quote's span while no edit touches it (None once one does)."""
    span = (quote_start, quote_end)
    for operation, where, length, inserted in operations:
        position = int(where * len(text))
        removed = 0 if operation == "insert" else min(length, len(text) - position)
        added = "" if operation == "delete" else inserted
        text = text[:position] + added + text[position + removed :]
        if span is not None:
            start, end = span
            if position + removed <= start and not (removed == 0 and position == start):
                span = (start + len(added) - removed, end + len(added) - removed)
            elif position > end or (position == end and removed):
                pass  # after the quote; an insertion right at its end is as ambiguous as one at its start
            else:
                span = None
    return text, span


# the quote untouched, its prefix intact, its suffix's first character replaced by (or preceded by) "aaaa": the
# note stays on the quote, not on a passage stretched over the inserted letters and the suffix's "arms"
AFTER_THE_QUOTE = [
    ("insert", 1.0, 1, "a"),
    ("insert", 1.0, 1, "aa"),
    ("delete", 0.0, 14, "a"),
    ("delete", 0.0, 37, "a"),
]


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(start_fraction=st.floats(0, 0.97), length=st.integers(4, 80), operations=edits)
@example(start_fraction=0.4453125, length=53, operations=[*AFTER_THE_QUOTE, ("replace", 0.4453125, 1, "aaaa")])
@example(start_fraction=0.4453125, length=53, operations=[*AFTER_THE_QUOTE, ("insert", 0.4453125, 1, "aaaa")])
def test_after_random_character_edits_an_anchor_lands_on_its_quote_or_a_close_match_or_nowhere(
    start_fraction, length, operations
):
    start = int(start_fraction * (len(TEXT) - length))
    selector = make_selector(TEXT, start, start + length)
    edited, tracked = apply_edits(TEXT, start, start + length, operations)
    resolution = resolve_anchor(edited, selector)
    if resolution.status in (AnchorStatus.ANCHORED, AnchorStatus.MOVED):
        assert edited[resolution.start : resolution.end] == selector.exact
    elif resolution.status == AnchorStatus.APPROXIMATE:
        assert fuzz.ratio(edited[resolution.start : resolution.end], selector.exact) / 100 >= MIN_SIMILARITY
    if tracked is None:
        return  # the quote itself was edited: the edit kinds below cover that
    # the quote is untouched: with its whole context it is found; wherever it is placed, it is there
    prefix_intact = edited[max(0, tracked[0] - len(selector.prefix)) : tracked[0]] == selector.prefix
    suffix_intact = edited[tracked[1] : tracked[1] + len(selector.suffix)] == selector.suffix
    if prefix_intact and suffix_intact:
        assert resolution.status in (AnchorStatus.ANCHORED, AnchorStatus.MOVED)
    if resolution.placed and edited.count(selector.prefix + selector.exact + selector.suffix) <= 1:
        assert (resolution.start, resolution.end) == tracked


# ---- corrections as an editor makes them: the figures of issue 11 ------------------------------

DOCUMENTS = texts()
SHIPPED = shipped_passages(DOCUMENTS)


def misplaced(resolution: Resolution, edit: Edit) -> bool:
    if not resolution.placed:
        return False
    if edit.passage is None:
        return True
    (start, end), (placed_start, placed_end) = edit.passage, (resolution.start, resolution.end)
    overlap = max(0, min(end, placed_end) - max(start, placed_start))
    union = max(end, placed_end) - min(start, placed_start)
    return overlap / union < 0.5 and not start <= placed_start < placed_end <= end


def orphaned(resolution: Resolution, edit: Edit) -> bool:
    return not resolution.placed and edit.passage is not None


def small_change(edit: Edit) -> bool:
    return edit.passage is not None and edit.changed <= 0.15


def corrected(rng: random.Random, kind: str):
    """A note's selector on the original text and one correction of `kind` (None if the passage allows none)."""
    passage = rng.choice(SHIPPED) if rng.random() < 0.3 else random_passage(rng, DOCUMENTS)
    selector = make_selector(DOCUMENTS[passage.slug], passage.start, passage.end)
    return selector, random_edit(rng, DOCUMENTS, passage, kind)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(rng=st.randoms(use_true_random=False), kind=st.sampled_from(KINDS))
def test_no_correction_puts_a_note_on_the_wrong_passage(rng, kind):
    selector, edit = corrected(rng, kind)
    if edit is not None:
        assert not misplaced(resolve_anchor(edit.text, selector), edit)


def test_at_most_one_in_a_hundred_notes_is_orphaned_by_a_small_change():
    rng = random.Random(11)  # noqa: S311 (a fixed seed, so the figure is the same on every run)
    small = orphans = wrong = 0
    for kind in KINDS * 150:
        selector, edit = corrected(rng, kind)
        if edit is None:
            continue
        resolution = resolve_anchor(edit.text, selector)
        wrong += misplaced(resolution, edit)
        if small_change(edit):
            small += 1
            orphans += orphaned(resolution, edit)
    assert wrong == 0
    assert small > 800
    assert orphans / small <= 0.01


def test_every_shipped_note_is_anchored_on_its_unchanged_text():
    for passage in SHIPPED:
        text = DOCUMENTS[passage.slug]
        resolution = resolve_anchor(text, make_selector(text, passage.start, passage.end))
        assert resolution.status == AnchorStatus.ANCHORED
        assert (resolution.start, resolution.end) == (passage.start, passage.end)


def test_a_passage_deleted_with_its_sentence_does_not_jump_to_a_similar_sentence():
    selector = select(TEXT, "formulate, for your approval, draft general guidance")
    sentence = "(b) that an SCC meeting be held soon to review progress to date and to formulate, for your approval, "
    sentence += "draft general guidance for preparation of the US positions for next round; and "
    assert sentence in TEXT
    edited = TEXT.replace(sentence, "")
    assert "formulate, for your approval, draft specific guidance" in edited
    assert resolve_anchor(edited, selector).status == AnchorStatus.ORPHAN


def test_a_short_quote_whose_sentence_was_deleted_does_not_move_to_another_paragraph():
    selector = select(TEXT, "Soviet", occurrence=12)
    paragraph_start = TEXT.rindex("\n\n", 0, selector.start) + 2
    paragraph_end = TEXT.index("\n\n", selector.end)
    edited = TEXT[:paragraph_start] + TEXT[paragraph_end + 2 :]
    assert edited.count("Soviet") == TEXT.count("Soviet") - TEXT[paragraph_start:paragraph_end].count("Soviet")
    assert resolve_anchor(edited, selector).status == AnchorStatus.ORPHAN


def test_a_short_quote_follows_its_paragraph_when_paragraphs_are_added_before_it():
    selector = select(TEXT, "Soviet", occurrence=12)
    added = "An editor's new paragraph about the Soviet delegation.\n\n" * 3
    paragraph_start = TEXT.rindex("\n\n", 0, selector.start) + 2
    edited = TEXT[:paragraph_start] + added + TEXT[paragraph_start:]
    resolution = resolve_anchor(edited, selector)
    assert resolution.status == AnchorStatus.MOVED
    assert resolution.start == selector.start + len(added)


def test_a_word_inserted_in_a_quote_moves_the_note_to_the_whole_corrected_passage():
    selector = select(TEXT, "The fundamental Soviet stance remains wary and skeptical.")
    edited = TEXT.replace("Soviet stance remains wary", "Soviet stance still remains wary")
    resolution = resolve_anchor(edited, selector)
    assert resolution.status == AnchorStatus.APPROXIMATE
    assert (
        edited[resolution.start : resolution.end] == "The fundamental Soviet stance still remains wary and skeptical."
    )


def test_a_first_word_deleted_from_a_quote_leaves_the_note_on_the_rest():
    selector = select(TEXT, "the Soviets were serious and, for the most part, practical in their approach")
    edited = TEXT.replace("the Soviets were serious", "Soviets were serious")
    resolution = resolve_anchor(edited, selector)
    assert resolution.status == AnchorStatus.APPROXIMATE
    assert (
        edited[resolution.start : resolution.end]
        == "Soviets were serious and, for the most part, practical in their approach"
    )


def test_a_long_quote_with_a_word_inserted_is_found_in_a_long_text():
    long_text = words_in_random_order(TEXT, 500_000)
    start = long_text.index(" ", len(long_text) // 2) + 1
    end = long_text.index(" ", start + 2000)
    selector = make_selector(long_text, start, end)
    insert_at = long_text.index(" ", start + 1000)
    edited = long_text[:insert_at] + " formally" + long_text[insert_at:]
    resolution = resolve_anchor(edited, selector)
    assert resolution.status == AnchorStatus.APPROXIMATE
    assert (resolution.start, resolution.end) == (start, end + len(" formally"))


def words_in_random_order(text, length):
    """A long text made of the document's words, with no long passage repeated."""
    words = text.split()
    rng = random.Random(0)  # noqa: S311 (test data)
    return " ".join(rng.choice(words) for _ in range(length // 6))[:length]
