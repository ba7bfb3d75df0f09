"""Annotations in and out as W3C Web Annotations (https://www.w3.org/TR/annotation-model/).

Our kinds map one-to-one onto W3C motivations, so a round trip keeps them. Linked glossary
terms and people travel as extra bodies with the purpose "tagging", pointing at their pages.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.dateparse import parse_datetime

from documents.anchoring import Selector
from documents.models import Annotation, GlossaryTerm, Person, SourceDocumentPage
from documents.pipeline import canonical_text

MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
MOTIVATIONS = {
    "context": "commenting",
    "vocabulary": "describing",
    "people": "identifying",
    "question": "questioning",
    "crossref": "linking",
    "sourcing": "assessing",
}
KINDS = {motivation: kind for kind, motivation in MOTIVATIONS.items()}


def annotation_id(base: str, annotation: Annotation) -> str:
    return annotation.w3c_id or f"{base}{annotation.document.url}#annotation-{annotation.pk}"


def to_w3c(annotation: Annotation, base: str) -> dict:
    document = annotation.document
    bodies = [
        {
            "type": "TextualBody",
            "value": annotation.body,
            "format": "text/markdown",
            "language": "en",
            "purpose": MOTIVATIONS[annotation.kind],
        }
    ]
    bodies += [
        {"type": "SpecificResource", "purpose": "tagging", "source": base + t.get_absolute_url()}
        for t in annotation.terms.all()
    ]
    bodies += [
        {"type": "SpecificResource", "purpose": "tagging", "source": base + p.get_absolute_url()}
        for p in annotation.people.all()
    ]
    creator = annotation.author.get_full_name() or annotation.author.username if annotation.author else None
    return {
        "id": annotation_id(base, annotation),
        "type": "Annotation",
        "motivation": MOTIVATIONS[annotation.kind],
        "body": bodies,
        "target": {
            "source": base + document.url + document.reverse_subpage("text"),
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": annotation.quote_exact,
                    "prefix": annotation.quote_prefix,
                    "suffix": annotation.quote_suffix,
                },
                {"type": "TextPositionSelector", "start": annotation.position_start, "end": annotation.position_end},
            ],
        },
        "creator": {"type": "Person", "name": creator} if creator else {"type": "Organization", "name": "Arms Talks"},
        "created": annotation.created_at.isoformat(),
        "modified": annotation.updated_at.isoformat(),
    }


def collection(document: SourceDocumentPage, base: str) -> dict:
    annotations = (
        Annotation.objects.filter(document=document, live=True)
        .select_related("author", "document")
        .prefetch_related("terms", "people")
    )
    items = [to_w3c(a, base) for a in annotations]
    collection_id = base + document.url + document.reverse_subpage("annotations")
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"Teaching notes on {document.short_citation}: {document.title}",
        "total": len(items),
        "first": {"id": collection_id + "#page-1", "type": "AnnotationPage", "startIndex": 0, "items": items},
    }


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    orphaned: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def selectors_of(item: dict) -> Selector:
    selectors = item["target"]["selector"]
    selectors = selectors if isinstance(selectors, list) else [selectors]
    quote = next(s for s in selectors if s["type"] == "TextQuoteSelector")
    position = next((s for s in selectors if s["type"] == "TextPositionSelector"), {"start": 0, "end": 0})
    return Selector(
        quote["exact"], quote.get("prefix", ""), quote.get("suffix", ""), int(position["start"]), int(position["end"])
    )


def items_of(data: dict) -> list[dict]:
    if data.get("type") == "Annotation":
        return [data]
    first = data.get("first", {})
    return list(first.get("items", [])) if isinstance(first, dict) else []


@transaction.atomic
def import_collection(data: dict) -> ImportReport:
    """Create or update annotations from a W3C collection; idempotent by annotation id.

    An annotation whose passage cannot be found is kept as a draft orphan and reported, never dropped.
    """
    report = ImportReport()
    texts: dict[int, str] = {}
    for item in items_of(data):
        identifier = item.get("id", "")
        try:
            source = item["target"]["source"]
            slug = re.search(r"/documents/([\w-]+)/", source).group(1)
            document = SourceDocumentPage.objects.get(slug=slug)
            selector = selectors_of(item)
            bodies = item["body"] if isinstance(item["body"], list) else [item["body"]]
            text_body = next(b for b in bodies if b.get("type") == "TextualBody")
            kind = KINDS.get(item.get("motivation"), "context")
        except (KeyError, AttributeError, StopIteration, TypeError, ValueError, SourceDocumentPage.DoesNotExist) as e:
            report.refused.append(f"{identifier or '(no id)'}: {type(e).__name__} {e}")
            continue
        if document.pk not in texts:  # not setdefault: that would render the text again for every item
            texts[document.pk] = canonical_text(document.transcription)
        text = texts[document.pk]
        annotation = existing_annotation(identifier, document) or Annotation(document=document, w3c_id=identifier)
        created = annotation.pk is None
        annotation.kind, annotation.body = kind, text_body.get("value", "")
        annotation.use_selector(selector)
        resolution = annotation.reanchor(text)  # sets the outcome on the instance; saved just below
        tags = [b.get("source", "") for b in bodies if b.get("purpose") == "tagging"]
        annotation.terms = list(GlossaryTerm.objects.filter(slug__in=slugs_in(tags, "glossary")))
        annotation.people = list(Person.objects.filter(slug__in=slugs_in(tags, "people")))
        annotation.live = resolution.placed
        annotation.save()
        if created and item.get("created"):  # auto_now_add ignores a value given before the first save
            Annotation.objects.filter(pk=annotation.pk).update(created_at=parse_datetime(item["created"]))
        revision = annotation.save_revision()
        if resolution.placed:
            revision.publish()
        else:
            report.orphaned.append(f"{identifier}: “{selector.exact[:80]}” not found in {document.slug}")
        report.created += created
        report.updated += not created
    return report


def existing_annotation(identifier: str, document) -> Annotation | None:
    found = Annotation.objects.filter(w3c_id=identifier).first() if identifier else None
    if found is None:
        own = re.search(rf"/documents/{re.escape(document.slug)}/#annotation-(\d+)$", identifier or "")
        if own:
            found = Annotation.objects.filter(pk=int(own.group(1)), document=document).first()
    return found


def slugs_in(urls: list[str], section: str) -> list[str]:
    return [m.group(1) for url in urls if (m := re.search(rf"/{section}/([\w-]+)/?$", url))]
