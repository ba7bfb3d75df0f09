"""Editors see what a publish did to the notes: in the publish message, in the log, in the Annotate view."""

import logging

import lxml.html
import pytest
from django.core.management import call_command
from django.urls import reverse

from documents.models import Annotation, SourceDocumentPage
from documents.pipeline import canonical_text

pytestmark = pytest.mark.django_db

EDIT_FIELDS = [
    "title",
    "slug",
    "frus_volume",
    "document_number",
    "page_range",
    "frus_url",
    "document_type",
    "date_display",
    "place",
    "sender",
    "recipient",
    "classification",
    "archival_source",
    "summary",
    "edition_note",
    "transcription",
]


def publish_in_the_admin(admin_client, document, transcription):
    data = {name: getattr(document, name) for name in EDIT_FIELDS}
    data.update(transcription=transcription, date_sort=document.date_sort.isoformat() if document.date_sort else "")
    data.update({f"comments-{k}": v for k, v in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0), ("MAX_NUM_FORMS", 1000))})
    data["action-publish"] = "action-publish"
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[document.pk]), data, follow=True)
    assert response.status_code == 200
    return response


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # re-anchoring waits for a real commit
def test_the_publish_message_names_each_note_that_moved_was_placed_approximately_or_orphaned(admin_client, annotate):
    call_command("load_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    doc293 = SourceDocumentPage.objects.get(document_number=293)
    approximate = annotate(doc293, "The fundamental Soviet stance remains wary and skeptical.")
    orphan = annotate(doc293, "the Soviets were serious")
    text = canonical_text(doc293.transcription)
    notes = Annotation.objects.filter(document=doc293).exclude(pk__in=[approximate.pk, orphan.pk])
    untouched = min(notes, key=lambda n: n.position_start)  # before the edits
    moved = max(notes, key=lambda n: n.position_start)  # after them
    assert untouched.position_start < text.index("wary and skeptical") < text.index("the Soviets were serious")
    assert moved.position_start > text.index("the Soviets were serious")
    text = doc293.transcription.replace("wary and skeptical", "wary and sceptical")
    response = publish_in_the_admin(admin_client, doc293, text.replace("the Soviets were serious", "they meant it"))
    page = response.content.decode()
    annotate_url = reverse("documents_annotate", args=[doc293.pk])
    assert "2 notes need a look after this publish" in page
    assert f'href="{annotate_url}#annotation-item-{approximate.pk}">note {approximate.label}</a>' in page
    assert f"note {approximate.label}</a> (placed approximately:" in page
    assert f'href="{annotate_url}#annotation-item-{orphan.pk}">note {orphan.label}</a> (orphaned:' in page
    moved = Annotation.objects.get(pk=moved.pk)
    assert moved.anchor_status == "moved"  # after the shortened sentence: same passage, new offsets
    assert "moved with their passage:" in page and f'#annotation-item-{moved.pk}">note {moved.label}</a>' in page
    assert f"#annotation-item-{untouched.pk}" not in page


def test_publishing_in_code_logs_one_line_per_note_that_needs_a_look(doc293, annotate, committed, caplog):
    moved = annotate(doc293, "wary and skeptical")
    orphan = annotate(doc293, "the Soviets were serious")
    untouched = Annotation.objects.filter(document=doc293).order_by("position_start").first()
    doc293.transcription = doc293.transcription.replace("the Soviets were serious", "they meant it").replace(
        "The fundamental Soviet stance", "Even now, the fundamental Soviet stance"
    )
    with caplog.at_level(logging.INFO, logger="core.invalidation"), committed():
        doc293.save_revision().publish()
    lines = [r.getMessage() for r in caplog.records]
    assert any(line.startswith(f"orphaned note id={orphan.pk} ") and f"label={orphan.label}" in line for line in lines)
    assert any(line.startswith(f"moved note id={moved.pk} ") for line in lines)
    assert not any(f"note id={untouched.pk} " in line for line in lines)


def review_entry(admin_client, document, annotation):
    page = admin_client.get(reverse("documents_annotate", args=[document.pk])).content
    return lxml.html.fromstring(page).get_element_by_id(f"review-{annotation.pk}")


def test_an_approximate_placement_shows_old_and_new_passage_side_by_side_with_accept(
    admin_client, doc293, annotate, committed
):
    note = annotate(doc293, "The fundamental Soviet stance remains wary and skeptical.")
    doc293.transcription = doc293.transcription.replace("wary and skeptical", "wary and sceptical")
    with committed():
        doc293.save_revision().publish()
    entry = review_entry(admin_client, doc293, note)
    old = entry.xpath(".//div[contains(@class, 'old-passage')]//q")[0].text_content()
    new = entry.xpath(".//div[contains(@class, 'new-passage')]//q")[0].text_content()
    assert (old, new) == (
        "The fundamental Soviet stance remains wary and skeptical.",
        "The fundamental Soviet stance remains wary and sceptical.",
    )
    (accept,) = entry.xpath(".//form[.//button[contains(., 'Accept the new passage')]]")
    assert accept.get("method") == "post"
    admin_client.post(accept.get("action"))
    note.refresh_from_db()
    assert note.anchor_status == "anchored" and note.quote_exact.endswith("wary and sceptical.")


def test_an_orphans_review_entry_has_re_anchor_and_delete_in_place(admin_client, doc293, annotate, committed):
    note = annotate(doc293, "the Soviets were serious")
    doc293.transcription = doc293.transcription.replace("the Soviets were serious", "they meant it")
    with committed():
        doc293.save_revision().publish()
    entry = review_entry(admin_client, doc293, note)
    assert "orphaned" in entry.text_content() and not entry.xpath(".//div[contains(@class, 'new-passage')]")
    (reanchor,) = entry.xpath(".//form[contains(@class, 'reanchor-form')]")
    assert reanchor.xpath(".//input[@name='annotation']")[0].get("value") == str(note.pk)
    (delete,) = entry.xpath(".//a[normalize-space()='Delete']")
    assert delete.get("href") == reverse("documents_annotation_delete", args=[doc293.pk, note.pk])
    assert "Delete" in admin_client.get(delete.get("href")).content.decode()  # the confirmation first
    text = admin_client.get(doc293.url + "text.txt").content.decode()
    start = text.index("they meant it")
    data = {"action": "reanchor", "annotation": note.pk, "quote": "they meant it", "start": start, "end": start + 13}
    admin_client.post(reverse("documents_annotate", args=[doc293.pk]), data)
    note.refresh_from_db()
    assert note.anchor_status == "anchored" and note.quote_exact == "they meant it"
