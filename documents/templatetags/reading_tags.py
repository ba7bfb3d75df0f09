"""Rendering the reading's runs: the one place that turns inline data into HTML.

A block has hundreds of runs; an `{% include %}` per run would be slow, so runs are written here
with `format_html`-style escaping, in one loop. Runs next to each other with equal marks share
one element: the open elements are closed only where the marks change.
"""

from html import escape as html_escape

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from documents.models import Annotation
from documents.reading import (
    BACK_LINK,
    DATELINE,
    FOOTNOTE,
    FOOTNOTE_REF,
    LINE_BREAK,
    NOTE_REF,
    PAGE_BREAK,
    SIGNATORY,
    SIGNATURE,
    TEXT,
    TITLE_LINE,
    Place,
)
from documents.rendering import citable_label

register = template.Library()


def escape(value) -> str:
    """Django's `escape` (the same five characters), without its lazy-string wrapper: called thousands of times."""
    return html_escape(str(value))


SIMPLE_TAGS = {
    "emphasis": "em",
    "strong": "strong",
    "italic": "i",
    "bold": "b",
    "underline": "u",
    "superscript": "sup",
    "subscript": "sub",
    "small": "small",
    "code": "code",
    "span": "span",
}
KIND_LABELS = dict(Annotation.Kind.choices)
# Links within the page; an excerpt shown elsewhere points them at the full document.
LOCAL_LINK_PREFIXES = ("#fn-", "#fnref-", "#p-", "#page-", "#signatures", "#section-", "#title")


def local(href: str, base: str) -> str:
    return base + href if base and href.startswith(LOCAL_LINK_PREFIXES) else href


def open_tag(mark, run, base: str) -> str:
    kind = mark.kind
    if kind == "annotation":
        anchor = f' id="mark-{mark.note}"' if mark.note in run.mark_starts else ""
        return f'<mark class="ann ann-{escape(mark.note_kind)}" data-ann="{mark.note}"{anchor}>'
    if kind == "entry":
        return (
            f'<a class="gloss gloss-{escape(mark.entry)}" href="{escape(mark.href)}" '
            f'data-popover="pop-{escape(mark.entry)}-{escape(mark.slug)}">'
        )
    if kind == "link":
        title = f' title="{escape(mark.title)}"' if mark.title else ""
        return f'<a href="{escape(local(mark.href, base))}"{title} rel="noopener noreferrer">'
    if kind == "abbreviation":
        return f'<abbr title="{escape(mark.title)}">' if mark.title else "<abbr>"
    return f"<{SIMPLE_TAGS[kind]}>"


def close_tag(mark) -> str:
    if mark.kind in ("entry", "link"):
        return "</a>"
    if mark.kind == "annotation":
        return "</mark>"
    if mark.kind == "abbreviation":
        return "</abbr>"
    return f"</{SIMPLE_TAGS[mark.kind]}>"


def run_html(run, base: str) -> str:
    kind = run.kind
    if kind == TEXT:
        return escape(run.text)
    if kind == LINE_BREAK:
        return "<br>"
    if kind == PAGE_BREAK:
        return (
            f'<span class="pb" data-page="{run.page}" id="page-{run.page}" data-skip>'
            f'<span class="visually-hidden">[Page {run.page}]</span>'
            f'<span class="pb-num" aria-hidden="true">{run.page}</span></span>'
        )
    if kind == FOOTNOTE_REF:
        number = escape(run.text)
        href = escape(local("#" + run.target, base))
        return (
            f'<sup id="{escape(run.anchor)}" data-skip><a class="footnote-ref" href="{href}" '
            f'rel="noopener noreferrer" aria-label="Note {number}">{number}</a></sup>'
        )
    if kind == BACK_LINK:
        label = f"Back to the text of note {escape(run.text)}"
        return (
            f'<a class="footnote-backref" href="{escape(local("#" + run.target, base))}" title="{label}" '
            f'rel="noopener noreferrer" aria-label="{label}" data-skip>↩</a>'
        )
    if kind == NOTE_REF:
        note = run.note
        return (
            f'<a class="ann-ref ann-{escape(note.kind)}" href="#{note.anchor}" id="ann-ref-{note.id}" '
            f'aria-label="Note {note.letter}: {escape(KIND_LABELS.get(note.kind, note.kind))}" data-skip>'
            f"{note.letter}</a>"
        )
    raise ValueError(f"Unknown kind of run: {kind}")


@register.simple_tag
def reading_runs(block, base=""):
    """A block's runs as HTML. `base` is the full document's URL when the block is shown elsewhere."""
    parts = []
    open_marks: tuple = ()
    for run in block.runs:
        marks = run.marks
        same = 0
        while same < len(open_marks) and same < len(marks) and open_marks[same] == marks[same]:
            same += 1
        parts.extend(close_tag(mark) for mark in reversed(open_marks[same:]))
        parts.extend(open_tag(mark, run, base) for mark in marks[same:])
        open_marks = marks
        parts.append(run_html(run, base))
    parts.extend(close_tag(mark) for mark in reversed(open_marks))
    return mark_safe("".join(parts))  # noqa: S308 (every piece of text and attribute is escaped above)


@register.filter
def kind_label(kind: str) -> str:
    """The label of a kind of editors' note ("Analysis question")."""
    return KIND_LABELS.get(kind, kind)


@register.filter
def place_label(place: Place) -> str:
    """How a place is cited: "¶ 5", "note 3", "title"…"""
    return citable_label(place)


BLOCK_ELEMENTS = {
    "paragraph": "p",
    "item": "li",
    "term": "dt",
    "definition": "dd",
    "cell": "td",
    "header-cell": "th",
    "preformatted": "pre",
}
CONTAINER_ELEMENTS = {
    "embedded-text": "div",
    "signatures": "div",
    "division": "div",
    "list": "ul",
    "numbered-list": "ol",
    "item": "li",
    "quotation": "blockquote",
    "table": "table",
    "table-head": "thead",
    "table-body": "tbody",
    "table-foot": "tfoot",
    "row": "tr",
    "definitions": "dl",
}
KIND_CLASSES = {DATELINE: "dateline", TITLE_LINE: "title-line", SIGNATURE: "signature"}


RESTORED_LABEL = '<span class="edition-label" data-skip>restored from the printed edition</span>'


def block_element(block) -> str:
    return f"h{block.level}" if block.form == "heading" else BLOCK_ELEMENTS[block.form]


def holds_its_notes(block) -> bool:
    """A list item or a cell cannot be wrapped with its notes: the wrapper goes inside it."""
    return block.form not in ("paragraph", "heading", "preformatted")


def has_own_id(block) -> bool:
    """Signatories share their list's anchor, a FRUS note's paragraphs their note's."""
    return block.kind not in (SIGNATORY, FOOTNOTE)


def block_classes(block) -> str:
    classes = [KIND_CLASSES[block.kind]] if block.kind in KIND_CLASSES else []
    return " ".join([*classes, "restored"] if block.restored else classes)


# Blocks, containers and notes are written in Python, not with an {% include %} each: a page has
# hundreds of them, and an include costs more than the HTML it writes. The newline after each
# piece is where the templates these replaced put one; the page stays byte for byte the same.


@register.simple_tag
def note_body(note):
    """An editors' note's body with its "See also" links."""
    parts = [conditional_escape(note.body)]
    if note.links:
        links = ", ".join(f'<a href="{escape(link.url)}">{escape(link.label)}</a>' for link in note.links)
        parts.append(f'<p class="ann-see">See also: {links}</p>')
    return mark_safe("".join(parts))  # noqa: S308 (escaped above; the body is sanitised Markup)


@register.simple_tag
def reading_notes(notes, title_notes=False):
    """The editors' notes shown after a block (or the title): side notes, disclosures on phones."""
    extra = " title-notes" if title_notes else ""
    parts = [f'<div class="ann-notes{extra}" data-skip>']
    for note in notes:
        parts.append(
            f'<details class="ann-note ann-{escape(note.kind)}" id="{escape(note.anchor)}" open><summary>'
            f'<span class="ann-letter">{escape(note.letter)}</span> '
            f'<span class="ann-kind">{escape(kind_label(note.kind))}</span></summary>'
            f'<div class="ann-body">{note_body(note)}\n<p class="ann-back"><a href="#mark-{escape(note.id)}">'
            "Back to the passage</a></p></div></details>"
        )
    parts.append("</div>")
    return mark_safe("".join(parts))  # noqa: S308 (every piece of text and attribute is escaped above)


@register.simple_tag
def reading_block(block, base="", without_notes=False):
    """A block: its element, its ¶ link, its runs and, unless left out, its editors' notes."""
    tag = block_element(block)
    inside = holds_its_notes(block)
    notes = block.notes
    parts = ['<div class="annotated">'] if notes and not inside else []
    parts.append(f"<{tag}")
    if has_own_id(block):
        parts.append(f' id="{escape(block.anchor)}"')
    classes = block_classes(block)
    if classes:
        parts.append(f' class="{escape(classes)}"')
    parts.append(f' data-start="{block.start}" data-end="{block.end}">')
    if notes and inside:
        parts.append('<div class="annotated"><div class="annotated-text">')
    number = block.number
    if number:
        parts.append(
            f'<a class="para-link" href="{escape(base)}#{escape(block.anchor)}" '
            # the name starts with what is shown, so a speech user can say "click ¶ 3" (WCAG 2.5.3)
            f'aria-label="¶ {number}: link to cite paragraph {number}" data-skip>¶ {number}</a>'
        )
    parts.append(reading_runs(block, base))
    if block.restored:
        parts.append(RESTORED_LABEL)
    if notes and inside:
        parts.append(f"</div>{reading_notes(notes)}\n</div>" if not without_notes else "</div></div>")
    parts.append(f"</{tag}>")
    if notes and not inside:
        if not without_notes:
            parts.append(f"{reading_notes(notes)}\n")
        parts.append("</div>")
    return mark_safe("".join(parts))  # noqa: S308 (every piece of text and attribute is escaped above)


@register.simple_tag
def reading_container(container, base="", without_notes=False):
    """A list, table, quotation, signatures…: its element around its children."""
    kind = container.kind
    if kind == "rule":
        return mark_safe("<hr>")
    tag = CONTAINER_ELEMENTS[kind]
    parts = [f"<{tag}"]
    if container.anchor:
        parts.append(f' id="{escape(container.anchor)}"')
    if kind in ("embedded-text", "signatures"):
        parts.append(f' class="{kind}"')
    if container.start_number:
        parts.append(f' start="{container.start_number}"')
    parts.append(f">\n{reading_nodes(container.children, base, without_notes)}\n")
    if container.restored:
        parts.append(RESTORED_LABEL)
    parts.append(f"</{tag}>")
    return mark_safe("".join(parts))  # noqa: S308 (every piece of text and attribute is escaped above)


@register.simple_tag
def reading_nodes(nodes, base="", without_notes=False):
    """Blocks and containers in reading order."""
    parts = []
    for node in nodes:
        render = reading_block if node.is_block else reading_container
        parts.append(f"{render(node, base, without_notes)}\n\n")
    return mark_safe("".join(parts))  # noqa: S308 (every piece is escaped where it is written)


@register.simple_tag
def reading_endnotes(notes):
    """The editors' notes as lettered endnotes (print)."""
    items = "".join(
        f'<li id="endnote-{note.id}" value="{note.number}"><span class="ann-letter">{escape(note.letter)}</span> '
        f'<span class="ann-kind">{escape(kind_label(note.kind))}</span>, {escape(citable_label(note.place))}: '
        f"{conditional_escape(note.body)}</li>"
        for note in notes
    )
    return mark_safe(f'<ol class="ann-endnotes-list">{items}</ol>')  # noqa: S308 (escaped above)


@register.simple_tag
def reading_popovers(entries):
    """The popovers of the glossary terms and people linked in the text."""
    parts = []
    for entry in entries:
        popover = escape(entry.popover_id)
        label = escape(entry.label)
        kind = "Glossary" if entry.kind == "term" else "Person"
        expansion = f'<p class="popover-expansion">{escape(entry.expansion)}</p>' if entry.expansion else ""
        parts.append(
            f'<div id="{popover}" class="popover" popover role="dialog" aria-labelledby="{popover}-title">'
            f'<p class="popover-kind">{kind}</p><h2 class="popover-title" id="{popover}-title">{label}</h2>'
            f'{expansion}{conditional_escape(entry.body)}<p class="popover-more"><a href="{escape(entry.url)}">'
            f'Full entry<span class="visually-hidden">: {label}</span></a></p><button type="button" '
            f'class="popover-close" popovertarget="{popover}" popovertargetaction="hide">Close</button></div>'
        )
    return mark_safe("".join(parts))  # noqa: S308 (every piece of text and attribute is escaped above)
