"""Logs: each line carries its request's id; editorial events are one INFO line each."""

import logging

import pytest

from core.logging import RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(caplog):
    caplog.handler.addFilter(RequestIdFilter())  # as the console handler in settings.LOGGING does
    caplog.set_level(logging.INFO)
    return caplog


def test_a_request_id_from_the_proxy_is_kept_and_returned(client, records, content):
    response = client.get("/documents/nothing-here/", headers={"X-Request-ID": "nginx-3f2a9c41e0"})
    assert response.status_code == 404 and response["X-Request-ID"] == "nginx-3f2a9c41e0"
    not_found = next(r for r in records.records if r.name == "django.request")
    assert not_found.request_id == "nginx-3f2a9c41e0"


def test_an_insane_request_id_is_replaced_by_a_fresh_one(client, content):
    response = client.get("/", headers={"X-Request-ID": "x\r\nforged log line"})
    assert response["X-Request-ID"] != "x\r\nforged log line" and len(response["X-Request-ID"]) == 32
    assert client.get("/")["X-Request-ID"] != response["X-Request-ID"]


def test_records_outside_a_request_say_so(records):
    logging.getLogger("core").warning("a management command")
    assert records.records[-1].request_id == "-"


def test_publishing_a_document_logs_the_publish_and_the_reanchoring(records, doc293, admin_user, committed):
    with committed():
        doc293.save_revision(user=admin_user).publish()
    lines = [r.getMessage() for r in records.records if r.name == "core.invalidation"]
    assert f"published page={doc293.url_path} id={doc293.pk} by={admin_user.username}" in lines
    assert any(line.startswith(f"re-anchored document={doc293.slug} id={doc293.pk} notes=") for line in lines)
    assert all(record.levelname == "INFO" for record in records.records if record.name == "core.invalidation")


def test_a_note_orphaned_by_a_correction_is_logged(records, doc293, annotate, committed):
    phrase = "Nor did they shrink from discussions of topics on which they are vulnerable"
    annotation = annotate(doc293, phrase)
    doc293.transcription = doc293.transcription.replace(phrase, "")
    with committed():
        doc293.save_revision().publish()
    lines = [r.getMessage() for r in records.records if r.name == "core.invalidation"]
    assert any(line.startswith(f"re-anchored document={doc293.slug}") and "orphans=0" not in line for line in lines)
    logged = f"orphaned note id={annotation.pk} document={doc293.slug} quote={phrase[:80]!r} label={annotation.label}"
    assert logged in lines
