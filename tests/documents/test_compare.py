"""Passages compared: two passages in different documents, each with its note, shown side by side."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from documents.anchoring import AnchorStatus
from documents.content import specs
from documents.exchange import import_collection
from documents.models import Annotation

pytestmark = pytest.mark.django_db


def pairs():
    return list(Annotation.objects.filter(kind="compare", counterpart__isnull=False).select_related("counterpart"))


def test_the_shipped_pairs_join_two_documents_with_a_relation(content):
    shipped = pairs()
    # every pair in the content files is loaded (a quote that is not found is skipped, so this catches a typo)
    assert len(shipped) == len([s for s in specs("annotation") if s["kind"] == "compare"]) >= 12
    assert {first.relation for first in shipped} == set(Annotation.Relation.values)  # all four relations
    for first in shipped:
        assert first.counterpart.document_id != first.document_id
        assert first.live and first.counterpart.live
        assert first.body.strip() and not first.counterpart.body
        for note in (first, first.counterpart):
            assert note.anchor_status == AnchorStatus.ANCHORED, note.quote_exact


def test_each_shipped_pair_opens_with_both_passages_and_links_into_both_documents(client, content):
    for first in pairs():
        html = client.get(f"/compare/{first.uuid}/").content.decode()
        assert "not in the document as it reads now" not in html, first.quote_exact
        assert f"<strong>{first.get_relation_display()}</strong>" in html
        for note in (first, first.counterpart):
            assert f"“{note.quote_exact}”" in html
            assert f'href="/documents/{note.document.slug}/#' in html  # "Read it in the whole document"


def test_both_passages_link_to_the_side_by_side_view(client, content, doc285, doc293):
    first = pairs()[0]
    link = f"/compare/{first.uuid}/"
    for document in (doc285, doc293):
        page = client.get(document.url).content.decode()
        assert page.count(f'href="{link}"') >= 1, document
    assert "This passage is answered in doc. 293" in client.get(doc285.url).content.decode()


def test_the_side_by_side_view_shows_both_passages_their_paragraphs_and_the_explanation(client, content):
    first = Annotation.objects.get(kind="compare", quote_exact__startswith="these criteria had to be applied")
    html = client.get(f"/compare/{first.uuid}/").content.decode()
    assert "“these criteria had to be applied to the situations in specific regions”" in html
    assert "“might be through regional approaches to restraint”" in html
    assert "<strong>develops</strong>" in html
    assert "Latin America and Africa south of the Sahara proposed" in html  # the explanation
    assert (
        'href="/documents/frus1977-80v26-d293/#p-13"' in html and 'href="/documents/frus1977-80v26-d285/#p-30"' in html
    )


def test_unknown_unpublished_or_restricted_comparisons_are_not_found(client, content, doc285, committed):
    assert client.get("/compare/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/compare/not-a-uuid/").status_code == 404
    first = pairs()[0]
    with committed():
        Annotation.objects.filter(pk=first.counterpart_id).update(live=False)
    assert client.get(f"/compare/{first.uuid}/").status_code == 404
    with committed():
        Annotation.objects.filter(pk=first.counterpart_id).update(live=True)
        PageViewRestriction.objects.create(page=doc285, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(f"/compare/{first.uuid}/")
    assert response.status_code == 404 and b"Non-Paper" not in response.content


def test_a_passage_edited_away_is_never_shown_in_the_wrong_place(client, content, doc285, committed):
    first = Annotation.objects.get(kind="compare", quote_exact__startswith="these criteria had to be applied")
    with committed():
        doc285.transcription = doc285.transcription.replace(
            "One way to involve recipients might be through regional approaches to restraint. ", ""
        )
        doc285.save_revision().publish()
    first.counterpart.refresh_from_db()
    assert first.counterpart.anchor_status == "orphan"
    html = client.get(f"/compare/{first.uuid}/").content.decode()
    assert "This passage is not in the document as it reads now" in html
    assert "One way to involve recipients" not in html
    reading = client.get("/documents/frus1977-80v26-d293/").content.decode()
    assert f'href="/compare/{first.uuid}/"' not in reading  # no link to a comparison with a lost passage


def test_the_w3c_export_carries_each_comparison_once_with_two_targets_in_both_collections(client, content):
    for slug in ("frus1977-80v26-d285", "frus1977-80v26-d293"):
        data = json.loads(client.get(f"/documents/{slug}/annotations.jsonld").content)
        compared = [item for item in data["first"]["items"] if isinstance(item["target"], list)]
        assert len(compared) == len(pairs())
        for item in compared:
            assert item["motivation"] == "linking"
            assert {b["value"] for b in item["body"] if b.get("purpose") == "classifying"} <= set(
                Annotation.Relation.values
            )
            sources = [t["source"] for t in item["target"]]
            assert sources[0].endswith("frus1977-80v26-d293/text.txt")
            assert sources[1].endswith("frus1977-80v26-d285/text.txt")
        assert len({item["id"] for item in data["first"]["items"]}) == len(data["first"]["items"])


def test_a_round_trip_brings_back_each_pair(client, content):
    exported = json.loads(client.get("/documents/frus1977-80v26-d293/annotations.jsonld").content)
    before = sorted((a.quote_exact, a.relation, a.counterpart.quote_exact) for a in pairs())
    for first in pairs():
        first.delete()  # the second passage goes with it
    assert not Annotation.objects.filter(kind="compare").exists()
    report = import_collection(exported)
    assert report.refused == [] and report.orphaned == []
    assert sorted((a.quote_exact, a.relation, a.counterpart.quote_exact) for a in pairs()) == before
    again = import_collection(exported)  # idempotent by id
    assert again.created == 0 and len(pairs()) == len(before)


def test_an_import_with_three_targets_is_refused_with_a_reason(content):
    item = {"id": "urn:x", "type": "Annotation", "body": {"type": "TextualBody", "value": "x"}, "target": [{}, {}, {}]}
    report = import_collection(item)
    assert report.refused and "3 targets" in report.refused[0]


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_user("ed", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


def test_an_editor_pairs_two_passages_from_the_annotate_view(client, content, editor, doc285, doc293):
    quote = "The tone throughout was constructive."
    response = client.post(
        f"/admin/documents/{doc293.pk}/annotate/",
        {"quote": quote, "kind": "compare", "relation": "contradicts", "body": "Why so different?"},
    )
    first = Annotation.objects.get(quote_exact=quote)
    assert response.status_code == 302 and response.url == f"/admin/documents/{doc293.pk}/annotate/{first.pk}/pair/"
    choose = client.get(response.url).content.decode()
    assert f"/admin/documents/{doc285.pk}/annotate/?pair={first.pk}" in choose
    page = client.get(f"/admin/documents/{doc285.pk}/annotate/?pair={first.pk}").content.decode()
    assert "Second passage to compare" in page and "contradicts" in page
    second_quote = "The problem of how to accommodate the legitimate defense needs of recipients"
    response = client.post(
        f"/admin/documents/{doc285.pk}/annotate/", {"quote": second_quote, "pair": str(first.pk)}, follow=True
    )
    assert "The two passages are paired" in response.content.decode()
    first.refresh_from_db()
    assert first.counterpart.quote_exact == second_quote and first.counterpart.document_id == doc285.pk
    assert not first.live and not first.counterpart.live  # drafts until a moderator publishes both
    # pairing it again, or without a relation, is refused with a clear message
    assert client.get(f"/admin/documents/{doc285.pk}/annotate/?pair={first.pk}").status_code == 404
    response = client.post(
        f"/admin/documents/{doc293.pk}/annotate/", {"quote": "Nor did they shrink", "kind": "compare", "body": "x"}
    )
    assert response.status_code == 400 and "Say how this passage stands" in response.content.decode()


def test_a_passage_cannot_be_paired_within_its_own_document(client, content, editor, doc293):
    client.post(
        f"/admin/documents/{doc293.pk}/annotate/",
        {"quote": "The tone throughout was constructive.", "kind": "compare", "relation": "answers", "body": "x"},
    )
    first = Annotation.objects.get(quote_exact="The tone throughout was constructive.")
    response = client.get(f"/admin/documents/{doc293.pk}/annotate/?pair={first.pk}", follow=True)
    assert "Choose the second passage in another document" in response.content.decode()


def test_the_reading_page_costs_the_same_queries_with_comparisons(
    client, content, doc285, django_assert_max_num_queries
):
    from tests.documents.test_pages import READING_PAGE_QUERIES

    client.get(doc285.url)
    with django_assert_max_num_queries(READING_PAGE_QUERIES):
        assert re.search(r"Compare them side by side", client.get(doc285.url).content.decode())
