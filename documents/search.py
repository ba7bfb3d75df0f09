"""What the documents app offers to site search: documents (down to the paragraph), published notes,
glossary terms and people. Listed in `settings.SEARCH_ADAPTERS`; the `search` app ranks and shows them.
"""

import hashlib

from django.core.cache import cache

from core.markdown import markdown_plain_text
from core.search_adapters import Hit, Paragraph, ResultType, SearchAdapter
from documents.access import readable
from documents.anchoring import AnchorStatus
from documents.models import Annotation, GlossaryTerm, Person, SourceDocumentPage
from documents.rendering import CACHE_SECONDS, PIPELINE_FINGERPRINT, citable_label, rendered_document

QUOTE_LENGTH = 90  # a note's title is its quote, shortened


# ---------------------------------------------------------------- who may read what


def readable_pages(pages, request):
    """The live pages of a page queryset that this request may read."""
    return readable(pages.live(), request)


# ---------------------------------------------------------------- paragraphs of a reading


def paragraph_spans(page) -> tuple[str, list[Paragraph]]:
    """The canonical text of the published reading and where each located block lies in it.

    The only place search touches the reading's blocks: when their shape changes, adapt this function.
    """
    rendered = rendered_document(page)
    return rendered.text, [Paragraph(b.anchor, citable_label(b.place), b.start, b.end) for b in rendered.blocks]


def paragraphs_of(pages) -> dict[int, tuple[str, list[Paragraph]]]:
    """`paragraph_spans` of each document, from the cache: no query once a transcription has been seen.

    Text and spans depend only on the transcription, so the key is its hash: a published correction is a new key.
    """
    pages = list({page.pk: page for page in pages}.values())
    keys = {}
    for page in pages:
        digest = hashlib.sha256(page.transcription.encode()).hexdigest()[:32]
        keys[page.pk] = f"search-paragraphs:{PIPELINE_FINGERPRINT}:{page.pk}:{digest}"
    found = cache.get_many(list(keys.values()))
    spans, missing = {}, {}
    for page in pages:
        value = found.get(keys[page.pk])
        if value is None:
            value = missing[keys[page.pk]] = paragraph_spans(page)
        spans[page.pk] = value
    if missing:
        cache.set_many(missing, CACHE_SECONDS)
    return spans


def label_at(position: int, paragraphs: list[Paragraph]) -> str:
    """The label of the paragraph where `position` of the text falls ("¶ 5"), or ""."""
    label = ""
    for paragraph in paragraphs:
        if paragraph.start > position:
            break
        label = paragraph.label
    return label


def shortened(text: str, length: int) -> str:
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


# ---------------------------------------------------------------- the adapters


class DocumentSearch(SearchAdapter):
    """A document links to the paragraphs with the most of the query's words."""

    kind = ResultType("documents", "Documents", "Document")

    def queryset(self, request):
        return readable_pages(SourceDocumentPage.objects.all(), request)

    def hit(self, page, request):
        return Hit(page, page.title, page.get_url(request), meta=f"{page.short_citation} · {page.date_display}")

    def describe(self, hits):
        spans = paragraphs_of(hit.obj for hit in hits)
        for hit in hits:
            hit.text = markdown_plain_text(hit.obj.summary)
            hit.source_text, hit.paragraphs = spans[hit.obj.pk]


class AnnotationSearch(SearchAdapter):
    """A published note placed in a document this reader may read; it links to itself in the reading."""

    kind = ResultType("annotations", "Notes", "Note on the text")

    def queryset(self, request):
        documents = DocumentSearch().queryset(request)
        return (
            Annotation.objects.filter(live=True, document_id__in=documents.values("pk"))
            .exclude(anchor_status=AnchorStatus.ORPHAN)  # never shown to readers: nothing to link to
            .select_related("document")
        )

    def hit(self, note, request):
        url = f"{note.document.get_url(request)}#{note.anchor}"
        return Hit(note, f"“{shortened(note.quote_exact, QUOTE_LENGTH)}”", url, meta=note.get_kind_display())

    def describe(self, hits):
        spans = paragraphs_of(hit.obj.document for hit in hits)
        for hit in hits:
            note = hit.obj
            where = label_at(note.position_start, spans[note.document_id][1])
            hit.meta = f"{hit.meta} · {note.document.short_citation}{', ' + where if where else ''}"
            hit.text = markdown_plain_text(note.body)


class GlossarySearch(SearchAdapter):
    kind = ResultType("glossary", "Glossary", "Glossary")

    def queryset(self, request):
        return GlossaryTerm.objects.all()

    def hit(self, term, request):
        meta = term.expansion or term.get_category_display()
        return Hit(
            term, term.term, term.get_absolute_url(), meta=meta, names=(term.term, term.expansion, *term.aliases)
        )

    def describe(self, hits):
        for hit in hits:
            hit.text = markdown_plain_text(hit.obj.definition)


class PersonSearch(SearchAdapter):
    kind = ResultType("people", "People", "Person")

    def queryset(self, request):
        return Person.objects.all()

    def hit(self, person, request):
        return Hit(
            person, person.name, person.get_absolute_url(), meta=person.role, names=(person.name, *person.aliases)
        )

    def describe(self, hits):
        for hit in hits:
            hit.text = markdown_plain_text(hit.obj.biography)
