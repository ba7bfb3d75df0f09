"""The transcription pipeline on its own: placement of notes, page breaks, links; canonical text."""

import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from documents.pipeline import Linkable, canonical_text, render_transcription

CONTENT = Path(__file__).resolve().parents[2] / "documents" / "content"


@pytest.fixture(scope="module")
def d293():
    return render_transcription((CONTENT / "frus1977-80v26-d293.md").read_text())


@pytest.fixture(scope="module")
def d285():
    return render_transcription((CONTENT / "frus1977-80v26-d285.md").read_text())


def person(slug, *names):
    return Linkable("person", slug, names[0], f"/people/{slug}/", names, "<p>bio</p>")


def term(slug, *names):
    return Linkable("term", slug, names[0], f"/glossary/{slug}/", names, "<p>def</p>")


def test_footnote_references_sit_exactly_where_the_seed_glues_them(d293, d285):
    assert 'released on Thursday,<sup id="fnref-2">' in d293.body_html
    assert '(attached)<sup id="fnref-3">' in d293.body_html
    assert "Relations;<sup" in d293.body_html and 'id="fnref-4"' in d293.body_html
    assert 'obviously was not a serious one.<sup id="fnref-5">' in d293.body_html
    assert 'Definition of Aggression<sup id="fnref-6">' in d293.body_html
    assert 'Declaration of Friendly Relations.<sup id="fnref-7">' in d293.body_html
    assert 'on May 29, 1972.<sup id="fnref-2">' in d285.body_html


def test_source_note_belongs_to_the_title(d293, d285):
    for rendered in (d293, d285):
        assert rendered.heading_html.endswith(
            '<a class="footnote-ref" href="#fn-1" rel="noopener noreferrer" aria-label="Note 1">1</a></sup>'
        )
        assert 'id="fnref-1"' not in rendered.body_html
        assert 'id="fn-1"' in rendered.notes_html


def test_notes_link_back_to_their_references(d293):
    tree = lxml_html.fromstring(d293.notes_html)
    for number in range(1, 8):
        note = tree.get_element_by_id(f"fn-{number}")
        backrefs = note.xpath(".//a[contains(@class, 'footnote-backref')]")
        assert backrefs[0].get("href") == f"#fnref-{number}"
    assert d293.body_html.count('class="footnote-ref"') == 6


def test_page_breaks_fall_mid_word_where_the_edition_has_them(d293, d285):
    assert re.search(
        r"interpreta<span class=\"pb\" data-page=\"727\" id=\"page-727\">.*?</span></span>tions", d293.body_html
    )
    assert re.search(r"US-<span class=\"pb\" data-page=\"726\" id=\"page-726\">.*?</span></span>Soviet", d293.body_html)
    assert re.search(r"major <span class=\"pb\" data-page=\"705\"", d285.body_html)
    assert d293.pages == [725, 726, 727, 728]
    assert d285.pages == [703, 704, 705]


def test_canonical_text_reads_across_page_breaks_and_leaves_out_numbers(d293):
    assert "Soviet interpretations of such ambiguous documents" in d293.text
    assert "US-Soviet Relations; (d)" in d293.text
    assert "released on Thursday, we will have" in d293.text
    assert "[Page" not in d293.text and "¶" not in d293.text and "↩" not in d293.text
    # notes come after the body, without their numbers
    body_end = d293.text.index("John Rowe")
    assert d293.text.index("Source: Carter Library") > body_end
    assert d293.text.endswith("(http:://daccess-dds-ny.un.org/doc/RESOLUTION/GEN/NRO/348/90/IMG/NRO34890.pdf)")


def test_canonical_text_is_the_same_with_or_without_links(d293):
    source = (CONTENT / "frus1977-80v26-d293.md").read_text()
    linked = render_transcription(source, [person("gelb", "Gelb", "Leslie Gelb"), term("scc", "SCC")])
    assert linked.text == d293.text == canonical_text(source)


def test_paragraphs_are_numbered_with_visible_links(d293):
    tree = lxml_html.fragment_fromstring(d293.body_html, create_parent="div")
    paragraphs = tree.xpath("//*[starts-with(@id, 'p-')]")
    assert [p.get("id") for p in paragraphs] == [f"p-{n}" for n in range(1, len(paragraphs) + 1)]
    first = paragraphs[0].xpath("./a[@class='para-link']")[0]
    assert first.get("href") == "#p-1" and first.text == "¶ 1"
    assert paragraphs[0].text_content().startswith("¶ 1Significant progress")


def test_headings_are_headings_not_numbered_paragraphs(d293, d285):
    for heading in ("1. Objectives", "2. Respective Positions", "3. Next Steps"):
        assert f">{heading}</h2>" in d293.body_html
    assert re.search(
        r'<p id="p-\d+"[^>]*><a class="para-link"[^>]*>¶ \d+</a>1\. Ambassador should seek', d285.body_html
    )
    assert re.search(r"<h3[^>]*>CEILINGS<span class=\"edition-label\">", d285.body_html)


def test_dash_items_are_a_list_and_keep_their_dashes(d285):
    tree = lxml_html.fragment_fromstring(d285.body_html, create_parent="div")
    items = tree.xpath("//div[@class='embedded-text']/ul/li")
    assert len(items) == 13
    starts = [re.sub(r"^¶ \d+(\[Page \d+\]\d+)?", "", item.text_content().strip())[:1] for item in items]
    assert starts == ["—"] * 13


def test_signature_list_has_names_with_titles(d293):
    tree = lxml_html.fragment_fromstring(d293.body_html, create_parent="div")
    items = tree.xpath("//div[@id='signatures']//li")
    assert len(items) == 6
    assert items[0].text_content() == "Leslie Gelb, ChairmanDirector, Political/Military Affairs Department of State"
    assert len(items[1].findall("br")) == 2
    assert " ," not in d293.text


def test_united_nations_links_are_printed_as_in_the_edition_but_work(d293):
    tree = lxml_html.fromstring(d293.notes_html)
    link = tree.xpath("//a[text()='http:://www.un-documents.net/a29r3314.htm']")[0]
    assert link.get("href") == "http://www.un-documents.net/a29r3314.htm"
    other = tree.xpath("//a[starts-with(text(), 'http:://daccess-dds-ny.un.org')]")[0]
    assert other.get("href").startswith("http://daccess-dds-ny.un.org/")
    doc291 = tree.xpath("//a[text()='Document 291']")[0]
    assert doc291.get("href") == "https://history.state.gov/historicaldocuments/frus1977-80v26/d291"


def test_links_whole_words_only_and_keeps_similar_names_apart():
    source = "Mathews met Matthews. The SCCs and SCC met; USG, USGX and NSC-led talks.[^1]\n\n[^1]: Ask Mathews."
    rendered = render_transcription(
        source,
        [
            person("jessica-mathews", "Mathews"),
            person("gary-matthews", "Matthews"),
            term("scc", "SCC"),
            term("usg", "USG"),
            term("nsc", "NSC"),
        ],
    )
    html = rendered.body_html
    assert '<a class="gloss gloss-person" href="/people/jessica-mathews/"' in html
    assert 'href="/people/gary-matthews/" data-popover="pop-person-gary-matthews">Matthews</a>' in html
    assert html.count("/glossary/scc/") == 1  # "SCCs" is not "SCC"
    assert len([o for o in rendered.occurrences if o.slug == "scc"]) == 1
    assert html.count("/glossary/usg/") == 1  # nor is "USGX"
    assert ">NSC</a>-led" in html
    assert 'href="/people/jessica-mathews/"' in rendered.notes_html
    assert [o.location.label for o in rendered.occurrences if o.slug == "jessica-mathews"] == ["¶ 1", "note 1"]


def test_longest_name_wins_and_links_never_nest():
    source = "The Carter Library holds papers of President Carter. See [Carter Library](https://example.org)."
    rendered = render_transcription(
        source, [term("carter-library", "Carter Library"), person("jimmy-carter", "President Carter")]
    )
    assert ">Carter Library</a> holds" in rendered.body_html
    assert ">President Carter</a>." in rendered.body_html
    assert rendered.body_html.count("gloss-term") == 1  # not inside the existing link


def test_a_link_may_cross_a_page_break():
    rendered = render_transcription("Ask Mende{{page 9}}levich now.", [person("mendelevich", "Mendelevich")])
    assert rendered.body_html.count('href="/people/mendelevich/"') == 2  # one link, split around the marker
    assert rendered.occurrences[0].text == "Mendelevich"


def test_popovers_are_rendered_once_per_entry(d293):
    source = (CONTENT / "frus1977-80v26-d293.md").read_text()
    rendered = render_transcription(source, [person("gelb", "Gelb", "Leslie Gelb")])
    assert rendered.popovers_html.count('id="pop-person-gelb"') == 1
    assert rendered.popovers_html.count(" popover ") == 1
    assert [o.location.anchor for o in rendered.occurrences] == ["p-10", "signatures"]


def test_links_an_entry_once_per_paragraph_but_lists_every_occurrence():
    rendered = render_transcription("The round began. The round ended.\n\nA third round.", [term("round", "round")])
    assert rendered.body_html.count('href="/glossary/round/"') == 2
    assert [o.location.anchor for o in rendered.occurrences] == ["p-1", "p-1", "p-2"]
