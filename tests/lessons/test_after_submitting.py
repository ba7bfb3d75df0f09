"""After submitting: reload or Back shows the result's link, not a blank quiz; "Take it again" is a retake."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from lessons.models import QuizAttempt
from lessons.views import RECENT_COOKIE
from tests.lessons.test_plans import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(teachers, make_plan):
    return make_plan(teachers[0])


def test_reloading_the_quiz_after_submitting_links_to_the_result(client, plan):
    quiz = plan.quizzes()[0]
    response = submit(client, quiz, plan.class_code, "Ana")
    cookie = response.cookies[RECENT_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/quizzes/"
    assert 0 < int(cookie["max-age"]) <= 12 * 3600
    attempt = QuizAttempt.objects.get()
    again = client.get(reverse("quiz", args=[quiz.slug]) + f"?class={plan.class_code}")
    page = again.content.decode()
    assert "You already submitted this quiz" in page and f'href="{attempt.get_absolute_url()}"' in page
    assert 'name="token"' not in page  # no blank form to fill in again
    assert "no-store" in again["Cache-Control"] and "private" in again["Cache-Control"]
    elsewhere = client.get(reverse("quiz", args=["principles-guidelines-quiz"]))  # the notice is for this quiz only
    assert quiz.slug != "principles-guidelines-quiz" and "You already submitted" not in elsewhere.content.decode()


def test_another_browser_or_a_forged_cookie_sees_the_blank_quiz(client, plan):
    quiz = plan.quizzes()[0]
    submit(client, quiz, plan.class_code, "Ana")
    attempt = QuizAttempt.objects.get()
    client.cookies.clear()
    url = reverse("quiz", args=[quiz.slug])
    assert 'name="token"' in client.get(url).content.decode()
    client.cookies[RECENT_COOKIE] = attempt.pk.hex  # unsigned: someone else's attempt id guessed or copied
    page = client.get(url).content.decode()
    assert "You already submitted" not in page and 'name="token"' in page


def test_take_it_again_makes_a_second_attempt_numbered_on_its_result_page(client, plan, teachers):
    quiz = plan.quizzes()[0]
    submit(client, quiz, plan.class_code, "Ana", right=False)
    page = client.get(reverse("quiz", args=[quiz.slug]) + f"?again=1&class={plan.class_code}").content.decode()
    assert 'name="token"' in page and 'value="Ana"' in page  # the name kept: the teacher sees one student
    response = submit(client, quiz, plan.class_code, "Ana", right=True)
    assert response.status_code == 302
    first, second = QuizAttempt.objects.order_by("created_at")
    assert "attempt 2" in client.get(second.get_absolute_url()).content.decode()
    assert "attempt 2" not in client.get(first.get_absolute_url()).content.decode()
    client.force_login(teachers[0])
    results = client.get(plan.url + plan.reverse_subpage("results")).content.decode()
    cells = re.findall(r'<td class="name">Ana</td><td>(\d+)</td>', results)
    assert cells == ["1", "2"]  # the teacher's table: one student, attempts 1 and 2


def test_a_double_submit_still_makes_one_attempt(client, plan):
    quiz = plan.quizzes()[0]
    submit(client, quiz, plan.class_code, "Ana")
    assert QuizAttempt.objects.count() == 1


@override_settings(ANONYMOUS_PAGE_CACHE_SECONDS=600)
def test_the_page_cache_never_stores_or_serves_the_notice(client, plan):
    quiz = plan.quizzes()[0]
    url = reverse("quiz", args=[quiz.slug])
    assert client.get(url).get("X-Page-Cache") != "hit"
    submit(client, quiz, "", "Ana")
    mine = client.get(url)
    assert "You already submitted" in mine.content.decode() and mine.get("X-Page-Cache") != "hit"
    client.cookies.pop(RECENT_COOKIE)
    theirs = client.get(url)
    assert "You already submitted" not in theirs.content.decode() and theirs.get("X-Page-Cache") != "hit"
