"""Passages compared, in a real browser: a reader goes from a note to the side-by-side view; an editor pairs two
passages by selecting them with the mouse, as for any note."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from documents.models import Annotation, SourceDocumentPage
from tests.browser.helpers import sign_in
from tests.browser.test_annotations import editors, select_phrase_with_the_mouse  # noqa: F401 (fixture)

D285 = "/documents/frus1977-80v26-d285/"


@pytest.mark.parametrize("width", [1280, 390])
def test_a_reader_opens_the_comparison_from_a_note_and_it_passes_axe(browser, site, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=site.url)
    page = context.new_page()
    page.goto(D285)
    link = page.locator("p.ann-compare a").first
    link.scroll_into_view_if_needed()
    if not link.is_visible():  # a closed disclosure on a phone: open its note first
        link.locator("xpath=ancestor::details[1]/summary").click()
    link.click()
    expect(page).to_have_url(re.compile(r"/compare/[0-9a-f-]{36}/$"))
    expect(page.locator(".compare-side")).to_have_count(2)
    expect(page.locator(".compare-quote")).to_have_count(2)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.emulate_media(color_scheme="dark")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    boxes = [page.locator(".compare-side").nth(i).bounding_box() for i in (0, 1)]
    side_by_side = abs(boxes[0]["y"] - boxes[1]["y"]) < 5
    assert side_by_side == (width >= 900)  # stacked on a phone
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_every_shipped_comparison_opens_both_passages_and_passes_axe(browser, site, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=site.url)
    page = context.new_page()
    shipped = Annotation.objects.filter(kind="compare", counterpart__isnull=False).select_related("counterpart")
    assert shipped.count() >= 12
    for first in shipped:
        page.goto(f"/compare/{first.uuid}/")
        expect(page.locator(".compare-relation strong")).to_have_text(first.get_relation_display())
        expect(page.locator(".compare-quote")).to_have_count(2)  # both passages found, none "not in the document"
        results = Axe().run(page)
        assert results.violations_count == 0, f"{first.quote_exact}\n{results.generate_report()}"
        assert page.evaluate("document.documentElement.scrollWidth") <= width, first.quote_exact
    context.close()


def test_an_editor_pairs_two_passages_by_selecting_them(browser, site, editors):  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=site.url)
    page = context.new_page()
    doc293 = SourceDocumentPage.objects.get(document_number=293)
    doc285 = SourceDocumentPage.objects.get(document_number=285)
    sign_in(page, "ed", "ed-password-1")
    page.goto(f"/admin/documents/{doc293.pk}/annotate/")
    select_phrase_with_the_mouse(page, "#annotate-source", "The tone throughout was constructive.")
    page.select_option("#id_kind", "compare")
    page.select_option("#id_relation", "contradicts")
    page.fill("#id_body", "Compare the tone of the two sides.")
    page.click("#annotation-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Now choose the other passage")
    page.get_by_role("link", name=re.compile("doc. 285")).click()
    expect(page.locator("#new-heading")).to_have_text("Second passage to compare")
    select_phrase_with_the_mouse(page, "#annotate-source", "led to tensions in our own relations")
    page.click("#annotation-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("The two passages are paired")
    first = Annotation.objects.get(quote_exact="The tone throughout was constructive.")
    assert first.counterpart.document_id == doc285.pk
    assert first.counterpart.quote_exact == "led to tensions in our own relations"
    context.close()
