"""Annotations on the reading page: marks, notes, drafts, filters, re-anchoring after corrections."""

import re

import pytest
from django.core.cache import cache
from lxml import html as lxml_html

from documents.anchoring import AnchorStatus
from documents.models import Annotation, GlossaryTerm, Person, next_label
from documents.rendering import rendered_document, rendered_preview
from tests.reading_html import reading_html

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def without_shipped_annotations(content):
    """These tests count and place their own annotations: start without the ones the project ships."""
    Annotation.objects.all().delete()


def page_tree(client, url):
    return lxml_html.fromstring(client.get(url).content)


def marked_text(tree, annotation) -> str:
    """The text under an annotation's marks, without the letters of notes placed inside them."""
    marks = tree.xpath(f"//mark[@data-ann='{annotation.pk}']")
    return "".join("".join(m.xpath(".//text()[not(ancestor::a[contains(@class, 'ann-ref')])]")) for m in marks)


def test_a_published_annotation_is_marked_and_its_note_linked_both_ways(client, doc293, annotate):
    annotation = annotate(doc293, "the Soviets were serious", body="Why **serious**?")
    tree = page_tree(client, doc293.url)
    mark = tree.get_element_by_id(f"mark-{annotation.pk}")
    assert mark.tag == "mark" and mark.text_content() == "the Soviets were serious"
    ref = tree.get_element_by_id(f"ann-ref-{annotation.pk}")
    assert ref.get("href") == f"#{annotation.anchor}"
    note = tree.get_element_by_id(f"{annotation.anchor}")
    assert note.tag == "details" and "Why serious?" in note.text_content()
    assert note.xpath(f".//a[@href='#mark-{annotation.pk}']")
    # the note sits right after the paragraph the mark begins in
    paragraph = mark.xpath("ancestor::p")[0]
    assert paragraph.getnext().get("class") == "ann-notes"
    assert tree.get_element_by_id(f"endnote-{annotation.pk}") is not None  # print endnotes


def test_drafts_never_appear_on_the_public_page_but_do_in_the_preview(client, doc293, annotate):
    draft = annotate(doc293, "wary and skeptical", live=False)
    assert f"{draft.anchor}" not in client.get(doc293.url).content.decode()
    assert f'id="{draft.anchor}"' in reading_html(rendered_preview(doc293))


def test_unpublished_changes_to_a_live_annotation_stay_out_of_the_public_page(client, doc293, annotate):
    annotation = annotate(doc293, "wary and skeptical", body="The published note.")
    draft = annotation.get_latest_revision_as_object()
    draft.body = "An unreviewed draft."
    draft.save_revision()
    page = client.get(doc293.url).content.decode()
    assert "The published note." in page and "An unreviewed draft." not in page
    assert "An unreviewed draft." in reading_html(rendered_preview(doc293))


def test_overlapping_and_nested_annotations_are_marked_correctly(client, doc293, annotate):
    outer = annotate(doc293, "Soviet stance remains wary and skeptical")
    inner = annotate(doc293, "wary", kind="vocabulary")
    crossing = annotate(doc293, "fundamental Soviet stance", kind="question")
    tree = page_tree(client, doc293.url)
    for annotation, phrase in [
        (outer, "Soviet stance remains wary and skeptical"),
        (inner, "wary"),
        (crossing, "fundamental Soviet stance"),
    ]:
        assert marked_text(tree, annotation) == phrase
    assert tree.xpath(f"//mark[@data-ann='{outer.pk}']//mark[@data-ann='{inner.pk}']")


def test_marks_cross_page_breaks_footnote_references_links_and_paragraph_ends(client, doc293, annotate):
    across_page = annotate(doc293, "Soviet interpretations of such ambiguous")  # page 727 falls mid-word
    across_note = annotate(doc293, "Thursday, we will have")  # footnote 2 sits after "Thursday,"
    across_link = annotate(doc293, "that an SCC meeting be held")
    across_paragraphs = annotate(doc293, "wary and skeptical.\n\nIn the judgment")
    tree = page_tree(client, doc293.url)
    for annotation in (across_page, across_note, across_link, across_paragraphs):
        text = marked_text(tree, annotation)
        assert text == annotation.quote_exact.replace("\n\n", ""), text
    assert tree.xpath(f"//mark[@data-ann='{across_page.pk}']/following-sibling::span[@id='page-727']")
    assert tree.xpath(f"//mark[@data-ann='{across_link.pk}']//a[contains(@class, 'gloss')]")
    pieces = tree.xpath(f"//mark[@data-ann='{across_paragraphs.pk}']")
    assert len({m.xpath("ancestor::p")[0].get("id") for m in pieces}) == 2


def test_readers_filter_notes_by_kind_without_javascript(client, doc293, annotate):
    context = annotate(doc293, "wary and skeptical", kind="context")
    question = annotate(doc293, "the Soviets were serious", kind="question")
    page = client.get(doc293.url + "?kind=question").content.decode()
    assert f'id="{question.anchor}"' in page and f'id="{context.anchor}"' not in page
    assert 'value="question" checked' in page and 'value="context" checked' not in page
    text_only = client.get(doc293.url + "?kind=none").content.decode()
    assert "<mark" not in text_only
    odd = client.get(doc293.url + "?kind=gossip").content.decode()
    assert "Unknown kind of note ignored: gossip" in odd


def test_inserting_a_paragraph_before_moves_the_annotation_with_its_quote(client, doc293, annotate, committed):
    annotation = annotate(doc293, "the Soviets were serious")
    doc293.transcription = doc293.transcription.replace(
        "Significant progress,", "An editor's inserted paragraph.\n\nSignificant progress,"
    )
    with committed():
        doc293.save_revision().publish()
    annotation.refresh_from_db()
    assert annotation.anchor_status == AnchorStatus.MOVED
    tree = page_tree(client, doc293.url)
    assert tree.get_element_by_id(f"mark-{annotation.pk}").text_content() == "the Soviets were serious"


def test_fixing_a_typo_inside_the_quote_keeps_the_annotation_approximately(client, doc293, annotate, committed):
    annotation = annotate(doc293, "The fundamental Soviet stance remains wary and skeptical.")
    doc293.transcription = doc293.transcription.replace("wary and skeptical", "wary and sceptical")
    with committed():
        doc293.save_revision().publish()
    annotation.refresh_from_db()
    assert annotation.anchor_status == AnchorStatus.APPROXIMATE
    assert annotation.anchor_similarity >= 0.85
    marked = marked_text(page_tree(client, doc293.url), annotation)
    assert marked == "The fundamental Soviet stance remains wary and sceptical."


def test_deleting_the_quote_makes_an_orphan_shown_to_editors_not_readers(
    client, admin_client, doc293, annotate, committed
):
    phrase = "Nor did they shrink from discussions of topics on which they are vulnerable"
    annotation = annotate(doc293, phrase)
    doc293.transcription = doc293.transcription.replace(phrase + "—such as arms transfers to the Horn of Africa.", "")
    with committed():
        doc293.save_revision().publish()
    annotation.refresh_from_db()
    assert annotation.anchor_status == AnchorStatus.ORPHAN
    assert f"{annotation.anchor}" not in client.get(doc293.url).content.decode()
    admin_page = admin_client.get(f"/admin/documents/{doc293.pk}/annotate/").content.decode()
    assert "Needs review (1)" in admin_page and phrase in admin_page
    assert "Annotate (1 to review)" in admin_client.get(f"/admin/pages/{doc293.get_parent().pk}/").content.decode()


def test_reading_page_query_count_is_the_same_with_5_and_1000_annotations(
    client, doc293, django_assert_max_num_queries
):
    text = rendered_document(doc293).text
    words = [m.span() for m in re.finditer(r"\w{4,}", text)]
    terms, people = list(GlossaryTerm.objects.all()), list(Person.objects.all())

    def add(count):
        batch = []
        for n in range(count):
            start, end = words[n % len(words)]
            annotation = Annotation(
                document=doc293, kind="context", body=f"Note {n}", live=True, label=next_label(doc293.pk)
            )
            annotation.set_anchor(text, start, end)
            batch.append(annotation)
        Annotation.objects.bulk_create(batch)
        # each note points to a term and a person ("See also"): their names cost no query of their own
        Annotation.terms.through.objects.bulk_create(
            Annotation.terms.through(annotation=a, glossaryterm=terms[n % len(terms)]) for n, a in enumerate(batch)
        )
        Annotation.people.through.objects.bulk_create(
            Annotation.people.through(annotation=a, person=people[n % len(people)]) for n, a in enumerate(batch)
        )

    add(5)
    cache.clear()
    with django_assert_max_num_queries(21) as five:  # cold: see test_pages for what a cold page asks
        response = client.get(doc293.url)
    assert response.content.decode().count('<details class="ann-note') == 5
    queries_with_five = len(five.captured_queries)
    add(995)
    cache.clear()
    with django_assert_max_num_queries(queries_with_five):
        response = client.get(doc293.url)
    page = response.content.decode()
    assert page.count('<details class="ann-note') == 1000
    assert page.count('<p class="ann-see">See also: ') >= 1000


def test_annotations_go_through_the_moderation_workflow(content):
    annotation = Annotation(document=content[293], kind="context", body="x")
    workflow = annotation.get_workflow()
    assert workflow is not None and workflow.active
