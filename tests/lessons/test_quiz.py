"""Taking a quiz: validation, scoring on the server, snapshots, idempotency, and the answer key kept back."""

import re
import uuid

import pytest
from django.urls import reverse

from lessons.models import Quiz, QuizAttempt
from lessons.snapshots import quiz_snapshot
from tests.conftest import EVIDENCE_TARGET

pytestmark = pytest.mark.django_db


def form_fields(client, quiz):
    """The hidden fields and choice ids of the quiz form, as a student's browser would see them."""
    page = client.get(reverse("quiz", args=[quiz.slug])).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    version = re.search(r'name="version" value="([^"]+)"', page).group(1)
    return page, {"token": token, "version": version}


def choice_id(quiz, position, text):
    question = quiz.questions.all()[position - 1]
    return str(question.choices.get(text=text).pk)


def right_answers(quiz, sentence_index):
    return {
        "q1": choice_id(quiz, 1, "Helsinki"),
        "q2": [choice_id(quiz, 2, "The subject was urgent"), choice_id(quiz, 2, "Talks would continue regularly")],
        "q3": "true",
        "q4": "  special coordination committee ",
        "q5": str(sentence_index),
    }


def evidence_index(page):
    labels = re.findall(r'<label for="q5-[\w-]+-s(\d+)">([^<]+)</label>', page)
    return next(int(n) for n, text in labels if text.startswith("They asked fairly sophisticated"))


@pytest.fixture
def quiz(doc293, make_quiz):
    return make_quiz(doc293)


def test_the_form_never_carries_the_answer_key(client, quiz):
    page, _ = form_fields(client, quiz)
    assert "Where did the second round take place?" in page
    for secret in ["In Helsinki (¶ 1).", "Special Coordination Committee", '"correct"', "True (¶ 7)", "showed study"]:
        assert secret not in page
    assert "partial credit" in page and "never goes below zero" in page


def test_all_right_scores_full_marks_and_explains_with_source_links(client, quiz):
    page, fields = form_fields(client, quiz)
    response = client.post(reverse("quiz", args=[quiz.slug]), {**fields, **right_answers(quiz, evidence_index(page))})
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get()
    assert attempt.score == attempt.max_score == 5
    result = client.get(response.url).content.decode()
    assert result.count(">Right<") == 5
    assert "In Helsinki (¶ 1)." in result
    assert "/documents/frus1977-80v26-d293/#p-1" in result and "doc. 293, ¶ 1" in result


def test_wrong_and_partial_answers_are_marked_as_such(client, quiz):
    page, fields = form_fields(client, quiz)
    answers = right_answers(quiz, evidence_index(page))
    answers.update(q1=choice_id(quiz, 1, "Geneva"), q2=[choice_id(quiz, 2, "The subject was urgent")], q3="false")
    response = client.post(reverse("quiz", args=[quiz.slug]), {**fields, **answers})
    attempt = QuizAttempt.objects.get()
    assert attempt.score == 2.5  # q2 half, q4 and q5 right
    result = client.get(response.url).content.decode()
    assert "Partly right" in result and result.count("Not right") == 2
    assert "The answer:</span> Helsinki" in result


def test_a_missing_answer_reshows_the_form_with_answers_kept_and_the_problem_named(client, quiz):
    page, fields = form_fields(client, quiz)
    answers = right_answers(quiz, evidence_index(page))
    del answers["q2"]
    response = client.post(reverse("quiz", args=[quiz.slug]), {**fields, **answers})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page and "Question 2: Tick at least one answer." in page
    assert f'value="{answers["q1"]}" checked' in page
    assert 'value="  special coordination committee "' in page
    assert not QuizAttempt.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"q1": "999999"}, "not one of this question"),
        ({"q2": ["999999"]}, "not one of this question"),
        ({"q3": "maybe"}, "true or false"),
        ({"q4": "x" * 301}, "longer than 300 characters"),
        ({"q5": "99"}, "not one of the excerpt"),
        ({"q5": "²"}, "not one of the excerpt"),
        ({"q5-start": "²", "q5-end": "5"}, "not a pair of positions"),
        ({"q5-start": "0", "q5-end": "5"}, "outside the excerpt"),
        ({"display_name": "n" * 81}, "name is longer"),
    ],
)
def test_forged_or_oversized_input_gets_a_clear_400_and_records_nothing(client, quiz, change, message):
    page, fields = form_fields(client, quiz)
    data = {**fields, **right_answers(quiz, evidence_index(page)), **change}
    response = client.post(reverse("quiz", args=[quiz.slug]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_unknown_or_unpublished_quiz_is_a_404(client, doc293, make_quiz):
    assert client.get("/quizzes/no-such-quiz/").status_code == 404
    make_quiz(doc293, slug="draft-quiz", publish=False)
    assert client.get("/quizzes/draft-quiz/").status_code == 404
    assert client.post("/quizzes/no-such-quiz/", {"token": str(uuid.uuid4())}).status_code == 404


def test_a_second_submit_of_the_same_form_makes_no_second_attempt(client, quiz):
    page, fields = form_fields(client, quiz)
    data = {**fields, **right_answers(quiz, evidence_index(page))}
    first = client.post(reverse("quiz", args=[quiz.slug]), data)
    second = client.post(reverse("quiz", args=[quiz.slug]), data)
    assert QuizAttempt.objects.count() == 1
    assert first.url == second.url


def test_the_token_is_enforced_by_the_database(quiz):
    from django.db import IntegrityError, transaction

    token = uuid.uuid4()
    QuizAttempt.objects.create(token=token, quiz=quiz, quiz_title="x", snapshot={}, score=0, max_score=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuizAttempt.objects.create(token=token, quiz=quiz, quiz_title="x", snapshot={}, score=0, max_score=1)


def test_a_later_edit_of_the_quiz_does_not_change_past_results(client, quiz):
    page, fields = form_fields(client, quiz)
    response = client.post(reverse("quiz", args=[quiz.slug]), {**fields, **right_answers(quiz, evidence_index(page))})
    edited = quiz.get_latest_revision_as_object()
    questions = list(edited.questions.all())  # each .all() gives fresh copies: edit lists, then set them
    choices = list(questions[0].choices.all())
    for choice in choices:
        choice.correct = choice.text == "Geneva"
    questions[0].explanation, questions[0].choices = "A rewritten explanation.", choices
    edited.questions = questions
    edited.save_revision().publish()
    assert "A rewritten explanation." in quiz_snapshot(Quiz.objects.get(pk=quiz.pk))["questions"][0]["explanation_html"]
    result = client.get(response.url).content.decode()
    assert "In Helsinki (¶ 1)." in result and "A rewritten explanation." not in result
    assert result.count(">Right<") == 5


def test_a_quiz_changed_while_answering_asks_to_check_again(client, quiz):
    page, fields = form_fields(client, quiz)  # the version the student's form carries
    edited = quiz.get_latest_revision_as_object()
    questions = list(edited.questions.all())  # each .all() gives fresh copies: edit one list, then set it
    questions[0].prompt = "Where, exactly, did the second round take place?"
    edited.questions = questions
    edited.save_revision().publish()
    response = client.post(reverse("quiz", args=[quiz.slug]), {**fields, **right_answers(quiz, evidence_index(page))})
    assert response.status_code == 200
    assert "updated while you were answering" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_evidence_marked_with_the_mouse_is_scored_by_overlap(client, quiz, doc293):
    from documents.rendering import rendered_document

    page, fields = form_fields(client, quiz)
    text = rendered_document(doc293).text
    start = text.index(EVIDENCE_TARGET) + 10
    answers = {**right_answers(quiz, 0), "q5-start": str(start), "q5-end": str(start + len(EVIDENCE_TARGET) - 20)}
    client.post(reverse("quiz", args=[quiz.slug]), {**fields, **answers})
    response = QuizAttempt.objects.get().responses.get(position=5)
    assert response.correct


def test_a_malformed_class_code_is_answered_clearly(client, quiz):
    page, fields = form_fields(client, quiz)
    data = {**fields, **right_answers(quiz, evidence_index(page)), "class_code": "no!"}
    response = client.post(reverse("quiz", args=[quiz.slug]), data)
    assert "A class code is 4 to 12 letters and digits" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_a_quiz_with_no_questions_cannot_be_published(admin_client):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    from lessons.models import Quiz

    data = nested_form_data(
        {"title": "Empty", "slug": "empty", "intro": "", "questions": inline_formset([]), "action-publish": "publish"}
    )
    response = admin_client.post(reverse("wagtailsnippets_lessons_quiz:add"), data)
    assert "A quiz needs at least one question before it can be published." in response.content.decode()
    assert not Quiz.objects.filter(slug="empty", live=True).exists()


def test_the_quiz_page_reads_each_document_once_whatever_the_number_of_questions(
    client, quiz, django_assert_max_num_queries
):
    client.get(reverse("quiz", args=[quiz.slug]))  # warm the rendered-document cache
    with django_assert_max_num_queries(5):
        client.get(reverse("quiz", args=[quiz.slug]))


def test_a_choice_question_without_a_right_answer_is_left_out_not_a_500(client, doc293, make_quiz):
    quiz = make_quiz(doc293, slug="no-key")
    quiz.questions.all()[0].choices.update(correct=False)
    page, fields = form_fields(client, quiz)
    assert "Where did the second round take place?" not in page
    assert page.count('class="question"') == 4
