"""The transcription pipeline, in one place and free of Django views.

Markdown → HTML → sanitise (nh3) → tree (lxml) → canonical text with an offset map
→ marks and glossary/people links (wrapped as segments, so they may cross page breaks
or footnote references) → HTML parts for the reading page.

Two conventions on top of Markdown: footnotes `[^n]` (Python-Markdown's footnotes) and
page breaks `{{page 725}}`, which may fall mid-word ("interpreta{{page 727}}tions").
The canonical text leaves out page markers, footnote reference numbers and paragraph
links, so a quote reads straight across a page break; annotations anchor to it.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import markdown
import nh3
from lxml import html as lxml_html
from lxml.etree import Comment, Element, SubElement

PAGE_MARKER = re.compile(r"\{\{page (\d+)\}\}")
BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "td", "th", "pre"}
CELL_TAGS = {"li", "dt", "dd", "td", "th"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
FRONT_MATTER_CLASSES = {"dateline", "title-line", "signature"}
BLOCK_SEPARATOR = "\n\n"

TRANSCRIPTION_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "sup",
    "sub",
    "span",
    "div",
    "ul",
    "ol",
    "li",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "abbr",
    "small",
    "dl",
    "dt",
    "dd",
    "pre",
    "code",
}
TRANSCRIPTION_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang"},
    "a": {"href", "role"},
    "span": {"data-page"},
    "ol": {"start"},
    "abbr": {"title"},
}


@dataclass(frozen=True)
class Linkable:
    """A glossary term or a person, as the pipeline needs it: the names to find and where to link."""

    kind: str  # "term" or "person"
    slug: str
    label: str
    url: str
    names: tuple[str, ...]
    popover_html: str = ""  # sanitised HTML shown in the popover

    @property
    def popover_id(self) -> str:
        return f"pop-{self.kind}-{self.slug}"


@dataclass(frozen=True)
class Location:
    """A citable place in the transcription: a numbered paragraph, a note, a heading…"""

    anchor: str
    label: str


@dataclass
class Block:
    element: object
    start: int
    end: int
    location: Location


@dataclass
class Segment:
    """One run of text in the tree: `node.text` or `node.tail`, at `start` in the canonical text."""

    node: object
    attr: str  # "text", "tail", or "" for a synthetic line break
    start: int
    text: str
    in_link: bool

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Wrap:
    """A range of canonical text to wrap in elements made by `make`, split into segments as needed.

    `layer` orders nesting where wraps overlap: lower layers are outside.
    """

    start: int
    end: int
    make: Callable[[], object]
    layer: int = 0


@dataclass(frozen=True)
class Note:
    """An annotation as the pipeline places it: a mark over [start, end) of the canonical text,
    and a note after the paragraph where the mark begins."""

    id: int
    kind: str
    kind_label: str
    start: int
    end: int
    body_html: str
    extra_html: str = ""


@dataclass(frozen=True)
class TextRange:
    """Where a located block sits in the canonical text (kept in the cache, unlike the tree)."""

    location: Location
    start: int
    end: int


@dataclass
class Occurrence:
    kind: str
    slug: str
    location: Location
    text: str


@dataclass
class RenderedTranscription:
    heading_html: str
    body_html: str
    notes_html: str
    popovers_html: str
    text: str
    endnotes_html: str = ""
    note_count: int = 0
    blocks: list[TextRange] = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)


# ---------------------------------------------------------------- Markdown → tree


def markdown_to_tree(source: str):
    """Render the transcription's Markdown and sanitise it; return the lxml tree (a <div>)."""
    source = PAGE_MARKER.sub(r'<span class="pb" data-page="\1"></span>', source or "")
    rendered = markdown.markdown(
        source,
        extensions=["footnotes", "attr_list", "md_in_html", "sane_lists"],
        extension_configs={
            "footnotes": {
                "SEPARATOR": "-",
                "BACKLINK_TEXT": "↩",
                "BACKLINK_TITLE": "Back to the text of note %d",
            }
        },
    )
    clean = nh3.clean(
        rendered,
        tags=TRANSCRIPTION_TAGS,
        attributes=TRANSCRIPTION_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return lxml_html.fragment_fromstring(clean, create_parent="div")


def has_class(element, name: str) -> bool:
    return name in (element.get("class") or "").split()


def is_left_out(element) -> bool:
    """Elements whose text is not part of the canonical text (page numbers, note numbers, ¶ links)."""
    if element.tag is Comment:
        return True
    if element.tag == "span" and has_class(element, "pb"):
        return True
    if element.tag == "sup" and (element.get("id") or "").startswith("fnref-"):
        return True
    if has_class(element, "edition-label") or has_class(element, "ann-ref") or has_class(element, "ann-notes"):
        return True
    return element.tag == "a" and (has_class(element, "para-link") or has_class(element, "footnote-backref"))


def leaf_blocks(root) -> list:
    """Block elements that hold text directly (a <p> inside an <li> rather than the <li>)."""
    blocks = []
    for element in root.iter():
        if element.tag in BLOCK_TAGS and not any(child.tag in BLOCK_TAGS for child in element.iterdescendants()):
            blocks.append(element)
    return blocks


# ---------------------------------------------------------------- structure


def prepare_structure(root):
    """Split the tree into heading, body and notes; give page breaks, notes and paragraphs ids.

    Returns (heading, body, notes, pages, located blocks in reading order).
    """
    heading = root.find("h1")
    if heading is not None:
        root.remove(heading)
        heading.tail = None
    notes = root.find("div[@class='footnote']")
    if notes is not None:
        root.remove(notes)
        for hr in notes.findall("hr"):
            notes.remove(hr)
        notes.set("class", "footnotes")

    pages = []
    for marker in root.iter("span"):
        if has_class(marker, "pb"):
            page = marker.get("data-page")
            pages.append(int(page))
            marker.set("id", f"page-{page}")
            hidden = SubElement(marker, "span", {"class": "visually-hidden"})
            hidden.text = f"[Page {page}]"
            number = SubElement(marker, "span", {"class": "pb-num", "aria-hidden": "true"})
            number.text = page

    located = []
    if heading is not None:
        heading.set("id", "title")
        located.append((heading, Location("title", "title")))

    number = 0
    front_matter: dict[str, int] = {}
    for block in leaf_blocks(root):
        classes = set((block.get("class") or "").split())
        if block.tag in HEADING_TAGS:
            anchor = block.get("id") or "section-" + slugify_text(block.text_content())
            block.set("id", anchor)
            located.append((block, Location(anchor, "heading")))
        elif classes & FRONT_MATTER_CLASSES:
            kind = sorted(classes & FRONT_MATTER_CLASSES)[0]
            front_matter[kind] = front_matter.get(kind, 0) + 1
            anchor = block.get("id") or f"{kind}-{front_matter[kind]}"
            block.set("id", anchor)
            located.append((block, Location(anchor, kind.replace("-", " "))))
        elif any(has_class(a, "signatures") for a in block.iterancestors()):
            located.append((block, Location("signatures", "signatures")))
        else:
            number += 1
            anchor = f"p-{number}"
            block.set("id", anchor)
            add_paragraph_link(block, anchor, number)
            located.append((block, Location(anchor, f"¶ {number}")))
    for restored in [*root.iter()]:
        if restored.tag is not Comment and has_class(restored, "restored"):
            label = SubElement(restored, "span", {"class": "edition-label"})
            label.text = "restored from the printed edition"
    for container in root.iter("div"):
        if has_class(container, "signatures"):
            container.set("id", "signatures")

    if notes is not None:
        for item in notes.iter("li"):
            note = item.get("id", "").removeprefix("fn-")
            for link in item.iter("a"):
                if has_class(link, "footnote-backref"):
                    link.set("aria-label", f"Back to the text of note {note}")
                    strip_space_before(link)
            for block in leaf_blocks(item):
                located.append((block, Location(item.get("id"), f"note {note}")))
    for ref in root.iter("sup") if heading is None else [*heading.iter("sup"), *root.iter("sup")]:
        if (ref.get("id") or "").startswith("fnref-"):
            for link in ref.iter("a"):
                link.set("aria-label", f"Note {link.text_content()}")
    return heading, root, notes, pages, located


def add_paragraph_link(block, anchor: str, number: int) -> None:
    link = Element("a", {"class": "para-link", "href": f"#{anchor}"})
    link.set("aria-label", f"Paragraph {number}: link to cite")
    link.text = f"¶ {number}"
    link.tail = block.text
    block.text = None
    block.insert(0, link)


def strip_space_before(element) -> None:
    """Python-Markdown puts a space before a note's back-link; it is not part of the note."""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "").rstrip() or None
    else:
        parent = element.getparent()
        parent.text = (parent.text or "").rstrip() or None


def slugify_text(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "section"


# ---------------------------------------------------------------- canonical text


def collect_segments(located) -> tuple[str, list[Segment], list[Block]]:
    """Walk the located blocks in reading order; build the canonical text and its offset map."""
    segments: list[Segment] = []
    blocks: list[Block] = []
    parts: list[str] = []
    position = 0

    def add(node, attr, text, in_link):
        nonlocal position
        if text:
            segments.append(Segment(node, attr, position, text, in_link))
            parts.append(text)
            position += len(text)

    def walk(element, in_link):
        in_link = in_link or element.tag == "a"
        add(element, "text", element.text, in_link)
        for child in element:
            if child.tag == "br":
                add(child, "", "\n", True)
            elif not is_left_out(child):
                walk(child, in_link)
            add(child, "tail", child.tail, in_link)

    for index, (element, location) in enumerate(located):
        if index:
            parts.append(BLOCK_SEPARATOR)
            position += len(BLOCK_SEPARATOR)
        start = position
        walk(element, False)
        blocks.append(Block(element, start, position, location))
    return "".join(parts), segments, blocks


# ---------------------------------------------------------------- linking and wrapping


def build_matcher(linkables: Sequence[Linkable]):
    """One regex for every name, longest first, matching whole words only, case-sensitive."""
    by_name: dict[str, Linkable] = {}
    for item in linkables:
        for name in item.names:
            if name.strip():
                by_name.setdefault(name.strip(), item)
    if not by_name:
        return None, by_name
    alternatives = "|".join(re.escape(name) for name in sorted(by_name, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), by_name


def find_links(text, blocks, segments, linkables) -> tuple[list[Wrap], list[Occurrence], dict]:
    matcher, by_name = build_matcher(linkables)
    if matcher is None:
        return [], [], {}
    in_link = [(s.start, s.end) for s in segments if s.in_link]  # in reading order, so sorted
    in_link_starts = [start for start, _ in in_link]
    wraps, occurrences, used = [], [], {}
    for block in blocks:
        linked_here = set()
        for match in matcher.finditer(text, block.start, block.end):
            start, end = match.span()
            if overlaps_any(in_link, in_link_starts, start, end):
                continue  # never a link inside a link (a note's URL, a cross-reference)
            item = by_name[match.group(0)]
            occurrences.append(Occurrence(item.kind, item.slug, block.location, match.group(0)))
            if item.popover_id in linked_here:
                continue  # one link per entry per paragraph is enough to read by
            linked_here.add(item.popover_id)
            used[item.popover_id] = item
            wraps.append(Wrap(start, end, link_maker(item), layer=10))
    return wraps, occurrences, used


def overlaps_any(spans, starts, start, end) -> bool:
    """Whether [start, end) overlaps one of the sorted, non-overlapping `spans`."""
    index = bisect_right(starts, start) - 1
    return any(a < end and start < b for a, b in spans[max(index, 0) : index + 2])


def link_maker(item: Linkable):
    def make():
        return Element(
            "a",
            {
                "class": f"gloss gloss-{item.kind}",
                "href": item.url,
                "data-popover": item.popover_id,
            },
        )

    return make


def mark_maker(note: Note, made: list):
    def make():
        mark = Element("mark", {"class": f"ann ann-{note.kind}", "data-ann": str(note.id)})
        made.append(mark)
        return mark

    return make


def note_letter(number: int) -> str:
    """1 → a, 26 → z, 27 → aa: letters keep the editors' notes apart from FRUS's numbered notes."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(97 + rest) + letters
    return letters


def place_notes(notes: Sequence[Note], marks: dict[int, list], blocks: Sequence[Block], body) -> str:
    """Link each mark to its note and back; put the notes after the paragraph where each mark
    begins; return the same notes as numbered endnotes for print."""
    starts = [b.start for b in blocks]
    endnotes = []
    for number, note in enumerate(notes, start=1):
        letter = note_letter(number)
        made = marks[note.id]
        if made:
            made[0].set("id", f"mark-{note.id}")
            insert_after_mark(made[-1], note, letter)
        block = blocks[max(0, bisect_right(starts, note.start) - 1)]
        container = notes_container(block.element, body)
        container.append(note_element(note, letter))
        endnotes.append(
            f'<li id="endnote-{note.id}" value="{number}"><span class="ann-letter">{letter}</span> '
            f'<span class="ann-kind">{html.escape(note.kind_label)}</span>, {html.escape(block.location.label)}: '
            f"{note.body_html}</li>"
        )
    if not endnotes:
        return ""
    return f'<ol class="ann-endnotes-list">{"".join(endnotes)}</ol>'


def insert_after_mark(mark, note: Note, letter: str) -> None:
    while mark.getparent() is not None and any(a.tag == "a" for a in mark.iterancestors()):
        mark = mark.getparent()  # never put a link inside a link
    ref = Element(
        "a",
        {
            "class": f"ann-ref ann-{note.kind}",
            "href": f"#annotation-{note.id}",
            "id": f"ann-ref-{note.id}",
            "aria-label": f"Note {letter}: {note.kind_label}",
        },
    )
    ref.text = letter
    parent = mark.getparent()
    ref.tail, mark.tail = mark.tail, None
    parent.insert(parent.index(mark) + 1, ref)


def notes_container(block, body):
    """The notes box after a paragraph: the paragraph and its notes share a wrapper (a grid on wide screens)."""
    if block.tag == "h1":  # the title lives outside the body: its notes open the body
        container = body.find("div[@class='ann-notes title-notes']")
        if container is None:
            container = Element("div", {"class": "ann-notes title-notes"})
            body.insert(0, container)
        return container
    if block.tag in CELL_TAGS:  # a list item (or cell) cannot be wrapped: the wrapper goes inside it
        if len(block) and has_class(block[-1], "annotated"):
            return block[-1][-1]
        content = Element("div", {"class": "annotated-text"})
        content.text, block.text = block.text, None
        for child in list(block):
            content.append(child)
        wrapper = SubElement(block, "div", {"class": "annotated"})
        wrapper.append(content)
        return SubElement(wrapper, "div", {"class": "ann-notes"})
    parent = block.getparent()
    if has_class(parent, "annotated"):
        return parent[-1]
    wrapper = Element("div", {"class": "annotated"})
    wrapper.tail, block.tail = block.tail, None
    block.addprevious(wrapper)  # not parent.index(): that is linear in the number of paragraphs
    wrapper.append(block)
    return SubElement(wrapper, "div", {"class": "ann-notes"})


def note_element(note: Note, letter: str):
    details = Element("details", {"class": f"ann-note ann-{note.kind}", "id": f"annotation-{note.id}", "open": ""})
    summary = SubElement(details, "summary")
    label = SubElement(summary, "span", {"class": "ann-letter"})
    label.text = letter
    label.tail = " "
    kind = SubElement(summary, "span", {"class": "ann-kind"})
    kind.text = note.kind_label
    content = lxml_html.fragment_fromstring(
        f'<div class="ann-body">{note.body_html}{note.extra_html}'
        f'<p class="ann-back"><a href="#mark-{note.id}">Back to the passage</a></p></div>'
    )
    details.append(content)
    return details


def apply_wraps(segments: Sequence[Segment], wraps: Sequence[Wrap]) -> None:
    """Wrap ranges of canonical text in elements, splitting them wherever they cross an element.

    Every segment is rewritten once, with all the wraps that touch it, so wraps may overlap
    and nest: each piece of text gets one element per wrap covering it, outer layers first.
    One sweep over segments and wraps in text order: linear in text plus wraps.
    """
    if not wraps:
        return
    by_start = sorted(wraps, key=lambda w: w.start)
    nesting = {id(w): (w.layer, w.start, -w.end) for w in wraps}
    active: list[Wrap] = []
    next_wrap = 0
    for segment in segments:  # in reading order
        while next_wrap < len(by_start) and by_start[next_wrap].start < segment.end:
            active.append(by_start[next_wrap])
            next_wrap += 1
        active = [w for w in active if w.end > segment.start]
        if not segment.attr:
            continue
        touching = sorted((w for w in active if w.start < segment.end), key=lambda w: nesting[id(w)])
        if not touching:
            continue
        cuts = {segment.start, segment.end}
        for w in touching:
            cuts.update(c for c in (w.start, w.end) if segment.start < c < segment.end)
        cuts = sorted(cuts)
        pieces = []
        for a, b in zip(cuts, cuts[1:], strict=False):
            covering = [w for w in touching if w.start <= a and b <= w.end]
            pieces.append((segment.text[a - segment.start : b - segment.start], covering))
        replace_segment(segment, pieces)


def replace_segment(segment: Segment, pieces) -> None:
    node = segment.node
    if segment.attr == "text":
        parent, index = node, 0
    else:
        parent = node.getparent()
        index = parent.index(node) + 1
    setattr(node, segment.attr, "")
    previous = None
    for text, covering in pieces:
        if not covering:
            if previous is None:
                setattr(node, segment.attr, getattr(node, segment.attr) + text)
            else:
                previous.tail = (previous.tail or "") + text
            continue
        outer = inner = covering[0].make()
        for wrap in covering[1:]:
            child = wrap.make()
            inner.append(child)
            inner = child
        inner.text = text
        parent.insert(index, outer)
        index += 1
        previous = outer


# ---------------------------------------------------------------- output


def serialise_children(element) -> str:
    if element is None:
        return ""
    inner = html.escape(element.text or "", quote=False)
    return inner + "".join(lxml_html.tostring(child, encoding="unicode") for child in element)


def serialise(element) -> str:
    return "" if element is None else lxml_html.tostring(element, encoding="unicode")


def popovers_html(used: dict[str, Linkable]) -> str:
    parts = []
    for pop_id, item in sorted(used.items()):
        kind = "Glossary" if item.kind == "term" else "Person"
        parts.append(
            f'<div id="{pop_id}" class="popover" popover role="dialog" '
            f'aria-labelledby="{pop_id}-title">'
            f'<p class="popover-kind">{kind}</p>'
            f'<h2 class="popover-title" id="{pop_id}-title">{html.escape(item.label)}</h2>'
            f"{item.popover_html}"
            f'<p class="popover-more"><a href="{html.escape(item.url)}">Full entry'
            f'<span class="visually-hidden">: {html.escape(item.label)}</span></a></p>'
            f'<button type="button" class="popover-close" popovertarget="{pop_id}" '
            f'popovertargetaction="hide">Close</button></div>'
        )
    return "".join(parts)


def render_transcription(
    source: str,
    linkables: Sequence[Linkable] = (),
    notes_for_text: Callable[[str], Sequence[Note]] | None = None,
) -> RenderedTranscription:
    """Run the whole pipeline on a transcription's Markdown.

    `notes_for_text` receives the canonical text and returns the annotations to show, already
    resolved to positions in it; their marks are wrapped in the same pass as the links.
    """
    root = markdown_to_tree(source)
    heading, body, notes_root, pages, located = prepare_structure(root)
    text, segments, blocks = collect_segments(located)
    for block in blocks:
        block.element.set("data-offset", str(block.start))
    wraps, occurrences, used = find_links(text, blocks, segments, linkables)
    notes = [n for n in (notes_for_text(text) if notes_for_text else ()) if 0 <= n.start < n.end <= len(text)]
    notes.sort(key=lambda n: (n.start, -n.end, n.id))
    marks: dict[int, list] = {note.id: [] for note in notes}
    wraps += [Wrap(n.start, n.end, mark_maker(n, marks[n.id])) for n in notes]
    apply_wraps(segments, wraps)
    endnotes = place_notes(notes, marks, blocks, body)
    return RenderedTranscription(
        heading_html=serialise_children(heading),
        body_html=serialise_children(body),
        notes_html=serialise(notes_root),
        popovers_html=popovers_html(used),
        text=text,
        endnotes_html=endnotes,
        note_count=len(notes),
        blocks=[TextRange(b.location, b.start, b.end) for b in blocks],
        occurrences=occurrences,
        pages=pages,
    )


def canonical_text(source: str) -> str:
    """The canonical plain text of a transcription (what `text.txt` serves)."""
    root = markdown_to_tree(source)
    *_, located = prepare_structure(root)
    return collect_segments(located)[0]
