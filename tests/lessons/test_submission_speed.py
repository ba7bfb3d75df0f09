"""What keeps a submission cheap: a few queries whatever the quiz's length, the snapshot built once per quiz
revision (and rebuilt when the quiz or the content changes), and one pool of database connections per process."""

import re
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.page_cache import bump_content_version
from lessons.models import Question, Quiz, QuizAttempt
from lessons.snapshots import snapshot_key

pytestmark = pytest.mark.django_db


def true_false_quiz(slug: str, questions: int) -> Quiz:
    quiz = Quiz(title=f"{questions} statements", slug=slug, live=False)
    quiz.questions = [
        Question(
            sort_order=n, kind="truefalse", prompt=f"Statement {n}.", true_false_answer=True, explanation=f"True ({n})."
        )
        for n in range(questions)
    ]
    quiz.save()
    quiz.save_revision().publish()
    return Quiz.objects.get(pk=quiz.pk)


def all_true(client, quiz) -> dict:
    page = client.get(reverse("quiz", args=[quiz.slug])).content.decode()
    fields = dict(re.findall(r'name="(token|version)" value="([^"]+)"', page))
    return {**fields, **{f"q{n}": "true" for n in range(1, page.count('<fieldset class="question"') + 1)}}


def submitted_sql(client, quiz) -> str:
    """The SQL of a submission, after the form was shown (as to a student)."""
    data = all_true(client, quiz)
    with CaptureQueriesContext(connection) as posted:
        response = client.post(reverse("quiz", args=[quiz.slug]), data)
    assert response.status_code == 302
    return " ".join(q["sql"] for q in posted.captured_queries)


@pytest.mark.parametrize("questions", [4, 12])
def test_submitting_and_seeing_the_result_take_a_few_queries_however_long_the_quiz(
    client, questions, django_assert_max_num_queries
):
    quiz = true_false_quiz(f"statements-{questions}", questions)
    data = all_true(client, quiz)  # the form, shown first as to a student
    # the quiz, the token's attempt (none yet), then the attempt and its responses in one transaction (the
    # savepoint pair is the test's own transaction: in production it is BEGIN and COMMIT)
    with django_assert_max_num_queries(6):
        response = client.post(reverse("quiz", args=[quiz.slug]), data)
    assert response.status_code == 302
    with django_assert_max_num_queries(2):  # the attempt, its responses
        result = client.get(response.url).content.decode()
    assert f"{questions} out of {questions}" in result
    assert QuizAttempt.objects.get(quiz=quiz).responses.count() == questions


def test_a_submission_reads_no_question_when_the_form_was_shown(client):
    quiz = true_false_quiz("cached", 6)
    sql = submitted_sql(client, quiz)
    assert 'FROM "lessons_question"' not in sql and 'FROM "lessons_choice"' not in sql
    assert sql.count("INSERT") == 2  # the attempt, and all its responses at once


def test_a_published_edit_is_asked_at_once(client):
    quiz = true_false_quiz("edited", 3)
    assert "Statement 0." in client.get(reverse("quiz", args=[quiz.slug])).content.decode()
    edited = quiz.get_latest_revision_as_object()
    questions = list(edited.questions.all())
    questions[0].prompt = "A rewritten statement."
    edited.questions = questions
    edited.save_revision().publish()
    page = client.get(reverse("quiz", args=[quiz.slug])).content.decode()
    assert "A rewritten statement." in page and "Statement 0." not in page


def test_the_snapshot_is_built_again_when_content_changes(client, committed):
    """A document published again may move the paragraph a question links to: every snapshot is rebuilt."""
    quiz = true_false_quiz("content", 2)
    before = snapshot_key(quiz)
    assert snapshot_key(quiz) == before
    with committed():
        bump_content_version()
    assert snapshot_key(quiz) != before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_threads_share_one_pool_of_connections(settings):
    """Many threads in one worker borrow from its pool: never more connections than the pool's size."""
    pool = connection.pool
    assert pool is not None and settings.DATABASES["default"]["CONN_MAX_AGE"] == 0
    from django.db import connections

    def work():
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.05)")
        connections.close_all()  # a request's end: the connection goes back to the pool

    threads = [threading.Thread(target=work) for _ in range(3 * pool.max_size)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert pool.get_stats()["pool_size"] <= pool.max_size
