"""Every receiver that keeps what readers see fresh, in one place; each does its work after the commit.

A change becomes visible to other connections only when its transaction commits. Emptying the page
cache (or re-anchoring) before that would let a request in the gap cache the old page again, or
re-anchor against text that may still roll back; so every receiver hands its work to
`transaction.on_commit` (which runs it at once outside a transaction).

`core` sits below the apps (layers), so it never imports them: the senders it listens to are looked
up by label (`apps.get_model`) when the apps are ready, and app-specific work is a method of the
published object (`reanchor_annotations()` on a document page, `reanchor_to_document()` on an
annotation), found by duck typing, so each model keeps the knowledge of how its own data is redone.

Editorial events (publish, unpublish, re-anchoring, orphaned notes) are logged at INFO, one line each.
"""

import logging

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

from core.page_cache import bump_content_version

logger = logging.getLogger(__name__)

# Models whose rows readers see on pages (popovers, notes, glossary and people pages).
CONTENT_MODELS = (
    "documents.GlossaryTerm",
    "documents.Person",
    "documents.Annotation",
    "documents.TimelineEvent",
    "documents.TimelineEventSource",
)


def content_changed(sender, **kwargs):
    """A save, a delete, a move, a restriction added or removed: empty the page cache after the commit."""
    transaction.on_commit(bump_content_version)


def restriction_changed(sender, instance, **kwargs):
    """A view restriction added, changed or removed: empty the page cache, and purge the page and the pages
    below it from a CDN when one is configured (a public copy there would otherwise outlive the restriction)."""
    content_changed(sender)
    if not apps.is_installed("wagtail.contrib.frontend_cache"):
        return
    from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache

    page_id = instance.page_id

    def purge():
        page = Page.objects.filter(pk=page_id).first()  # gone when the restriction went with its page
        if page is not None:
            purge_pages_from_cache(page.get_descendants(inclusive=True))

    transaction.on_commit(purge)


def page_was_published(sender, instance, revision=None, **kwargs):
    page = instance
    user = revision.user if revision is not None and revision.user_id else None

    def work():
        logger.info("published page=%s id=%s by=%s", page.url_path, page.pk, user or "-")
        if hasattr(page, "reanchor_annotations"):
            log_reanchoring(page, page.reanchor_annotations())
        if hasattr(page, "stored_citations"):
            page.stored_citations()  # made now, so no reader waits for citeproc
        bump_content_version()

    transaction.on_commit(work)


def page_was_unpublished(sender, instance, **kwargs):
    def work():
        logger.info("unpublished page=%s id=%s", instance.url_path, instance.pk)
        bump_content_version()

    transaction.on_commit(work)


def object_was_published(sender, instance, revision=None, **kwargs):
    """Snippets with drafts (annotations, quizzes); pages have their own signal."""
    if isinstance(instance, Page):
        return
    user = revision.user if revision is not None and revision.user_id else None

    def work():
        logger.info("published %s id=%s by=%s", sender._meta.label_lower, instance.pk, user or "-")
        if hasattr(instance, "reanchor_to_document"):
            log_reanchoring(instance.document, [(instance, instance.reanchor_to_document())])
        bump_content_version()

    transaction.on_commit(work)


def object_was_unpublished(sender, instance, **kwargs):
    if isinstance(instance, Page):
        return

    def work():
        logger.info("unpublished %s id=%s", sender._meta.label_lower, instance.pk)
        bump_content_version()

    transaction.on_commit(work)


NEEDS_A_LOOK = ("moved", "approximate", "orphan")


def log_reanchoring(document, outcomes) -> None:
    """One line for the re-anchoring, and one per note that moved, was placed approximately or orphaned."""
    looks = [
        (annotation, resolution.status) for annotation, resolution in outcomes if resolution.status in NEEDS_A_LOOK
    ]
    orphans = sum(status == "orphan" for _, status in looks)
    logger.info("re-anchored document=%s id=%s notes=%d orphans=%d", document.slug, document.pk, len(outcomes), orphans)
    for annotation, status in looks:
        logger.info(
            "%s note id=%s document=%s quote=%r label=%s",
            "orphaned" if status == "orphan" else status,
            annotation.pk,
            document.slug,
            annotation.quote_exact[:80],
            annotation.label,
        )


def connect() -> None:
    """Called from `CoreConfig.ready()`, once every app's models are loaded."""
    page_published.connect(page_was_published, dispatch_uid="invalidation-page-published")
    page_unpublished.connect(page_was_unpublished, dispatch_uid="invalidation-page-unpublished")
    published.connect(object_was_published, dispatch_uid="invalidation-published")
    unpublished.connect(object_was_unpublished, dispatch_uid="invalidation-unpublished")
    post_page_move.connect(content_changed, dispatch_uid="invalidation-page-moved")
    post_delete.connect(content_changed, sender=Page, dispatch_uid="invalidation-page-deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            restriction_changed, sender=PageViewRestriction, dispatch_uid=f"invalidation-restriction-{signal}"
        )
    m2m_changed.connect(
        content_changed, sender=PageViewRestriction.groups.through, dispatch_uid="invalidation-restriction-groups"
    )
    for label in CONTENT_MODELS:
        model = apps.get_model(label)
        post_save.connect(content_changed, sender=model, dispatch_uid=f"invalidation-save-{label}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"invalidation-delete-{label}")
