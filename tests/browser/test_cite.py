""" "Cite this" in Chromium: the chosen paragraph's citation, the Copy button and the clipboard, and axe."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

DOC = "/documents/frus1977-80v26-d285/"


def test_copy_puts_the_citation_on_the_clipboard(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=site.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    page = context.new_page()
    page.goto(DOC)
    page.get_by_text("Cite this", exact=True).click()
    page.get_by_role("button", name="Copy the APA citation", exact=True).click()
    status = page.locator("[data-copy-status]")
    expect(page.locator("[data-copy-status]")).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("U.S. Department of State. (2015). Telegram From the Department of State")
    assert status.get_attribute("role") == "status"
    context.close()


def test_choosing_a_paragraph_fills_in_its_citation(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=site.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    page = context.new_page()
    page.goto(DOC)
    assert page.locator("[data-cite-paragraph]").is_hidden()
    page.locator("a.para-link", has_text="¶ 3").first.click()
    page.get_by_text("Cite this", exact=True).click()
    assert page.get_by_role("heading", name="Paragraph 3").is_visible()
    chicago = page.locator("#cite-para-chicago").text_content()
    assert "Document 285, ¶ 3," in chicago and chicago.rstrip(".").endswith("#p-3")
    assert page.locator("#cite-para-apa").text_content() == "(U.S. Department of State, 2015, para. 3)"
    assert "__N__" not in page.locator("#cite").text_content()
    page.get_by_role("button", name="Copy the Chicago (note) citation of the paragraph").click()
    expect(page.locator("[data-copy-status]")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == " ".join(chicago.split())
    context.close()


def test_without_javascript_the_document_citation_and_a_note_show(browser, site):
    context = browser.new_context(java_script_enabled=False, base_url=site.url)
    page = context.new_page()
    page.goto(DOC)
    page.get_by_text("Cite this", exact=True).click()
    assert page.locator("#cite-chicago").is_visible()
    assert page.get_by_text("Choose a paragraph by its").is_visible()
    assert page.locator("[data-cite-paragraph]").is_hidden()
    assert page.get_by_role("button", name="Copy the APA citation").is_hidden()
    context.close()


def test_axe_finds_no_violations_in_the_open_disclosure(page):
    page.goto(DOC + "#p-2")
    page.get_by_text("Cite this", exact=True).click()
    results = Axe().run(page, context="#cite")
    assert results.violations_count == 0, results.generate_report()
