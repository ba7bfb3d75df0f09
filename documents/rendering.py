"""Render a source document through the pipeline with its glossary, people and annotations, cached.

The cache key is made of what the result depends on: the transcription itself (hashed, so
previews of unsaved drafts are right too), the state of the glossary and people tables, the
state of the document's published annotations, and the kinds the reader chose to see. A
cached transcription costs one query, whatever the number of terms, people or annotations.
"""

import hashlib
from html import escape

from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from documents.anchoring import resolve_anchor
from documents.models import Annotation, GlossaryTerm, Person
from documents.pipeline import Linkable, Note, RenderedTranscription, render_transcription

CACHE_SECONDS = 24 * 3600
PIPELINE_VERSION = "2"  # bump when the pipeline's output changes

STATE_SQL = """
SELECT (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM documents_glossaryterm),
       (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM documents_person),
       (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') || ':' || coalesce(max(anchored_at)::text, '')
          FROM documents_annotation WHERE document_id = %s AND live)
"""


def content_state(document_id: int) -> str:
    """One query telling whether any term, person or published annotation of the document changed."""
    with connection.cursor() as cursor:
        cursor.execute(STATE_SQL, [document_id])
        return "|".join(cursor.fetchone())


def expansion_html(text: str) -> str:
    return f'<p class="popover-expansion">{escape(text)}</p>' if text else ""


def linkables() -> list[Linkable]:
    items = []
    for term in GlossaryTerm.objects.all():
        url = reverse("glossary_term", args=[term.slug])
        html = expansion_html(term.expansion) + term.definition_html
        items.append(Linkable("term", term.slug, term.term, url, term.names, html))
    for person in Person.objects.all():
        url = reverse("person", args=[person.slug])
        html = expansion_html(person.role) + person.biography_html
        items.append(Linkable("person", person.slug, person.name, url, person.names, html))
    return items


def note_links_html(annotation: Annotation) -> str:
    links = [f'<a href="{escape(t.get_absolute_url())}">{escape(t.term)}</a>' for t in annotation.terms.all()]
    links += [f'<a href="{escape(p.get_absolute_url())}">{escape(p.name)}</a>' for p in annotation.people.all()]
    return f'<p class="ann-see">See also: {", ".join(links)}</p>' if links else ""


def notes_resolver(annotations):
    """Resolve each annotation against the text being rendered (the stored position first: cheap)."""

    def notes_for_text(text: str) -> list[Note]:
        notes = []
        for annotation in annotations:
            resolution = resolve_anchor(text, annotation.selector)
            if resolution.placed:
                notes.append(
                    Note(
                        annotation.pk,
                        annotation.kind,
                        annotation.get_kind_display(),
                        resolution.start,
                        resolution.end,
                        annotation.body_html,
                        note_links_html(annotation),
                    )
                )
        return notes

    return notes_for_text


def published_annotations(page, kinds=None):
    annotations = Annotation.objects.filter(document=page, live=True).prefetch_related("terms", "people")
    if kinds is not None:
        annotations = annotations.filter(kind__in=kinds)
    return list(annotations)


def preview_annotations(page):
    """Drafts as editors last saved them: for the admin preview and the Annotate view only."""
    annotations = Annotation.objects.filter(document=page).prefetch_related("terms", "people")
    return [a.get_latest_revision_as_object() if a.has_unpublished_changes else a for a in annotations]


def rendered_document(page, kinds=None) -> RenderedTranscription:
    """The published reading: live annotations only (optionally of some kinds), cached."""
    digest = hashlib.sha256(page.transcription.encode()).hexdigest()[:32]
    state = hashlib.sha256(content_state(page.pk).encode()).hexdigest()[:16]
    kinds_key = ",".join(sorted(kinds)) if kinds is not None else "all"
    key = f"transcription:{PIPELINE_VERSION}:{page.pk}:{digest}:{state}:{kinds_key}"
    result = cache.get(key)
    if result is None:
        result = render_transcription(
            page.transcription, linkables(), notes_resolver(published_annotations(page, kinds))
        )
        cache.set(key, result, CACHE_SECONDS)
    return result


def rendered_preview(page) -> RenderedTranscription:
    """Drafts included, never cached: what an editor sees in the preview."""
    return render_transcription(page.transcription, linkables(), notes_resolver(preview_annotations(page)))
