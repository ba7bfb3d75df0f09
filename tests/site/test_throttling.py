"""Throttles: sign-in locks an account out for one address, guessing class codes stops, search and quiz
submissions have generous limits, and every refusal is a friendly 429 page with Retry-After."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.contrib.auth.models import User

from arms_talks_site.settings import base

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_limits(settings):
    """The limits a deployment has (the test settings lift them so other tests never meet them)."""
    settings.AXES_FAILURE_LIMIT = base.AXES_FAILURE_LIMIT
    settings.THROTTLE_WRONG_CLASS_CODES = base.THROTTLE_WRONG_CLASS_CODES
    settings.THROTTLE_QUIZ_SUBMISSIONS = base.THROTTLE_QUIZ_SUBMISSIONS
    settings.THROTTLE_SEARCHES = base.THROTTLE_SEARCHES
    return settings


class Browser:
    """A visitor against the live server: cookies kept, HTTP errors returned as responses."""

    def __init__(self, base_url):
        self.base = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def open(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + "/"})
        try:
            response = self.opener.open(request)
        except urllib.error.HTTPError as error:
            response = error
        return response.status, response.headers, response.read().decode()

    def sign_in(self, username, password):
        _, _, page = self.open("/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.open(
            "/admin/login/", {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": ""}
        )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_wrong_passwords_lock_that_account_for_that_address_on_a_running_server(live_server, real_limits):
    User.objects.create_user("ms-jones", password="right-Passw0rd", is_staff=True, is_superuser=True)
    User.objects.create_user("mr-lee", password="his-Passw0rd", is_staff=True, is_superuser=True)
    browser = Browser(live_server.url)
    statuses = [browser.sign_in("ms-jones", f"guess-{n}")[0] for n in range(10)]
    assert statuses[:9] == [200] * 9  # the form again, with its error

    status, headers, page = browser.sign_in("ms-jones", "right-Passw0rd")
    assert status == 429
    assert headers["Retry-After"] == "900"
    assert "Too many wrong passwords for this account" in page and "15 minutes" in page

    # The rest of the school, behind the same address, still signs in.
    status, headers, _ = Browser(live_server.url).sign_in("mr-lee", "his-Passw0rd")
    assert status == 302 and headers["Location"].startswith("/admin/")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_31st_wrong_class_code_in_a_minute_gets_429_on_a_running_server(live_server, real_limits, make_plan):
    from django.core.management import call_command

    call_command("load_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    teacher = User.objects.create_user("teach", password="pw-Teach3r!", is_staff=True)
    plan = make_plan(teacher)
    browser = Browser(live_server.url)
    for n in range(30):
        status, _, page = browser.open(f"/join/?code=WRONG{n:03d}")
        assert status == 200 and "No class uses the code" in page

    status, headers, page = browser.open("/join/?code=WRONG999")
    assert status == 429
    assert 0 < int(headers["Retry-After"]) <= 60
    assert "Please wait a moment" in page and "class codes that do not exist" in page
    # Past the limit even a right code waits: otherwise the guessing would go on.
    assert browser.open(f"/join/?code={plan.class_code}")[0] == 429


def test_wrong_class_codes_typed_into_a_quiz_count_too(client, real_limits, make_quiz, doc293, settings):
    settings.THROTTLE_WRONG_CLASS_CODES = "2/m"
    quiz = make_quiz(doc293)
    page = client.get(f"/quizzes/{quiz.slug}/").content.decode()
    form = dict(re.findall(r'name="(token|version)" value="([^"]+)"', page))
    for _ in range(2):
        assert client.post(f"/quizzes/{quiz.slug}/", {**form, "class_code": "NOSUCH1"}).status_code == 200
    response = client.post(f"/quizzes/{quiz.slug}/", {**form, "class_code": "NOSUCH1"})
    assert response.status_code == 429 and "Retry-After" in response
    assert client.get("/join/?code=NOSUCH2").status_code == 429  # one count for both places


def test_another_address_is_not_held_back_by_one_that_guessed(client, real_limits, settings):
    settings.THROTTLE_WRONG_CLASS_CODES = "1/m"
    client.get("/join/?code=AAAA1")
    assert client.get("/join/?code=AAAA2").status_code == 429
    assert client.get("/join/?code=AAAA3", REMOTE_ADDR="10.1.2.3").status_code == 200


def test_sixty_searches_a_minute_pass_and_the_61st_waits(client, real_limits):
    for _ in range(60):
        assert client.get("/search/?q=").status_code == 200
    response = client.get("/search/?q=")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Please wait a moment" in response.content.decode()


def test_a_class_of_sixty_submitting_from_one_school_address_is_never_throttled(client, real_limits, make_quiz, doc293):
    quiz = make_quiz(doc293)
    # Each POST counts, whatever becomes of it; a form without its token is answered quickly (400).
    statuses = {client.post(f"/quizzes/{quiz.slug}/", {}).status_code for _ in range(60)}
    assert statuses == {400}


def test_quiz_submissions_past_the_limit_wait(client, real_limits, make_quiz, doc293, settings):
    settings.THROTTLE_QUIZ_SUBMISSIONS = "3/m"
    quiz = make_quiz(doc293)
    for _ in range(3):
        client.post(f"/quizzes/{quiz.slug}/", {})
    response = client.post(f"/quizzes/{quiz.slug}/", {})
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert client.get(f"/quizzes/{quiz.slug}/").status_code == 200  # reading the quiz is not limited


def test_behind_the_trusted_proxy_each_reader_is_counted_by_their_own_address(client, real_limits, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.THROTTLE_WRONG_CLASS_CODES = "1/m"
    client.get("/join/?code=AAAA1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client.get("/join/?code=AAAA2", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    assert client.get("/join/?code=AAAA3", HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 200
    # A client cannot pick its address by sending the header itself: the proxy's entry is the last one.
    spoofed = client.get("/join/?code=AAAA4", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5")
    assert spoofed.status_code == 429
