"""Glossary and people pages; a source document's canonical text and W3C notes (routes of its page)."""

from collections import Counter
from itertools import groupby

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from core.page_cache import cache_for_anonymous
from documents.exchange import MEDIA_TYPE, collection
from documents.models import GlossaryTerm, Person, SourceDocumentPage
from documents.rendering import citable_label, rendered_document


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


@cache_for_anonymous
def annotations_export(request, document):
    """All published annotations of a document as a W3C AnnotationCollection."""
    base = f"{request.scheme}://{request.get_host()}"
    response = JsonResponse(collection(document, base), json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Type"] = MEDIA_TYPE
    response["Access-Control-Allow-Origin"] = "*"
    return response


@cache_for_anonymous
def glossary_index(request):
    terms = GlossaryTerm.objects.all()
    letters = [(letter, list(group)) for letter, group in groupby(terms, key=lambda t: first_letter(t.term))]
    return render(request, "glossary/index.html", {"letters": letters, "count": len(terms)})


def first_letter(text: str) -> str:
    letter = text.lstrip("“\"'‘(").upper()[:1]
    return letter if letter.isalpha() else "#"


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
    return render(request, "glossary/people.html", {"people": Person.objects.all()})


@cache_for_anonymous
def person_detail(request, slug):
    person = get_object_or_404(Person, slug=slug)
    return render(
        request,
        "glossary/person.html",
        {"person": person, "occurrences": occurrences_in_documents(request, "person", person.slug)},
    )
