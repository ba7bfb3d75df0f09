"""W3C Web Annotation export and import: the format, and a round trip that reproduces the notes."""

import json

import pytest
from django.core.management import call_command

from documents.models import Annotation, GlossaryTerm

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def without_shipped_annotations(content):
    """These tests count and place their own annotations: start without the ones the project ships."""
    Annotation.objects.all().delete()


EXPORT = "/documents/frus1977-80v26-d293/annotations.jsonld"


def test_export_is_a_w3c_annotation_collection(client, doc293, annotate):
    annotation = annotate(doc293, "the Soviets were serious", kind="question", body="What counts as *serious*?")
    annotation.terms = [GlossaryTerm.objects.get(term="SCC")]
    annotation.save()
    annotate(doc293, "wary and skeptical", live=False)  # a draft: not exported
    response = client.get(EXPORT)
    assert response["Content-Type"] == 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    data = json.loads(response.content)
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and data["total"] == 1
    page = data["first"]
    assert page["type"] == "AnnotationPage" and len(page["items"]) == 1
    item = page["items"][0]
    assert item["id"] == f"http://testserver{doc293.url}#{annotation.anchor}"
    assert item["type"] == "Annotation" and item["motivation"] == "questioning"
    body = item["body"][0]
    assert body == {
        "type": "TextualBody",
        "value": "What counts as *serious*?",
        "format": "text/markdown",
        "language": "en",
        "purpose": "questioning",
    }
    assert item["body"][1]["source"] == "http://testserver/glossary/scc/"
    assert item["target"]["source"] == "http://testserver/documents/frus1977-80v26-d293/text.txt"
    quote, position = item["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector" and quote["exact"] == "the Soviets were serious"
    assert quote["prefix"].endswith("however, ") and quote["suffix"].startswith(" and, for the most part")
    assert position == {
        "type": "TextPositionSelector",
        "start": annotation.position_start,
        "end": annotation.position_end,
    }
    text = client.get("/documents/frus1977-80v26-d293/text.txt").content.decode()
    assert text[position["start"] : position["end"]] == quote["exact"]
    assert {"creator", "created", "modified"} <= item.keys()


def test_round_trip_reproduces_the_annotations(client, doc293, annotate, tmp_path):
    annotate(doc293, "the Soviets were serious", kind="question")
    annotate(doc293, "wary and skeptical", kind="vocabulary", body="*Skeptical*: doubting.")
    exported = client.get(EXPORT).content
    path = tmp_path / "notes.jsonld"
    path.write_bytes(exported)
    before = sorted(Annotation.objects.values_list("kind", "body", "quote_exact", "position_start", "live"))
    Annotation.objects.all().delete()
    call_command("import_annotations", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = sorted(Annotation.objects.values_list("kind", "body", "quote_exact", "position_start", "live"))
    assert after == before
    call_command("import_annotations", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Annotation.objects.count() == 2  # idempotent by id


def test_reimporting_our_own_export_updates_in_place(client, doc293, annotate, tmp_path):
    annotation = annotate(doc293, "the Soviets were serious")
    path = tmp_path / "notes.jsonld"
    data = json.loads(client.get(EXPORT).content)
    data["first"]["items"][0]["body"][0]["value"] = "Edited elsewhere."
    path.write_text(json.dumps(data))
    call_command("import_annotations", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Annotation.objects.count() == 1
    annotation.refresh_from_db()
    assert annotation.body == "Edited elsewhere."


def test_import_reports_what_it_could_not_anchor_and_keeps_it(client, doc293, annotate, tmp_path, capsys):
    annotate(doc293, "the Soviets were serious")
    data = json.loads(client.get(EXPORT).content)
    item = data["first"]["items"][0]
    item["id"] = "https://elsewhere.example/notes/1"
    item["target"]["selector"][0]["exact"] = "a sentence that no edition of this document contains"
    broken = {"id": "https://elsewhere.example/notes/2", "type": "Annotation", "body": []}
    data["first"]["items"].append(broken)
    path = tmp_path / "notes.jsonld"
    path.write_text(json.dumps(data))
    call_command("import_annotations", str(path))
    out = capsys.readouterr().out
    assert "Could not anchor (kept as a draft orphan): https://elsewhere.example/notes/1" in out
    assert "Refused (not a usable annotation): https://elsewhere.example/notes/2" in out
    orphan = Annotation.objects.get(w3c_id="https://elsewhere.example/notes/1")
    assert orphan.anchor_status == "orphan" and not orphan.live


def test_import_of_an_unreadable_file_says_so(tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "bad.jsonld"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_annotations", str(path))


def test_export_of_an_unknown_document_is_a_404(client, content):
    assert client.get("/documents/no-such-doc/annotations.jsonld").status_code == 404
