"""Markdown to safe HTML for every editor-written field (definitions, biographies, summaries, notes).

Markdown lets an editor write raw HTML, so the output always goes through nh3 with a short allow-list:
no scripts, no event handlers, no `javascript:` or `data:` links, whatever the editor typed.
"""

import html

import markdown
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

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


def render_markdown(text: str) -> SafeString:
    """Render an editor's Markdown to HTML that is safe to put on a public page."""
    html = markdown.markdown(text or "", extensions=["extra", "sane_lists"])
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
