""" "Cite this": the document and a paragraph in Chicago (FRUS style), MLA and APA, and BibTeX/RIS downloads."""

import re
from html import unescape

import pytest
from django.core.cache import cache
from wagtail.models import PageViewRestriction

from documents.citations import PARAGRAPH, bibtex, cite, plain, ris, stored_csl, with_address
from documents.models import StoredCitations

pytestmark = pytest.mark.django_db
URL = "https://arms-talks.example/documents/frus1977-80v26-d285/"


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def test_chicago_follows_the_frus_style(doc285):
    note = plain(cite(doc285, URL).chicago)
    assert note == (
        "“Telegram From the Department of State to the Embassy in the Soviet Union,” Washington, December 30, 1977, "
        "in Foreign Relations of the United States, 1977–1980, vol. XXVI, Arms Control and Nonproliferation, "
        "Document 285, https://history.state.gov/historicaldocuments/frus1977-80v26/d285; "
        f"transcription at Arms Talks, {URL}."
    )
    assert "<i>Arms Control and Nonproliferation</i>" in cite(doc285, URL).chicago


def test_mla_and_apa_come_from_the_csl_styles(doc285):
    cited = cite(doc285, URL)
    assert plain(cited.mla) == (
        "U.S. Department of State. “Telegram From the Department of State to the Embassy in the Soviet Union.” "
        "Foreign Relations of the United States, 1977–1980, Volume XXVI, Arms Control and Nonproliferation, "
        "no. 285, Office of the Historian, 2015, pp. 702–05, "
        "https://history.state.gov/historicaldocuments/frus1977-80v26/d285."
    )
    assert plain(cited.apa).startswith(
        "U.S. Department of State. (2015). Telegram From the Department of State to the Embassy in the Soviet Union. "
        "In Foreign Relations of the United States, 1977–1980, Volume XXVI, Arms Control and Nonproliferation "
        "(No. 285; pp. 702–705). Office of the Historian."
    )
    assert "<i>Foreign Relations" in cited.apa


def test_a_paragraph_is_cited_by_its_number(doc293):
    cited = cite(doc293, URL, "7")
    assert "Document 293, ¶ 7," in plain(cited.chicago) and f"{URL}#p-7." in plain(cited.chicago)
    assert plain(cited.apa) == "(U.S. Department of State, 2015, para. 7)"
    assert plain(cited.mla).endswith("par. 7)")


def test_the_editors_explanation_of_a_date_stays_out_of_the_note(doc293):
    assert "Round,” Washington, Undated, in " in plain(cite(doc293, URL).chicago)


def test_the_reading_page_shows_the_disclosure_near_the_top(client, doc285):
    page = client.get(doc285.url).content.decode()
    assert page.index('<details class="cite" id="cite">') < page.index('class="note-filter"')
    body = text_of(page[page.index('id="cite"') : page.index("</details>")])
    assert "Cite this" in body and "Document 285, https://history.state.gov" in body
    assert "http://testserver/documents/frus1977-80v26-d285/" in body
    assert "U.S. Department of State. (2015)." in body
    # without JavaScript: the paragraph's citations wait hidden, and a note says how to cite one
    assert re.search(r'<dl class="citations" data-cite-paragraph hidden>', page)
    assert f"Document 285, ¶ {PARAGRAPH}," in body and "#p-5" in body
    assert 'src="/static/js/cite.js"' in page


def test_bibtex_download(client, doc285):
    response = client.get(doc285.url + "cite.bib")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="frus-1977-80-v26-d285.bib"'
    text = response.content.decode()
    assert text.startswith("@incollection{frus1977-80v26-d285,\n")
    assert "  author = {{U.S. Department of State}},\n" in text
    assert "  pages = {702--705},\n" in text
    assert "http://testserver/documents/frus1977-80v26-d285/" in text


def test_bibtex_escapes_special_characters(doc285):
    doc285.title = "Costs & {budgets} 100% of $5_000"
    assert "title = {Costs \\& \\{budgets\\} 100\\% of \\$5\\_000}" in bibtex(doc285, URL)


def test_ris_download(client, doc293):
    response = client.get(doc293.url + "cite.ris")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="frus-1977-80-v26-d293.ris"'
    lines = response.content.decode().split("\r\n")
    assert lines[0] == "TY  - CHAP" and lines[-2] == "ER  - " and lines[-1] == ""
    assert "SP  - 724" in lines and "EP  - 728" in lines and "M1  - Document 293" in lines


def test_ris_fields_stay_on_one_line(doc285):
    doc285.title = "A title\nTY  - forged"
    assert "TI  - A title TY - forged\r\n" in ris(doc285, URL)


@pytest.mark.parametrize("route", ["cite.bib", "cite.ris"])
def test_a_private_document_does_not_leak_its_citation(client, doc293, route):
    PageViewRestriction.objects.create(page=doc293, restriction_type="login")
    response = client.get(doc293.url + route)
    assert response.status_code == 302 and "/login/" in response.url
    assert b"Conventional Arms" not in response.content


def test_citations_follow_a_new_title_once_published(client, doc285):
    def cite_box():
        page = client.get(doc285.url).content.decode()
        return text_of(page[page.index('id="cite"') : page.index("</details>")])

    assert "Telegram From the Department" in cite_box()
    doc285.title = "A corrected title"
    doc285.save_revision().publish()
    assert "“A corrected title,” Washington" in cite_box() and "Telegram From the Department" not in cite_box()
    cache.clear()  # what is stored in the database is the new publication's too
    assert "A corrected title" in cite_box() and "Telegram From the Department" not in cite_box()
    mla, apa = StoredCitations.objects.get(document=doc285).styles[""]
    assert "a corrected title" in mla.lower() and "a corrected title" in apa.lower()  # MLA capitalises titles


def test_stored_citations_are_what_citeproc_gives_for_any_address(doc285):
    doc285.frus_url = ""  # so the reader's address is in MLA and APA
    url = "https://school.example/documents/frus1977-80v26-d285/"
    for paragraph in (None, PARAGRAPH):
        stored = stored_csl(doc285, paragraph)
        assert with_address(stored, doc285, url, paragraph) == cite(doc285, url, paragraph)
    # citeproc leaves an address as it is; a stored citation escapes it
    assert "?a=1&amp;b=&lt;2&gt;" in with_address(stored_csl(doc285), doc285, url + "?a=1&b=<2>").apa


def test_a_cold_page_takes_its_citations_from_the_database(client, doc285, monkeypatch):
    client.get(doc285.url)
    cache.clear()
    monkeypatch.setattr("documents.models.stored_csl", lambda *args: pytest.fail("citeproc ran again"))
    assert "Telegram From the Department" in client.get(doc285.url).content.decode()
