"""Load the documents, glossary terms, people, annotations and timeline events that ship with the project.

Idempotent. What does not exist yet (by slug, or by its content key for annotations) is created. What exists
is brought up to the shipped version only if nobody changed it since it was loaded (`core/shipped.py`): a
correction in the content files reaches a school's database, what editors changed in the admin is never
overwritten. `arms_talks_site`'s `load_content` command calls `load_documents` after making the home page.
"""

import hashlib
import tomllib
from datetime import date
from functools import partial
from pathlib import Path

from core.shipped import CONTENT_UPDATE, Reconciler, held, read_superseded
from documents.models import (
    Annotation,
    DocumentIndexPage,
    GlossaryTerm,
    Person,
    SourceDocumentPage,
    TimelineEvent,
    TimelineEventSource,
)
from documents.pipeline import canonical_text
from documents.roles import grant_section_page_permissions

CONTENT_DIR = Path(__file__).resolve().parent
CONTENT_KEY = "arms-talks-content:"  # w3c_id of annotations that ship with the project


def read_toml(name: str, root: Path = CONTENT_DIR) -> dict:
    path = root / name
    return tomllib.loads(path.read_text()) if path.exists() else {}


def corpus_files(root: Path = CONTENT_DIR) -> list[Path]:
    """One `corpus/<name>/document.toml` per further document: its metadata, notes, and the terms and people
    it brings, beside its `transcription.md` and the plain-text `source.txt` it was checked against."""
    return sorted((root / "corpus").glob("*/document.toml"))


def specs(kind: str, root: Path = CONTENT_DIR) -> list[dict]:
    """Every entry of one kind ("document", "term", "person", "annotation"): the base files', then each corpus
    folder's. A document's `file` becomes a full path. `root` is another copy of this folder (an old commit's)."""
    base = {"document": "site.toml", "term": "glossary.toml", "person": "people.toml", "annotation": "annotations.toml"}
    found = [
        dict(spec, file=root / spec["file"]) if kind == "document" else spec
        for spec in read_toml(base[kind], root).get(kind, [])
    ]
    for path in corpus_files(root):
        data = tomllib.loads(path.read_text())
        if kind == "document":
            found.append(dict(data["document"], file=path.parent / "transcription.md"))
        else:
            found += data.get(kind, [])
    return found


def load_documents(home, report=print, corrections=print) -> list[str]:
    """The documents index under `home`, the documents, glossary, people, annotations and timeline events not yet
    loaded; those loaded before and untouched since are brought up to their shipped version. `report` says what
    could not be loaded, `corrections` which corrections were applied or kept back."""
    shipped = Reconciler(read_superseded(CONTENT_DIR / "superseded.toml"), corrections)
    site = read_toml("site.toml")
    created = []
    index = DocumentIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=DocumentIndexPage(**site["index"]))
        grant_section_page_permissions(index)
        shipped.created("page:documents", index_fields(site["index"]))
        created.append(f"page {index.url_path}")
    else:
        fields = index_fields(site["index"])
        if shipped.sync(
            "page:documents", fields, page_now(index, fields), partial(publish_page, index, fields), held(index)
        ):
            created.append("corrected page:documents")
    for spec in specs("document"):
        key, fields = f"document:{spec['slug']}", document_fields(spec)
        page = SourceDocumentPage.objects.filter(slug=spec["slug"]).first()
        if page is not None:
            if shipped.sync(key, fields, page_now(page, fields), partial(publish_page, page, fields), held(page)):
                created.append(f"corrected {key}")
            continue
        page = index.add_child(instance=SourceDocumentPage(**page_values(fields), slug=spec["slug"]))
        page.save_revision().publish()
        shipped.created(key, fields)
        created.append(f"document {page.slug}")
    created += load_terms(shipped)
    created += load_people(shipped)
    created += load_annotations(report, shipped)
    created += load_timeline(shipped)
    return created


def shipped_fields(root: Path = CONTENT_DIR) -> dict[str, dict]:
    """Every shipped item of this app by key, as `core.shipped` compares them: for `superseded_content`."""
    site = read_toml("site.toml", root)
    items = {"page:documents": index_fields(site["index"])} if "index" in site else {}
    items |= {f"document:{s['slug']}": document_fields(s) for s in specs("document", root)}
    items |= {f"term:{s['slug']}": term_fields(s) for s in specs("term", root)}
    items |= {f"person:{s['slug']}": person_fields(s) for s in specs("person", root)}
    terms, people = {s["slug"] for s in specs("term", root)}, {s["slug"] for s in specs("person", root)}
    for spec in specs("annotation", root):
        key = annotation_key(spec)
        items[f"annotation:{key}"] = annotation_fields(spec, terms, people)
        if "compare_with" in spec:
            items[f"annotation:{key}:second"] = annotation_fields(second_passage(spec), terms, people)
    items |= {f"event:{s['slug']}": event_fields(s) for s in read_toml("timeline.toml", root).get("event", [])}
    return items


# Each kind of item as plain data, from its spec and from the database, in the same form (`core/shipped.py`).


def index_fields(spec: dict) -> dict:
    return {"title": spec["title"], "intro": spec.get("intro", "")}


def document_fields(spec: dict) -> dict:
    fields = {k: v for k, v in spec.items() if k not in ("file", "slug")}
    fields["transcription"] = spec["file"].read_text()
    return fields


def page_values(fields: dict) -> dict:
    """Shipped fields as the model takes them (dates as dates)."""
    return {k: date.fromisoformat(v) if k == "date_sort" else v for k, v in fields.items()}


def page_now(page, fields: dict) -> dict:
    """The live page's values of the shipped fields."""
    values = {k: getattr(page, k) for k in fields}
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def publish_page(page, fields: dict) -> None:
    page = page.specific
    for name, value in page_values(fields).items():
        setattr(page, name, value)
    page.save_revision(log_action=CONTENT_UPDATE).publish()  # publishing re-anchors a document's notes


def term_fields(spec: dict) -> dict:
    # `related` is left out: the relation is symmetrical, so a term's list in the database holds more than its spec.
    return {
        "term": spec["term"],
        "expansion": spec.get("expansion", ""),
        "category": spec.get("category", "concept"),
        "aliases": spec.get("aliases", []),
        "definition": spec["definition"].strip(),
    }


def person_fields(spec: dict) -> dict:
    return {
        "name": spec["name"],
        "aliases": spec.get("aliases", []),
        "role": spec["role"],
        "biography": spec.get("biography", "").strip(),
    }


def row_now(item, fields: dict) -> dict:
    return {k: getattr(item, k) for k in fields}


def save_row(item, fields: dict) -> None:
    """Terms and people have no revisions: the row is the version."""
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()


def annotation_key(spec: dict) -> str:
    digest = hashlib.sha256(spec["exact"].encode()).hexdigest()[:12]
    return f"{spec['document']}:{digest}:{spec['kind']}"


def second_passage(spec: dict) -> dict:
    """The note on a comparison's second passage: it shows the first's relation and explanation."""
    return {**spec["compare_with"], "kind": "compare", "body": ""}


def annotation_fields(spec: dict, terms: set[str], people: set[str]) -> dict:
    """`terms` and `people`: the shipped slugs (a note names only those that exist)."""
    return {
        "kind": spec["kind"],
        "relation": spec.get("relation", ""),
        "body": spec["body"].strip(),
        "terms": sorted(s for s in spec.get("terms", []) if s in terms),
        "people": sorted(s for s in spec.get("people", []) if s in people),
    }


def annotation_now(annotation) -> dict:
    return {
        "kind": annotation.kind,
        "relation": annotation.relation,
        "body": annotation.body,
        "terms": sorted(t.slug for t in annotation.terms.all()),
        "people": sorted(p.slug for p in annotation.people.all()),
    }


def publish_annotation(annotation, fields: dict) -> None:
    """A new revision, published: publishing re-anchors the note, as an editor's edit would."""
    annotation.kind, annotation.relation, annotation.body = fields["kind"], fields["relation"], fields["body"]
    annotation.terms = list(GlossaryTerm.objects.filter(slug__in=fields["terms"]))
    annotation.people = list(Person.objects.filter(slug__in=fields["people"]))
    annotation.save_revision(log_action=CONTENT_UPDATE).publish()


def event_fields(spec: dict) -> dict:
    return {
        "title": spec["title"],
        "start": spec["start"],
        "end": spec.get("end"),
        "date_display": spec["date_display"],
        "place": spec.get("place", ""),
        "summary": spec["summary"].strip(),
        "sources": [[s["document"], s.get("paragraph", ""), s.get("note", "")] for s in spec["sources"]],
    }


def event_now(event) -> dict:
    return {
        "title": event.title,
        "start": event.start.isoformat(),
        "end": event.end.isoformat() if event.end else None,
        "date_display": event.date_display,
        "place": event.place,
        "summary": event.summary,
        "sources": [[s.document_number, s.paragraph, s.note] for s in event.sources.all()],
    }


def fill_event(event, fields: dict) -> None:
    event.title, event.date_display = fields["title"], fields["date_display"]
    event.start = date.fromisoformat(fields["start"])
    event.end = date.fromisoformat(fields["end"]) if fields["end"] else None
    event.place, event.summary = fields["place"], fields["summary"]
    event.sources = [
        TimelineEventSource(document_number=number, paragraph=paragraph, note=note)
        for number, paragraph, note in fields["sources"]
    ]


def publish_event(event, fields: dict) -> None:
    fill_event(event, fields)
    event.save_revision(log_action=CONTENT_UPDATE).publish()


def load_timeline(shipped: Reconciler) -> list[str]:
    """The timeline's events not yet loaded (by slug), published; those untouched since, corrected."""
    created = []
    existing = {e.slug: e for e in TimelineEvent.objects.prefetch_related("sources")}
    for spec in read_toml("timeline.toml").get("event", []):
        key, fields = f"event:{spec['slug']}", event_fields(spec)
        if (event := existing.get(spec["slug"])) is not None:
            if shipped.sync(key, fields, event_now(event), partial(publish_event, event, fields), held(event)):
                created.append(f"corrected {key}")
            continue
        event = TimelineEvent(slug=spec["slug"])
        fill_event(event, fields)
        event.save()
        event.save_revision().publish()
        shipped.created(key, fields)
        created.append(f"event {event.slug}")
    return created


def load_terms(shipped: Reconciler) -> list[str]:
    term_specs = specs("term")
    created = []
    existing = {t.slug: t for t in GlossaryTerm.objects.all()}
    for spec in term_specs:
        key, fields = f"term:{spec['slug']}", term_fields(spec)
        if (term := existing.get(spec["slug"])) is not None:
            if shipped.sync(key, fields, row_now(term, fields), partial(save_row, term, fields)):
                created.append(f"corrected {key}")
            continue
        GlossaryTerm.objects.create(slug=spec["slug"], **fields)
        shipped.created(key, fields)
        created.append(f"term {spec['slug']}")
    by_slug = {t.slug: t for t in GlossaryTerm.objects.all()}
    for spec in term_specs:
        if f"term {spec['slug']}" in created and spec.get("related"):
            by_slug[spec["slug"]].related.add(*[by_slug[s] for s in spec["related"] if s in by_slug])
    return created


def load_people(shipped: Reconciler) -> list[str]:
    created = []
    existing = {p.slug: p for p in Person.objects.all()}
    for spec in specs("person"):
        key, fields = f"person:{spec['slug']}", person_fields(spec)
        if (person := existing.get(spec["slug"])) is not None:
            if shipped.sync(key, fields, row_now(person, fields), partial(save_row, person, fields)):
                created.append(f"corrected {key}")
            continue
        Person.objects.create(slug=spec["slug"], **fields)
        shipped.created(key, fields)
        created.append(f"person {spec['slug']}")
    return created


def load_annotations(report, shipped: Reconciler) -> list[str]:
    """Published annotations from annotations.toml, keyed so that a second run adds none.

    They are created in reading order, so that their letters (given at creation) run a, b, c… down the page.
    An entry of kind "compare" names a second passage (`compare_with`: its document, `exact`, `prefix`): both
    passages get a note, the first holding the relation and the explanation; both or neither are loaded.
    Notes loaded before keep their place; their text is corrected if nobody changed it.
    """
    created = []
    texts: dict[str, str] = {}
    terms = {t.slug: t for t in GlossaryTerm.objects.all()}
    people = {p.slug: p for p in Person.objects.all()}
    shipped_terms, shipped_people = {s["slug"] for s in specs("term")}, {s["slug"] for s in specs("person")}
    existing = {
        a.w3c_id: a
        for a in Annotation.objects.filter(w3c_id__startswith=CONTENT_KEY).prefetch_related("terms", "people")
    }

    def locate(passage: dict) -> tuple | None:
        document = SourceDocumentPage.objects.filter(slug=passage["document"]).first()
        if document is None:
            return None
        if document.slug not in texts:  # not setdefault: that would render the text for every annotation
            texts[document.slug] = canonical_text(document.transcription)
        start = find_quote(texts[document.slug], passage["exact"], passage.get("prefix", ""))
        if start is None:
            report(f"Annotation not loaded, quote not found in {document.slug}: {passage['exact'][:60]}")
            return None
        return document, start

    def correct(key: str, spec: dict) -> None:
        annotation, fields = existing[key], annotation_fields(spec, shipped_terms, shipped_people)
        name = f"annotation:{key.removeprefix(CONTENT_KEY)}"
        update = partial(publish_annotation, annotation, fields)
        if shipped.sync(name, fields, annotation_now(annotation), update, held(annotation)):
            created.append(f"corrected {name}")

    found, pairs = [], []
    for spec in specs("annotation"):
        key = f"{CONTENT_KEY}{annotation_key(spec)}"
        second = spec.get("compare_with")
        if key in existing:
            correct(key, spec)
            if second is not None and f"{key}:second" in existing:
                correct(f"{key}:second", second_passage(spec))
            continue
        if (place := locate(spec)) is None:
            continue
        if second is not None:
            if (second_place := locate(second)) is None:
                continue
            found.append((*second_place, f"{key}:second", second_passage(spec)))
            pairs.append((key, f"{key}:second"))
        found.append((*place, key, spec))
    made = {}
    for document, start, key, spec in sorted(found, key=lambda f: (f[0].pk, f[1], -len(f[3]["exact"]))):
        fields = annotation_fields(spec, shipped_terms, shipped_people)
        annotation = Annotation(
            document=document, kind=fields["kind"], relation=fields["relation"], body=fields["body"], w3c_id=key
        )
        annotation.set_anchor(texts[document.slug], start, start + len(spec["exact"]))
        annotation.terms = [terms[s] for s in fields["terms"] if s in terms]
        annotation.people = [people[s] for s in fields["people"] if s in people]
        annotation.save()
        annotation.save_revision().publish()
        shipped.created(f"annotation:{key.removeprefix(CONTENT_KEY)}", fields)
        made[key] = annotation
        created.append(f"annotation {key}")
    for first, second in pairs:
        Annotation.objects.filter(pk=made[first].pk).update(counterpart=made[second])
    return created


def find_quote(text: str, exact: str, prefix: str) -> int | None:
    if prefix:
        found = text.find(prefix + exact)
        return None if found == -1 else found + len(prefix)
    found = text.find(exact)
    return None if found == -1 else found
