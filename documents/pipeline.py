"""The transcription pipeline, in one place and free of Django.

Markdown → HTML → sanitise (nh3) → tree (lxml) → canonical text with an offset map
→ marks and glossary/people links (wrapped as segments, so they may cross page breaks
or footnote references) → a structured reading (`documents.reading`): blocks, inline runs,
notes, footnotes. Data only: templates add the HTML and the words around it.

Markdown is CommonMark through cmark-gfm (`cmarkgfm`, C, linear in its input, with its footnotes);
the conventions it lacks are rewritten around it: attribute lists `{: .restored }` become marker spans
whose classes move onto their block in the tree, `<div … markdown="1">` blocks are opened up with blank
lines, and cmark's footnotes are given the shape Python-Markdown's had (`div.footnote`, `sup#fnref-N`).
Input over 200,000 characters or nested over 100 levels renders as a one-line notice.

Two conventions on top of Markdown: footnotes `[^n]` and
page breaks `{{page 725}}`, which may fall mid-word ("interpreta{{page 727}}tions").
The canonical text leaves out page markers, footnote reference numbers and paragraph
links, so a quote reads straight across a page break; annotations anchor to it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from lxml import html as lxml_html
from lxml.etree import Comment, Element

from core.markdown import MAX_MARKDOWN_CHARS, MAX_NESTING, nesting_depth
from documents.reading import (
    BACK_LINK,
    DATELINE,
    FOOTNOTE,
    FOOTNOTE_REF,
    HEADING,
    LINE_BREAK,
    NOTE_REF,
    PAGE_BREAK,
    PARAGRAPH,
    SIGNATORY,
    SIGNATURE,
    TEXT,
    TITLE,
    TITLE_LINE,
    Block,
    Container,
    Footnote,
    Linkable,
    Mark,
    Note,
    Occurrence,
    Place,
    PlacedNote,
    Reading,
    Run,
)

__all__ = ["Linkable", "Note", "Reading", "canonical_text", "render_transcription"]

PAGE_MARKER = re.compile(r"\{\{page (\d+)\}\}")
# Written so that no line makes them backtrack more than once over it (the source is an editor's).
ATTRIBUTE_LIST = re.compile(r"\{:([^{}\n]*)\}[ \t]*$")
HTML_DIV_LINE = re.compile(r"[ \t]{0,3}<div\b[^>\n]*>[ \t]*$")
CLASS_NAME = re.compile(r"[A-Za-z_][\w-]*")
TOO_LONG_NOTICE = "This text is too long to show."
TOO_DEEP_NOTICE = "This text is nested too deeply to show."
BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "td", "th", "pre"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
FRONT_MATTER_KINDS = {"dateline": DATELINE, "title-line": TITLE_LINE, "signature": SIGNATURE}
BLOCK_SEPARATOR = "\n\n"
BLOCK_FORMS = {
    "p": "paragraph",
    "li": "item",
    "dt": "term",
    "dd": "definition",
    "td": "cell",
    "th": "header-cell",
    "pre": "preformatted",
}
CONTAINER_KINDS = {
    "ul": "list",
    "ol": "numbered-list",
    "li": "item",
    "blockquote": "quotation",
    "table": "table",
    "thead": "table-head",
    "tbody": "table-body",
    "tfoot": "table-foot",
    "tr": "row",
    "dl": "definitions",
    "hr": "rule",
}
INLINE_MARKS = {
    "em": "emphasis",
    "strong": "strong",
    "i": "italic",
    "b": "bold",
    "u": "underline",
    "sup": "superscript",
    "sub": "subscript",
    "small": "small",
    "code": "code",
}
# Elements the pipeline itself puts in the tree while it works (never in the sanitised source).
ENTRY_TAG = "x-entry"
ANNOTATION_TAG = "x-annotation"
NOTE_REF_TAG = "x-note-ref"

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
    "span": {"data-page", "data-attr-class", "data-attr-id"},
    "ol": {"start"},
    "abbr": {"title"},
}


@dataclass
class Located:
    """A block element of the tree, with what it is and (once the text is collected) where it sits."""

    element: object
    kind: str
    form: str
    place: Place
    level: int = 0
    restored: bool = False
    start: int = 0
    end: int = 0


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


# ---------------------------------------------------------------- Markdown → tree


def markdown_to_tree(source: str):
    """Render the transcription's Markdown and sanitise it; return the lxml tree (a <div>).

    cmark has neither attribute lists nor Markdown inside HTML blocks: `prepare_source` turns the first
    into marker spans and opens up the second, `apply_attribute_markers` and `normalise_footnotes` bring
    the tree to the shape the rest of the pipeline reads (Python-Markdown's, which it was written for).
    """
    source = source or ""
    if len(source) > MAX_MARKDOWN_CHARS:
        return notice_tree(TOO_LONG_NOTICE)
    # cmark takes UTF-8: a lone surrogate (which no browser sends, but a script may) becomes "?".
    source = prepare_source(source.encode("utf-8", "replace").decode("utf-8"))
    rendered = cmarkgfm.markdown_to_html_with_extensions(
        source, options=Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES, extensions=[]
    )
    if nesting_depth(rendered) > MAX_NESTING:  # html5ever and the tree walks below are quadratic in depth
        return notice_tree(TOO_DEEP_NOTICE)
    clean = nh3.clean(
        rendered,
        tags=TRANSCRIPTION_TAGS | {"section"},
        attributes=TRANSCRIPTION_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    root = lxml_html.fragment_fromstring(clean, create_parent="div")
    normalise_footnotes(root)
    apply_attribute_markers(root)
    return root


def notice_tree(notice: str):
    root = Element("div")
    paragraph = Element("p", {"class": "markdown-too-long"})
    paragraph.text = notice
    root.append(paragraph)
    return root


def prepare_source(source: str) -> str:
    """Page breaks and attribute lists to marker spans; `markdown="1"` divs opened up for CommonMark.

    One pass over the lines. An attribute list `{: .cls #id }` at the end of a line, or alone on the line
    after a paragraph's last line, becomes `<span data-attr-class="cls" data-attr-id="id"></span>` at the
    end of that line; the tree stage moves it onto the block that holds it. A `<div … markdown="1">` line
    and its closing `</div>` are set apart by blank lines, so CommonMark reads what is between as Markdown.
    """
    lines: list[str] = []
    open_divs = 0
    for line in PAGE_MARKER.sub(r'<span class="pb" data-page="\1"></span>', source).split("\n"):
        if ' markdown="1"' in line and HTML_DIV_LINE.match(line):
            lines += ["", line.strip().replace(' markdown="1"', ""), ""]
            open_divs += 1
            continue
        if open_divs and line.strip() == "</div>":
            lines += ["", "</div>", ""]
            open_divs -= 1
            continue
        attributes = ATTRIBUTE_LIST.search(line)
        if attributes and not line.startswith("    "):
            marker = attribute_marker(attributes.group(1))
            before = line[: attributes.start()].rstrip()
            if before.strip():
                line = before + marker
            elif lines and lines[-1].strip() and not lines[-1].startswith("    "):
                lines[-1] = lines[-1].rstrip() + marker
                continue
        lines.append(line)
    return "\n".join(lines)


def attribute_marker(attributes: str) -> str:
    classes = [word[1:] for word in attributes.split() if word.startswith(".") and CLASS_NAME.fullmatch(word[1:])]
    ids = [word[1:] for word in attributes.split() if word.startswith("#") and CLASS_NAME.fullmatch(word[1:])]
    marker = '<span data-attr-class="' + " ".join(classes) + '"'
    if ids:
        marker += f' data-attr-id="{ids[-1]}"'
    return marker + "></span>"


def apply_attribute_markers(root) -> None:
    """Move each attribute-list marker's classes (and id) onto the element that holds it; drop the marker.

    Linear in the tree: markers are dropped parent by parent, in one rebuild of each parent's children
    (lxml's `len()` and `drop_tree()` walk the siblings, so one call per marker would be quadratic).
    """
    by_parent: dict = {}
    for marker in root.iter("span"):
        if marker.get("data-attr-class") is not None:
            by_parent.setdefault(marker.getparent(), []).append(marker)
    for parent, markers in by_parent.items():
        classes = (parent.get("class") or "").split()
        for marker in markers:
            classes += [c for c in marker.get("data-attr-class").split() if c not in classes]
            if marker.get("data-attr-id"):
                parent.set("id", marker.get("data-attr-id"))
        if classes:
            parent.set("class", " ".join(classes))
        dropped = set(markers)
        texts = [[parent.text or ""]]
        kept = []
        for child in parent:
            if child in dropped:
                texts[-1].append(child.tail or "")
            else:
                kept.append(child)
                texts.append([child.tail or ""])
        parent[:] = kept
        texts[-1][-1] = texts[-1][-1].rstrip()  # the space before `{:` at the end of the block
        parent.text = "".join(texts[0]) or None
        for child, text in zip(kept, texts[1:], strict=True):
            child.tail = "".join(text) or None


def normalise_footnotes(root) -> None:
    """cmark-gfm's footnotes in Python-Markdown's shape: `div.footnote`, `sup#fnref-N > a.footnote-ref`."""
    for section in list(root.iter("section")):
        if section.getparent() is root and has_class(section, "footnotes") and section is root[-1]:
            section.tag = "div"
            section.set("class", "footnote")
            section.insert(0, Element("hr"))
            section[0].tail, section.text = section.text, "\n"
        else:
            section.drop_tag()  # an editor's own <section>: the sanitiser would have dropped it
    for sup in root.iter("sup"):
        link = sup.find("a")
        if has_class(sup, "footnote-ref") and link is not None and (link.get("id") or "").startswith("fnref-"):
            sup.attrib.pop("class")
            sup.set("id", link.attrib.pop("id"))
            link.set("class", "footnote-ref")


def has_class(element, name: str) -> bool:
    return name in (element.get("class") or "").split()


def is_page_break(element) -> bool:
    return element.tag == "span" and has_class(element, "pb")


def is_footnote_ref(element) -> bool:
    return element.tag == "sup" and (element.get("id") or "").startswith("fnref-")


def is_back_link(element) -> bool:
    return element.tag == "a" and has_class(element, "footnote-backref")


def is_left_out(element) -> bool:
    """Elements whose text is not part of the canonical text (page numbers, note numbers, back-links)."""
    return element.tag is Comment or is_page_break(element) or is_footnote_ref(element) or is_back_link(element)


def leaf_blocks(root) -> list:
    """Block elements that hold text directly (a <p> inside an <li> rather than the <li>)."""
    blocks = []
    for element in root.iter():
        if element.tag in BLOCK_TAGS and not any(child.tag in BLOCK_TAGS for child in element.iterdescendants()):
            blocks.append(element)
    return blocks


# ---------------------------------------------------------------- structure


def prepare_structure(root):
    """Split the tree into heading, body and notes; say what each block is and give it its anchor.

    Returns (heading, body, notes, pages, located blocks in reading order).
    """
    heading = root.find("h1")
    if heading is not None:
        root.remove(heading)
        heading.tail = None
    notes = root.find("div[@class='footnote']")
    if notes is not None:
        root.remove(notes)

    pages = [int(marker.get("data-page")) for marker in root.iter("span") if has_class(marker, "pb")]

    located = []
    if heading is not None:
        located.append(Located(heading, TITLE, "heading", Place(TITLE, "title"), 1, has_class(heading, "restored")))

    number = 0
    front_matter: dict[str, int] = {}
    for block in leaf_blocks(root):
        classes = set((block.get("class") or "").split())
        form, level = block_form(block)
        restored = "restored" in classes
        if block.tag in HEADING_TAGS:
            anchor = block.get("id") or "section-" + slugify_text(block.text_content())
            place = Place(HEADING, anchor)
        elif classes & FRONT_MATTER_KINDS.keys():
            kind = FRONT_MATTER_KINDS[sorted(classes & FRONT_MATTER_KINDS.keys())[0]]
            front_matter[kind] = front_matter.get(kind, 0) + 1
            place = Place(kind, block.get("id") or f"{kind}-{front_matter[kind]}")
        elif any(has_class(a, "signatures") for a in block.iterancestors()):
            place = Place(SIGNATORY, "signatures")
        else:
            number += 1
            place = Place(PARAGRAPH, f"p-{number}", number)
        located.append(Located(block, place.kind, form, place, level, restored))

    if notes is not None:
        for item in notes.iter("li"):
            for link in item.iter("a"):
                if is_back_link(link):
                    strip_space_before(link)
            for block in leaf_blocks(item):
                form, level = block_form(block)
                place = Place(FOOTNOTE, item.get("id"))
                located.append(Located(block, FOOTNOTE, form, place, level, has_class(block, "restored")))
    return heading, root, notes, pages, located


def block_form(element) -> tuple[str, int]:
    if element.tag in HEADING_TAGS:
        return "heading", int(element.tag[1])
    return BLOCK_FORMS[element.tag], 0


def strip_space_before(element) -> None:
    """cmark puts a space before a note's back-link; it is not part of the note."""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "").rstrip() or None
    else:
        parent = element.getparent()
        parent.text = (parent.text or "").rstrip() or None


def slugify_text(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "section"


# ---------------------------------------------------------------- canonical text


def collect_segments(located: Sequence[Located]) -> tuple[str, list[Segment]]:
    """Walk the located blocks in reading order; build the canonical text and its offset map."""
    segments: list[Segment] = []
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

    for index, block in enumerate(located):
        if index:
            parts.append(BLOCK_SEPARATOR)
            position += len(BLOCK_SEPARATOR)
        block.start = position
        walk(block.element, False)
        block.end = position
    return "".join(parts), segments


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
            occurrences.append(Occurrence(item.kind, item.slug, block.place, match.group(0)))
            if item.popover_id in linked_here:
                continue  # one link per entry per paragraph is enough to read by
            linked_here.add(item.popover_id)
            used[item.popover_id] = item
            wraps.append(Wrap(start, end, entry_maker(item), layer=10))
    return wraps, occurrences, used


def overlaps_any(spans, starts, start, end) -> bool:
    """Whether [start, end) overlaps one of the sorted, non-overlapping `spans`."""
    index = bisect_right(starts, start) - 1
    return any(a < end and start < b for a, b in spans[max(index, 0) : index + 2])


def entry_maker(item: Linkable):
    def make():
        return Element(ENTRY_TAG, {"kind": item.kind, "slug": item.slug, "href": item.url})

    return make


def annotation_maker(note: Note, made: list):
    def make():
        mark = Element(ANNOTATION_TAG, {"note": str(note.id), "kind": note.kind})
        made.append(mark)
        return mark

    return make


def place_notes(notes: Sequence[Note], marks: dict[int, list], located: Sequence[Located]) -> list[PlacedNote]:
    """Each note goes after the block where its mark begins, and its letter after the mark's last segment."""
    starts = [b.start for b in located]
    placed = []
    for number, note in enumerate(notes, start=1):
        block = located[max(0, bisect_right(starts, note.start) - 1)]
        placed_note = PlacedNote(
            note.id,
            note.kind,
            note.label,
            number,
            block.place,
            note.start,
            note.end,
            note.body,
            note.links,
            note.uuid,
        )
        placed.append(placed_note)
        made = marks[note.id]
        if made:
            made[0].set("first", "")
            insert_note_ref(made[-1], number - 1)
    return placed


def insert_note_ref(mark, index: int) -> None:
    while mark.getparent() is not None and any(a.tag == "a" for a in mark.iterancestors()):
        mark = mark.getparent()  # never put a link inside a link
    ref = Element(NOTE_REF_TAG, {"index": str(index)})
    parent = mark.getparent()
    ref.tail, mark.tail = mark.tail, None
    parent.insert(parent.index(mark) + 1, ref)


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


# ---------------------------------------------------------------- tree → reading


def inline_mark(element) -> Mark:
    """What an inline element of the tree is, as data."""
    tag = element.tag
    if tag == ANNOTATION_TAG:
        return Mark("annotation", note=int(element.get("note")), note_kind=element.get("kind"))
    if tag == ENTRY_TAG:
        return Mark("entry", href=element.get("href"), entry=element.get("kind"), slug=element.get("slug"))
    if tag == "a":
        return Mark("link", href=element.get("href") or "", title=element.get("title") or "")
    if tag == "abbr":
        return Mark("abbreviation", title=element.get("title") or "")
    return Mark(INLINE_MARKS.get(tag, "span"))


def block_runs(located: Located, notes: Sequence[PlacedNote]) -> list[Run]:
    """A block's inline content as runs, each text run with where it sits in the canonical text."""
    runs: list[Run] = []
    position = located.start
    starts: list[int] = []  # notes whose first mark segment is being entered

    def add_text(text, marks):
        nonlocal position
        if text:
            runs.append(Run(TEXT, text, marks, position, mark_starts=tuple(starts)))
            starts.clear()
            position += len(text)

    def walk(element, marks):
        nonlocal position
        add_text(element.text, marks)
        for child in element:
            tag = child.tag
            if tag is Comment:
                pass
            elif tag == "br":
                runs.append(Run(LINE_BREAK, marks=marks, start=position))
                position += 1
            elif is_page_break(child):
                runs.append(Run(PAGE_BREAK, marks=marks, page=int(child.get("data-page"))))
            elif is_footnote_ref(child):
                link = child.find("a")
                target = (link.get("href") or "").lstrip("#") if link is not None else ""
                runs.append(Run(FOOTNOTE_REF, child.text_content(), marks, anchor=child.get("id"), target=target))
            elif is_back_link(child):
                target = (child.get("href") or "").lstrip("#")
                runs.append(Run(BACK_LINK, target.removeprefix("fnref-"), marks, target=target))
            elif tag == NOTE_REF_TAG:
                runs.append(Run(NOTE_REF, marks=marks, note=notes[int(child.get("index"))]))
            else:
                if tag == ANNOTATION_TAG and child.get("first") is not None:
                    starts.append(int(child.get("note")))
                walk(child, (*marks, inline_mark(child)))
            add_text(child.tail, marks)

    walk(located.element, ())
    return runs


def build_nodes(parent, blocks: dict) -> list:
    """The blocks and containers under `parent`, in reading order (`blocks`: the block of each element)."""
    nodes = []
    for child in parent:
        if child.tag is Comment:
            continue
        block = blocks.get(child)
        if block is not None:
            nodes.append(block)
            continue
        if child.tag == "div":
            kind = next((k for k in ("embedded-text", "signatures") if has_class(child, k)), "division")
        else:
            kind = CONTAINER_KINDS.get(child.tag)
        if kind is None:
            continue  # inline content outside any block: not part of the reading
        nodes.append(
            Container(
                kind,
                build_nodes(child, blocks),
                anchor="signatures" if kind == "signatures" else "",
                start_number=int(child.get("start") or 0) if kind == "numbered-list" else 0,
                restored=has_class(child, "restored"),
            )
        )
    return nodes


def render_transcription(
    source: str,
    linkables: Sequence[Linkable] = (),
    notes_for_text: Callable[[str], Sequence[Note]] | None = None,
) -> Reading:
    """Run the whole pipeline on a transcription's Markdown.

    `notes_for_text` receives the canonical text and returns the annotations to show, already
    resolved to positions in it; their marks are wrapped in the same pass as the links.
    """
    root = markdown_to_tree(source)
    heading, body, notes_root, pages, located = prepare_structure(root)
    text, segments = collect_segments(located)
    wraps, occurrences, used = find_links(text, located, segments, linkables)
    notes = [n for n in (notes_for_text(text) if notes_for_text else ()) if 0 <= n.start < n.end <= len(text)]
    notes.sort(key=lambda n: (n.start, -n.end, n.id))
    marks: dict[int, list] = {note.id: [] for note in notes}
    wraps += [Wrap(n.start, n.end, annotation_maker(n, marks[n.id])) for n in notes]
    apply_wraps(segments, wraps)
    placed = place_notes(notes, marks, located)

    blocks = [
        Block(b.kind, b.form, b.place, b.start, b.end, block_runs(b, placed), b.level, b.restored) for b in located
    ]
    by_element = {b.element: block for b, block in zip(located, blocks, strict=True)}
    by_start = [b.start for b in blocks]
    for note in placed:  # after the block where its mark begins
        blocks[max(0, bisect_right(by_start, note.start) - 1)].notes.append(note)
    footnotes = []
    if notes_root is not None:
        for item in notes_root.iter("li"):
            if (item.get("id") or "").startswith("fn-"):
                anchor = item.get("id")
                footnotes.append(Footnote(anchor.removeprefix("fn-"), anchor, build_nodes(item, by_element)))
    return Reading(
        title=by_element.get(heading) if heading is not None else None,
        body=build_nodes(body, by_element),
        footnotes=footnotes,
        notes=placed,
        entries=[used[key] for key in sorted(used)],
        occurrences=occurrences,
        pages=pages,
        text=text,
        blocks=blocks,
    )


def canonical_text(source: str) -> str:
    """The canonical plain text of a transcription (what `text.txt` serves)."""
    root = markdown_to_tree(source)
    *_, located = prepare_structure(root)
    return collect_segments(located)[0]
