"""The further documents under documents/content/corpus/: each faithful to the plain-text copy kept beside it,
each with its source named, a summary and at least five teaching notes, and no slug given twice."""

from collections import Counter

import pytest

from documents.content import corpus_files, specs
from documents.pipeline import canonical_text
from tests.documents.test_loader import is_subsequence, plain_words

FOLDERS = [path.parent for path in corpus_files()]


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_every_word_of_the_plain_text_copy_is_in_the_edition_in_order(folder):
    words = plain_words((folder / "source.txt").read_text())
    edition = canonical_text((folder / "transcription.md").read_text()).split()
    ok, index = is_subsequence(words, edition)
    assert ok, f"missing or out of order near: {' '.join(words[max(0, index - 5) : index + 5])}"
    assert len(words) > 100


def test_each_further_document_names_its_source_and_teaches():
    notes = Counter(spec["document"] for spec in specs("annotation"))
    for spec in specs("document"):
        if spec["file"].name != "transcription.md":
            continue
        assert spec["frus_url"].startswith("https://history.state.gov/historicaldocuments/frus1977-80v26/d")
        assert len(spec["summary"].split()) > 40, spec["slug"]
        assert notes[spec["slug"]] >= 5, spec["slug"]


@pytest.mark.parametrize("kind", ["document", "term", "person"])
def test_no_slug_is_given_twice(kind):
    twice = [slug for slug, n in Counter(s["slug"] for s in specs(kind)).items() if n > 1]
    assert twice == []
