import re
from pathlib import Path

import pytest
from django.core.management import call_command

from documents.models import GlossaryTerm, Person, SourceDocumentPage
from documents.rendering import rendered_document
from tests.reading_html import reading_html

pytestmark = pytest.mark.django_db
SEEDS = Path(__file__).resolve().parents[2] / "documents" / "content" / "seeds"
SEED_FILES = {285: "001_140b7e09ea6ce245.txt", 293: "000_5a90627708fb5c05.txt"}


def seed_words(number: int) -> list[str]:
    return plain_words((SEEDS / SEED_FILES[number]).read_text())


def plain_words(text: str) -> list[str]:
    """A plain-text copy's words, with its page markers, glued footnote numbers and list bullets taken out."""
    text = re.sub(r"\[Page \d+\]", "", text)
    text = re.sub(r"(?<=[A-Za-z,;.)])\d(?=\s|$)", "", text, flags=re.M)  # "Thursday,2" → "Thursday,"
    text = re.sub(r"^\s+\d\. ", "", text, flags=re.M)  # the notes' own numbers
    text = text.replace("•", "").replace(" ,", ",")
    return text.split()


def is_subsequence(needles, haystack) -> tuple[bool, int]:
    iterator = iter(haystack)
    for index, word in enumerate(needles):
        if not any(word == candidate for candidate in iterator):
            return False, index
    return True, len(needles)


@pytest.mark.parametrize("number", [285, 293])
def test_every_seed_word_is_in_the_canonical_text_in_order(content, number):
    words = seed_words(number)
    canonical = rendered_document(content[number]).text.split()
    ok, index = is_subsequence(words, canonical)
    assert ok, f"missing or out of order near: {' '.join(words[max(0, index - 5) : index + 5])}"
    assert len(words) > 1000 if number == 293 else len(words) > 900


def test_restored_parts_are_present_and_marked(doc285, doc293):
    text285 = rendered_document(doc285).text
    for restored in [
        "Washington, December 30, 1977, 2128Z",
        "US-SOVIET CONSULTATIONS ON LIMITATION OF THE INTERNATIONAL ARMS TRADE",
        "MUTUAL INTERESTS",
        "MUTUAL APPROACHES TO RESTRAINT",
        "CEILINGS",
        "SPECIAL SESSION ON DISARMAMENT (SSOD)",
        "NEED FOR ONGOING CONSULTATIONS",
        "Christopher",
    ]:
        assert restored in text285
    body = reading_html(rendered_document(doc285))
    assert body.count('class="edition-label"') == 8
    assert "Washington, undated" in rendered_document(doc293).text
    # the restored headings sit right before the paragraphs they head
    assert "3. Begin text:\n\nUS-SOVIET CONSULTATIONS" in text285
    assert "MUTUAL INTERESTS\n\nThe US and USSR have many" in text285
    assert "CEILINGS\n\nAlthough the US would not" in text285


def test_loading_twice_creates_nothing_new(content):
    counts = (SourceDocumentPage.objects.count(), GlossaryTerm.objects.count(), Person.objects.count())
    call_command("load_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (SourceDocumentPage.objects.count(), GlossaryTerm.objects.count(), Person.objects.count()) == counts


def test_loading_again_keeps_what_editors_changed(doc293):
    doc293.transcription = doc293.transcription.replace("Significant progress", "Real progress")
    doc293.save_revision().publish()
    term = GlossaryTerm.objects.first()
    if term is not None:
        term.definition = "An editor's better definition."
        term.save()
    call_command("load_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    doc293.refresh_from_db()
    assert "Real progress" in doc293.transcription
    if term is not None:
        term.refresh_from_db()
        assert term.definition == "An editor's better definition."


def test_glossary_and_people_content_covers_the_issue_list(content):
    terms = set(GlossaryTerm.objects.values_list("term", flat=True))
    for required in ["SSOD", "SCC", "Nodis", "USG", "National Security Council", "RG 59", "PM/SSP", "EUR/SOV", "S/S"]:
        assert required in terms
    people = {p.slug: p for p in Person.objects.all()}
    assert len(people) >= 15
    mathews = [p for p in people.values() if "Mathews" in p.names]
    matthews = [p for p in people.values() if "Matthews" in p.names]
    assert len(mathews) == 1 and len(matthews) == 1 and mathews != matthews
