"""Load the documents, glossary terms, people and annotations that ship with the project.

Idempotent: anything that already exists (by slug, or by its content key for annotations) is left as
it is, so what editors changed in the admin is never overwritten. `arms_talks_site`'s `load_content`
command calls `load_documents` after making the home page.
"""

import hashlib
import tomllib
from datetime import date
from pathlib import Path

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


def read_toml(name: str) -> dict:
    path = CONTENT_DIR / name
    return tomllib.loads(path.read_text()) if path.exists() else {}


def corpus_files() -> list[Path]:
    """One `corpus/<name>/document.toml` per further document: its metadata, notes, and the terms and people
    it brings, beside its `transcription.md` and the plain-text `source.txt` it was checked against."""
    return sorted((CONTENT_DIR / "corpus").glob("*/document.toml"))


def specs(kind: str) -> list[dict]:
    """Every entry of one kind ("document", "term", "person", "annotation"): the base files', then each corpus
    folder's. A document's `file` becomes a full path."""
    base = {"document": "site.toml", "term": "glossary.toml", "person": "people.toml", "annotation": "annotations.toml"}
    found = [
        dict(spec, file=CONTENT_DIR / spec["file"]) if kind == "document" else spec
        for spec in read_toml(base[kind]).get(kind, [])
    ]
    for path in corpus_files():
        data = tomllib.loads(path.read_text())
        if kind == "document":
            found.append(dict(data["document"], file=path.parent / "transcription.md"))
        else:
            found += data.get(kind, [])
    return found


def load_documents(home, report=print) -> list[str]:
    """The documents index under `home`, the documents, glossary, people and annotations not yet loaded."""
    site = read_toml("site.toml")
    created = []
    index = DocumentIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=DocumentIndexPage(**site["index"]))
        grant_section_page_permissions(index)
        created.append(f"page {index.url_path}")
    for spec in specs("document"):
        if SourceDocumentPage.objects.filter(slug=spec["slug"]).exists():
            continue
        fields = {k: v for k, v in spec.items() if k != "file"}
        fields["date_sort"] = date.fromisoformat(fields["date_sort"])
        fields["transcription"] = spec["file"].read_text()
        page = index.add_child(instance=SourceDocumentPage(**fields))
        page.save_revision().publish()
        created.append(f"document {page.slug}")
    created += load_terms()
    created += load_people()
    created += load_annotations(report)
    created += load_timeline()
    return created


def load_timeline() -> list[str]:
    """The timeline's events not yet loaded (by slug), published."""
    created = []
    existing = set(TimelineEvent.objects.values_list("slug", flat=True))
    for spec in read_toml("timeline.toml").get("event", []):
        if spec["slug"] in existing:
            continue
        event = TimelineEvent(
            slug=spec["slug"],
            title=spec["title"],
            start=date.fromisoformat(spec["start"]),
            end=date.fromisoformat(spec["end"]) if "end" in spec else None,
            date_display=spec["date_display"],
            place=spec.get("place", ""),
            summary=spec["summary"].strip(),
        )
        event.sources = [
            TimelineEventSource(
                document_number=source["document"], paragraph=source.get("paragraph", ""), note=source.get("note", "")
            )
            for source in spec["sources"]
        ]
        event.save()
        event.save_revision().publish()
        created.append(f"event {event.slug}")
    return created


def load_terms() -> list[str]:
    term_specs = specs("term")
    created = []
    existing = set(GlossaryTerm.objects.values_list("slug", flat=True))
    for spec in term_specs:
        if spec["slug"] in existing:
            continue
        GlossaryTerm.objects.create(
            slug=spec["slug"],
            term=spec["term"],
            expansion=spec.get("expansion", ""),
            category=spec.get("category", "concept"),
            aliases=spec.get("aliases", []),
            definition=spec["definition"].strip(),
        )
        created.append(f"term {spec['slug']}")
    by_slug = {t.slug: t for t in GlossaryTerm.objects.all()}
    for spec in term_specs:
        if f"term {spec['slug']}" in created and spec.get("related"):
            by_slug[spec["slug"]].related.add(*[by_slug[s] for s in spec["related"] if s in by_slug])
    return created


def load_people() -> list[str]:
    created = []
    existing = set(Person.objects.values_list("slug", flat=True))
    for spec in specs("person"):
        if spec["slug"] in existing:
            continue
        Person.objects.create(
            slug=spec["slug"],
            name=spec["name"],
            aliases=spec.get("aliases", []),
            role=spec["role"],
            biography=spec.get("biography", "").strip(),
        )
        created.append(f"person {spec['slug']}")
    return created


def load_annotations(report) -> list[str]:
    """Published annotations from annotations.toml, keyed so that a second run adds none.

    They are created in reading order, so that their letters (given at creation) run a, b, c… down the page.
    An entry of kind "compare" names a second passage (`compare_with`: its document, `exact`, `prefix`): both
    passages get a note, the first holding the relation and the explanation; both or neither are loaded.
    """
    created = []
    texts: dict[str, str] = {}
    terms = {t.slug: t for t in GlossaryTerm.objects.all()}
    people = {p.slug: p for p in Person.objects.all()}
    existing = set(Annotation.objects.filter(w3c_id__startswith=CONTENT_KEY).values_list("w3c_id", flat=True))

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

    found, pairs = [], []
    for spec in specs("annotation"):
        digest = hashlib.sha256(spec["exact"].encode()).hexdigest()[:12]
        key = f"{CONTENT_KEY}{spec['document']}:{digest}:{spec['kind']}"
        if key in existing or (place := locate(spec)) is None:
            continue
        second = spec.get("compare_with")
        if second is not None:
            if (second_place := locate(second)) is None:
                continue
            found.append((*second_place, f"{key}:second", {**second, "kind": "compare", "body": ""}))
            pairs.append((key, f"{key}:second"))
        found.append((*place, key, spec))
    made = {}
    for document, start, key, spec in sorted(found, key=lambda f: (f[0].pk, f[1], -len(f[3]["exact"]))):
        annotation = Annotation(
            document=document,
            kind=spec["kind"],
            relation=spec.get("relation", ""),
            body=spec["body"].strip(),
            w3c_id=key,
        )
        annotation.set_anchor(texts[document.slug], start, start + len(spec["exact"]))
        annotation.terms = [terms[s] for s in spec.get("terms", []) if s in terms]
        annotation.people = [people[s] for s in spec.get("people", []) if s in people]
        annotation.save()
        annotation.save_revision().publish()
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
