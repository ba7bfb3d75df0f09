"""Fifty students submitting the same quiz at once, against a live server: fifty attempts, no duplicates."""

import re
import threading
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

from lessons.models import QuizAttempt

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
STUDENTS = 50


def student_session(base, slug):
    """Open the quiz like a browser: cookies, CSRF token, one-time token."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/quizzes/{slug}/").read().decode()
    fields = dict(re.findall(r'name="(csrfmiddlewaretoken|token|version)" value="([^"]+)"', page))
    questions = len(re.findall(r'<fieldset class="question"', page))
    answers = {}
    for n in range(1, questions + 1):
        radios = re.findall(rf'name="q{n}" id="[^"]+" value="([^"]+)"', page)
        boxes = re.findall(rf'type="checkbox" name="q{n}" id="[^"]+" value="([^"]+)"', page)
        answers[f"q{n}"] = boxes[:1] if boxes else (radios[0] if radios else "an answer")
    return opener, {**fields, **answers}


def submit(opener, base, slug, data, results, index):
    body = urllib.parse.urlencode(data, doseq=True).encode()
    request = urllib.request.Request(f"{base}/quizzes/{slug}/", data=body, headers={"Referer": f"{base}/"})
    try:
        with opener.open(request) as response:
            results[index] = (response.status, response.url)
    except Exception as error:  # noqa: BLE001 - recorded and asserted below
        results[index] = (getattr(error, "code", 0), str(error))


def run_at_once(jobs):
    threads = [threading.Thread(target=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


def test_fifty_students_at_once_make_exactly_fifty_attempts(django_db_serialized_rollback, live_server):
    slug = "why-restraint-quiz"
    sessions = [student_session(live_server.url, slug) for _ in range(STUDENTS)]
    results = [None] * STUDENTS
    run_at_once(
        [lambda i=i: submit(sessions[i][0], live_server.url, slug, sessions[i][1], results, i) for i in range(STUDENTS)]
    )
    assert all(status == 200 and "/results/" in url for status, url in results), results
    assert QuizAttempt.objects.count() == STUDENTS
    assert len({url for _, url in results}) == STUDENTS


def test_the_same_form_sent_many_times_at_once_makes_one_attempt(django_db_serialized_rollback, live_server):
    slug = "why-restraint-quiz"
    opener, data = student_session(live_server.url, slug)
    results = [None] * 10
    run_at_once([lambda i=i: submit(opener, live_server.url, slug, data, results, i) for i in range(10)])
    assert all(status == 200 for status, _ in results), results
    assert QuizAttempt.objects.count() == 1
    assert len({url for _, url in results}) == 1
