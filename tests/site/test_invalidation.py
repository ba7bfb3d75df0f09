"""Invalidation waits for the commit: a request in the gap gets the old page, never a half-published one."""

import pytest
from django.db import transaction
from django.test import override_settings

from documents.models import Annotation, SourceDocumentPage

READING = "/documents/frus1977-80v26-d293/"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_page_cache_is_emptied_and_notes_reanchored_only_after_the_commit(client, content):
    doc293 = SourceDocumentPage.objects.get(document_number=293)
    note = Annotation.objects.filter(document=doc293, live=True).first()
    with override_settings(ANONYMOUS_PAGE_CACHE_SECONDS=600):
        assert "wary and skeptical" in client.get(READING).content.decode()
        with transaction.atomic():
            doc293.transcription = "An editor's inserted paragraph.\n\n" + doc293.transcription.replace(
                "wary and skeptical", "wary and sceptical"
            )
            doc293.save_revision().publish()
            in_the_gap = client.get(READING)
            assert in_the_gap["X-Page-Cache"] == "hit" and "wary and skeptical" in in_the_gap.content.decode()
            assert Annotation.objects.get(pk=note.pk).anchored_at == note.anchored_at  # not yet re-anchored
        after = client.get(READING)
        assert after["X-Page-Cache"] == "miss" and "wary and sceptical" in after.content.decode()
        moved = Annotation.objects.get(pk=note.pk)
        assert moved.anchored_at > note.anchored_at and moved.position_start > note.position_start
