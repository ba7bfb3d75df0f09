"""Annotations in and out as W3C Web Annotations (https://www.w3.org/TR/annotation-model/).

Our kinds map onto W3C motivations, so a round trip keeps them. Linked glossary terms and people
travel as extra bodies with the purpose "tagging", pointing at their pages. Two passages compared are
one annotation with two targets (motivation "linking"; the relation, e.g. "answers", is a body with the
purpose "classifying"): it is listed in both documents' collections, under the first passage's id.
"""

import re
import uuid
from dataclasses import dataclass, field
from math import ceil
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Case, Q, When
from django.utils.dateparse import parse_datetime

from documents.anchoring import Selector
from documents.models import Annotation, GlossaryTerm, Person, SourceDocumentPage, claim_label, label_is_free
from documents.pipeline import canonical_text

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = f'application/ld+json; profile="{CONTEXT}"'
PAGE_SIZE = 100  # annotations per AnnotationPage
MOTIVATIONS = {
    "context": "commenting",
    "vocabulary": "describing",
    "people": "identifying",
    "question": "questioning",
    "crossref": "linking",
    "sourcing": "assessing",
    "compare": "linking",  # told apart from a cross-reference by its two targets
}
KINDS = {motivation: kind for kind, motivation in MOTIVATIONS.items() if kind != "compare"}


class Addresses:
    """Absolute IRIs on this site for a document and its notes.

    They come from the Wagtail Site the page lives in (`page.full_url`), not from the request's Host
    header, so an annotation's id is the same whoever asks and however the page cache was filled.
    """

    def __init__(self, document: SourceDocumentPage, request=None):
        self.document, self.request = document, request
        self.page = document.get_full_url(request)
        parts = urlsplit(self.page)
        self.root = f"{parts.scheme}://{parts.netloc}"
        self.collection = self.page + document.reverse_subpage("annotations")
        self.text = self.page + document.reverse_subpage("text")

    def annotation(self, annotation: Annotation) -> str:
        return self.page + self.document.reverse_subpage("annotation", kwargs={"uuid": str(annotation.uuid)})

    def collection_page(self, number: int) -> str:
        return f"{self.collection}?page={number}"


def is_iri(value: str) -> bool:
    """Only real IRIs travel as `via`: the loader's own keys (`arms-talks-content:…`) stay at home."""
    return value.startswith(("http://", "https://", "urn:"))


def target_of(annotation: Annotation, addresses: Addresses) -> dict:
    return {
        "source": addresses.text,
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": annotation.quote_exact,
                "prefix": annotation.quote_prefix,
                "suffix": annotation.quote_suffix,
            },
            {"type": "TextPositionSelector", "start": annotation.position_start, "end": annotation.position_end},
        ],
    }


def to_w3c(annotation: Annotation, addresses: Addresses) -> dict:
    """One annotation; for passages compared, `annotation` is the first passage's note (`published`)."""
    if annotation.document_id != addresses.document.pk:  # listed in the second passage's collection
        addresses = Addresses(annotation.document, addresses.request)
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
        {"type": "SpecificResource", "purpose": "tagging", "source": addresses.root + t.get_absolute_url()}
        for t in annotation.terms.all()
    ]
    bodies += [
        {"type": "SpecificResource", "purpose": "tagging", "source": addresses.root + p.get_absolute_url()}
        for p in annotation.people.all()
    ]
    creator = annotation.author.get_full_name() or annotation.author.username if annotation.author else None
    item = {
        "id": addresses.annotation(annotation),
        "type": "Annotation",
        "label": annotation.label,
        "motivation": MOTIVATIONS[annotation.kind],
        "body": bodies,
        "target": target_of(annotation, addresses),
        "creator": {"type": "Person", "name": creator} if creator else {"type": "Organization", "name": "Arms Talks"},
        "created": annotation.created_at.isoformat(),
        "modified": annotation.updated_at.isoformat(),
    }
    if annotation.kind == Annotation.Kind.COMPARE and annotation.counterpart_id:
        other = annotation.counterpart
        bodies.append(
            {"type": "TextualBody", "purpose": "classifying", "value": annotation.relation, "format": "text/plain"}
        )
        item["target"] = [item["target"], target_of(other, Addresses(other.document, addresses.request))]
    if is_iri(annotation.w3c_id):
        item["via"] = annotation.w3c_id
    if annotation.canonical:
        item["canonical"] = annotation.canonical
    return item


def published(document: SourceDocumentPage):
    """What the export shows: published notes, in reading order, with what their bodies link to. A comparison
    is one annotation, its first passage's: listed here when either of its passages is in this document."""
    own = Q(document=document, paired_from__isnull=True) & ~Q(kind=Annotation.Kind.COMPARE, counterpart__isnull=True)
    compared_here = Q(counterpart__document=document, counterpart__live=True)
    return (
        Annotation.objects.filter(own | compared_here, live=True)
        .exclude(kind=Annotation.Kind.COMPARE, counterpart__live=False)
        .order_by(Case(When(document=document, then=0), default=1), "position_start", "pk")
        .select_related("author", "document", "counterpart__document")
        .prefetch_related("terms", "people")
    )


def one_annotation(annotation: Annotation, addresses: Addresses) -> dict:
    return {"@context": CONTEXT, **to_w3c(annotation, addresses)}


def collection(document: SourceDocumentPage, addresses: Addresses) -> dict:
    """The AnnotationCollection, with its first page of items embedded (what most clients read)."""
    total = published(document).count()
    pages = max(1, ceil(total / PAGE_SIZE))
    return {
        "@context": CONTEXT,
        "id": addresses.collection,
        "type": "AnnotationCollection",
        "label": f"Teaching notes on {document.short_citation}: {document.title}",
        "total": total,
        "first": annotation_page(document, addresses, 1, pages),
        "last": addresses.collection_page(pages),
    }


def collection_page(document: SourceDocumentPage, addresses: Addresses, number: int) -> dict | None:
    """Page `number` (from 1) of the collection, or None when there is no such page."""
    total = published(document).count()
    pages = max(1, ceil(total / PAGE_SIZE))
    if not 1 <= number <= pages:
        return None
    page = annotation_page(document, addresses, number, pages)
    page["partOf"] = {"id": addresses.collection, "type": "AnnotationCollection", "total": total}
    return {"@context": CONTEXT, **page}


def annotation_page(document, addresses: Addresses, number: int, pages: int) -> dict:
    start = (number - 1) * PAGE_SIZE
    items = [to_w3c(a, addresses) for a in published(document)[start : start + PAGE_SIZE]]
    page = {"id": addresses.collection_page(number), "type": "AnnotationPage", "startIndex": start, "items": items}
    if number > 1:
        page["prev"] = addresses.collection_page(number - 1)
    if number < pages:
        page["next"] = addresses.collection_page(number + 1)
    return page


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    orphaned: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def selectors_of(target: dict) -> Selector:
    selectors = target["selector"]
    selectors = selectors if isinstance(selectors, list) else [selectors]
    quote = next(s for s in selectors if s["type"] == "TextQuoteSelector")
    position = next((s for s in selectors if s["type"] == "TextPositionSelector"), {"start": 0, "end": 0})
    return Selector(
        quote["exact"], quote.get("prefix", ""), quote.get("suffix", ""), int(position["start"]), int(position["end"])
    )


def items_of(data: dict) -> list[dict]:
    """The annotations of one Annotation, one AnnotationPage, or a collection's embedded first page."""
    if data.get("type") == "Annotation":
        return [data]
    page = data if data.get("type") == "AnnotationPage" else data.get("first", {})
    return list(page.get("items", [])) if isinstance(page, dict) else []


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
            targets = item["target"] if isinstance(item["target"], list) else [item["target"]]
            if len(targets) > 2:
                raise ValueError(f"{len(targets)} targets (one passage, or two passages compared)")
            document, selector = document_and_selector(targets[0])
            second = document_and_selector(targets[1]) if len(targets) == 2 else None
            bodies = item["body"] if isinstance(item["body"], list) else [item["body"]]
            text_body = next(b for b in bodies if b.get("type") == "TextualBody" and b.get("purpose") != "classifying")
            kind = "compare" if second else KINDS.get(item.get("motivation"), "context")
            relation = next((b.get("value") for b in bodies if b.get("purpose") == "classifying"), "")
            if second and relation not in Annotation.Relation.values:
                raise ValueError(f"two passages compared need a relation, one of {', '.join(Annotation.Relation)}")
        except (KeyError, AttributeError, StopIteration, TypeError, ValueError, SourceDocumentPage.DoesNotExist) as e:
            report.refused.append(f"{identifier or '(no id)'}: {type(e).__name__} {e}")
            continue
        annotation = existing_annotation(identifier, document) or new_annotation(item, document)
        created = annotation.pk is None
        annotation.kind, annotation.body = kind, text_body.get("value", "")
        annotation.relation = relation if second else ""
        annotation.use_selector(selector)
        resolution = annotation.reanchor(text_of(document, texts))  # sets the outcome on the instance; saved below
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
        if second:
            pair_with(annotation, *second, text_of(second[0], texts), report, identifier)
        report.created += created
        report.updated += not created
    return report


def document_and_selector(target: dict) -> tuple[SourceDocumentPage, Selector]:
    slug = re.search(r"/documents/([\w-]+)/", target["source"]).group(1)
    return SourceDocumentPage.objects.get(slug=slug), selectors_of(target)


def text_of(document, texts: dict) -> str:
    if document.pk not in texts:  # not setdefault: that would render the text again for every item
        texts[document.pk] = canonical_text(document.transcription)
    return texts[document.pk]


def pair_with(first: Annotation, document, selector: Selector, text: str, report: ImportReport, identifier: str):
    """The second passage of an imported comparison: its own note (no body: it shows the first's), placed in
    its document like any note, kept as a draft orphan when it cannot be placed."""
    second = first.counterpart or Annotation(document=document, kind=Annotation.Kind.COMPARE, body="")
    second.document = document
    second.use_selector(selector)
    placed = second.reanchor(text).placed
    second.live = placed
    second.save()
    revision = second.save_revision()
    if placed:
        revision.publish()
    else:
        report.orphaned.append(f"{identifier} (second passage): “{selector.exact[:80]}” not found in {document.slug}")
    if first.counterpart_id != second.pk:
        first.counterpart = second
        Annotation.objects.filter(pk=first.pk).update(counterpart=second)


def own_uuid(identifier: str, document) -> uuid.UUID | None:
    """The uuid of one of this site's own annotation IRIs for the document, else None."""
    prefix = Addresses(document).page + "annotations/"
    if not identifier.startswith(prefix):
        return None
    try:
        return uuid.UUID(identifier.removeprefix(prefix).rstrip("/"))
    except ValueError:
        return None


def existing_annotation(identifier: str, document) -> Annotation | None:
    if not identifier:
        return None
    own = own_uuid(identifier, document)
    if own is not None:
        return Annotation.objects.filter(uuid=own, document=document).first()
    return Annotation.objects.filter(w3c_id=identifier, document=document).first()


def new_annotation(item: dict, document) -> Annotation:
    """A note new to this database. One of our own (an export brought back) keeps its uuid, so its id
    does not change; one from elsewhere keeps the id it came with as `via`. Both keep their letter
    if the document has no note with it yet."""
    identifier = item.get("id", "")
    own = own_uuid(identifier, document)
    annotation = Annotation(document=document)
    if own is not None:
        annotation.uuid, annotation.w3c_id = own, str(item.get("via", ""))
    else:
        annotation.w3c_id = identifier
    if is_iri(str(item.get("canonical", ""))):
        annotation.canonical = item["canonical"]
    label = str(item.get("label", ""))
    if label_is_free(document.pk, label):
        claim_label(document.pk, label)
        annotation.label = label
    return annotation


def slugs_in(urls: list[str], section: str) -> list[str]:
    return [m.group(1) for url in urls if (m := re.search(rf"/{section}/([\w-]+)/?$", url))]
