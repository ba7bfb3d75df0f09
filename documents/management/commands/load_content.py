"""Load the project's own content: home page, documents, glossary and people.

Idempotent and safe to run on every start: anything that already exists (by slug) is left
as it is, so what editors changed in the admin is never overwritten.
"""

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
from documents.models import DocumentIndexPage, GlossaryTerm, Person, SourceDocumentPage

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"


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
        if placeholder is not None and not placeholder.get_children().exists():
            placeholder.delete()
        home = root.add_child(instance=HomePage(title=spec["title"], slug="home", intro=spec["intro"]))
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
        else:
            site.root_page = home
            site.save()
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
