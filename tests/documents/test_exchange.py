"""W3C Web Annotation export and import: the format, and a round trip that reproduces the notes."""

import json
import re
import uuid
from urllib.parse import urlsplit

import lxml.html
import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from documents.exchange import import_collection
from documents.models import Annotation, GlossaryTerm, next_label
from documents.pipeline import canonical_text

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
    assert item["id"] == f"http://localhost{doc293.url}annotations/{annotation.uuid}"  # the Wagtail Site's address
    assert item["label"] == annotation.label
    assert item["type"] == "Annotation" and item["motivation"] == "questioning"
    body = item["body"][0]
    assert body == {
        "type": "TextualBody",
        "value": "What counts as *serious*?",
        "format": "text/markdown",
        "language": "en",
        "purpose": "questioning",
    }
    assert item["body"][1]["source"] == "http://localhost/glossary/scc/"
    assert item["target"]["source"] == "http://localhost/documents/frus1977-80v26-d293/text.txt"
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


JSON_LD = "application/ld+json"
XSD_DATETIME = re.compile(r"^-?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
SELECTOR_FIELDS = {"TextQuoteSelector": {"exact"}, "TextPositionSelector": {"start", "end"}}
MOTIVATIONS = {"assessing", "commenting", "describing", "identifying", "linking", "questioning", "tagging"}


def absolute(iri) -> bool:
    parts = urlsplit(iri) if isinstance(iri, str) else None
    return bool(parts and parts.scheme in ("http", "https") and parts.netloc)


def check_annotation(item: dict) -> None:
    """What the W3C Web Annotation Data Model requires of an annotation, property by property."""
    assert absolute(item["id"]), item["id"]
    assert item["type"] == "Annotation"
    assert item["motivation"] in MOTIVATIONS
    bodies = item["body"] if isinstance(item["body"], list) else [item["body"]]
    for body in bodies:
        assert body["type"] in ("TextualBody", "SpecificResource")
        if body["type"] == "TextualBody" and body.get("purpose") == "classifying":  # two passages' relation
            assert body["value"] in {"corroborates", "contradicts", "develops", "answers"}
            assert body["format"] == "text/plain" and isinstance(item["target"], list)
        elif body["type"] == "TextualBody":
            assert isinstance(body["value"], str) and body["format"] == "text/markdown"
        else:
            assert absolute(body["source"]) and body["purpose"] in MOTIVATIONS
    targets = item["target"] if isinstance(item["target"], list) else [item["target"]]  # two: passages compared
    assert 1 <= len(targets) <= 2
    for target in targets:
        assert absolute(target["source"])
        for selector in target["selector"]:
            assert SELECTOR_FIELDS[selector["type"]] <= selector.keys()
            if selector["type"] == "TextPositionSelector":
                assert isinstance(selector["start"], int) and 0 <= selector["start"] <= selector["end"]
            else:
                assert all(isinstance(selector.get(key, ""), str) for key in ("exact", "prefix", "suffix"))
    assert XSD_DATETIME.match(item["created"]) and XSD_DATETIME.match(item["modified"])
    for key in ("via", "canonical"):
        assert key not in item or absolute(item[key]) or item[key].startswith("urn:")


def get_json_ld(client, iri: str, **params):
    return client.get(urlsplit(iri).path, params, HTTP_ACCEPT=JSON_LD)


def test_the_shipped_collection_follows_the_web_annotation_model_and_every_id_dereferences(client, content):
    call_command("load_content", stdout=open("/dev/null", "w"))  # noqa: SIM115  (the autouse fixture removed them)
    for document in content.values():
        data = json.loads(client.get(document.url + "annotations.jsonld").content)
        assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert data["type"] == "AnnotationCollection" and absolute(data["id"])
        assert data["total"] == len(data["first"]["items"]) > 0
        assert absolute(data["first"]["id"]) and absolute(data["last"])
        for item in data["first"]["items"]:
            check_annotation(item)
            response = get_json_ld(client, item["id"])
            assert response.status_code == 200
            assert response["Content-Type"] == 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
            alone = json.loads(response.content)
            assert alone.pop("@context") == "http://www.w3.org/ns/anno.jsonld"
            assert alone == item


def varies_on(response) -> list[str]:
    return [name.strip() for name in response["Vary"].split(",")]


def test_an_annotations_iri_gives_json_ld_to_programs_and_sends_browsers_to_the_note(client, doc293, annotate):
    note = annotate(doc293, "wary and skeptical")
    iri = f"http://localhost{doc293.url}annotations/{note.uuid}"
    response = get_json_ld(client, iri)
    assert response.status_code == 200 and "Accept" in varies_on(response)
    assert json.loads(response.content)["id"] == iri
    as_json = client.get(urlsplit(iri).path, HTTP_ACCEPT="application/json")
    assert json.loads(as_json.content)["id"] == iri
    browser = client.get(urlsplit(iri).path, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert browser.status_code == 302 and browser["Location"] == f"{doc293.url}#annotation-{note.uuid}"
    assert browser["Vary"] == "Accept"  # a redirect is too small to be compressed
    reading = lxml.html.fromstring(client.get(doc293.url).content)
    assert reading.get_element_by_id(f"annotation-{note.uuid}").tag == "details"  # the note's element


def test_an_unknown_unpublished_or_malformed_annotation_iri_is_a_404(client, doc293, annotate):
    draft = annotate(doc293, "wary and skeptical", live=False)
    assert client.get(f"{doc293.url}annotations/{draft.uuid}", HTTP_ACCEPT=JSON_LD).status_code == 404
    assert client.get(f"{doc293.url}annotations/{uuid.uuid4()}", HTTP_ACCEPT=JSON_LD).status_code == 404
    assert client.get(f"{doc293.url}annotations/{'-' * 36}", HTTP_ACCEPT=JSON_LD).status_code == 404
    other = annotate(doc293, "the Soviets were serious")
    assert client.get(f"/documents/frus1977-80v26-d285/annotations/{other.uuid}").status_code == 404


def test_an_annotation_of_a_restricted_document_needs_the_password(client, doc293, annotate):
    note = annotate(doc293, "wary and skeptical")
    PageViewRestriction.objects.create(page=doc293, restriction_type="password", password="helsinki")
    response = client.get(f"{doc293.url}annotations/{note.uuid}", HTTP_ACCEPT=JSON_LD)
    assert response.status_code == 200 and "wary and skeptical" not in response.content.decode()
    assert "password" in response.content.decode().lower()


def test_the_reading_page_links_its_collection(client, doc293):
    tree = lxml.html.fromstring(client.get(doc293.url).content)
    (link,) = tree.xpath("//head/link[@rel='alternate'][@type='application/ld+json']")
    assert link.get("href") == f"{doc293.url}annotations.jsonld"


def test_the_collection_pages_at_100_annotations(client, doc293):
    text = canonical_text(doc293.transcription)
    words = [m.span() for m in re.finditer(r"\w{5,}", text)][:250]
    batch = []
    for start, end in words:
        note = Annotation(document=doc293, kind="context", body="n", live=True, label=next_label(doc293.pk))
        note.set_anchor(text, start, end)
        batch.append(note)
    Annotation.objects.bulk_create(batch)
    data = json.loads(client.get(EXPORT).content)
    assert data["total"] == 250 and len(data["first"]["items"]) == 100
    assert data["first"]["next"].endswith("annotations.jsonld?page=2") and "prev" not in data["first"]
    assert data["last"].endswith("annotations.jsonld?page=3")
    second = json.loads(client.get(EXPORT, {"page": "2"}).content)
    assert second["type"] == "AnnotationPage" and second["startIndex"] == 100 and len(second["items"]) == 100
    assert second["partOf"]["id"] == data["id"] and second["partOf"]["total"] == 250
    assert second["prev"] == data["first"]["id"] and second["next"] == data["last"]
    third = json.loads(client.get(EXPORT, {"page": "3"}).content)
    assert len(third["items"]) == 50 and "next" not in third
    ids = [i["id"] for page in (data["first"], second, third) for i in page["items"]]
    assert len(set(ids)) == 250  # the cache kept the pages apart
    for wrong in ("0", "4", "two", "-1", "1.5"):
        assert client.get(EXPORT, {"page": wrong}).status_code == 404


def test_export_import_into_an_empty_database_and_export_again_gives_the_same_annotations(
    client, doc293, annotate, tmp_path
):
    annotate(doc293, "the Soviets were serious", kind="question", body="Serious how?")
    note = annotate(doc293, "wary and skeptical", kind="vocabulary", body="*Skeptical*: doubting.")
    note.terms = [GlossaryTerm.objects.get(term="SCC")]
    note.save_revision().publish()
    foreign = json.loads(client.get(EXPORT).content)["first"]["items"][0]
    foreign.update(id="https://elsewhere.example/notes/7", canonical="urn:uuid:4f7f2a4e-0d4c-4d1e-9d0f-1f2a3b4c5d6e")
    foreign["target"]["selector"][0].update(exact="The fundamental Soviet stance", prefix="", suffix="")
    del foreign["label"]
    import_collection({"type": "AnnotationPage", "items": [foreign]})
    first = json.loads(client.get(EXPORT).content)
    path = tmp_path / "notes.jsonld"
    path.write_text(json.dumps(first))
    Annotation.objects.all().delete()
    call_command("import_annotations", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    again = json.loads(client.get(EXPORT).content)

    def same(item):
        return {key: item.get(key) for key in ("id", "via", "canonical", "label", "motivation", "body", "target")}

    assert [same(i) for i in again["first"]["items"]] == [same(i) for i in first["first"]["items"]]
    imported = next(i for i in again["first"]["items"] if i.get("via"))
    assert imported["via"] == "https://elsewhere.example/notes/7"
    assert imported["canonical"] == "urn:uuid:4f7f2a4e-0d4c-4d1e-9d0f-1f2a3b4c5d6e"
    assert imported["id"].startswith(f"http://localhost{doc293.url}annotations/")
