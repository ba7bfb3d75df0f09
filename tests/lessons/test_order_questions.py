"""Put the events in order: scoring by neighbouring pairs, the form without JavaScript, the result page,
the exports, the admin's 3-to-6 rule, the shipped questions, and the registry every kind goes through."""

import io
import itertools
import re
import zipfile
from decimal import Decimal

import pytest
from django.template.loader import get_template
from django.urls import reverse
from lxml import etree
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from lessons.exports import quiz_to_gift, quizzes_to_qti_zip
from lessons.models import Choice, Question, Quiz, QuizAttempt
from lessons.question_kinds import KINDS, QuestionKind
from lessons.question_kinds.order import shown_order
from lessons.scoring import rounded, score
from lessons.snapshots import public_questions, quiz_snapshot

pytestmark = pytest.mark.django_db

QTI = {"q": "http://www.imsglobal.org/xsd/imsqti_v2p1"}
EVENTS = [
    "The preliminary meeting in Washington",
    "The Non-Paper is sent to Moscow",
    "The second round opens in Helsinki",
    "The joint communiqué is released",
]


# ---------------------------------------------------------------- scoring, on plain snapshots


def order_question(count=5, points=4):
    return {
        "kind": "order",
        "points": points,
        "choices": [{"id": n, "text": f"event {n}"} for n in range(1, count + 1)],
    }


@pytest.mark.parametrize(
    ("answer", "points", "correct"),
    [
        ([1, 2, 3, 4, 5], "4.00", True),
        ([1, 2, 3, 5, 4], "2.00", False),  # the last two swapped: 1-2 and 2-3 still right
        ([1, 3, 2, 4, 5], "1.00", False),  # two in the middle swapped: only 4-5 still right
        ([5, 4, 3, 2, 1], "0.00", False),  # reversed: every pair the wrong way round
        ([3, 4, 5, 1, 2], "3.00", False),  # a rotation keeps 3-4, 4-5 and 1-2
    ],
)
def test_order_scores_each_neighbouring_pair_put_the_right_way_round(answer, points, correct):
    marked = score(order_question(), answer)
    assert marked.points == Decimal(points) and marked.correct is correct and marked.max_points == 4


def test_order_shares_round_to_cents_and_add_up():
    question = order_question(count=4, points=1)  # three pairs: a third of a point each
    assert score(question, [1, 2, 4, 3]).points == rounded(Decimal(1) / 3)
    assert score(question, [1, 2, 3, 4]).points == 1


def test_the_shown_order_is_stable_and_never_the_right_one():
    for question_id in range(1, 200):
        ids = [10, 11, 12]
        assert shown_order(question_id, ids) == shown_order(question_id, ids) != ids
        assert sorted(shown_order(question_id, ids)) == ids


# ---------------------------------------------------------------- the registry


def test_every_kind_editors_can_choose_has_a_class_with_all_its_parts():
    required = ["read", "score", "describe_key", "gift", "write_qti"]
    for name, label in Question._meta.get_field("kind").choices:
        kind = KINDS[name]
        assert kind.name == name and kind.label == label
        for method in required:
            assert getattr(type(kind), method) is not getattr(QuestionKind, method), (name, method)
        for method in ["model_errors", "choice_errors", "snapshot_fields", "public", "kept_values", "describe"]:
            assert callable(getattr(kind, method)), (name, method)
        get_template(kind.template)
        get_template(kind.sheet_template)
    assert set(KINDS) == {name for name, _ in Question._meta.get_field("kind").choices}


# ---------------------------------------------------------------- taking the quiz without JavaScript


@pytest.fixture
def quiz(doc293):
    quiz = Quiz(title="Order check", slug="order-check", live=False)
    question = Question(
        sort_order=0,
        kind="order",
        points=3,
        prompt="Put these in order.",
        explanation="See doc. 293, ¶ 1.",
        source_document=doc293,
        source_quote="which took place in Helsinki from May 4 to 8",
    )
    question.choices = [Choice(sort_order=n, text=text) for n, text in enumerate(EVENTS)]
    quiz.questions = [question]
    quiz.save()
    quiz.save_revision().publish()
    return Quiz.objects.get(pk=quiz.pk)


def open_form(client, quiz):
    page = client.get(reverse("quiz", args=[quiz.slug])).content.decode()
    fields = dict(re.findall(r'name="(token|version)" value="([^"]+)"', page))
    shown = re.findall(r'<label for="(q1-\d)-order-check">([^<]+)</label>', page)
    return page, fields, shown


def positions_for(shown, order):
    """Form data giving each shown event its place in `order` (a list of event texts)."""
    return {field: str(order.index(text) + 1) for field, text in shown}


def test_the_form_shows_the_events_shuffled_without_the_key(client, quiz):
    page, _, shown = open_form(client, quiz)
    assert sorted(text for _, text in shown) == sorted(EVENTS)
    assert [text for _, text in shown] != EVENTS
    assert "neighbouring events" in page and "partial credit" in page
    for choice in Choice.objects.filter(question__quiz=quiz):
        assert f'value="{choice.pk}"' not in page  # ids would follow the right order


def test_the_right_order_submitted_without_javascript_scores_full_marks_and_reads_back(client, quiz):
    _, fields, shown = open_form(client, quiz)
    response = client.post(reverse("quiz", args=[quiz.slug]), {**fields, **positions_for(shown, EVENTS)})
    assert response.status_code == 302
    assert QuizAttempt.objects.get().score == 3
    result = client.get(response.url).content.decode()
    assert ">Right<" in result
    assert "1. The preliminary meeting in Washington; 2. The Non-Paper is sent to Moscow" in result
    assert "doc. 293, ¶ 1" in result


def test_one_swap_earns_partial_credit_and_the_result_shows_both_orders(client, quiz):
    _, fields, shown = open_form(client, quiz)
    swapped = [EVENTS[0], EVENTS[1], EVENTS[3], EVENTS[2]]
    response = client.post(reverse("quiz", args=[quiz.slug]), {**fields, **positions_for(shown, swapped)})
    assert QuizAttempt.objects.get().score == 1  # one pair of three still right
    result = client.get(response.url).content.decode()
    assert "Partly right" in result and "1 / 3" in result
    assert "3. The joint communiqué is released; 4. The second round opens in Helsinki" in result  # the answer
    assert "3. The second round opens in Helsinki; 4. The joint communiqué is released" in result  # the key


def test_a_position_used_twice_reshows_the_form_with_the_answers_kept(client, quiz):
    _, fields, shown = open_form(client, quiz)
    data = {**fields, **positions_for(shown, EVENTS)}
    data[shown[0][0]] = data[shown[1][0]]
    response = client.post(reverse("quiz", args=[quiz.slug]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        f"Question 1: Use each position from 1 to 4 once: {data[shown[1][0]]} is given to more than one event." in page
    )
    assert page.count(" selected>") == 4
    assert not QuizAttempt.objects.exists()


def test_a_missing_position_reshows_the_form_naming_the_problem(client, quiz):
    _, fields, shown = open_form(client, quiz)
    data = {**fields, **positions_for(shown, EVENTS)}
    del data[shown[2][0]]
    response = client.post(reverse("quiz", args=[quiz.slug]), data)
    assert "Question 1: Give every event a position from 1 to 4." in response.content.decode()
    assert not QuizAttempt.objects.exists()


@pytest.mark.parametrize("forged", ["5", "0", "x", "²", "-1", "9" * 20])
def test_a_forged_position_gets_a_400_and_records_nothing(client, quiz, forged):
    _, fields, shown = open_form(client, quiz)
    data = {**fields, **positions_for(shown, EVENTS), shown[0][0]: forged}
    response = client.post(reverse("quiz", args=[quiz.slug]), data)
    assert response.status_code == 400 and "positions run from 1 to 4" in response.content.decode()
    assert not QuizAttempt.objects.exists()


# ---------------------------------------------------------------- exports


def test_gift_leaves_the_order_question_out_with_a_comment(quiz, doc293, make_quiz):
    snapshot = quiz_snapshot(quiz)
    gift = quiz_to_gift(snapshot)
    assert "// Q1: order, 3 point(s)\n// Left out: GIFT has no ordering question" in gift
    assert "::Q1::" not in gift and "{" not in gift


def evaluate(processing, response):
    """Run our response processing for an ordered response (the subset of QTI it uses)."""

    def value(expression):
        tag = etree.QName(expression).localname
        if tag == "or":
            return any(value(e) for e in expression)
        if tag == "and":
            return all(value(e) for e in expression)
        if tag == "match":
            index, base = expression
            n = int(index.get("n"))
            return n <= len(response) and response[n - 1] == base.text
        raise AssertionError(tag)

    total = 0.0
    for condition in processing.iterfind("q:responseCondition", QTI):
        when = condition.find("q:responseIf", QTI)
        if value(when[0]):
            total += float(when.find(".//q:baseValue[@baseType='float']", QTI).text)
    return total


def test_qti_exports_an_order_interaction_whose_processing_reproduces_our_pair_rule(quiz):
    snapshot = quiz_snapshot(quiz)
    package = zipfile.ZipFile(io.BytesIO(quizzes_to_qti_zip([snapshot], "https://x.example")))
    item = etree.fromstring(package.read("quiz-order-check-q1.xml"))
    interaction = item.find(".//q:orderInteraction", QTI)
    texts = {c.get("identifier"): c.text for c in interaction.findall("q:simpleChoice", QTI)}
    assert [c.text for c in interaction.findall("q:simpleChoice", QTI)] == public_questions(snapshot)[0]["items"]
    declaration = item.find("q:responseDeclaration", QTI)
    assert declaration.get("cardinality") == "ordered"
    key = [v.text for v in declaration.findall("q:correctResponse/q:value", QTI)]
    assert [texts[ident] for ident in key] == EVENTS
    question = snapshot["questions"][0]
    ids = {c["text"]: c["id"] for c in question["choices"]}
    for order in itertools.permutations(texts):
        ours = score(question, [ids[texts[ident]] for ident in order]).points
        theirs = evaluate(item.find("q:responseProcessing", QTI), list(order))
        assert rounded(Decimal(repr(theirs)) * question["points"]) == ours, order


# ---------------------------------------------------------------- editing and shipped content


def order_quiz_form(choices, action="publish"):
    question = {
        "kind": "order",
        "prompt": "Put these in order.",
        "points": 1,
        "true_false_answer": "",
        "accepted_answers": "",
        "source_document": "",
        "source_quote": "",
        "excerpt_quote": "",
        "target_quote": "",
        "explanation": "Because.",
        "choices": inline_formset([{"text": text, "correct": False} for text in choices]),
    }
    fields = {"title": "Two events", "slug": "two-events", "intro": "", "questions": inline_formset([question])}
    return nested_form_data({**fields, f"action-{action}": action})


def test_the_admin_refuses_an_order_question_with_fewer_than_three_events(admin_client):
    url = reverse("wagtailsnippets_lessons_quiz:add")
    response = admin_client.post(url, order_quiz_form(EVENTS[:2]))
    assert "A put-in-order question needs 3 to 6 choices, in their right order." in response.content.decode()
    assert not Quiz.objects.filter(slug="two-events").exists()
    admin_client.post(url, order_quiz_form(EVENTS[:3]))
    assert Quiz.objects.get(slug="two-events").questions.get().choices.count() == 3


@pytest.mark.parametrize(
    ("slug", "label"),
    [("principles-guidelines-quiz", "doc. 293, ¶ 15"), ("reading-a-cable-quiz", "doc. 293, ¶ 1")],
)
def test_two_shipped_quizzes_ask_for_the_sequence_of_the_talks_citing_their_paragraph(content, slug, label):
    snapshot = quiz_snapshot(Quiz.objects.get(slug=slug))
    [question] = [q for q in snapshot["questions"] if q["kind"] == "order"]
    assert 3 <= len(question["choices"]) <= 6
    assert question["choices"][0]["text"].startswith(("A preliminary meeting", "The preliminary meeting"))
    assert question["source_label"] == label and question["source_url"].endswith("#p-" + label.split("¶ ")[1])
    assert label.replace("doc. 293, ", "") in question["explanation_html"]
