"""The quiz form's token: issued and signed by the server, bound to one quiz, good for 12 hours.

Made-up, foreign or expired tokens record nothing and bring the form back (400) with the answers kept
and a new token, so an honest student loses nothing by submitting again.
"""

import re
import time
import uuid

import pytest
from django.core import signing
from django.urls import reverse

from lessons.models import Quiz, QuizAttempt
from lessons.views import QUIZ_FORM_SALT
from tests.lessons.test_quiz import evidence_index, form_fields, right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(doc293, make_quiz):
    return make_quiz(doc293)


class SignerHoursAgo(signing.TimestampSigner):
    """Signs as the server did `hours` ago: how a form left open overnight looks when it comes back."""

    def __init__(self, hours, **kwargs):
        self.hours = hours
        super().__init__(**kwargs)

    def timestamp(self):
        return signing.b62_encode(int(time.time() - self.hours * 3600))


def token_signed(quiz, nonce, hours_ago=0):
    return SignerHoursAgo(hours_ago, salt=QUIZ_FORM_SALT).sign_object({"quiz": quiz.pk, "nonce": nonce.hex})


def new_token(page):
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def test_thirty_made_up_uuids_make_no_attempt(client, quiz):
    page, fields = form_fields(client, quiz)
    answers = right_answers(quiz, evidence_index(page))
    statuses = {
        client.post(reverse("quiz", args=[quiz.slug]), {**fields, **answers, "token": str(uuid.uuid4())}).status_code
        for _ in range(30)
    }
    assert statuses == {400}
    assert QuizAttempt.objects.count() == 0


def test_a_forged_token_gets_a_fresh_form_with_the_answers_kept(client, quiz):
    page, fields = form_fields(client, quiz)
    answers = right_answers(quiz, evidence_index(page))
    forged = fields["token"][:-4] + ("AAAA" if not fields["token"].endswith("AAAA") else "BBBB")
    response = client.post(
        reverse("quiz", args=[quiz.slug]), {**fields, **answers, "token": forged, "display_name": "Ada"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "not issued by this site" in page and 'role="alert"' in page
    assert 'value="  special coordination committee "' in page and 'value="Ada"' in page
    assert not QuizAttempt.objects.exists()
    # the form it offers works
    again = client.post(reverse("quiz", args=[quiz.slug]), {**fields, **answers, "token": new_token(page)})
    assert again.status_code == 302
    assert QuizAttempt.objects.count() == 1


def test_a_token_from_another_quiz_is_refused(client, quiz, doc293, make_quiz):
    other = make_quiz(doc293, slug="other-quiz")
    _, other_fields = form_fields(client, other)
    page, fields = form_fields(client, quiz)
    data = {**fields, **right_answers(quiz, evidence_index(page)), "token": other_fields["token"]}
    response = client.post(reverse("quiz", args=[quiz.slug]), data)
    assert response.status_code == 400
    assert "belongs to another quiz" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_a_form_older_than_twelve_hours_is_refused_with_a_fresh_one(client, quiz):
    page, fields = form_fields(client, quiz)
    answers = right_answers(quiz, evidence_index(page))
    old = token_signed(quiz, uuid.uuid4(), hours_ago=13)
    response = client.post(reverse("quiz", args=[quiz.slug]), {**fields, **answers, "token": old})
    assert response.status_code == 400
    page = response.content.decode()
    assert "more than 12 hours ago" in page and new_token(page) != old
    assert not QuizAttempt.objects.exists()


def test_a_form_eleven_hours_old_is_still_accepted(client, quiz):
    page, fields = form_fields(client, quiz)
    answers = right_answers(quiz, evidence_index(page))
    token = token_signed(quiz, uuid.uuid4(), hours_ago=11)
    assert client.post(reverse("quiz", args=[quiz.slug]), {**fields, **answers, "token": token}).status_code == 302
    assert QuizAttempt.objects.count() == 1


def test_the_same_token_posted_again_leads_to_its_attempt_even_after_it_expired(client, quiz):
    page, fields = form_fields(client, quiz)
    answers = right_answers(quiz, evidence_index(page))
    nonce = uuid.uuid4()
    first = client.post(reverse("quiz", args=[quiz.slug]), {**fields, **answers, "token": token_signed(quiz, nonce)})
    again = client.post(
        reverse("quiz", args=[quiz.slug]), {**fields, **answers, "token": token_signed(quiz, nonce, hours_ago=13)}
    )
    assert first.status_code == again.status_code == 302
    assert first.url == again.url == QuizAttempt.objects.get().get_absolute_url()


def test_a_token_names_its_quiz_and_nothing_about_the_answers(client, quiz):
    _, fields = form_fields(client, quiz)
    payload = signing.loads(fields["token"], salt=QUIZ_FORM_SALT)
    assert payload["quiz"] == quiz.pk and uuid.UUID(payload["nonce"])
    assert Quiz.objects.filter(pk=payload["quiz"]).exists()
