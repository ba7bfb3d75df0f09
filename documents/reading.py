"""The reading as data: what the transcription pipeline returns, and what templates, excerpts,
handouts, quiz evidence and search take slices of.

No HTML and no English in here (templates add both), except the bodies of editors' notes and of
glossary and people entries: editor Markdown already rendered and sanitised by
`core.markdown.render_markdown`, carried as `Markup`. Offsets (`start`, `end`) are positions in the
canonical text (`Reading.text`), the text annotations anchor to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

# Block kinds: what a block is in the document (it decides its anchor and its citable label).
TITLE = "title"
HEADING = "heading"
PARAGRAPH = "paragraph"  # running text, numbered ¶ 1, ¶ 2…
DATELINE = "dateline"
TITLE_LINE = "title-line"
SIGNATURE = "signature"
SIGNATORY = "signatory"  # one name in the signatures list
FOOTNOTE = "footnote"  # a paragraph of a FRUS footnote

# Run kinds: a piece of a block's inline content.
TEXT = "text"
LINE_BREAK = "line-break"
PAGE_BREAK = "page-break"  # where the printed page turns; may fall mid-word
FOOTNOTE_REF = "footnote-ref"  # the FRUS note number in the text
BACK_LINK = "back-link"  # from a FRUS note back to its number in the text
NOTE_REF = "note-ref"  # the letter of an editors' note, after the last segment of its mark


@dataclass(frozen=True, slots=True)
class Markup:
    """Sanitised HTML from editor Markdown (`core.markdown.render_markdown`): shown as it is."""

    html: str

    def __html__(self) -> str:  # Django's escaping leaves objects with __html__ alone
        return self.html

    def __str__(self) -> str:
        return self.html


@dataclass(frozen=True, slots=True)
class Linkable:
    """A glossary term or a person: the names to find in the text, where to link, what the popover shows."""

    kind: str  # "term" or "person"
    slug: str
    label: str
    url: str
    names: tuple[str, ...]
    body: Markup = Markup("")
    expansion: str = ""  # what an abbreviation stands for, or a person's role

    @property
    def popover_id(self) -> str:
        return f"pop-{self.kind}-{self.slug}"


@dataclass(frozen=True, slots=True)
class NoteLink:
    """A glossary term or person an editors' note points to ("see also")."""

    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Note:
    """An annotation as the pipeline receives it: a mark over [start, end) of the canonical text,
    with the letter it was given when it was created and its uuid (its W3C id ends with it)."""

    id: int
    kind: str
    start: int
    end: int
    body: Markup
    links: tuple[NoteLink, ...] = ()
    label: str = ""
    uuid: str = ""


@dataclass(frozen=True, slots=True)
class Place:
    """A citable place: a block's kind, its anchor (an id in the page) and its ¶ number if it has one."""

    kind: str
    anchor: str
    number: int = 0


@dataclass(slots=True)
class PlacedNote:
    """An editors' note in the reading, shown after the block (`place`) where its mark begins. Its
    letter is the one it was given at creation (so not always in reading order); `number` is its
    place in reading order."""

    id: int
    kind: str
    letter: str
    number: int
    place: Place
    start: int
    end: int
    body: Markup
    links: tuple[NoteLink, ...] = ()
    uuid: str = ""

    @property
    def anchor(self) -> str:
        """The id of the note's element: it ends with the uuid its W3C id ends with."""
        return f"annotation-{self.uuid or self.id}"


@dataclass(frozen=True, slots=True)
class Mark:
    """An inline element a run sits in. Runs next to each other with equal marks share the element.

    kind: emphasis, strong, italic, bold, underline, superscript, subscript, small, code, abbreviation,
    span, link (href, title), entry (a glossary or people link: entry kind, slug, href) or annotation
    (note id, note kind).
    """

    kind: str
    href: str = ""
    title: str = ""
    entry: str = ""
    slug: str = ""
    note: int = 0
    note_kind: str = ""


@dataclass(slots=True)
class Run:
    """A piece of inline content: text (with where it sits in the canonical text) or a marker."""

    kind: str
    text: str = ""  # the words; for a footnote ref or back-link, the note's number
    marks: tuple[Mark, ...] = ()
    start: int = -1
    page: int = 0  # page breaks
    anchor: str = ""  # the id a footnote ref carries ("fnref-2")
    target: str = ""  # footnote ref → "fn-2"; back-link → "fnref-2"
    note: PlacedNote | None = None  # note refs
    mark_starts: tuple[int, ...] = ()  # notes whose mark begins here (it carries the mark-<id> anchor)


@dataclass(slots=True)
class Block:
    """A block of text in reading order: its kind, its form (how it is laid out), its runs."""

    is_block: ClassVar[bool] = True

    kind: str
    form: str  # paragraph, item, heading, cell, header-cell, term, definition, preformatted
    place: Place
    start: int
    end: int
    runs: list[Run] = field(default_factory=list)
    level: int = 0  # headings
    restored: bool = False  # restored from the printed edition
    notes: list[PlacedNote] = field(default_factory=list)  # editors' notes shown after it

    @property
    def anchor(self) -> str:
        return self.place.anchor

    @property
    def number(self) -> int:
        return self.place.number


@dataclass(slots=True)
class Container:
    """Blocks grouped by the source: the embedded non-paper, the signatures, a list, a table…

    kind: embedded-text, signatures, division, list, numbered-list, item, quotation, table,
    table-head, table-body, table-foot, row, definitions, preformatted, rule.
    """

    is_block: ClassVar[bool] = False

    kind: str
    children: list = field(default_factory=list)  # Blocks and Containers
    anchor: str = ""
    start_number: int = 0  # numbered lists that do not start at 1
    restored: bool = False


@dataclass(slots=True)
class Footnote:
    """A FRUS footnote: its number, its blocks (the last ends with the back-link)."""

    number: str
    anchor: str
    children: list = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A glossary term or person found in the text (linked or not: only the first per block is)."""

    kind: str
    slug: str
    place: Place
    text: str


@dataclass(slots=True)
class Reading:
    """A transcription as data."""

    title: Block | None
    body: list  # Blocks and Containers, in reading order
    footnotes: list[Footnote]
    notes: list[PlacedNote]  # editors' notes, in reading order
    entries: list[Linkable]  # the glossary terms and people linked, for their popovers
    occurrences: list[Occurrence]
    pages: list[int]
    text: str  # the canonical text
    blocks: list[Block]  # every block (title, body, footnotes) in canonical-text order

    @property
    def note_count(self) -> int:
        return len(self.notes)
