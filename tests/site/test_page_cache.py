"""The whole-page cache for anonymous readers: fast, but never stale and never for editors."""

import pytest
from csp.utils import build_policy
from django.test import override_settings

from core.page_cache import storable
from documents.models import GlossaryTerm

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content")]
READING = "/documents/frus1977-80v26-d293/"


@pytest.fixture(autouse=True)
def page_cache_on():
    with override_settings(ANONYMOUS_PAGE_CACHE_SECONDS=600):
        yield


def test_second_anonymous_request_is_served_from_the_cache_without_queries(client, django_assert_num_queries):
    assert client.get(READING)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = client.get(READING)
    assert response["X-Page-Cache"] == "hit"
    assert "Significant progress, more than we expected" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert response.has_header("X-Frame-Options")


def test_a_cached_page_carries_the_same_security_headers_as_a_fresh_one(client):
    fresh = client.get(READING)
    cached = client.get(READING)
    assert cached["X-Page-Cache"] == "hit"
    for header in ("Content-Security-Policy", "Permissions-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        assert cached[header] == fresh[header]
    assert "'unsafe-inline'" not in cached["Content-Security-Policy"]


def test_publishing_a_correction_empties_the_cache(client, doc293, committed):
    client.get(READING)
    doc293.transcription = doc293.transcription.replace("wary and skeptical", "wary and sceptical")
    with committed():
        doc293.save_revision().publish()
    response = client.get(READING)
    assert response["X-Page-Cache"] == "miss"
    assert "wary and sceptical" in response.content.decode()


def test_editing_a_glossary_term_empties_the_cache(client, committed):
    client.get("/glossary/ssod/")
    term = GlossaryTerm.objects.get(slug="ssod")
    term.definition = "A corrected definition."
    with committed():
        term.save()
    assert "A corrected definition." in client.get("/glossary/ssod/").content.decode()


def test_signed_in_editors_never_get_a_cached_page(client, admin_user):
    client.get(READING)
    client.force_login(admin_user)
    assert not client.get(READING).has_header("X-Page-Cache")


def test_not_found_pages_are_not_cached(client):
    client.get("/glossary/nothing/")
    assert client.get("/glossary/nothing/").status_code == 404
    assert not client.get("/glossary/nothing/").has_header("X-Page-Cache")


def test_parameters_a_page_does_not_read_share_the_plain_pages_entry(client, django_assert_num_queries):
    assert client.get(READING)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert client.get(READING + "?utm_source=newsletter")["X-Page-Cache"] == "hit"


def test_random_parameters_cannot_fill_the_cache(client):
    assert client.get("/glossary/?x=4f1c2a")["X-Page-Cache"] == "miss"
    for n in range(5):
        assert client.get(f"/glossary/?x={n}")["X-Page-Cache"] == "hit"
    assert client.get("/glossary/")["X-Page-Cache"] == "hit"


def test_the_reading_pages_kind_filter_has_entries_of_its_own(client):
    client.get(READING)
    filtered = client.get(READING + "?kind=context")
    assert filtered["X-Page-Cache"] == "miss" and "Unknown kind" not in filtered.content.decode()
    assert client.get(READING + "?utm=1&kind=context")["X-Page-Cache"] == "hit"
    assert client.get(READING + "?kind=question&kind=context")["X-Page-Cache"] == "miss"
    assert client.get(READING + "?kind=context&kind=question")["X-Page-Cache"] == "hit"  # same filter, same entry
    assert client.get(READING + "?kind=context&kind=question&kind=context")["X-Page-Cache"] == "hit"


def test_made_up_kinds_are_answered_but_never_stored(client):
    for n in range(3):
        response = client.get(READING + f"?kind=made-up-{n}")
        assert response.status_code == 200 and "Unknown kind of note ignored: made-up-" in response.content.decode()
        assert not response.has_header("X-Page-Cache")  # neither served from nor stored in the cache
    assert client.get(READING + "?kind=made-up-0").get("X-Page-Cache") is None


def test_each_scheme_and_host_has_its_own_entry(client):
    client.get(READING)
    assert client.get(READING, secure=True)["X-Page-Cache"] == "miss"
    assert client.get(READING, headers={"host": "mirror.example.org"})["X-Page-Cache"] == "miss"
    assert client.get(READING)["X-Page-Cache"] == "hit"


def test_private_answers_are_never_stored(client, doc293):
    response = client.get(doc293.url + "text.txt")
    assert response["X-Page-Cache"] == "miss"
    assert storable(response)
    response["Cache-Control"] = "private"
    assert not storable(response)
    response["Cache-Control"] = "max-age=0, no-store"
    assert not storable(response)


def test_the_site_wide_policy_is_the_one_django_csp_builds(client):
    assert client.get(READING)["Content-Security-Policy"] == build_policy()
    assert "Content-Security-Policy" not in client.get("/admin/login/")


def test_a_new_build_never_serves_pages_cached_by_the_old_one(client, monkeypatch):
    """Cached HTML names hashed static files; a deploy with new ones must not serve pages naming the old."""
    assert client.get(READING)["X-Page-Cache"] == "miss"
    assert client.get(READING)["X-Page-Cache"] == "hit"
    monkeypatch.setattr("core.page_cache.build_fingerprint", lambda: "the-next-build")
    assert client.get(READING)["X-Page-Cache"] == "miss"
    assert client.get(READING)["X-Page-Cache"] == "hit"
