"""The timeline in a real browser, on a desktop and a phone: readable, accessible, and its links land."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect


@pytest.mark.parametrize("width", [1280, 390])
def test_timeline_passes_axe_and_fits_the_screen(browser, site, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=site.url)
    page = context.new_page()
    page.goto("/timeline/")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    expect(page.locator(".timeline-overview")).to_be_visible() if width >= 560 else expect(
        page.locator(".timeline-overview")
    ).to_be_hidden()
    context.close()


def test_an_event_leads_to_its_paragraph(page):
    page.goto("/timeline/")
    page.locator("#event-round-2").get_by_role("link", name="Doc. 293, ¶ 8").click()
    expect(page).to_have_url(re.compile(r"/documents/frus1977-80v26-d293/#p-8$"))
    expect(page.locator("#p-8")).to_be_in_viewport()


def test_the_overview_marker_leads_to_its_event_and_the_strip_to_the_timeline(page):
    page.goto("/timeline/")
    page.locator(".timeline-overview a[href='#event-round-4']").click()
    expect(page.locator("#event-round-4")).to_be_in_viewport()
    page.goto("/")
    page.locator(".timeline-strip").get_by_role("link", name="Round III in Helsinki").click()
    expect(page.locator("#event-round-3")).to_be_in_viewport()
