"""Load the project's own content: the home page, then each app's content (documents, then lessons).

Idempotent and safe to run on every start: what does not exist yet is created; what exists is corrected to the
shipped version only if nobody changed it since it was loaded (`core/shipped.py`), so what editors changed in the
admin is never overwritten (a line says which correction was not applied). Each app supplies its own loader.
"""

import logging
import tomllib
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from arms_talks_site.models import HomePage
from documents.content import load_documents
from lessons.content import load_lessons

HOME_FILE = Path(__file__).resolve().parents[2] / "content" / "home.toml"


class Command(BaseCommand):
    help = (
        "Create the home page, documents, glossary, people, annotations and lessons that do not exist yet; "
        "correct those loaded before that nobody changed since."
    )

    def handle(self, *args, **options):
        # Loading publishes every page and note once: one summary line says it better than a log line each.
        editorial_log = logging.getLogger("core.invalidation")
        level = editorial_log.level
        if options["verbosity"] < 2:
            editorial_log.setLevel(logging.WARNING)
        try:
            self.load()
        finally:
            editorial_log.setLevel(level)

    @transaction.atomic
    def load(self):
        created = []
        home = self.home_page(tomllib.loads(HOME_FILE.read_text())["home"], created)
        created += load_documents(home, report=self.stderr.write, corrections=self.stdout.write)
        created += load_lessons(home, corrections=self.stdout.write)
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
