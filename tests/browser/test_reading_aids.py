"""Reading aids in a real browser: progress bar, resuming where one left off, text size, dark theme, printing."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from pypdf import PdfReader

D285 = "/documents/frus1977-80v26-d285/"
D293 = "/documents/frus1977-80v26-d293/"
WIDTHS = [1280, 390]


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def sized_page(request, browser, site):
    context = browser.new_context(viewport={"width": request.param, "height": 900}, base_url=site.url)
    page = context.new_page()
    yield page
    context.close()


def progress(page):
    return int(page.get_attribute(".reading-progress", "aria-valuenow"))


def test_progress_bar_moves_as_the_reader_scrolls(sized_page):
    page = sized_page
    page.goto(D293)
    bar = page.get_by_role("progressbar", name="Reading progress")
    expect(bar).to_have_attribute("aria-valuenow", "0")
    middle = page.locator(".transcription").bounding_box()
    page.evaluate("y => window.scrollTo(0, y)", middle["y"] + middle["height"] / 2 - 450)
    expect(bar).not_to_have_attribute("aria-valuenow", "0")
    halfway = progress(page)
    assert 20 < halfway < 80
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    expect(bar).to_have_attribute("aria-valuenow", "100")


def test_reading_position_is_offered_after_a_reload_and_scrolls_there(sized_page, artifacts):
    page = sized_page
    page.goto(D293)
    expect(page.locator(".resume-prompt")).to_have_count(0)  # nothing saved yet
    target = page.locator(".transcription .para-link").nth(11)
    number = target.inner_text().replace("¶", "").strip()
    target.evaluate("link => window.scrollTo(0, link.getBoundingClientRect().top + window.scrollY - 100)")
    # polled from Python: Playwright's wait_for_function evaluates a string, which the site's CSP forbids
    saved = "Object.keys(localStorage).some(k => k.startsWith('arms-talks:position:'))"
    for _ in range(50):
        if page.evaluate(saved):
            break
        page.wait_for_timeout(100)
    assert page.evaluate(saved), "the reading position was never saved"
    page.wait_for_timeout(200)
    page.goto(D293)  # coming back later: the page opens at the top
    assert page.evaluate("window.scrollY") < 50
    prompt = page.get_by_role("region", name="Continue reading")
    expect(prompt).to_be_visible()
    page.screenshot(path=artifacts / f"resume-prompt-{page.viewport_size['width']}.png")
    button = prompt.get_by_role("button", name=f"Continue at ¶ {number}")
    button.focus()
    page.keyboard.press("Enter")
    expect(prompt).to_have_count(0)
    para = page.locator(f"#{target.get_attribute('href').split('#')[1]}")
    expect(para).to_be_in_viewport()
    expect(para).to_be_focused()
    # the other document has its own position: nothing to offer there
    page.goto(D285)
    expect(page.locator(".resume-prompt")).to_have_count(0)


def test_dismissed_prompt_stays_away(page):
    page.goto(D293)
    page.evaluate("localStorage.setItem('arms-talks:position:' + location.pathname, JSON.stringify({id: 'p-12'}))")
    page.reload()
    prompt = page.get_by_role("region", name="Continue reading")
    prompt.get_by_role("button", name="Dismiss").click()
    expect(prompt).to_have_count(0)
    page.reload()
    expect(page.locator(".resume-prompt")).to_have_count(0)


def test_text_size_changes_the_reading_column_and_persists(sized_page):
    page = sized_page
    page.goto(D285)
    paragraph = page.locator(".transcription p").first
    before = float(paragraph.evaluate("p => parseFloat(getComputedStyle(p).fontSize)"))
    larger = page.get_by_role("button", name="Larger text")
    # Speech users say what they see: each button's name starts with its visible label (WCAG 2.5.3).
    for button in page.locator(".text-size button").all():
        assert button.get_attribute("aria-label").startswith(button.inner_text().strip())
    larger.click()
    larger.click()
    expect(page.locator(".text-size output")).to_have_text("125%")
    page.reload()
    expect(page.locator(".text-size output")).to_have_text("125%")
    after = float(paragraph.evaluate("p => parseFloat(getComputedStyle(p).fontSize)"))
    assert after == pytest.approx(before * 1.25)
    page.get_by_role("button", name="Default text size").click()
    assert float(paragraph.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")) == pytest.approx(before)


def test_controls_are_absent_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False, base_url=site.url)
    page = context.new_page()
    page.goto(D293)
    expect(page.locator(".transcription")).to_be_visible()
    for selector in (".site-prefs", ".reading-progress", ".resume-prompt"):
        expect(page.locator(selector)).to_have_count(0)
    context.close()


def background(page):
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


@pytest.mark.parametrize("path", [D293, D285, "/", "/lessons/", "/glossary/"])
def test_dark_theme_follows_the_system_and_passes_axe(browser, site, artifacts, path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark", base_url=site.url)
    page = context.new_page()
    page.goto(path)
    assert background(page) == "rgb(22, 23, 26)"
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    name = path.strip("/").split("/")[-1] or "home"
    page.screenshot(path=artifacts / f"dark-{name}.png")
    if path == D293:
        page.locator("mark.ann").nth(3).scroll_into_view_if_needed()
        page.screenshot(path=artifacts / "dark-notes.png")
    context.close()


def test_theme_switch_overrides_the_system_and_persists(browser, site, artifacts):
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="light", base_url=site.url)
    page = context.new_page()
    page.goto("/")
    assert background(page) == "rgb(253, 252, 248)"
    page.get_by_label("Theme").select_option("dark")
    assert background(page) == "rgb(22, 23, 26)"
    page.goto(D293)
    assert background(page) == "rgb(22, 23, 26)"  # applied before the page is shown, on every page
    expect(page.get_by_label("Theme")).to_have_value("dark")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.screenshot(path=artifacts / "dark-switch-d293-phone.png")
    page.get_by_label("Theme").select_option("light")
    page.reload()
    assert background(page) == "rgb(253, 252, 248)"
    context.close()


@pytest.mark.parametrize("path", [D285, D293])
@pytest.mark.parametrize("width", WIDTHS)
def test_printing_gives_no_blank_pages(browser, site, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme="dark", base_url=site.url)
    page = context.new_page()
    page.goto(path)
    page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(page.pdf(format="Letter")))
    texts = [pdf_page.extract_text().strip() for pdf_page in pdf.pages]
    assert len(texts) >= 2
    blank = [number for number, text in enumerate(texts, 1) if not text]
    assert not blank, f"blank pages {blank} of {len(texts)}"
    assert "Arms Talks" in texts[0]
    context.close()
