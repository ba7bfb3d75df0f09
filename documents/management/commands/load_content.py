"""Load the project's own content: home page, documents, glossary and people.

Idempotent and safe to run on every start: anything that already exists (by slug) is left
as it is, so what editors changed in the admin is never overwritten.
"""

import hashlib
import tomllib
from collections import Counter
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from arms_talks_site.models import HomePage
from documents.models import Annotation, DocumentIndexPage, GlossaryTerm, Person, SourceDocumentPage
from documents.pipeline import canonical_text
from lessons.content import load_lessons

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"
CONTENT_KEY = "arms-talks-content:"  # w3c_id of annotations that ship with the project


def read_toml(name: str) -> dict:
    path = CONTENT_DIR / name
    return tomllib.loads(path.read_text()) if path.exists() else {}


class Command(BaseCommand):
    help = "Create the home page, the source documents, glossary terms and people that do not exist yet."

    @transaction.atomic
    def handle(self, *args, **options):
        site = read_toml("site.toml")
        created = []
        home = self.home_page(site["home"], created)
        index = DocumentIndexPage.objects.child_of(home).first()
        if index is None:
            index = home.add_child(instance=DocumentIndexPage(**site["index"]))
            created.append(f"page {index.url_path}")
        for spec in site["document"]:
            if SourceDocumentPage.objects.filter(slug=spec["slug"]).exists():
                continue
            fields = {k: v for k, v in spec.items() if k != "file"}
            fields["date_sort"] = date.fromisoformat(fields["date_sort"])
            fields["transcription"] = (CONTENT_DIR / spec["file"]).read_text()
            page = index.add_child(instance=SourceDocumentPage(**fields))
            page.save_revision().publish()
            created.append(f"document {page.slug}")
        created += self.load_terms()
        created += self.load_people()
        created += self.load_annotations()
        created += load_lessons(home)
        kinds = Counter(item.split()[0] for item in created)
        summary = ", ".join(f"{count} {kind}" for kind, count in kinds.items()) or "nothing new (edits kept)"
        self.stdout.write(f"Content loaded: {summary}.")

    def home_page(self, spec, created) -> HomePage:
        home = HomePage.objects.first()
        if home is not None:
            return home
        root = Page.get_first_root_node()
        if root is None:  # a flushed database (transactional tests) has lost even Wagtail's root
            Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
            root = Page.add_root(instance=Page(title="Root", slug="root"))
        # Wagtail's install leaves a placeholder "Welcome" page at /home/; the real home page takes its place.
        placeholder = Page.objects.filter(depth=2, slug="home", content_type__model="page").first()
        if placeholder is not None:
            placeholder.slug = "wagtail-placeholder"
            placeholder.save(update_fields=["slug"])
        home = root.add_child(instance=HomePage(title=spec["title"], slug="home", intro=spec["intro"]))
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
        else:
            site.root_page = home  # before the placeholder goes: deleting a site's root deletes the site
            site.save()
        if placeholder is not None and not placeholder.get_children().exists():
            placeholder.delete()
        created.append("home page")
        return home

    def load_terms(self) -> list[str]:
        specs = read_toml("glossary.toml").get("term", [])
        created = []
        existing = set(GlossaryTerm.objects.values_list("slug", flat=True))
        for spec in specs:
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
        for spec in specs:
            if f"term {spec['slug']}" in created and spec.get("related"):
                by_slug[spec["slug"]].related.add(*[by_slug[s] for s in spec["related"] if s in by_slug])
        return created

    def load_people(self) -> list[str]:
        created = []
        existing = set(Person.objects.values_list("slug", flat=True))
        for spec in read_toml("people.toml").get("person", []):
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

    def load_annotations(self) -> list[str]:
        """Published annotations from annotations.toml, keyed so that a second run adds none."""
        created = []
        texts: dict[str, str] = {}
        terms = {t.slug: t for t in GlossaryTerm.objects.all()}
        people = {p.slug: p for p in Person.objects.all()}
        existing = set(Annotation.objects.filter(w3c_id__startswith=CONTENT_KEY).values_list("w3c_id", flat=True))
        for spec in read_toml("annotations.toml").get("annotation", []):
            digest = hashlib.sha256(spec["exact"].encode()).hexdigest()[:12]
            key = f"{CONTENT_KEY}{spec['document']}:{digest}:{spec['kind']}"
            document = SourceDocumentPage.objects.filter(slug=spec["document"]).first()
            if key in existing or document is None:
                continue
            if document.slug not in texts:  # not setdefault: that would render the text for every annotation
                texts[document.slug] = canonical_text(document.transcription)
            text = texts[document.slug]
            start = find_quote(text, spec["exact"], spec.get("prefix", ""))
            if start is None:
                self.stderr.write(f"Annotation not loaded, quote not found in {document.slug}: {spec['exact'][:60]}")
                continue
            annotation = Annotation(document=document, kind=spec["kind"], body=spec["body"].strip(), w3c_id=key)
            annotation.set_anchor(text, start, start + len(spec["exact"]))
            annotation.terms = [terms[s] for s in spec.get("terms", []) if s in terms]
            annotation.people = [people[s] for s in spec.get("people", []) if s in people]
            annotation.save()
            annotation.save_revision().publish()
            created.append(f"annotation {key}")
        return created


def find_quote(text: str, exact: str, prefix: str) -> int | None:
    if prefix:
        found = text.find(prefix + exact)
        return None if found == -1 else found + len(prefix)
    found = text.find(exact)
    return None if found == -1 else found
