"""Write each app's `superseded.toml`: digests of every earlier shipped version of each item, from git history.

A database loaded before `load_content` remembered what it loaded has no `ShippedContent` record; when an item
there still equals a version the project shipped earlier, nobody changed it and the correction may replace it
(`core/shipped.py`). Run this after changing shipped content (and commit the files it writes):

    manage.py superseded_content
"""

import io
import json
import subprocess
import tarfile
import tomllib
from pathlib import Path
from tempfile import TemporaryDirectory

from django.conf import settings
from django.core.management.base import BaseCommand

from core.shipped import digest
from documents import content as documents_content
from lessons import content as lessons_content

# Each app's content folder (in the repository), how to read its shipped items from a copy of it, and its file.
APPS = {
    "documents/content": (lambda root: documents_content.shipped_fields(root), documents_content.CONTENT_DIR),
    "lessons/content": (
        lambda root: lessons_content.shipped_fields(root / "lessons.toml"),
        lessons_content.LESSONS_FILE.parent,
    ),
}


class Command(BaseCommand):
    help = "Write documents/content/superseded.toml and lessons/content/superseded.toml from git history."

    def handle(self, *args, **options):
        for folder, (read, here) in APPS.items():
            earlier = earlier_versions(folder, read, here, warn=self.stderr.write)
            lines = [
                "# Digests of earlier shipped versions of each item, from git history: written by",
                "# `manage.py superseded_content` (see core/shipped.py). Do not edit by hand.",
                "",
            ]
            lines += [f"{json.dumps(key)} = {json.dumps(sorted(earlier[key]))}" for key in sorted(earlier)]
            (here / "superseded.toml").write_text("\n".join(lines) + "\n")
            self.stdout.write(f"{folder}/superseded.toml: {len(earlier)} items with earlier versions.")


def earlier_versions(folder: str, read, here: Path, warn=print) -> dict[str, set[str]]:
    """Digests of each item's versions in every commit that changed `folder`, but the version shipped now."""
    repository = Path(settings.BASE_DIR)
    current = {key: digest(fields) for key, fields in read(here).items()}
    earlier: dict[str, set[str]] = {}
    for commit in git(repository, "log", "--format=%H", "--", folder).split():
        with TemporaryDirectory() as tmp:
            archive = subprocess.run(  # noqa: S603
                ["git", "archive", commit, folder],  # noqa: S607
                cwd=repository,
                capture_output=True,
                check=False,
            )
            if archive.returncode != 0:
                continue
            with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as files:
                files.extractall(tmp, filter="data")
            try:
                items = read(Path(tmp) / folder)
            except (KeyError, TypeError, ValueError, AttributeError, tomllib.TOMLDecodeError) as error:
                warn(f"{folder} at {commit[:7]}: not readable as shipped content ({error!r})")
                continue
        for key, fields in items.items():
            if digest(fields) != current.get(key):
                earlier.setdefault(key, set()).add(digest(fields))
    return earlier


def git(repository: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repository, capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
