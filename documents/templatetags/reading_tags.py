"""Rendering the reading's runs: the one place that turns inline data into HTML.

A block has hundreds of runs; an `{% include %}` per run would be slow, so runs are written here
with `format_html`-style escaping, in one loop. Runs next to each other with equal marks share
one element: the open elements are closed only where the marks change.
"""

from django import template
from django.utils.html import escape
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


@register.filter
def block_element(block) -> str:
    return f"h{block.level}" if block.form == "heading" else BLOCK_ELEMENTS[block.form]


@register.filter
def holds_its_notes(block) -> bool:
    """A list item or a cell cannot be wrapped with its notes: the wrapper goes inside it."""
    return block.form not in ("paragraph", "heading", "preformatted")


@register.filter
def has_own_id(block) -> bool:
    """Signatories share their list's anchor, a FRUS note's paragraphs their note's."""
    return block.kind not in (SIGNATORY, FOOTNOTE)


@register.filter
def block_classes(block) -> str:
    classes = [KIND_CLASSES[block.kind]] if block.kind in KIND_CLASSES else []
    return " ".join([*classes, "restored"] if block.restored else classes)


@register.filter
def container_element(container) -> str:
    return CONTAINER_ELEMENTS[container.kind]
