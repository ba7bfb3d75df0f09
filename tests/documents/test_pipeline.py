"""The transcription pipeline on its own: the reading as data (blocks, runs, notes), placement of notes,
page breaks, links; canonical text."""

import dataclasses
import re
from pathlib import Path

import pytest

from documents.pipeline import canonical_text, render_transcription
from documents.reading import (
    BACK_LINK,
    FOOTNOTE_REF,
    LINE_BREAK,
    NOTE_REF,
    PAGE_BREAK,
    PARAGRAPH,
    TEXT,
    Container,
    Linkable,
    Markup,
    Note,
)
from documents.rendering import citable_label

CONTENT = Path(__file__).resolve().parents[2] / "documents" / "content"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def d293():
    return render_transcription((CONTENT / "frus1977-80v26-d293.md").read_text())


@pytest.fixture(scope="module")
def d285():
    return render_transcription((CONTENT / "frus1977-80v26-d285.md").read_text())


def person(slug, *names):
    return Linkable("person", slug, names[0], f"/people/{slug}/", names, Markup("<p>bio</p>"))


def term(slug, *names):
    return Linkable("term", slug, names[0], f"/glossary/{slug}/", names, Markup("<p>def</p>"))


def block(reading, anchor):
    return next(b for b in reading.blocks if b.anchor == anchor)


def text_before(runs, kind, **fields):
    """The text of the run just before the first run of `kind` with `fields`."""
    for index, run in enumerate(runs):
        if run.kind == kind and all(getattr(run, k) == v for k, v in fields.items()):
            return runs[index - 1].text, runs[index + 1].text if index + 1 < len(runs) else ""
    raise AssertionError(f"no {kind} run with {fields}")


def entry_links(reading, slug):
    return [
        run.text for b in reading.blocks for run in b.runs for m in run.marks if m.kind == "entry" and m.slug == slug
    ]


def test_canonical_text_of_both_documents_is_unchanged_byte_for_byte(d293, d285):
    assert d293.text == (FIXTURES / "frus1977-80v26-d293.txt").read_text()
    assert d285.text == (FIXTURES / "frus1977-80v26-d285.txt").read_text()


def test_a_paragraph_has_its_number_and_runs_with_a_footnote_ref_and_a_mid_word_page_break(d293):
    paragraph = block(d293, "p-11")
    assert paragraph.kind == PARAGRAPH and paragraph.number == 11 and paragraph.form == "paragraph"
    before, after = text_before(paragraph.runs, PAGE_BREAK, page=727)
    assert before.endswith("interpreta") and after.startswith("tions")
    before, _ = text_before(paragraph.runs, FOOTNOTE_REF, text="6")
    assert before.endswith("Definition of Aggression")
    ref = next(r for r in paragraph.runs if r.kind == FOOTNOTE_REF and r.text == "6")
    assert (ref.anchor, ref.target) == ("fnref-6", "fn-6")
    # text runs know where they sit in the canonical text
    for run in paragraph.runs:
        if run.kind == TEXT:
            assert d293.text[run.start : run.start + len(run.text)] == run.text
    assert "Soviet interpretations of such" in d293.text[paragraph.start : paragraph.end]


def test_footnote_references_sit_exactly_where_the_seed_glues_them(d293, d285):
    for anchor, number, before in [
        ("p-3", "2", "released on Thursday,"),
        ("p-8", "3", "(attached)"),
        ("p-8", "4", "Relations;"),
        ("p-10", "5", "obviously was not a serious one."),
        ("p-11", "6", "Definition of Aggression"),
        ("p-11", "7", "Declaration of Friendly Relations."),
    ]:
        assert text_before(block(d293, anchor).runs, FOOTNOTE_REF, text=number)[0].endswith(before)
    refs = [b.anchor for b in d285.blocks for r in b.runs if r.kind == FOOTNOTE_REF and r.text == "2"]
    assert text_before(block(d285, refs[0]).runs, FOOTNOTE_REF, text="2")[0].endswith("on May 29, 1972.")


def test_source_note_belongs_to_the_title(d293, d285):
    for reading in (d293, d285):
        last = reading.title.runs[-1]
        assert (last.kind, last.text, last.target) == (FOOTNOTE_REF, "1", "fn-1")
        body_refs = [r for b in reading.blocks[1:] for r in b.runs if r.kind == FOOTNOTE_REF]
        assert "1" not in [r.text for r in body_refs]
        assert reading.footnotes[0].anchor == "fn-1"


def test_notes_link_back_to_their_references(d293):
    assert [f.number for f in d293.footnotes] == [str(n) for n in range(1, 8)]
    for footnote in d293.footnotes:
        last = footnote.children[-1].runs[-1]
        assert (last.kind, last.target) == (BACK_LINK, f"fnref-{footnote.number}")
    assert len([r for b in d293.blocks if b.kind != "title" for r in b.runs if r.kind == FOOTNOTE_REF]) == 6


def test_page_breaks_are_listed_in_order(d293, d285):
    before, after = text_before(block(d293, "p-8").runs, PAGE_BREAK, page=726)
    assert before.endswith("US-") and after.startswith("Soviet")
    assert d293.pages == [725, 726, 727, 728]
    assert d285.pages == [703, 704, 705]


def test_canonical_text_reads_across_page_breaks_and_leaves_out_numbers(d293):
    assert "Soviet interpretations of such ambiguous documents" in d293.text
    assert "US-Soviet Relations; (d)" in d293.text
    assert "released on Thursday, we will have" in d293.text
    assert "[Page" not in d293.text and "¶" not in d293.text and "↩" not in d293.text
    body_end = d293.text.index("John Rowe")
    assert d293.text.index("Source: Carter Library") > body_end
    assert d293.text.endswith("(http:://daccess-dds-ny.un.org/doc/RESOLUTION/GEN/NRO/348/90/IMG/NRO34890.pdf)")


def test_canonical_text_is_the_same_with_or_without_links(d293):
    source = (CONTENT / "frus1977-80v26-d293.md").read_text()
    linked = render_transcription(source, [person("gelb", "Gelb", "Leslie Gelb"), term("scc", "SCC")])
    assert linked.text == d293.text == canonical_text(source)


def test_paragraphs_are_numbered_in_reading_order(d293):
    numbered = [b for b in d293.blocks if b.kind == PARAGRAPH]
    assert [b.anchor for b in numbered] == [f"p-{n}" for n in range(1, len(numbered) + 1)]
    assert [citable_label(b.place) for b in numbered[:2]] == ["¶ 1", "¶ 2"]
    assert numbered[0].runs[0].text.startswith("Significant progress")


def test_headings_are_headings_not_numbered_paragraphs(d293, d285):
    headings = [b for b in d293.blocks if b.kind == "heading"]
    assert ["".join(r.text for r in h.runs) for h in headings] == [
        "1. Objectives",
        "2. Respective Positions",
        "3. Next Steps",
    ]
    assert {h.level for h in headings} == {2}
    assert block(d285, "p-2").runs[0].text.startswith("1. Ambassador should seek")
    ceilings = block(d285, "section-ceilings")
    assert ceilings.restored and ceilings.level == 3 and citable_label(ceilings.place) == "heading"


def test_dash_items_are_a_list_and_keep_their_dashes(d285):
    embedded = next(n for n in d285.body if isinstance(n, Container) and n.kind == "embedded-text")
    lists = [n for n in embedded.children if isinstance(n, Container) and n.kind == "list"]
    items = [item for lst in lists for item in lst.children]
    assert len(items) == 13 and {item.kind for item in items} == {"item"}
    first_texts = [next(r.text for r in item.children[0].runs if r.kind == TEXT) for item in items]
    assert [t[:1] for t in first_texts] == ["—"] * 13


def test_signature_list_has_names_with_titles(d293):
    signatures = next(n for n in d293.body if isinstance(n, Container) and n.kind == "signatures")
    assert signatures.anchor == "signatures"
    items = signatures.children[0].children
    assert len(items) == 6 and {b.kind for b in items} == {"signatory"}
    assert (
        "".join(r.text for r in items[0].runs)
        == "Leslie Gelb, ChairmanDirector, Political/Military Affairs Department of State"
    )
    assert [r.kind for r in items[1].runs].count(LINE_BREAK) == 2
    assert " ," not in d293.text


def test_united_nations_links_are_printed_as_in_the_edition_but_work(d293):
    links = {run.text: mark.href for b in d293.blocks for run in b.runs for mark in run.marks if mark.kind == "link"}
    assert links["http:://www.un-documents.net/a29r3314.htm"] == "http://www.un-documents.net/a29r3314.htm"
    other = next(text for text in links if text.startswith("http:://daccess-dds-ny.un.org"))
    assert links[other].startswith("http://daccess-dds-ny.un.org/")
    assert links["Document 291"] == "https://history.state.gov/historicaldocuments/frus1977-80v26/d291"


def test_links_whole_words_only_and_keeps_similar_names_apart():
    source = "Mathews met Matthews. The SCCs and SCC met; USG, USGX and NSC-led talks.[^1]\n\n[^1]: Ask Mathews."
    reading = render_transcription(
        source,
        [
            person("jessica-mathews", "Mathews"),
            person("gary-matthews", "Matthews"),
            term("scc", "SCC"),
            term("usg", "USG"),
            term("nsc", "NSC"),
        ],
    )
    assert entry_links(reading, "jessica-mathews") == ["Mathews", "Mathews"]  # ¶ 1 and note 1
    assert entry_links(reading, "gary-matthews") == ["Matthews"]
    assert entry_links(reading, "scc") == ["SCC"]  # "SCCs" is not "SCC"
    assert len([o for o in reading.occurrences if o.slug == "scc"]) == 1
    assert entry_links(reading, "usg") == ["USG"]  # nor is "USGX"
    assert entry_links(reading, "nsc") == ["NSC"]
    assert [citable_label(o.place) for o in reading.occurrences if o.slug == "jessica-mathews"] == ["¶ 1", "note 1"]


def test_longest_name_wins_and_links_never_nest():
    source = "The Carter Library holds papers of President Carter. See [Carter Library](https://example.org)."
    reading = render_transcription(
        source, [term("carter-library", "Carter Library"), person("jimmy-carter", "President Carter")]
    )
    assert entry_links(reading, "carter-library") == ["Carter Library"]  # not inside the existing link
    assert entry_links(reading, "jimmy-carter") == ["President Carter"]


def test_a_link_may_cross_a_page_break():
    reading = render_transcription("Ask Mende{{page 9}}levich now.", [person("mendelevich", "Mendelevich")])
    assert entry_links(reading, "mendelevich") == ["Mende", "levich"]  # one link, in two segments
    assert [r.kind for r in reading.blocks[0].runs] == [TEXT, TEXT, PAGE_BREAK, TEXT, TEXT]
    assert reading.occurrences[0].text == "Mendelevich"


def test_a_mark_crossing_a_page_break_is_split_into_segments_and_lettered_after_the_last():
    source = "Soviet interpreta{{page 727}}tions of such documents."
    start = source.index("interpreta")
    end = len("Soviet interpretations")
    reading = render_transcription(
        source, (), lambda text: [Note(5, "vocabulary", start, end, Markup("<p>n</p>"), label="a")]
    )
    runs = reading.blocks[0].runs
    marked = [r for r in runs if any(m.kind == "annotation" and m.note == 5 for m in r.marks)]
    assert [r.text for r in marked] == ["interpreta", "tions"]
    assert marked[0].mark_starts == (5,) and marked[1].mark_starts == ()  # only the first carries mark-5
    assert [r.kind for r in runs] == [TEXT, TEXT, PAGE_BREAK, TEXT, NOTE_REF, TEXT]
    note = runs[4].note
    assert (note.letter, note.kind, note.place.anchor) == ("a", "vocabulary", "p-1")
    assert reading.blocks[0].notes == [note] == reading.notes


def test_popovers_are_listed_once_per_entry(d293):
    source = (CONTENT / "frus1977-80v26-d293.md").read_text()
    reading = render_transcription(source, [person("gelb", "Gelb", "Leslie Gelb")])
    assert [e.popover_id for e in reading.entries] == ["pop-person-gelb"]
    assert [o.place.anchor for o in reading.occurrences] == ["p-10", "signatures"]


def test_links_an_entry_once_per_paragraph_but_lists_every_occurrence():
    reading = render_transcription("The round began. The round ended.\n\nA third round.", [term("round", "round")])
    assert entry_links(reading, "round") == ["round", "round"]
    assert [o.place.anchor for o in reading.occurrences] == ["p-1", "p-1", "p-2"]


ENGLISH_LABELS = re.compile(r"restored|printed edition|Back to|link to cite|\[Page|Glossary|Person|Full entry|See also")
HTML = re.compile(r"<[a-zA-Z/][^>]*>|&[a-z]+;")


def walk_strings(value, path="reading"):
    """Every string in the reading, with where it is; editor Markup (sanitised note bodies) left aside."""
    if isinstance(value, Markup):
        return
    if isinstance(value, str):
        yield path, value
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from walk_strings(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from walk_strings(item, f"{path}[{index}]")


def test_the_reading_holds_no_html_and_no_english_labels(d293, d285):
    annotated = render_transcription(
        (CONTENT / "frus1977-80v26-d293.md").read_text(),
        [person("gelb", "Gelb"), term("scc", "SCC")],
        lambda text: [Note(1, "context", 10, 40, Markup("<p>A note.</p>"), label="a")],
    )
    for reading in (d293, d285, annotated):
        for path, value in walk_strings(reading):
            if path.endswith(".text") and not path.startswith("reading.text"):
                continue  # the source's own words
            if path == "reading.text":
                continue
            assert not HTML.search(value), f"HTML in {path}: {value[:80]}"
            assert not ENGLISH_LABELS.search(value), f"an English label in {path}: {value[:80]}"
