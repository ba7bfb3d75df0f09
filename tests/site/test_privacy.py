"""A view restriction on a page (password, sign-in or groups) covers all its routes, its place in lists,
and the page cache, as Wagtail's own check covers the page."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import override_settings
from django.urls import reverse
from wagtail.models import PageViewRestriction

from documents.models import GlossaryTerm, Person

pytestmark = pytest.mark.django_db

DOCUMENT_ROUTES = ["", "text.txt", "annotations.jsonld", "cite.bib", "cite.ris"]
PLAN_ROUTES = ["", "teacher/", "print/", "results/", "results.csv", "export.gift", "export.qti.zip"]
PASSWORD = "helsinki-1978"


def restrict(page, kind):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind, password=PASSWORD)
    if kind == "groups":
        restriction.groups.add(Group.objects.get(name="Editors"))
    return restriction


def refused(response) -> bool:
    """Wagtail's answer to a reader the restriction does not accept: sign in, or the password form."""
    if response.status_code == 302:
        return response.url.startswith(reverse("wagtailcore_login") + "?next=")
    return (
        response.status_code == 200 and b'name="password"' in response.content and b"Helsinki" not in response.content
    )


def reader(kind):
    """Someone the restriction does not accept: anonymous for a password or sign-in, a teacher for groups."""
    if kind != "groups":
        return None
    user = User.objects.create_user("outsider", password="pw-0utsider!")
    user.groups.add(Group.objects.get(name="Teachers"))
    return user


@pytest.mark.parametrize("kind", ["password", "login", "groups"])
@pytest.mark.parametrize("where", ["the document", "the documents index"])
def test_a_restriction_covers_every_route_of_a_document(client, doc293, kind, where, committed):
    with override_settings(ANONYMOUS_PAGE_CACHE_SECONDS=600):
        for route in DOCUMENT_ROUTES:  # cached while public
            assert client.get(doc293.url + route).status_code == 200
        with committed():
            restrict(doc293 if where == "the document" else doc293.get_parent(), kind)
        if user := reader(kind):
            client.force_login(user)
        for route in DOCUMENT_ROUTES:
            response = client.get(doc293.url + route)
            assert refused(response), f"{route or 'reading page'}: {response.status_code}"
            assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("kind", ["password", "login", "groups"])
def test_readers_a_restriction_accepts_read_every_route(client, doc293, kind, admin_user):
    restriction = restrict(doc293, kind)
    if kind == "password":
        form = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, doc293.pk])
        client.post(form, {"password": PASSWORD, "return_url": doc293.url})
    elif kind == "login":
        client.force_login(reader("groups"))
    else:
        editor = User.objects.create_user("ed", password="pw-Ed1t0r!")
        editor.groups.add(Group.objects.get(name="Editors"))
        client.force_login(editor)
    for route in DOCUMENT_ROUTES:
        response = client.get(doc293.url + route)
        text = response.content.decode()  # the reading page and its text name Helsinki; citations the document
        assert response.status_code == 200 and (
            "Helsinki" in text
            or "@incollection{frus1977-80v26-d293" in text
            or "TI  - Report Prepared by the Delegation" in text
        ), route
        assert not getattr(response, "cache_for_anonymous", False), route


@pytest.mark.parametrize("kind", ["password", "login", "groups"])
def test_a_restriction_on_a_plan_covers_every_route_even_for_its_owner(client, teachers, make_plan, kind):
    plan = make_plan(teachers[0])
    restrict(plan, kind)
    if kind == "groups":
        client.force_login(teachers[0])  # the owner, but not an editor
    for route in PLAN_ROUTES:
        response = client.get(plan.url + route)
        assert refused(response), f"{route or 'student view'}: {response.status_code}"


@pytest.mark.parametrize("kind", ["password", "login", "groups"])
def test_restricted_documents_and_their_notes_are_left_out_of_lists(client, doc285, doc293, kind):
    restrict(doc285, kind)
    if user := reader(kind):
        client.force_login(user)
    ssod = GlossaryTerm.objects.get(term="SSOD")  # occurs in doc. 285 only
    gary = Person.objects.get(aliases__contains=["Matthews"])  # named in doc. 285's source note
    for url in ("/", "/documents/", ssod.get_absolute_url(), gary.get_absolute_url()):
        page = client.get(url).content.decode()
        assert doc285.url not in page, url
    assert doc293.url in client.get("/documents/").content.decode()
    assert "Not found in the published documents." in client.get(ssod.get_absolute_url()).content.decode()


def test_readers_a_restriction_accepts_see_the_document_in_lists(client, doc285, teachers):
    restrict(doc285, "login")
    client.force_login(teachers[0])
    ssod = GlossaryTerm.objects.get(term="SSOD")
    for url in ("/", "/documents/", ssod.get_absolute_url()):
        assert doc285.url in client.get(url).content.decode(), url


def test_removing_a_restriction_empties_the_page_cache(client, doc285, committed):
    restriction = restrict(doc285, "login")
    with override_settings(ANONYMOUS_PAGE_CACHE_SECONDS=600):
        assert doc285.url not in client.get("/documents/").content.decode()
        assert client.get("/documents/")["X-Page-Cache"] == "hit"
        with committed():
            restriction.delete()
        response = client.get("/documents/")
        assert response["X-Page-Cache"] == "miss" and doc285.url in response.content.decode()


def test_changing_a_restrictions_groups_empties_the_page_cache(client, doc285, committed):
    restriction = restrict(doc285, "groups")
    with override_settings(ANONYMOUS_PAGE_CACHE_SECONDS=600):
        client.get("/documents/")
        with committed():
            restriction.groups.add(Group.objects.get(name="Teachers"))
        assert client.get("/documents/")["X-Page-Cache"] == "miss"


def test_the_documents_index_query_count_does_not_grow_with_restrictions(
    client, doc285, make_term, django_assert_max_num_queries
):
    client.get("/documents/")
    with django_assert_max_num_queries(12) as public:
        client.get("/documents/")
    restrict(doc285, "login")
    with django_assert_max_num_queries(len(public.captured_queries)):
        client.get("/documents/")
