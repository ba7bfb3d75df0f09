"""Re-anchor annotations whenever a transcription or an annotation is published."""

from django.db.models.signals import post_delete
from wagtail.signals import page_published, published, unpublished

from core.page_cache import bump_content_version
from documents.models import Annotation, SourceDocumentPage
from documents.pipeline import canonical_text


def reanchor_document(sender, instance, **kwargs):
    """A corrected transcription went live: place every annotation of it again, and store how it went."""
    page = instance.specific if hasattr(instance, "specific") else instance
    if not isinstance(page, SourceDocumentPage):
        return
    text = canonical_text(page.transcription)
    for annotation in Annotation.objects.filter(document=page):
        annotation.reanchor(text)
    bump_content_version()


def reanchor_annotation(sender, instance, **kwargs):
    document = SourceDocumentPage.objects.get(pk=instance.document_id)
    instance.reanchor(canonical_text(document.transcription))
    bump_content_version()


def connect():
    page_published.connect(reanchor_document, dispatch_uid="documents-reanchor-on-publish")
    published.connect(reanchor_annotation, sender=Annotation, dispatch_uid="documents-reanchor-annotation")
    unpublished.connect(bump_content_version, sender=Annotation, dispatch_uid="documents-annotation-unpublished")
    post_delete.connect(bump_content_version, sender=Annotation, dispatch_uid="documents-annotation-deleted")
