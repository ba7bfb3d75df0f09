"""A page's other views are routes of that page: they follow its slug, wherever it moves."""

import json
import re

import pytest
from django.urls import reverse

from documents.models import DocumentIndexPage

pytestmark = pytest.mark.django_db

PLAN_ROUTES = ["teacher/", "print/", "results/", "results.csv", "export.gift", "export.qti.zip"]
PRIVATE_ROUTES = ["teacher/", "results/", "results.csv", "export.gift", "export.qti.zip"]


def links(html: str, prefix: str) -> set[str]:
    return {href for href in re.findall(r'href="([^"#?]+)', html) if href.startswith(prefix)}


def follow_document_links(client, document_url: str) -> None:
    """From the reading page to its plain text, and from the notes export back to that text."""
    page = client.get(document_url).content.decode()
    text_links = {href for href in links(page, document_url) if href.endswith("text.txt")}
    assert text_links == {document_url + "text.txt"}
    text = client.get(document_url + "text.txt")
    assert text.status_code == 200 and text["Content-Type"].startswith("text/plain")
    export = json.loads(client.get(document_url + "annotations.jsonld").content)
    site = "http://localhost"  # ids come from the Wagtail Site, not from the request's host
    assert export["id"] == site + document_url + "annotations.jsonld"
    assert export["first"]["items"], "the shipped notes are exported"
    for item in export["first"]["items"]:
        if isinstance(item["target"], list):  # two passages compared: one is here, the id is the first's
            assert site + document_url + "text.txt" in [target["source"] for target in item["target"]]
            assert re.match(rf"{site}/[\w-]+/[\w-]+/annotations/", item["id"])
            continue
        assert item["target"]["source"] == site + document_url + "text.txt"
        assert item["id"].startswith(site + document_url + "annotations/")


def test_a_documents_routes_keep_their_addresses(client, doc293):
    assert doc293.url + doc293.reverse_subpage("text") == "/documents/frus1977-80v26-d293/text.txt"
    assert doc293.reverse_subpage("annotations") == "annotations.jsonld"
    follow_document_links(client, "/documents/frus1977-80v26-d293/")


def test_a_route_with_a_trailing_slash_or_an_unknown_file_name_is_not_found(client, doc293):
    assert client.get(doc293.url + "text.txt/").status_code == 404
    assert client.get(doc293.url + "text.csv").status_code == 404
    assert client.get("/documents/nothing-here/annotations.jsonld").status_code == 404


def test_renaming_the_documents_index_in_the_admin_keeps_every_link_working(admin_client, client, doc293):
    index = DocumentIndexPage.objects.get()
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[index.pk]),
        {
            "title": index.title,
            "slug": "sources",
            "intro": index.intro,
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
            "action-publish": "action-publish",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    doc293.refresh_from_db()
    assert doc293.url == "/sources/frus1977-80v26-d293/"
    follow_document_links(client, doc293.url)
    listed = client.get("/sources/").content.decode()
    assert doc293.url in listed
    reading = client.get(doc293.url).content.decode()
    assert '<a href="/sources/">Documents</a>' in reading  # the main menu and the breadcrumb follow
    assert 'href="/documents/"' not in reading


def test_renaming_the_documents_index_by_publishing_a_revision_keeps_every_link_working(client, doc285):
    index = DocumentIndexPage.objects.get()
    index.slug = "frus-documents"
    index.save_revision().publish()
    doc285.refresh_from_db()
    follow_document_links(client, "/frus-documents/frus1977-80v26-d285/")
    admin_page = client.get(doc285.url).content.decode()
    assert "/frus-documents/frus1977-80v26-d285/text.txt" in admin_page


def test_renaming_a_plan_keeps_every_link_of_the_teacher_working(client, teachers, make_plan):
    plan = make_plan(teachers[0])
    plan.slug = "helsinki-renamed"
    plan.save_revision().publish()
    plan.refresh_from_db()
    assert plan.url == "/plans/helsinki-renamed/"
    client.force_login(teachers[0])
    teacher_page = client.get(plan.url + "teacher/").content.decode()
    results_page = client.get(plan.url + "results/").content.decode()
    found = links(teacher_page, plan.url) | links(results_page, plan.url)
    assert found == {plan.url} | {plan.url + route for route in PLAN_ROUTES}
    for url in found:
        assert client.get(url).status_code == 200, url
    student_page = client.get(plan.url).content.decode()
    assert plan.url + "print/" in student_page


def test_private_routes_of_a_plan_are_never_stored(client, teachers, make_plan):
    plan = make_plan(teachers[0])
    client.force_login(teachers[0])
    for route in PRIVATE_ROUTES:
        cache_control = client.get(plan.url + route)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, route


def test_only_the_owner_and_superusers_reach_a_plans_private_routes(client, teachers, make_plan, admin_user):
    plan = make_plan(teachers[0])
    for route in PRIVATE_ROUTES:
        assert client.get(plan.url + route).status_code == 404, route
    client.force_login(teachers[1])
    for route in PRIVATE_ROUTES:
        assert client.get(plan.url + route).status_code == 404, route
    client.force_login(admin_user)
    for route in PRIVATE_ROUTES:
        assert client.get(plan.url + route).status_code == 200, route
