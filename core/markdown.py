"""Markdown to safe HTML for every editor-written field (definitions, biographies, summaries, notes).

CommonMark through cmark (GitHub's C reference implementation, via cmarkgfm): it is linear in its input
by design and fuzzed for it, so no field can make a worker spin. Python-Markdown took 30 s over 20 KB of
`[`; markdown-it-py is linear too but pure Python, and needed 2.5 s of CPU for 200 KB of `[` (cmark: 0.06 s;
`bench/pathological_markdown.py`). The sanitiser (html5ever, under nh3) is quadratic in how deeply elements
nest (20,000 nested `>` took it 1.1 s), so HTML nested deeper than any real text is refused as well.
Input past those limits is refused by the admin forms and, should it reach rendering anyway, replaced by a
short notice.

Markdown lets an editor write raw HTML, so the output always goes through nh3 with a short allow-list:
no scripts, no event handlers, no `javascript:` or `data:` links, whatever the editor typed.
"""

import html
import re

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

MAX_MARKDOWN_CHARS = 200_000
MAX_NESTING = 100  # elements inside each other: real notes reach 4 or 5
TOO_LONG_NOTICE = SafeString('<p class="markdown-too-long">This text is too long to show.</p>')
TOO_DEEP_NOTICE = SafeString('<p class="markdown-too-long">This text is nested too deeply to show.</p>')
VOID_ELEMENTS = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)
# In cmark's output every "<" starts a tag (text "<" is escaped), so the tag names alone give the nesting.
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")

FIELD_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "abbr",
    "q",
    "cite",
    "sup",
    "sub",
    "hr",
    "span",
}
FIELD_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Raw HTML stays on (editors use <abbr>, <q>…): nh3 below decides what survives.
CMARK_OPTIONS = Options.CMARK_OPT_UNSAFE


def nesting_depth(html: str) -> int:
    """How deeply the elements of cmark's output nest (linear: one pass over the tags)."""
    depth = deepest = 0
    for closing, name in TAG.findall(html):
        if name.lower() in VOID_ELEMENTS:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def to_html(text: str) -> str:
    # cmark takes UTF-8: a lone surrogate (which no browser sends, but a script may) becomes "?".
    return cmarkgfm.markdown_to_html(text.encode("utf-8", "replace").decode("utf-8"), options=CMARK_OPTIONS)


def validate_markdown(text: str) -> None:
    """For the admin forms: a clear message instead of a text no page could show."""
    if not text:
        return
    if len(text) > MAX_MARKDOWN_CHARS:
        raise ValidationError(
            "This text is %(length)s characters long; the limit is %(limit)s. Split it or shorten it.",
            code="markdown_too_long",
            params={"length": f"{len(text):,}", "limit": f"{MAX_MARKDOWN_CHARS:,}"},
        )
    if nesting_depth(to_html(text)) > MAX_NESTING:
        raise ValidationError(
            "This text nests quotes, lists or HTML more than %(limit)s levels deep. Flatten it.",
            code="markdown_too_deep",
            params={"limit": MAX_NESTING},
        )


def render_markdown(text: str) -> SafeString:
    """Render an editor's Markdown to HTML that is safe to put on a public page."""
    text = text or ""
    if len(text) > MAX_MARKDOWN_CHARS:
        return TOO_LONG_NOTICE
    html = to_html(text)
    if nesting_depth(html) > MAX_NESTING:
        return TOO_DEEP_NOTICE
    clean = nh3.clean(
        html,
        tags=FIELD_TAGS,
        attributes=FIELD_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def markdown_plain_text(text: str) -> str:
    """What a reader reads of an editor's Markdown, as plain text: for search excerpts and the search index."""
    return html.unescape(strip_tags(render_markdown(text))).strip()
