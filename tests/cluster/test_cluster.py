"""Two app servers behind nginx, as `make cluster` starts them (arms_talks_site/cluster.py), on the test database
and a Redis of their own: what one server changes, the other serves at once, and no submission is lost.

Slow (about a minute): `pytest -m "not slow"` leaves them out; `make test` runs them.
"""

import json
import re
import shutil
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import redis
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User

from arms_talks_site.cluster import Cluster
from documents.models import DocumentIndexPage
from lessons.models import LessonIndexPage, QuizAttempt
from tests.lessons.test_concurrency import run_at_once, student_session
from tests.site.test_serving import collected_static, url_of  # noqa: F401 - a fixture, used below

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not (shutil.which("nginx") or shutil.which("/usr/sbin/nginx")), reason="nginx is missing"),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is missing"),
]

DOCUMENT = "/documents/frus1977-80v26-d293/"
QUIZ = "why-restraint-quiz"
ADMIN = ("cluster-admin", "cluster-Passw0rd")


class PurgeRecorder(BaseHTTPRequestHandler):
    """A stand-in CDN's purge endpoint (a real HTTP server): it records the paths it is asked to purge."""

    purged: list[str] = []

    def do_PURGE(self):  # noqa: N802 - the HTTP method
        self.purged.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def cdn():
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker, collected_static, tmp_path_factory, cdn):  # noqa: F811
    directory = tmp_path_factory.mktemp("cluster")
    purge_url = f"http://127.0.0.1:{cdn.server_port}"
    database = url_of(settings.DATABASES["default"])
    servers = Cluster(database, directory=directory, secret_key="c" * 50, extra_env={"FRONTEND_CACHE_URL": purge_url})
    with servers as running:
        yield running


@pytest.fixture(autouse=True)
def fresh(cluster):
    """Both servers up, an empty Redis (the database was just put back to the loaded content), no purge yet."""
    for index, process in enumerate(cluster.apps):
        if process is None or process.poll() is not None:
            cluster.start_app(index)
    redis.Redis.from_url(cluster.redis_url).flushall()
    PurgeRecorder.purged.clear()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url: str, opener=None):
    """(status, headers, body) of a GET, redirects not followed, as an anonymous browser asks."""
    opener = opener or urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


class FormFields(HTMLParser):
    """The fields a browser would send from the form with this id: inputs, checked boxes, textareas, selects."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or not attrs.get("name") and tag != "option":
            return
        kind = attrs.get("type", "text")
        if tag == "input" and kind not in ("submit", "button", "file", "image"):
            if kind not in ("checkbox", "radio") or "checked" in attrs:
                self.fields.append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value", "")))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            self.fields.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def signed_in_editor(base: str):
    """An opener signed in to Wagtail's admin on this server, the way a browser signs in."""
    # Hashed as the servers hash (the test settings' fast hasher is not in production's list).
    hashed = PBKDF2PasswordHasher().encode(ADMIN[1], PBKDF2PasswordHasher().salt())
    User.objects.create_superuser(ADMIN[0], "admin@school.example", None)
    User.objects.filter(username=ADMIN[0]).update(password=hashed)
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(f"{base}/admin/login/").read().decode()
    data = {"username": ADMIN[0], "password": ADMIN[1], "csrfmiddlewaretoken": csrf_token(page), "next": "/admin/"}
    post(opener, f"{base}/admin/login/", data)
    assert "cluster-admin" in opener.open(f"{base}/admin/").read().decode()
    return opener


def post(opener, url: str, data, referer: str | None = None):
    body = urllib.parse.urlencode(data, doseq=True).encode()
    headers = {"Referer": referer or url}
    with opener.open(urllib.request.Request(url, data=body, headers=headers), timeout=30) as response:
        return response.status, response.read().decode()


def test_a_page_published_through_server_a_is_served_by_server_b_at_the_next_read(cluster):
    a, b = cluster.app_url(0), cluster.app_url(1)
    index = LessonIndexPage.objects.get()
    for expected in ("miss", "hit"):  # B has the page in the shared cache
        status, headers, body = get(b + index.url)
        assert (status, headers["X-Page-Cache"]) == (200, expected)
    assert "Published through server A" not in body

    editor = signed_in_editor(a)
    # Signed in on A is signed in on B (sessions in the database), and what B answers her is hers alone.
    assert "cluster-admin" in editor.open(f"{b}/admin/").read().decode()
    with editor.open(b + index.url) as response:
        assert response.headers["Cache-Control"].startswith("private")
        assert "X-Page-Cache" not in response.headers
    edit_url = f"{a}/admin/pages/{index.pk}/edit/"
    fields = [(name, value) for name, value in form_fields(editor.open(edit_url).read().decode(), "page-edit-form")]
    fields = [(n, "Published through server A, read on server B." if n == "intro" else v) for n, v in fields]
    status, _ = post(editor, edit_url, [*fields, ("action-publish", "action-publish")])
    assert status == 200
    index.refresh_from_db()
    assert "Published through server A" in index.intro  # the admin really published it

    status, headers, body = get(b + index.url)
    assert status == 200
    assert "Published through server A, read on server B." in body
    assert headers["X-Page-Cache"] == "miss"
    assert PurgeRecorder.purged == [index.url]  # and a CDN in front was told to drop its copy


def test_a_view_restriction_added_through_server_a_is_honoured_by_server_b_cache(cluster):
    a, b = cluster.app_url(0), cluster.app_url(1)
    for expected in ("miss", "hit"):
        status, headers, _ = get(b + DOCUMENT)
        assert (status, headers["X-Page-Cache"], headers["Cache-Control"]) == (
            200,
            expected,
            "public, max-age=0, s-maxage=60",
        )

    editor = signed_in_editor(a)
    page_id = DocumentIndexPage.objects.get().pk  # the restriction covers every document below it
    privacy_url = f"{a}/admin/pages/{page_id}/privacy/"
    modal = json.loads(editor.open(privacy_url).read().decode())
    status, answer = post(
        editor, privacy_url, {"csrfmiddlewaretoken": csrf_token(modal["html"]), "restriction_type": "login"}
    )
    assert status == 200 and json.loads(answer)["step"] == "set_privacy_done"

    status, headers, body = get(b + DOCUMENT)
    assert status == 302  # to the sign-in page: B no longer serves the public copy it had cached
    assert "/login/" in headers["Location"]
    assert "X-Page-Cache" not in headers
    assert "frus1977-80v26-d293" not in body
    assert {"/documents/", DOCUMENT} <= set(PurgeRecorder.purged)  # the page and those below it, from a CDN


def submit_until_done(opener, url: str, data: dict, results: list, index: int, retries: int = 40):
    """Send the quiz as a browser would, and send it again (the same form) after a refused connection or a
    502/503, as a student presses the button again: at most one attempt may come of it."""
    body = urllib.parse.urlencode(data, doseq=True).encode()
    for _ in range(retries):
        request = urllib.request.Request(url, data=body, headers={"Referer": url})
        try:
            with opener.open(request, timeout=60) as response:
                results[index] = (response.status, response.url)
                return
        except urllib.error.HTTPError as error:
            if error.code not in (502, 503, 504):
                results[index] = (error.code, str(error))
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    results[index] = (0, "gave up")


def test_a_hundred_students_split_over_both_servers_make_exactly_a_hundred_attempts(cluster):
    a, b = cluster.app_url(0), cluster.app_url(1)
    students = 100
    # Each opens the quiz on one server and sends it to the other: sessions, CSRF and tokens are shared.
    sessions = [student_session(a if i % 2 else b, QUIZ) for i in range(students)]
    results = [None] * students
    run_at_once(
        [
            lambda i=i: submit_until_done(
                sessions[i][0], f"{b if i % 2 else a}/quizzes/{QUIZ}/", sessions[i][1], results, i
            )
            for i in range(students)
        ]
    )
    assert [r for r in results if r[0] != 200 or "/results/" not in r[1]] == []
    assert QuizAttempt.objects.count() == students
    assert len({url for _, url in results}) == students


def test_stopping_one_app_server_mid_load_loses_no_submission(cluster):
    students = 60
    url = f"{cluster.url}/quizzes/{QUIZ}/"
    sessions = [student_session(cluster.url, QUIZ) for _ in range(students)]
    results = [None] * students
    done_when_stopped = []

    def stop_a_when_a_third_are_in():
        deadline = time.monotonic() + 60
        while sum(r is not None for r in results) < students // 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        done_when_stopped.append(sum(r is not None for r in results))
        cluster.stop_app(0)

    stopper = threading.Thread(target=stop_a_when_a_third_are_in)
    stopper.start()
    run_at_once(
        [lambda i=i: submit_until_done(sessions[i][0], url, sessions[i][1], results, i) for i in range(students)]
    )
    stopper.join()
    assert cluster.apps[0].poll() is not None
    assert done_when_stopped[0] < students  # A stopped while submissions were still coming in
    assert all(status == 200 and "/results/" in final for status, final in results), results
    assert QuizAttempt.objects.count() == students
    assert len({final for _, final in results}) == students
    status, _, _ = get(cluster.url + DOCUMENT)  # B alone serves readers
    assert status == 200
