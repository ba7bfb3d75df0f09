"""The reading cache's key must change whenever the pipeline's output does.

The key carries `PIPELINE_FINGERPRINT` (the source of the modules that shape the reading and the
versions of Markdown, nh3 and lxml). `reading_fingerprints.json` records, for the current key, a digest
of the readings of both shipped documents. If the output changes while the key stays the same, a
cached reading from before the change would be served: this test fails.

After a deliberate change of the pipeline's output, the fingerprint changes too (the source changed):
record the new pair with

    DJANGO_SETTINGS_MODULE=arms_talks_site.settings.test .venv/bin/python -m tests.documents.test_reading_fingerprint
"""

import dataclasses
import hashlib
import json
import sys
from pathlib import Path

from documents.pipeline import render_transcription
from documents.reading import Linkable, Markup, Note
from documents.rendering import PIPELINE_FINGERPRINT

CONTENT = Path(__file__).resolve().parents[2] / "documents" / "content"
RECORD = Path(__file__).resolve().parent / "reading_fingerprints.json"
REGENERATE = (
    "DJANGO_SETTINGS_MODULE=arms_talks_site.settings.test .venv/bin/python -m tests.documents.test_reading_fingerprint"
)
LINKABLES = [
    Linkable("person", "leslie-gelb", "Leslie H. Gelb", "/people/leslie-gelb/", ("Gelb", "Leslie Gelb")),
    Linkable("term", "round", "round", "/glossary/round/", ("round",), Markup("<p>A session.</p>"), "session"),
    Linkable("term", "ssod", "SSOD", "/glossary/ssod/", ("SSOD",)),
]


def notes_for_text(text: str) -> list[Note]:
    """A few notes over fixed passages, some crossing page breaks and footnote references."""
    found = []
    for number, phrase in enumerate(["Soviet interpretations", "US-Soviet Relations", "Non-Paper", "major suppliers"]):
        at = text.find(phrase)
        if at >= 0:
            found.append(
                Note(number + 1, "context", at, at + len(phrase), Markup("<p>Note.</p>"), label="abcd"[number])
            )
    return found


def reading_digest() -> str:
    """A digest of both shipped documents' readings, serialised deterministically."""
    digest = hashlib.sha256()
    for name in ("frus1977-80v26-d285.md", "frus1977-80v26-d293.md"):
        reading = render_transcription((CONTENT / name).read_text(), LINKABLES, notes_for_text)
        digest.update(json.dumps(dataclasses.asdict(reading), sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


def test_the_reading_changes_only_under_a_new_cache_key():
    recorded = json.loads(RECORD.read_text())
    # a new key cannot serve stale readings, but record it so the guard keeps watching the new code
    assert PIPELINE_FINGERPRINT in recorded, f"The pipeline changed: record its new fingerprint with\n    {REGENERATE}"
    assert recorded[PIPELINE_FINGERPRINT] == reading_digest(), (
        "The pipeline's output changed but the reading cache key (PIPELINE_FINGERPRINT) did not: "
        "cached readings would be stale. The key covers documents/pipeline.py, anchoring.py, reading.py and "
        "the versions of Markdown, nh3 and lxml; add whatever else shaped the output to SHAPING_MODULES in "
        f"documents/rendering.py, then record the new pair with:\n    {REGENERATE}"
    )


if __name__ == "__main__":
    RECORD.write_text(json.dumps({PIPELINE_FINGERPRINT: reading_digest()}, indent=1) + "\n")
    sys.stdout.write(f"Recorded {PIPELINE_FINGERPRINT} in {RECORD}\n")
