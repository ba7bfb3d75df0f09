"""Render a source document through the pipeline with its glossary, people and annotations, cached.

The page gathers its data (terms and people, annotations: `documents.models`); this module takes it,
runs the pipeline and caches the reading (data, not HTML). The cache key is made of what the result
depends on: the pipeline itself (`PIPELINE_FINGERPRINT`), the transcription (hashed, so previews of
unsaved drafts are right too), the state of the glossary and people tables, the state of the
document's published annotations, and the kinds the reader chose to see. A cached reading costs one
query, whatever the number of terms, people or annotations.
"""

import hashlib
from functools import cache as memoise
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils.html import format_html

from documents import anchoring, pipeline, reading
from documents.anchoring import AnchorStatus, resolve_anchor
from documents.reading import FOOTNOTE, PARAGRAPH, SIGNATORY, Markup, Note, NoteLink, Place, Reading

CACHE_SECONDS = 24 * 3600
# What shapes the reading: the source of these modules and the libraries they call. The cache holds
# the reading as data, so a change of template needs no new key (the rendered fragments have theirs).
SHAPING_MODULES = (pipeline, anchoring, reading)
SHAPING_LIBRARIES = ("cmarkgfm", "nh3", "lxml")


def pipeline_fingerprint() -> str:
    """Changes whenever the pipeline's output could: its modules' source, its libraries' versions."""
    digest = hashlib.sha256()
    for module in SHAPING_MODULES:
        digest.update(Path(module.__file__).read_bytes())
    for library in SHAPING_LIBRARIES:
        digest.update(f"{library}=={version(library)}".encode())
    return digest.hexdigest()[:16]


PIPELINE_FINGERPRINT = pipeline_fingerprint()


@memoise
def templates_fingerprint() -> str:
    """For the cached HTML fragments of a reading: changes with the templates and the runs' tag."""
    digest = hashlib.sha256(PIPELINE_FINGERPRINT.encode())
    folder = Path(settings.BASE_DIR) / "templates" / "documents" / "reading"
    for path in sorted(folder.glob("*.html")):
        digest.update(path.read_bytes())
    digest.update((Path(__file__).parent / "templatetags" / "reading_tags.py").read_bytes())
    return digest.hexdigest()[:16]


STATE_SQL = """
SELECT (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM documents_glossaryterm),
       (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM documents_person),
       (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') || ':' || coalesce(max(anchored_at)::text, '')
          FROM documents_annotation a WHERE live AND (document_id = %(document)s
            -- the other passage of a comparison: its relation, explanation and placing show here too
            OR EXISTS (SELECT 1 FROM documents_annotation b WHERE b.document_id = %(document)s
                       AND (b.counterpart_id = a.id OR a.counterpart_id = b.id))))
"""


def content_state(document_id: int) -> str:
    """One query telling whether any term, person or published annotation of the document changed."""
    with connection.cursor() as cursor:
        cursor.execute(STATE_SQL, {"document": document_id})
        return "|".join(cursor.fetchone())


def citable_label(place: Place) -> str:
    """How a place in a document is cited: "¶ 5", "note 3", "title", "dateline"…"""
    if place.kind == PARAGRAPH:
        return f"¶ {place.number}"
    if place.kind == FOOTNOTE:
        return f"note {place.anchor.removeprefix('fn-')}"
    if place.kind == SIGNATORY:
        return "signatures"
    return place.kind.replace("-", " ")


def note_body(annotation) -> Markup:
    """The note's Markdown as HTML. For two passages compared, both show the first's explanation, led by how
    this passage stands to the other and a link to see them side by side (once both are published and placed).
    Published notes come with the other passage's document number (`other_document_number`)."""
    first = annotation.first_passage
    if first is None:
        return Markup(str(annotation.body_html))
    other = annotation.other_passage
    if other is None or not (first.live and other.live) or other.anchor_status == AnchorStatus.ORPHAN:
        return Markup(str(first.body_html))
    lead = format_html(
        '<p class="ann-compare">This passage {} {}. <a href="{}">Compare them side by side</a></p>',
        annotation.relation_seen_from_here,
        f"doc. {getattr(annotation, 'other_document_number', None) or other.document.document_number}",
        reverse("compare", args=[first.uuid]),
    )
    return Markup(lead + str(first.body_html))


def addresses(name: str):
    """The address of any slug under a URL pattern ("glossary_term"), reversed once for all: a slug needs
    no quoting, and `reverse` for each of hundreds of terms, people and notes' links would add up."""
    head, _, tail = reverse(name, args=["-"]).rpartition("-")
    return lambda slug: f"{head}{slug}{tail}"


def notes_resolver(annotations):
    """Resolve each annotation against the text being rendered (the stored position first: cheap)."""
    term_url, person_url = addresses("glossary_term"), addresses("person")

    def note_links(annotation) -> tuple[NoteLink, ...]:
        """The terms and people the note points to ("see also"): fetched with published notes by name and slug
        (`linked`), or, for drafts in a preview, from their relations."""
        linked = getattr(annotation, "linked", None)
        if linked is None:
            linked = (
                [(t.term, t.slug) for t in annotation.terms.all()],
                [(p.name, p.slug) for p in annotation.people.all()],
            )
        terms, people = linked
        return (*(NoteLink(n, term_url(s)) for n, s in terms), *(NoteLink(n, person_url(s)) for n, s in people))

    def notes_for_text(text: str) -> list[Note]:
        notes = []
        for annotation in annotations:
            resolution = resolve_anchor(text, annotation.selector)
            if resolution.placed:
                body = note_body(annotation)
                notes.append(
                    Note(
                        annotation.pk,
                        annotation.kind,
                        resolution.start,
                        resolution.end,
                        body,
                        note_links(annotation),
                        annotation.label,
                        str(annotation.uuid),
                    )
                )
        return notes

    return notes_for_text


def reading_key(page, kinds=None) -> str:
    """The cache key of the page's published reading (one query: the state of what it depends on)."""
    digest = hashlib.sha256(page.transcription.encode()).hexdigest()[:32]
    state = hashlib.sha256(content_state(page.pk).encode()).hexdigest()[:16]
    kinds_key = ",".join(sorted(kinds)) if kinds is not None else "all"
    return f"transcription:{PIPELINE_FINGERPRINT}:{page.pk}:{digest}:{state}:{kinds_key}"


def rendered_document(page, kinds=None, key=None) -> Reading:
    """The published reading: live annotations only (optionally of some kinds), cached."""
    key = key or reading_key(page, kinds)
    result = cache.get(key)
    if result is None:
        annotations = page.published_annotations(kinds)
        result = pipeline.render_transcription(page.transcription, page.linkables(), notes_resolver(annotations))
        cache.set(key, result, CACHE_SECONDS)
    return result


def rendered_preview(page) -> Reading:
    """Drafts included, never cached: what an editor sees in the preview."""
    annotations = page.preview_annotations()
    return pipeline.render_transcription(page.transcription, page.linkables(), notes_resolver(annotations))
