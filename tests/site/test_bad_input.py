"""A NUL byte or a broken Unicode character anywhere in a query or a form answers a plain 400, never a 500."""

import urllib.error
import urllib.parse
import urllib.request

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

BAD = ["%00", "%ED%A0%80", "%ED%BF%BF", "%ed%b2%a9"]  # NUL; lone surrogates U+D800, U+DFFF, U+DCA9
RAW_BAD = [b"\x00", b"\xed\xa0\x80"]  # the same, not percent-encoded, in a form body
HYPOTHESIS = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))

ordinary = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20)


def quoted(text: str) -> str:
    return urllib.parse.quote(text, safe="")


@pytest.fixture
def quiz(make_quiz, doc293):
    return make_quiz(doc293)


@pytest.fixture
def query_targets(doc293, quiz):
    """Every public page that reads a query parameter, with the parameters it reads."""
    return [
        ("/search/", ["q", "type", "page"]),
        ("/join/", ["code"]),
        (f"/quizzes/{quiz.slug}/", ["class", "next"]),
        (doc293.url, ["kind"]),
        ("/glossary/", ["anything"]),
    ]


QUIZ_FIELDS = ["display_name", "class_code", "token", "version", "next", "q1", "q2", "q3", "q4", "q5"]


def assert_refused(response):
    assert response.status_code == 400, response.status_code
    assert "cannot be used" in response.content.decode()


@HYPOTHESIS
@given(before=ordinary, after=ordinary, bad=st.sampled_from(BAD), data=st.data())
def test_a_bad_character_in_any_query_parameter_is_a_400(client, query_targets, before, after, bad, data):
    path, names = data.draw(st.sampled_from(query_targets))
    name = data.draw(st.sampled_from(names))
    query = f"{name}={quoted(before)}{bad}{quoted(after)}"
    assert_refused(client.get(path, QUERY_STRING=query))


@HYPOTHESIS
@given(before=ordinary, bad=st.sampled_from(BAD + [raw.decode("latin-1") for raw in RAW_BAD]), data=st.data())
def test_a_bad_character_in_any_quiz_field_is_a_400(client, quiz, before, bad, data):
    field = data.draw(st.sampled_from(QUIZ_FIELDS))
    others = "&".join(f"{other}=x" for other in QUIZ_FIELDS if other != field)
    body = f"{others}&{field}={quoted(before)}".encode() + bad.encode("latin-1")
    response = client.post(f"/quizzes/{quiz.slug}/", body, content_type="application/x-www-form-urlencoded")
    assert_refused(response)


@HYPOTHESIS
@given(text=ordinary)
def test_ordinary_text_is_never_refused(client, query_targets, text):
    for path, names in query_targets:
        assert client.get(path, {names[0]: text}).status_code != 400


def test_a_nul_in_an_uploaded_forms_field_is_a_400(client):
    response = client.post("/join/", {"code": "AB\x00CD"})  # multipart, as a test client sends it
    assert_refused(response)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_against_a_running_server_a_nul_in_a_name_or_a_code_is_a_400(live_server, make_quiz):
    from django.core.management import call_command

    from documents.models import SourceDocumentPage

    call_command("load_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    quiz = make_quiz(SourceDocumentPage.objects.get(document_number=293))
    requests = [
        urllib.request.Request(f"{live_server.url}/join/?code=AB%00CD"),
        urllib.request.Request(f"{live_server.url}/search/?q=%ED%A0%80"),
        urllib.request.Request(
            f"{live_server.url}/quizzes/{quiz.slug}/", data=b"display_name=Ann%00&class_code=AB%00CD&token=x"
        ),
    ]
    for request in requests:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request)
        assert refused.value.code == 400
        assert "cannot be used" in refused.value.read().decode()
