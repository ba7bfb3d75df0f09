"""Markdown from any field never carries a script, an event handler or a javascript: link to the page."""

import pytest

from core.markdown import render_markdown
from documents.models import GlossaryTerm
from documents.pipeline import Linkable, render_transcription
from documents.rendering import rendered_document
from tests.reading_html import popovers_html, reading_html

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<a href='&#106;avascript:alert(1)'>x</a>",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "![x](javascript:alert(1))",
    '<p onclick="alert(1)">x</p>',
    "<object data=x></object><embed src=x>",
    '<form action="https://evil.example"><input name=q></form>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
    '<a href="vbscript:msgbox(1)">x</a>',
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
]
FORBIDDEN = [
    "<script",
    "onerror",
    "onload",
    "onclick",
    "javascript:",
    "vbscript:",
    "<iframe",
    "<object",
    "<embed",
    "<form",
    "<input",
    "style=",
    "data:text",
    "<meta",
    "<svg",
]


def assert_safe(html: str) -> None:
    lowered = html.lower()
    for bad in FORBIDDEN:
        assert bad not in lowered, f"{bad!r} reached the page: {html!r}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_field_markdown_is_sanitised(payload):
    assert_safe(render_markdown(f"Before {payload} after"))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_transcription_markdown_is_sanitised(payload):
    rendered = render_transcription(f"# Title\n\nText {payload} more.[^1]\n\n[^1]: Note {payload}")
    assert_safe(reading_html(rendered))


def test_ordinary_markdown_survives():
    html = render_markdown("**Bold**, *italic*, [a link](https://history.state.gov/) and `code`.")
    assert "<strong>Bold</strong>" in html and "<em>italic</em>" in html
    assert 'href="https://history.state.gov/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS[:6])
def test_a_malicious_definition_never_reaches_the_reading_page_or_the_term_page(client, doc285, payload):
    nodis = GlossaryTerm.objects.get(term="Nodis")
    nodis.definition = f"Handling marker {payload}"
    nodis.save()
    response = client.get(doc285.url)
    assert response.status_code == 200
    popovers = popovers_html(rendered_document(doc285))
    assert "Handling marker" in popovers
    assert_safe(popovers)
    page = client.get(nodis.get_absolute_url()).content.decode()
    assert "Handling marker" in page
    assert_safe(page.split('<main id="main"', 1)[1].split("</main>")[0])


def test_popover_label_is_escaped():
    rendered = render_transcription("SSOD", [Linkable("term", "ssod", "<b>SSOD</b>", "/glossary/ssod/", ("SSOD",))])
    assert "&lt;b&gt;SSOD&lt;/b&gt;" in popovers_html(rendered)
