"""Glossary, people and timeline pages; a source document's canonical text and W3C notes (routes of its page)."""

import unicodedata
from collections import Counter
from dataclasses import dataclass
from itertools import groupby
from uuid import UUID

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from core.page_cache import cache_for_anonymous
from documents.citations import bibtex, filename, ris
from documents.excerpts import Excerpt, excerpt_of_span
from documents.exchange import MEDIA_TYPE, Addresses, collection, collection_page, one_annotation
from documents.models import Annotation, GlossaryTerm, Person, SourceDocumentPage
from documents.rendering import citable_label, rendered_document
from documents.timeline import build_timeline


def occurrences_in_documents(request, kind: str, slug: str) -> list[dict]:
    """Every place a term or person is linked, per document and paragraph, in reading order,
    in the documents this reader may read."""
    found = []
    documents = SourceDocumentPage.readable_by(request).order_by("document_number")
    for document in documents:
        counts = Counter(
            occurrence.place
            for occurrence in rendered_document(document).occurrences
            if occurrence.kind == kind and occurrence.slug == slug
        )
        if counts:
            places = [
                {"location": {"anchor": place.anchor, "label": citable_label(place)}, "count": count}
                for place, count in counts.items()
            ]
            found.append({"document": document, "places": places})
    return found


@cache_for_anonymous
def canonical_text(request, document):
    """The canonical plain text that annotations anchor to (no page numbers or note numbers)."""
    response = HttpResponse(rendered_document(document).text, content_type="text/plain; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


CITATION_FILES = {
    "bib": (bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (ris, "application/x-research-info-systems; charset=utf-8"),
}


def citation_file(request, document, extension: str):
    """The document's reference as BibTeX or RIS, for a reference manager (a download)."""
    make, content_type = CITATION_FILES[extension]
    response = HttpResponse(make(document, request.build_absolute_uri(document.url)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(document, extension)}"'
    return response


def json_ld(data: dict) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Type"] = MEDIA_TYPE
    response["Access-Control-Allow-Origin"] = "*"
    return response


@cache_for_anonymous(query_params=("page",))
def annotations_export(request, document):
    """All published annotations of a document as a W3C AnnotationCollection; `?page=N` for its pages."""
    addresses = Addresses(document, request)
    asked = request.GET.get("page")
    if asked is None:
        return json_ld(collection(document, addresses))
    page = collection_page(document, addresses, int(asked)) if asked.isdigit() else None
    if page is None:
        raise Http404("No such page of annotations.")
    return json_ld(page)


def annotation_detail(request, document, uuid: str):
    """A published annotation's own IRI: JSON-LD for programs, a redirect to the note for browsers.

    Never put in the page cache: the answer depends on the Accept header, which its key leaves out.
    """
    try:
        wanted = UUID(uuid)
    except ValueError:
        raise Http404("No such annotation.") from None
    annotation = get_object_or_404(
        Annotation.objects.select_related("author").prefetch_related("terms", "people"),
        document=document,
        uuid=wanted,
        live=True,
    )
    if request.get_preferred_type(["application/ld+json", "application/json", "text/html"]) == "text/html":
        response = redirect(f"{document.get_url(request)}#{annotation.anchor}")
    else:
        response = json_ld(one_annotation(annotation, Addresses(document, request)))
    response["Vary"] = "Accept"
    response.cache_for_anonymous = False
    return response


@cache_for_anonymous
def glossary_index(request):
    """Terms in dictionary order (not the database's: its C collation puts every capital before "a")."""
    terms = sorted(GlossaryTerm.objects.all(), key=lambda t: dictionary_key(t.term))
    letters = [(letter, list(group)) for letter, group in groupby(terms, key=lambda t: first_letter(t.term))]
    return render(request, "glossary/index.html", {"letters": letters, "count": len(terms)})


def dictionary_key(text: str) -> str:
    """How a reader expects words ordered: case, accents and leading quotes or brackets ignored."""
    plain = unicodedata.normalize("NFKD", text.lstrip("“\"'‘(["))
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def first_letter(text: str) -> str:
    letter = dictionary_key(text)[:1].upper()
    return letter if "A" <= letter <= "Z" else "#"


@cache_for_anonymous
def glossary_term(request, slug):
    term = get_object_or_404(GlossaryTerm, slug=slug)
    return render(
        request,
        "glossary/term.html",
        {
            "term": term,
            "related": term.related.all(),
            "occurrences": occurrences_in_documents(request, "term", term.slug),
        },
    )


@cache_for_anonymous
def people_index(request):
    people = sorted(Person.objects.all(), key=lambda p: (dictionary_key(p.surname), dictionary_key(p.name)))
    return render(request, "glossary/people.html", {"people": people})


@cache_for_anonymous
def person_detail(request, slug):
    person = get_object_or_404(Person, slug=slug)
    return render(
        request,
        "glossary/person.html",
        {"person": person, "occurrences": occurrences_in_documents(request, "person", person.slug)},
    )


@cache_for_anonymous
def timeline(request):
    """The talks' events in order, each linking to the documents (and paragraphs) it rests on."""
    return render(request, "documents/timeline.html", {"timeline": build_timeline(request)})


@dataclass(frozen=True)
class ComparedPassage:
    note: Annotation
    excerpt: Excerpt
    quote: str


def compared_passage(note: Annotation, document) -> ComparedPassage:
    """The paragraphs around one passage of a comparison, found where its note is placed in the published reading,
    and cut from the reading without notes (the page shows the passage itself as a quotation above them)."""
    placed = next((n for n in rendered_document(document).notes if n.uuid == str(note.uuid)), None)
    if placed is None:  # not placed in the text as it is now (an editor has been told): say so, never guess
        return ComparedPassage(note, Excerpt(document, found=False), "")
    plain = rendered_document(document, kinds=[])
    return ComparedPassage(
        note, excerpt_of_span(document, plain, placed.start, placed.end), plain.text[placed.start : placed.end]
    )


@cache_for_anonymous
def compare(request, uuid):
    """Two passages of two documents side by side, with the editors' explanation of how they stand."""
    first = get_object_or_404(
        Annotation.objects.select_related("counterpart"),
        uuid=uuid,
        kind=Annotation.Kind.COMPARE,
        live=True,
        counterpart__live=True,
    )
    second = first.counterpart
    documents = SourceDocumentPage.readable_by(request).in_bulk([first.document_id, second.document_id])
    if first.document_id not in documents or second.document_id not in documents:
        raise Http404("No such comparison.")
    passages = [compared_passage(note, documents[note.document_id]) for note in (first, second)]
    entries = {entry.popover_id: entry for p in passages for entry in p.excerpt.entries}
    context = {"first": first, "passages": passages, "entries": list(entries.values())}
    return render(request, "documents/compare.html", context)
