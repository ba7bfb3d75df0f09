"""The W3C Nu HTML Checker (vnu.jar from the npm package vnu-jar, `make test` installs it) finds no error on any
public page type. One run of the checker for all pages: Java starts once."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from documents.models import Annotation, GlossaryTerm, Person
from lessons.models import LessonModulePage, Quiz

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("java") is None, reason="Java is not installed: the Nu HTML Checker needs it"),
]
VNU = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def public_pages(make_plan, teachers, doc285, doc293) -> dict[str, str]:
    pair = Annotation.objects.filter(kind="compare", live=True, counterpart__isnull=False).first()
    plan = make_plan(teachers[0], public=True)
    return {
        "home": "/",
        "document 285": doc285.url,
        "document 293": doc293.url,
        "documents index": "/documents/",
        "glossary": "/glossary/",
        "a term": f"/glossary/{GlossaryTerm.objects.order_by('slug').first().slug}/",
        "people": "/people/",
        "a person": f"/people/{Person.objects.order_by('slug').first().slug}/",
        "timeline": "/timeline/",
        "compare": f"/compare/{pair.uuid}/",
        "lessons": "/lessons/",
        "a module": LessonModulePage.objects.live().first().url,
        "a quiz": Quiz.objects.filter(live=True).first().get_absolute_url(),
        "a plan, student view": plan.url,
        "search": "/search/?q=conventional+arms",
        "join": "/join/?code=NOPE-00",
        "404": "/no-such-page/",
    }


def test_every_public_page_type_is_valid_html(client, tmp_path, make_plan, teachers, doc285, doc293):
    if not VNU.exists():
        pytest.fail(f"{VNU} is missing: run `npm ci` (make test does)")
    files = {}
    for name, url in public_pages(make_plan, teachers, doc285, doc293).items():
        response = client.get(url)
        assert response.status_code == (404 if name == "404" else 200), name
        path = tmp_path / (name.replace(" ", "-").replace(",", "") + ".html")
        path.write_bytes(response.content)
        files[str(path)] = f"{name} ({url})"
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stderr)["messages"]
    errors = [m for m in messages if m["type"] == "error" or m.get("subType") == "fatal"]
    report = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))} line {m.get('lastLine')}: {m['message']}"
        for m in errors
    ]
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(report)
