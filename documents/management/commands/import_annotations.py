"""Import W3C Web Annotations (an AnnotationCollection as /documents/<slug>/annotations.jsonld gives)."""

import json

from django.core.management.base import BaseCommand, CommandError

from documents.exchange import import_collection


class Command(BaseCommand):
    help = "Import annotations from a W3C AnnotationCollection (JSON-LD). Idempotent by annotation id."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the .jsonld file")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, json.JSONDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        report = import_collection(data)
        self.stdout.write(f"Imported: {report.created} created, {report.updated} updated.")
        for line in report.orphaned:
            self.stdout.write(self.style.WARNING(f"Could not anchor (kept as a draft orphan): {line}"))
        for line in report.refused:
            self.stdout.write(self.style.ERROR(f"Refused (not a usable annotation): {line}"))
