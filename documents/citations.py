"""Citations of a FRUS document and of one of its paragraphs: Chicago (FRUS style), MLA, APA, BibTeX and RIS.

MLA and APA come from the standard CSL styles (vendored in `documents/csl/`, CC BY-SA 3.0) through citeproc-py.
Chicago is written here: the CSL Chicago note styles have no place for the FRUS convention of the volume number
between series and title ("…, 1977–1980, vol. XXVI, Arms Control and Nonproliferation, Document 285"), and they
print the document's number as "no. 285". The volume's editor is not named: we have not checked it.
"""

import re
from dataclasses import dataclass
from functools import cache
from html import unescape
from pathlib import Path

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source import Locator
from citeproc.source.json import CiteProcJSON
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

CSL_DIR = Path(__file__).parent / "csl"
STYLES = {"mla": "modern-language-association", "apa": "apa"}
VOLUME_YEAR = 2015  # the volume's release (Office of the Historian's media note of November 19, 2015)
AUTHOR = "U.S. Department of State"
PUBLISHER = "Office of the Historian"
SITE = "Arms Talks"
VOLUME_PARTS = re.compile(r"^(?P<series>.*?), Volume (?P<number>[IVXLC]+), (?P<title>.+)$")
PARAGRAPH = "__N__"  # stands for the paragraph number in the ¶ citations the page's script fills in
URL_PLACEHOLDER = "__URL__"  # stands for the reader's address in stored citations (`stored_csl`)


@dataclass(frozen=True)
class Cited:
    """One citation in each format, as HTML (titles in <i> or <cite>)."""

    chicago: SafeString
    mla: SafeString
    apa: SafeString


@cache
def style(name: str) -> CitationStylesStyle:
    return CitationStylesStyle(str(CSL_DIR / f"{STYLES[name]}.csl"), validate=False)


def short_date(document) -> str:
    """The document's date without the editors' explanation in brackets ("Undated (the round …)" → "Undated")."""
    return document.date_display.split(" (", 1)[0].strip()


def volume(document) -> tuple[str, str, str]:
    """Series, volume number and volume title of the FRUS volume (all in `series` if it does not parse)."""
    found = VOLUME_PARTS.match(document.frus_volume)
    if not found:
        return document.frus_volume, "", ""
    return found["series"], found["number"], found["title"]


def csl_item(document, url: str) -> dict:
    return {
        "id": "doc",
        "type": "chapter",
        "author": [{"literal": AUTHOR}],
        "title": document.title,
        "container-title": document.frus_volume,
        "publisher": PUBLISHER,
        "publisher-place": "Washington, DC",
        "issued": {"date-parts": [[VOLUME_YEAR]]},
        "number": str(document.document_number),
        "page": document.page_range.replace("–", "-"),
        "URL": document.frus_url or url,
    }


def punctuate(html: str) -> str:
    """American style puts a period or comma inside the closing quotation mark; citeproc-py leaves it out."""
    return html.replace("”.", ".”").replace("”,", ",”")


def csl(name: str, document, url: str, paragraph: str | None = None) -> SafeString:
    """The reference-list entry; for a paragraph, the in-text citation with its "para." locator."""
    bibliography = CitationStylesBibliography(style(name), CiteProcJSON([csl_item(document, url)]), formatter.html)
    locator = Locator("paragraph", paragraph) if paragraph else None
    citation = Citation([CitationItem("doc", locator=locator) if locator else CitationItem("doc")])
    bibliography.register(citation)
    if paragraph is None:
        html = str(bibliography.bibliography()[0])
    else:
        html = str(bibliography.cite(citation, lambda item: None))
    return mark_safe(punctuate(html))  # noqa: S308 (citeproc's HTML formatter escapes the item's fields)


def chicago(document, url: str, paragraph: str | None = None) -> SafeString:
    """A first note in the style the Office of the Historian asks for, then our transcription."""
    series, number, title = volume(document)
    where = (
        format_html("<i>{}</i>, vol. {}, <i>{}</i>", series, number, title)
        if number
        else format_html("<i>{}</i>", series)
    )
    place = f"{document.place}, " if document.place else ""
    para = format_html(", ¶ {}", paragraph) if paragraph else ""
    address = f"{url}#p-{paragraph}" if paragraph else url
    frus = format_html(", {}", document.frus_url) if document.frus_url else ""
    return format_html(
        "“{},” {}{}, in {}, Document {}{}{}; transcription at {}, {}.",
        document.title,
        place,
        short_date(document),
        where,
        document.document_number,
        para,
        frus,
        SITE,
        address,
    )


def stored_csl(document, paragraph: str | None = None) -> tuple[str, str]:
    """MLA and APA with `URL_PLACEHOLDER` for the address, to be stored once per published revision: citeproc takes
    some 5 ms a citation, and the page shows four. `with_address` puts a reader's address in."""
    return str(csl("mla", document, URL_PLACEHOLDER, paragraph)), str(csl("apa", document, URL_PLACEHOLDER, paragraph))


def with_address(stored: tuple[str, str], document, url: str, paragraph: str | None = None) -> Cited:
    """The citations `cite` gives, from what `stored_csl` gave (the address escaped: citeproc leaves it as it is,
    which is the same for a page's address, with nothing to escape)."""
    address = formatter.html.preformat(url)
    mla, apa = (mark_safe(html.replace(URL_PLACEHOLDER, address)) for html in stored)  # noqa: S308 (escaped by citeproc)
    return Cited(chicago=chicago(document, url, paragraph), mla=mla, apa=apa)


def cite(document, url: str, paragraph: str | None = None) -> Cited:
    """The document's reference in each style or, for a paragraph, a Chicago note and MLA and APA in-text
    citations (whose reference is the document's)."""
    return Cited(
        chicago=chicago(document, url, paragraph),
        mla=csl("mla", document, url, paragraph),
        apa=csl("apa", document, url, paragraph),
    )


def filename(document, extension: str) -> str:
    return f"frus-1977-80-v26-d{document.document_number}.{extension}"


def bibtex_escape(text: str) -> str:
    return re.sub(r"([{}\\%&$#_^~])", r"\\\1", text)


def bibtex(document, url: str) -> str:
    fields = {
        "author": AUTHOR,
        "title": document.title,
        "booktitle": document.frus_volume,
        "publisher": PUBLISHER,
        "address": "Washington, DC",
        "year": str(VOLUME_YEAR),
        "number": str(document.document_number),
        "pages": document.page_range.replace("–", "--"),
        "url": document.frus_url or url,
        "note": f"{document.date_display}. Transcription at {SITE}: {url}",
    }
    braced = {key: bibtex_escape(value) for key, value in fields.items() if value}
    braced["author"] = "{" + braced["author"] + "}"  # a corporate author, not "Department of State, U.S."
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in braced.items())
    return f"@incollection{{frus1977-80v26-d{document.document_number},\n{body}\n}}\n"


def ris(document, url: str) -> str:
    first, _, last = document.page_range.partition("–")
    lines = [
        ("TY", "CHAP"),
        ("AU", AUTHOR),
        ("TI", document.title),
        ("T2", document.frus_volume),
        ("PB", PUBLISHER),
        ("CY", "Washington, DC"),
        ("PY", str(VOLUME_YEAR)),
        ("M1", f"Document {document.document_number}"),
        ("SP", first),
        ("EP", last),
        ("UR", document.frus_url or url),
        ("N1", f"{document.date_display}. Transcription at {SITE}: {url}"),
        ("ER", ""),
    ]
    return "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines if value or tag == "ER")


def plain(html: str) -> str:
    """The text of a citation, without its markup."""
    return unescape(re.sub(r"<[^>]+>", "", str(html)))
