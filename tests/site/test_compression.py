"""Answers compressed as browsers ask: cached pages stored once per coding, with ETags and 304s; the rest on the way
out, gzip with padding (never brotli) for answers that carry a CSRF token."""

import gzip

import brotli
import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db
READING = "/documents/frus1977-80v26-d293/"
QUIZ = "/quizzes/seriousness-quiz/"


@pytest.fixture(autouse=True)
def page_cache_on(content):
    with override_settings(ANONYMOUS_PAGE_CACHE_SECONDS=600):
        from django.core.cache import cache

        cache.clear()
        yield


def get(client, path, encoding=None, **headers):
    if encoding is not None:
        headers["accept-encoding"] = encoding
    return client.get(path, headers=headers)


def test_a_public_page_comes_in_the_coding_asked_for_with_the_same_text(client):
    plain = get(client, READING, "identity")
    assert not plain.has_header("Content-Encoding") and b"Significant progress" in plain.content
    for encoding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        for state in ("hit", "hit"):
            response = get(client, READING, f"{encoding}, deflate")
            assert response["Content-Encoding"] == encoding and response["X-Page-Cache"] == state
            assert decompress(response.content) == plain.content
            assert len(response.content) < len(plain.content) / 3
            assert response["Vary"] == "Accept-Encoding"
    assert get(client, READING, "gzip, deflate, br")["Content-Encoding"] == "br"  # the smaller one first
    assert get(client, READING, "br;q=0, gzip")["Content-Encoding"] == "gzip"  # q=0 refuses


def test_an_etag_per_coding_and_304_when_the_browser_has_the_page(client):
    first = get(client, READING, "br")
    gz = get(client, READING, "gzip")
    assert first["ETag"] != gz["ETag"] and first["ETag"].startswith('"')
    again = get(client, READING, "br", if_none_match=first["ETag"])
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    assert get(client, READING, "gzip", if_none_match=first["ETag"]).status_code == 304  # weak comparison
    assert get(client, READING, "br", if_none_match='"something-else"').status_code == 200


def test_a_correction_gives_the_page_a_new_etag(client, doc293, committed):
    before = get(client, READING, "br")["ETag"]
    with committed():
        doc293.transcription = doc293.transcription.replace("Significant progress", "Real progress")
        doc293.save_revision().publish()
    response = get(client, READING, "br", if_none_match=before)
    assert response.status_code == 200 and response["ETag"] != before
    assert b"Real progress" in brotli.decompress(response.content)


def test_public_pages_may_be_held_by_a_cdn_and_the_rest_is_private(client, admin_user):
    assert get(client, READING, "br")["Cache-Control"] == "public, max-age=0, s-maxage=60"
    quiz = get(client, QUIZ, "br")
    assert "private" in quiz["Cache-Control"]
    client.force_login(admin_user)
    signed_in = get(client, READING, "br")
    assert "private" in signed_in["Cache-Control"] and "public" not in signed_in["Cache-Control"]


def test_an_answer_carrying_a_csrf_token_is_gzipped_with_padding_never_brotli(client):
    sizes = set()
    for _ in range(6):
        response = get(client, QUIZ, "br, gzip")
        assert response["Content-Encoding"] == "gzip"
        assert b"csrfmiddlewaretoken" in gzip.decompress(response.content)
        sizes.add(len(response.content))
    assert len(sizes) > 1  # random padding: the size does not tell the secret


def test_a_signed_in_page_without_a_form_is_compressed_on_the_way_out(client, admin_user):
    client.force_login(admin_user)
    response = get(client, "/timeline/", "br")
    assert response.status_code == 200 and not response.has_header("X-Page-Cache")
    assert response["Content-Encoding"] == "br" and b"Timeline of the talks" in brotli.decompress(response.content)


def test_small_and_non_text_answers_are_left_alone(client):
    assert not get(client, "/healthz", "br").has_header("Content-Encoding")
    text = get(client, READING + "text.txt", "gzip")
    assert gzip.decompress(text.content).startswith(b"293.")
