"""Re-anchoring a published annotation goes through moderation for those who cannot publish annotations.

Editors' moves become draft revisions submitted to Wagtail's workflow (readers keep the note where it
was until a moderator approves); moderators' moves are published at once, as a new logged revision.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import ModelLogEntry, WorkflowState

from documents.models import Annotation
from tests.documents.test_annotate_admin import annotate_url, selection

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("ed", password="pw-Ed1t0r!", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("mo", password="pw-M0d!", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def reanchor(client, document, annotation, phrase):
    data = {
        "action": "reanchor",
        "annotation": annotation.pk,
        "revision": annotation.latest_revision_id,
        **selection(document, phrase),
    }
    return client.post(annotate_url(document), data)


def review_state(annotation):
    return WorkflowState.objects.for_instance(annotation).filter(status=WorkflowState.STATUS_IN_PROGRESS).first()


def test_an_editor_moving_a_published_note_makes_a_draft_submitted_for_review(client, doc293, annotate, editor):
    annotation = annotate(doc293, "the Soviets were serious")
    client.force_login(editor)
    response = reanchor(client, doc293, annotation, "wary and skeptical")
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert annotation.quote_exact == "the Soviets were serious"  # readers still see it here
    assert annotation.has_unpublished_changes
    assert annotation.get_latest_revision_as_object().quote_exact == "wary and skeptical"
    assert review_state(annotation) is not None
    page = client.get(doc293.url).content.decode()
    assert f'id="mark-{annotation.pk}">the Soviets were serious' in page


def test_the_moved_note_moves_for_readers_when_a_moderator_approves_it(client, doc293, annotate, editor, moderator):
    annotation = annotate(doc293, "the Soviets were serious")
    client.force_login(editor)
    reanchor(client, doc293, annotation, "wary and skeptical")
    review_state(annotation).current_task_state.approve(user=moderator)
    annotation.refresh_from_db()
    assert annotation.quote_exact == "wary and skeptical" and not annotation.has_unpublished_changes


def test_an_editor_accepting_a_suggested_passage_also_goes_through_review(client, doc293, annotate, editor, committed):
    annotation = annotate(doc293, "The fundamental Soviet stance remains wary and skeptical.")
    doc293.transcription = doc293.transcription.replace("wary and skeptical", "wary and sceptical")
    with committed():
        doc293.save_revision().publish()
    annotation.refresh_from_db()
    assert annotation.anchor_status == "approximate"
    client.force_login(editor)
    client.post(reverse("documents_annotation_accept", args=[doc293.pk, annotation.pk]))
    annotation.refresh_from_db()
    assert annotation.quote_exact == "The fundamental Soviet stance remains wary and skeptical."
    assert annotation.get_latest_revision_as_object().quote_exact.endswith("wary and sceptical.")
    assert review_state(annotation) is not None


def test_a_moderator_moving_a_published_note_publishes_it_at_once_and_it_is_logged(client, doc293, annotate, moderator):
    annotation = annotate(doc293, "the Soviets were serious")
    revisions_before = annotation.revisions.count()
    client.force_login(moderator)
    reanchor(client, doc293, annotation, "wary and skeptical")
    annotation.refresh_from_db()
    assert annotation.quote_exact == "wary and skeptical" and not annotation.has_unpublished_changes
    assert annotation.revisions.count() == revisions_before + 1
    assert annotation.live_revision_id == annotation.latest_revision_id
    assert ModelLogEntry.objects.filter(object_id=str(annotation.pk), action="wagtail.publish", user=moderator).exists()
    assert review_state(annotation) is None


def test_a_moderator_moving_a_note_does_not_publish_someone_elses_pending_draft(client, doc293, annotate, moderator):
    annotation = annotate(doc293, "the Soviets were serious")
    draft = annotation.get_latest_revision_as_object()
    draft.body = "An unreviewed rewrite."
    draft.save_revision()
    client.force_login(moderator)
    reanchor(client, doc293, Annotation.objects.get(pk=annotation.pk), "wary and skeptical")
    annotation.refresh_from_db()
    assert annotation.quote_exact == "wary and skeptical" and annotation.body != "An unreviewed rewrite."
    latest = annotation.get_latest_revision_as_object()
    assert latest.body == "An unreviewed rewrite." and latest.quote_exact == "wary and skeptical"


def test_the_annotate_view_offers_submit_for_review_to_editors_and_publish_to_moderators(
    client, doc293, annotate, editor, moderator
):
    draft = annotate(doc293, "the Soviets were serious", live=False)
    client.force_login(editor)
    page = client.get(annotate_url(doc293)).content.decode()
    assert "Submit for review" in page and ">Publish<" not in page
    review = reverse("documents_annotation_review", args=[doc293.pk, draft.pk])
    client.post(review, {"action": "publish"})  # refused: Wagtail sends them back to the dashboard
    draft.refresh_from_db()
    assert not draft.live
    client.post(review, {"action": "submit"})
    assert review_state(draft) is not None
    page = client.get(annotate_url(doc293)).content.decode()
    assert "in review" in page
    client.force_login(moderator)
    page = client.get(annotate_url(doc293)).content.decode()
    assert ">Publish<" in page
    client.post(review, {"action": "publish"})
    draft.refresh_from_db()
    assert draft.live
