"""Search leaves out what a reader may not open: pages behind a view restriction they do not pass, and the
notes on such documents. The counts of the type filters leave them out too."""

import re

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from documents.models import DocumentIndexPage
from lessons.models import LessonModulePage, LessonPlanIndexPage, LessonPlanPage

pytestmark = pytest.mark.django_db


def search(client, q, **params):
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def counts(html: str) -> dict[str, int]:
    """The count beside each type filter."""
    found = re.findall(r'type=(\w+)"[^>]*>[^<]*<span class="count">\((\d+)\+?\)</span>', html)
    return {kind: int(count) for kind, count in found}


def restrict(page, kind, password="", groups=()):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind, password=password)
    restriction.groups.set(groups)
    return restriction


@pytest.fixture
def quokka_note(doc293, annotate):
    return annotate(doc293, "The Soviets avoided polemics as a rule.", body="The quokka question.")


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user("reader", password="a long reader password")


def test_a_document_behind_a_password_is_left_out_with_its_notes(client, doc293, quokka_note, reader):
    before = counts(search(client, "Soviets"))
    restrict(doc293, PageViewRestriction.PASSWORD, password="helsinki")
    html = search(client, "polemics")
    assert doc293.url not in html
    assert "No results for “quokka”" in search(client, "quokka")
    after = counts(search(client, "Soviets"))
    assert after["documents"] == before["documents"] - 1
    assert after["annotations"] < before["annotations"]
    client.force_login(reader)  # signing in does not give the password
    assert doc293.url not in search(client, "polemics")


def test_a_document_for_signed_in_readers_shows_only_to_them(client, doc293, quokka_note, reader):
    restrict(doc293, PageViewRestriction.LOGIN)
    assert doc293.url not in search(client, "polemics")
    assert f"{quokka_note.anchor}" not in search(client, "quokka")
    client.force_login(reader)
    assert f'href="{doc293.url}#p-' in search(client, "polemics")
    assert f"{quokka_note.anchor}" in search(client, "quokka")


def test_a_document_for_a_group_shows_only_to_its_members(client, doc293, quokka_note, reader):
    historians = Group.objects.create(name="Historians")
    restrict(doc293, PageViewRestriction.GROUPS, groups=[historians])
    client.force_login(reader)
    assert doc293.url not in search(client, "polemics")
    assert f"{quokka_note.anchor}" not in search(client, "quokka")
    reader.groups.add(historians)
    assert f'href="{doc293.url}#p-' in search(client, "polemics")
    assert f"{quokka_note.anchor}" in search(client, "quokka")


def test_a_restriction_on_the_documents_index_leaves_out_every_document_and_note(client, content, quokka_note):
    restrict(DocumentIndexPage.objects.get(), PageViewRestriction.LOGIN)
    html = search(client, "Soviets")
    assert counts(html)["documents"] == 0
    assert counts(html)["annotations"] == 0
    assert not re.search(r'class="search-result search-(documents|annotations)"', html)
    assert "No results for “quokka”" in search(client, "quokka")
    assert counts(html)["glossary"] > 0  # the glossary is not behind the restriction


def test_restricted_lesson_modules_and_plans_are_left_out(client, content, reader):
    index = LessonPlanIndexPage.objects.get()
    plan = index.add_child(instance=LessonPlanPage(title="Quokka week", class_level="11B History", public=True))
    plan.save_revision().publish()
    module = LessonModulePage.objects.get(slug="why-restraint")
    assert f'href="{plan.url}"' in search(client, "quokka")
    assert f'href="{module.url}"' in search(client, "restraint", type="lessons")
    restrict(plan, PageViewRestriction.LOGIN)
    restrict(module, PageViewRestriction.PASSWORD, password="restraint")
    assert plan.url not in search(client, "quokka")
    html = search(client, "restraint", type="lessons")
    assert f'href="{module.url}"' not in html
    client.force_login(reader)
    assert f'href="{plan.url}"' in search(client, "quokka")
    assert f'href="{module.url}"' not in search(client, "restraint", type="lessons")
