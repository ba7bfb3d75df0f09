"""Excerpts of a document: the blocks a passage touches, sliced from the reading's data (lesson modules, plans,
the side-by-side view of two passages).

The reading is rendered (and cached) once per document; an excerpt takes the blocks that the
passage touches, with their glossary links and published notes, and the popovers they need. It is
shown with the reading's own block templates, its local links (notes, paragraphs, pages) pointed
back to the full document.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string

from documents.anchoring import find_passage
from documents.reading import FOOTNOTE, PARAGRAPH, SIGNATORY, Block, Container
from documents.rendering import citable_label, rendered_document


@dataclass
class Excerpt:
    document: object
    found: bool
    pieces: list = field(default_factory=list)  # Blocks, the signatures Container, Footnotes
    first_anchor: str = ""
    label: str = ""
    entries: list = field(default_factory=list)  # glossary terms and people linked in it, for popovers

    @property
    def url(self) -> str:
        return f"{self.document.url}#{self.first_anchor}" if self.first_anchor else self.document.url

    @property
    def popover_ids(self) -> tuple:
        return tuple(entry.popover_id for entry in self.entries)

    @property
    def notes(self) -> list:
        """The editors' notes shown with the excerpt, in reading order."""
        return [note for block in blocks_in(self.pieces) for note in block.notes]

    def render(self, without_notes=False) -> str:
        context = {"excerpt": self, "base": self.document.url, "without_notes": without_notes}
        return render_to_string("documents/reading/excerpt.html", context)

    @property
    def html(self) -> str:
        return self.render()


def blocks_in(nodes) -> list[Block]:
    """Every block among `nodes`, in reading order, looking inside containers and footnotes."""
    found = []
    for node in nodes:
        if isinstance(node, Block):
            found.append(node)
        else:
            found += blocks_in(node.children)
    return found


def find_container(nodes, anchor: str) -> Container | None:
    for node in nodes:
        if isinstance(node, Container):
            if node.anchor == anchor:
                return node
            if (inner := find_container(node.children, anchor)) is not None:
                return inner
    return None


def build_excerpt(document, quote: str, rendered=None) -> Excerpt:
    """The blocks around the first place `quote` occurs (a notice, `found` False, when it no longer does)."""
    reading = rendered or rendered_document(document)
    span = find_passage(reading.text, quote)
    if span is None:
        return Excerpt(document, found=False)
    return excerpt_of_span(document, reading, *span)


def excerpt_of_span(document, reading, start: int, end: int) -> Excerpt:
    """The blocks that [start, end) of the reading's canonical text touches."""
    touched = [b for b in reading.blocks if b.start < end and start < b.end]
    if not touched:
        return Excerpt(document, found=False)
    footnotes = {footnote.anchor: footnote for footnote in reading.footnotes}
    pieces = []
    for block in {b.anchor: b for b in touched}.values():  # one piece per anchor (a note, the signatures)
        if block.kind == SIGNATORY:
            piece = find_container(reading.body, "signatures")
        elif block.kind == FOOTNOTE:
            piece = footnotes.get(block.anchor)
        else:
            piece = block
        if piece is not None:
            pieces.append(piece)
    if not pieces:
        return Excerpt(document, found=False)
    used = {
        f"pop-{mark.entry}-{mark.slug}"
        for block in blocks_in(pieces)
        for run in block.runs
        for mark in run.marks
        if mark.kind == "entry"
    }
    entries = [entry for entry in reading.entries if entry.popover_id in used]
    labels = [citable_label(b.place) for b in touched if b.kind == PARAGRAPH]
    if not labels:  # a note, the dateline, a heading…
        label = citable_label(touched[0].place)
    elif len(labels) == 1:
        label = labels[0]
    else:
        label = f"{labels[0]}–{labels[-1].removeprefix('¶ ')}"
    return Excerpt(document, True, pieces, touched[0].anchor, label, entries)
