"""A student reading in a real browser: the page, footnotes, popovers, without JavaScript too."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

D285 = "/documents/frus1977-80v26-d285/"
D293 = "/documents/frus1977-80v26-d293/"


@pytest.mark.parametrize("path", [D285, D293])
def test_reading_page_renders_at_desktop_and_phone_width(page, artifacts, path):
    page.goto(path)
    expect(page.locator("h1")).to_contain_text("Report Prepared" if path == D293 else "Telegram From")
    expect(page.locator(".pb-num").first).to_be_visible()
    expect(page.locator(".para-link").first).to_be_visible()
    # the margin page number sits left of the text column on a wide screen
    text_left = page.locator(".transcription").bounding_box()["x"]
    assert page.locator(".pb-num").first.bounding_box()["x"] < text_left
    slug = path.strip("/").split("/")[-1]
    page.screenshot(path=artifacts / f"{slug}-desktop.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(path)
    expect(page.locator(".pb-num").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
    page.screenshot(path=artifacts / f"{slug}-phone.png", full_page=True)


def test_footnote_round_trip(page):
    page.goto(D293)
    page.click("a[href='#fn-2']")
    expect(page).to_have_url(re.compile("#fn-2$"))
    expect(page.locator("#fn-2")).to_be_in_viewport()
    page.locator("#fn-2 .footnote-backref").click()
    expect(page).to_have_url(re.compile("#fnref-2$"))
    expect(page.locator("#fnref-2")).to_be_in_viewport()


def test_glossary_popover_opens_from_the_keyboard_and_closes_with_escape(page):
    page.goto(D293)
    link = page.locator("a.gloss", has_text="SCC").first
    link.focus()
    page.keyboard.press("Enter")
    popover = page.locator("#" + link.get_attribute("data-popover"))
    expect(popover).to_be_visible()
    expect(popover).to_contain_text("Special Coordination Committee")
    expect(page).to_have_url(re.compile(D293 + "$"))  # stayed on the reading page
    assert page.evaluate("document.activeElement.classList.contains('popover-title')")
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    assert page.evaluate("document.activeElement.textContent") == "SCC"


def test_glossary_link_works_as_a_plain_link_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False, base_url=site.url)
    page = context.new_page()
    page.goto(D285)
    page.locator("a.gloss", has_text="SSOD").first.click()
    expect(page).to_have_url(re.compile("/glossary/ssod/$"))
    expect(page.locator("h1")).to_have_text("SSOD")
    context.close()


@pytest.mark.parametrize("path", ["/", "/documents/", D285, D293, "/glossary/", "/glossary/ssod/", "/people/"])
def test_axe_finds_no_violations(page, path):
    page.goto(path)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
