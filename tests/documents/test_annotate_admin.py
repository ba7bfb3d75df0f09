"""The admin Annotate view: create from a selection, re-anchor, delete; bad input answered clearly."""

import pytest
from django.urls import reverse

from documents.models import Annotation
from documents.rendering import rendered_preview

pytestmark = pytest.mark.django_db


def annotate_url(document):
    return reverse("documents_annotate", args=[document.pk])


def selection(document, phrase, occurrence=0):
    text = rendered_preview(document).text
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return {"quote": phrase, "start": start, "end": start + len(phrase)}


def test_annotate_view_shows_the_transcription_with_offsets(admin_client, doc293):
    page = admin_client.get(annotate_url(doc293)).content.decode()
    assert 'id="annotate-source"' in page and 'data-start="0"' in page
    assert 'id="canonical-text"' in page and "Save draft annotation" in page


def test_saving_a_selection_creates_a_draft_anchored_to_it(admin_client, client, doc293, admin_user):
    data = {**selection(doc293, "the Soviets were serious"), "kind": "question", "body": "Serious how?"}
    response = admin_client.post(annotate_url(doc293), data)
    assert response.status_code == 302
    annotation = Annotation.objects.get(body="Serious how?")
    assert not annotation.live and annotation.author == admin_user
    assert annotation.quote_exact == "the Soviets were serious" and annotation.latest_revision is not None
    assert "Serious how?" not in client.get(doc293.url).content.decode()  # a draft
    annotation.latest_revision.publish()
    assert "Serious how?" in client.get(doc293.url).content.decode()


def test_a_typed_quote_is_found_when_it_occurs_once(admin_client, doc293):
    response = admin_client.post(
        annotate_url(doc293), {"quote": "wary and skeptical", "kind": "vocabulary", "body": "Doubting."}
    )
    assert response.status_code == 302
    assert Annotation.objects.get(body="Doubting.").quote_prefix.endswith("stance remains ")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"quote": "the Soviets were serious", "kind": "context", "body": ""}, "Write the note"),
        ({"quote": "", "kind": "context", "body": "x"}, "Select a passage in the text first"),
        ({"quote": "not in this document at all", "kind": "context", "body": "x"}, "not in the transcription"),
        ({"quote": "next round", "kind": "context", "body": "x"}, "occurs 7 times"),
        (
            {"quote": "zzz", "start": 999999, "end": 1000002, "kind": "context", "body": "x"},
            "outside the transcription",
        ),
        (
            {"quote": "the Soviets were serious", "start": 10, "end": 34, "kind": "context", "body": "x"},
            "no longer matches the transcription",
        ),
        ({"quote": "x" * 2001, "kind": "context", "body": "x"}, "at most 2000 characters"),
    ],
)
def test_bad_input_is_answered_clearly_and_keeps_what_was_typed(admin_client, doc293, data, message):
    before = Annotation.objects.count()
    response = admin_client.post(annotate_url(doc293), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    if data["body"]:
        assert data["body"] in page
    assert Annotation.objects.count() == before


def test_reanchoring_moves_the_annotation_to_the_new_selection(admin_client, doc293, annotate):
    annotation = annotate(doc293, "the Soviets were serious")
    data = {
        "action": "reanchor",
        "annotation": annotation.pk,
        "revision": annotation.latest_revision_id,
        **selection(doc293, "wary and skeptical"),
    }
    assert admin_client.post(annotate_url(doc293), data).status_code == 302
    annotation.refresh_from_db()
    assert annotation.quote_exact == "wary and skeptical" and annotation.anchor_status == "anchored"
    assert annotation.get_latest_revision_as_object().quote_exact == "wary and skeptical"


def test_a_stale_reanchor_is_refused(admin_client, doc293, annotate):
    annotation = annotate(doc293, "the Soviets were serious")
    stale = annotation.latest_revision_id
    annotation.save_revision()  # someone else saved since
    data = {
        "action": "reanchor",
        "annotation": annotation.pk,
        "revision": stale,
        **selection(doc293, "wary and skeptical"),
    }
    response = admin_client.post(annotate_url(doc293), data)
    assert response.status_code == 409
    assert "Someone else changed this annotation" in response.content.decode()
    annotation.refresh_from_db()
    assert annotation.quote_exact == "the Soviets were serious"


def test_deleting_asks_for_confirmation_first(admin_client, doc293, annotate):
    annotation = annotate(doc293, "the Soviets were serious")
    url = reverse("documents_annotation_delete", args=[doc293.pk, annotation.pk])
    confirm = admin_client.get(url)
    assert "Yes, delete it" in confirm.content.decode()
    assert Annotation.objects.filter(pk=annotation.pk).exists()
    admin_client.post(url)
    assert not Annotation.objects.filter(pk=annotation.pk).exists()


def test_accepting_a_suggested_passage_reanchors_in_one_step(admin_client, doc293, annotate, committed):
    annotation = annotate(doc293, "The fundamental Soviet stance remains wary and skeptical.")
    doc293.transcription = doc293.transcription.replace("wary and skeptical", "wary and sceptical")
    with committed():
        doc293.save_revision().publish()
    annotation.refresh_from_db()
    assert annotation.anchor_status == "approximate"
    admin_client.post(reverse("documents_annotation_accept", args=[doc293.pk, annotation.pk]))
    annotation.refresh_from_db()
    assert annotation.anchor_status == "anchored"
    assert annotation.quote_exact == "The fundamental Soviet stance remains wary and sceptical."


def test_people_without_edit_rights_cannot_annotate(client, django_user_model, doc293):
    user = django_user_model.objects.create_user("reader", password="pw-123456!", is_staff=False)
    client.force_login(user)
    before = Annotation.objects.count()
    assert client.get(annotate_url(doc293)).status_code in (302, 403)
    response = client.post(annotate_url(doc293), {"quote": "wary and skeptical", "kind": "context", "body": "x"})
    assert response.status_code in (302, 403)
    assert Annotation.objects.count() == before


def test_dashboard_shows_annotation_counts(admin_client, doc293, annotate):
    annotate(doc293, "the Soviets were serious", live=False)
    page = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "annotations-panel-heading" in page and reverse("documents_annotate", args=[doc293.pk]) in page


def test_a_reanchored_published_annotation_moves_on_the_public_page_at_once(admin_client, client, doc293, annotate):
    annotation = annotate(doc293, "the Soviets were serious")
    client.get(doc293.url)  # the reading is now rendered and cached
    data = {
        "action": "reanchor",
        "annotation": annotation.pk,
        "revision": annotation.latest_revision_id,
        **selection(doc293, "wary and skeptical"),
    }
    admin_client.post(annotate_url(doc293), data)
    page = client.get(doc293.url).content.decode()
    mark = f'data-ann="{annotation.pk}" id="mark-{annotation.pk}">'
    assert mark + "wary and skeptical" in page
