"""Editors work on documents, glossary and people in the Wagtail admin, with the Markdown editor."""

import pytest
from django.urls import reverse

from documents.models import GlossaryTerm

pytestmark = pytest.mark.django_db


def test_document_edit_view_offers_the_markdown_editor(admin_client, doc293):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[doc293.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "markdownx" in page
    assert "interpreta{{page 727}}tions" in page


def test_glossary_and_people_are_snippets_under_reference(admin_client, content):
    listing = admin_client.get(reverse("wagtailsnippets_documents_glossaryterm:list"))
    assert listing.status_code == 200 and "2128Z" in listing.content.decode()
    assert admin_client.get(reverse("wagtailsnippets_documents_person:list")).status_code == 200


def test_editor_adds_a_term_in_the_admin_and_it_is_linked_in_the_text(admin_client, client, doc285):
    response = admin_client.post(
        reverse("wagtailsnippets_documents_glossaryterm:add"),
        {
            "term": "Washington",
            "slug": "begin-word",
            "expansion": "",
            "category": "concept",
            "aliases": "",
            "definition": "A test definition.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert GlossaryTerm.objects.filter(slug="begin-word").exists()
    assert 'href="/glossary/begin-word/"' in client.get(doc285.url).content.decode()


def test_a_malformed_term_is_refused_with_a_message(admin_client, content):
    response = admin_client.post(
        reverse("wagtailsnippets_documents_glossaryterm:add"),
        {"term": "", "slug": "not a slug!", "category": "concept", "definition": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required" in page
    assert not GlossaryTerm.objects.filter(slug="not a slug!").exists()


def test_the_file_library_is_called_files_in_the_menu(admin_client, content):
    html = admin_client.get("/admin/").content.decode()
    assert '"name": "documents", "label": "Files"' in html  # the sidebar's menu, as Wagtail writes it
    assert '"label": "Documents"' not in html


def test_teachers_see_no_annotations_panel_and_editors_do(client, content, teachers, django_user_model):
    from django.contrib.auth.models import Group

    client.force_login(teachers[0])
    html = client.get("/admin/").content.decode()
    assert "/annotate/" not in html and "Annotate" not in html
    editor = django_user_model.objects.create_user("ed", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert "/annotate/" in client.get("/admin/").content.decode()
