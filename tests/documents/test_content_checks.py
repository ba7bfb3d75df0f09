"""Checks on the shipped content that catch the kinds of mistakes a historian's review found.

They read the content files directly (no database): a count stated in an explanation must match
the question, an entry must say what its source says, a claim the sources do not support must not
come back.
"""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ROOT / "documents" / "content"
LESSONS = ROOT / "lessons" / "content" / "lessons.toml"
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def load(path: Path) -> dict:
    return tomllib.loads(path.read_text())


def shipped_questions():
    for quiz in load(LESSONS).get("quiz", []):
        yield from quiz.get("question", [])


def test_explanations_count_the_wrong_choices_they_have():
    for question in shipped_questions():
        said = re.search(r"\b(two|three|four|five|six) wrong choices\b", question.get("explanation", ""), re.I)
        if not said:
            continue
        wrong = [c for c in question["choices"] if isinstance(c, dict) and not c.get("correct")]
        assert NUMBERS[said.group(1).lower()] == len(wrong), question["prompt"]


def test_glossary_has_the_abbreviations_frus_lists_for_us_and_un():
    terms = {t["term"]: t for t in load(DOCUMENTS / "glossary.toml")["term"]}
    assert terms["US"]["expansion"] == "United States"
    assert terms["UN"]["expansion"] == "United Nations"


def test_people_carry_the_offices_the_volume_gives_them():
    people = {p["slug"]: p for p in load(DOCUMENTS / "people.toml")["person"]}
    assert "DOD/ISA" in people["john-rowe"]["role"]
    assert "Treaty and Legal Department" in people["oleg-khlestov"]["role"]
    assert "Washington" in people["oleg-khlestov"]["role"]


def test_notes_do_not_claim_more_than_note_5_of_doc_293_records():
    """Note 5 records only an instruction of May 17 to inform Mendelevich personally."""
    bodies = " ".join(a["body"] for a in load(DOCUMENTS / "annotations.toml")["annotation"])
    assert "formally and in writing" not in bodies
    assert "followed through the US Embassy in Moscow on May 17" not in bodies
    assert "work out who the delegation expected to read it" not in bodies


def test_the_horn_of_africa_is_not_called_a_case_of_arming_opposing_sides():
    for annotation in load(DOCUMENTS / "annotations.toml")["annotation"]:
        if "opposing sides" in annotation["exact"]:
            assert "did not arm Somalia" in annotation["body"]


def test_glossary_qualifies_what_the_delegation_and_consultations_mean():
    terms = {t["slug"]: t["definition"] for t in load(DOCUMENTS / "glossary.toml")["term"]}
    assert "every agency with a stake in arms sales had a voice" not in terms["delegation"]
    assert "CIA" in terms["delegation"]
    assert "scheduled round of negotiations" in terms["consultations"]


def test_module_two_tells_how_the_talks_went_on_and_stopped():
    text = LESSONS.read_text()
    assert "political-legal criteria, military-technical criteria" in text
    assert "frus1977-80v26/d304" in text
    assert "No fifth round was held" in text


def test_edition_note_does_not_call_un_documents_net_a_un_site():
    site = (DOCUMENTS / "site.toml").read_text()
    assert "two United Nations addresses" not in site
    assert "not a United Nations site" in site


def annotation_on(exact: str) -> dict:
    return next(a for a in load(DOCUMENTS / "annotations.toml")["annotation"] if a["exact"] == exact)


def test_the_us_of_paragraph_10_is_read_as_frus_prints_it():
    """FRUS prints "US" in doc. 285 ¶ 10 and ¶ 29 as the abbreviation; only ¶ 29 reads better as "us"."""
    body = annotation_on("drawing US inadvertently into unwanted and dangerous confrontations")["body"]
    assert 'the sense is clearly "us"' not in body
    assert "abbreviation for the United States" in body
    assert "¶ 29" in body


def test_note_1_of_doc_293_is_left_an_open_question():
    """Note 1 names only the addressee of Tarnoff's covering memo, not the report's reader."""
    body = annotation_on("to formulate, for your approval, draft general guidance")["body"]
    assert "Note 1 says only" in body and body.rstrip().endswith("?")
    blocks = [block for module in load(LESSONS)["module"] for block in module.get("block", [])]
    questions = [q for block in blocks if block["type"] == "discussion" for q in block["questions"]]
    discussion = [q for q in questions if "for your approval" in q]
    assert discussion and all("Using note 1" not in q and "never says who" in q for q in discussion)


def test_khlestov_headed_the_soviet_side_at_the_washington_round():
    khlestov = {p["slug"]: p for p in load(DOCUMENTS / "people.toml")["person"]}["oleg-khlestov"]
    assert "Chief of the Foreign Ministry's Treaty and Legal Department" in khlestov["biography"]
    assert "(doc. 282)" in khlestov["biography"]
