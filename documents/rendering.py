"""Render a source document through the pipeline, with glossary and people, cached.

The cache key is made of what the result depends on: the transcription itself (hashed, so
previews of unsaved drafts are right too) and the state of the glossary and people tables.
A cached page costs one query; the cost does not grow with the number of terms or people.
"""

import hashlib
from html import escape

from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from documents.models import GlossaryTerm, Person
from documents.pipeline import Linkable, RenderedTranscription, render_transcription

CACHE_SECONDS = 24 * 3600
PIPELINE_VERSION = "1"  # bump when the pipeline's output changes


def link_state() -> str:
    """One query telling whether any glossary term or person was added, changed or deleted."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM documents_glossaryterm),"
            " (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM documents_person)"
        )
        return "|".join(cursor.fetchone())


def linkables() -> list[Linkable]:
    items = []
    for term in GlossaryTerm.objects.all():
        items.append(
            Linkable(
                "term",
                term.slug,
                term.term,
                reverse("glossary_term", args=[term.slug]),
                term.names,
                expansion_html(term.expansion) + term.definition_html,
            )
        )
    for person in Person.objects.all():
        items.append(
            Linkable(
                "person",
                person.slug,
                person.name,
                reverse("person", args=[person.slug]),
                person.names,
                expansion_html(person.role) + person.biography_html,
            )
        )
    return items


def expansion_html(text: str) -> str:
    return f'<p class="popover-expansion">{escape(text)}</p>' if text else ""


def rendered_document(page) -> RenderedTranscription:
    digest = hashlib.sha256(page.transcription.encode()).hexdigest()[:32]
    state = hashlib.sha256(link_state().encode()).hexdigest()[:16]
    key = f"transcription:{PIPELINE_VERSION}:{digest}:{state}"
    result = cache.get(key)
    if result is None:
        result = render_transcription(page.transcription, linkables())
        cache.set(key, result, CACHE_SECONDS)
    return result
