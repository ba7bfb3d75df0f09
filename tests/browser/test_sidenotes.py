"""Side notes on the reading page (issue 12): beside their line on a wide screen, closed to one line,
opened in place, highlighted both ways, grouped where they crowd; the note-kind filter at once and
remembered; without JavaScript and on a phone the notes stay under their paragraph."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

D285 = "/documents/frus1977-80v26-d285/"
D293 = "/documents/frus1977-80v26-d293/"
REACH = 300

# For every note: the top of what the reader sees of it (the note, or its group's tab when the group is
# closed) minus the top of its passage mark, whether it is open, and where it stands.
GEOMETRY = """() => [...document.querySelectorAll('details.ann-note')].map((note) => {
  const id = note.querySelector('.ann-back a').getAttribute('href').slice(1);
  const mark = document.getElementById(id) || document.getElementById(id.replace('mark-', 'ann-ref-'));
  const group = note.closest('.is-grouped:not(.is-expanded)');
  const seen = (group || note).getBoundingClientRect();
  const text = note.closest('.annotated')?.firstElementChild.getBoundingClientRect();
  return {letter: note.querySelector('.ann-letter').textContent, drop: seen.top - mark.getBoundingClientRect().top,
          open: note.open, hidden: note.hidden, left: seen.left, top: seen.top, textBottom: text ? text.bottom : null,
          textLeft: text ? text.left : null, textTop: text ? text.top : null, grouped: !!group};
})"""


def wait_for_side_notes(page):
    page.wait_for_selector(".has-sidenotes")
    page.evaluate("() => document.fonts.ready")
    page.wait_for_timeout(100)  # one animation frame for a scheduled re-layout


@pytest.mark.parametrize("path", [D285, D293])
def test_each_note_starts_beside_its_passage_closed_to_one_line(page, artifacts, path):
    page.goto(path)
    wait_for_side_notes(page)
    notes = page.evaluate(GEOMETRY)
    assert len(notes) >= 39
    text_right = page.locator(".transcription").bounding_box()
    text_right = text_right["x"] + text_right["width"]
    for note in notes:
        assert -5 <= note["drop"] <= REACH, note
        assert not note["open"], note
        assert note["left"] >= text_right, note  # in the margin, not over the text
    # one line each: a closed note is about one summary line high
    heights = page.eval_on_selector_all("details.ann-note", "ns => ns.map(n => n.getBoundingClientRect().height)")
    assert max(heights) < 45
    slug = path.strip("/").split("/")[-1]
    page.screenshot(path=artifacts / f"{slug}-sidenotes-1280.png", full_page=True)
    summaries = page.eval_on_selector_all(
        ".transcription details.ann-note",
        "ns => ns.map(n => [n.getBoundingClientRect().top, n.getBoundingClientRect().bottom])",
    )
    summaries.sort()  # stacked, never overlapping
    for (_, bottom), (top, _) in zip(summaries, summaries[1:], strict=False):
        assert top >= bottom - 0.5


def test_a_note_opens_in_place_and_lights_its_passage_and_the_reverse(page):
    page.goto(D293)
    wait_for_side_notes(page)
    note = page.locator("details.ann-note").nth(8)
    note_id = note.get_attribute("id")
    mark_id = note.locator(".ann-back a").get_attribute("href").lstrip("#")
    ref = page.locator(f"#{mark_id.replace('mark-', 'ann-ref-')}")
    mark = page.locator(f"#{mark_id}")
    expect(ref).to_have_attribute("aria-controls", note_id)
    expect(ref).to_have_attribute("aria-expanded", "false")
    summary = note.locator("summary")
    summary.scroll_into_view_if_needed()
    before = note.bounding_box()
    scroll = page.evaluate("scrollY")
    summary.click()
    expect(note).to_have_attribute("open", "")
    after = note.bounding_box()
    assert abs(after["y"] - before["y"]) < 1 and page.evaluate("scrollY") == scroll  # opened where it stood
    assert after["height"] > before["height"] + 30
    expect(mark).to_have_class(re.compile(r"\bann-active\b"))
    expect(ref).to_have_attribute("aria-expanded", "true")
    # the notes below make room for it
    page.wait_for_timeout(100)
    following = page.locator("details.ann-note").nth(9).bounding_box()
    assert following["y"] >= after["y"] + after["height"] - 0.5
    summary.click()
    expect(mark).not_to_have_class(re.compile(r"\bann-active\b"))

    # the reverse: pointing at a passage lights its note; its letter opens it from the keyboard
    other = page.locator("details.ann-note").nth(3)
    other_mark = other.locator(".ann-back a").get_attribute("href")
    page.hover(other_mark)
    expect(other).to_have_class(re.compile(r"\bann-pointed\b"))
    other_ref = page.locator(other_mark.replace("mark-", "ann-ref-"))
    other_ref.focus()
    expect(other).to_have_class(re.compile(r"\bann-pointed\b"))
    other_ref.evaluate("el => el.scrollIntoView({block: 'center'})")
    scroll = page.evaluate("scrollY")
    page.keyboard.press("Enter")
    expect(other).to_have_attribute("open", "")
    expect(page).to_have_url(re.compile(f"#{other.get_attribute('id')}$"))  # the address names the note
    assert page.evaluate("scrollY") == scroll  # but the page did not jump
    assert page.evaluate("document.activeElement.closest('details')?.id") == other.get_attribute("id")
    page.keyboard.press("Tab")  # focus moves on into the note: no trap
    assert page.evaluate("document.activeElement.closest('details')?.id") == other.get_attribute("id")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.closest('details')") is None


def test_crowded_notes_go_under_one_tab_beside_their_paragraph(browser, site):
    """Taller summaries (as with a large text) crowd doc. 293 (¶ 9, ¶ 10): their notes go under one tab."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=site.url, bypass_csp=True)
    page = context.new_page()
    page.goto(D293)
    wait_for_side_notes(page)
    assert page.locator(".is-grouped").count() == 0  # at the normal size every note fits by its line
    page.add_style_tag(content=".ann-note summary { min-height: 70px; }")
    page.evaluate("dispatchEvent(new Event('resize'))")
    tab = page.locator(".is-grouped > .ann-group-tab").first
    expect(tab).to_be_visible()
    expect(tab).to_have_attribute("aria-expanded", "false")
    group = page.locator(".is-grouped").first
    expect(tab).to_have_attribute("aria-controls", group.get_attribute("id"))
    expect(group.locator("details.ann-note").first).to_be_hidden()
    for note in page.evaluate(GEOMETRY):
        assert note["drop"] <= REACH, note  # the tab, or the note, is within reach of every passage
        if note["grouped"]:  # a tab stands level with its paragraph's first noted line, never above the paragraph
            assert note["top"] >= note["textTop"] - 5, note
        else:
            assert note["drop"] >= -5, note
    tab.click()
    expect(tab).to_have_attribute("aria-expanded", "true")
    expect(group.locator("details.ann-note").first).to_be_visible()
    assert re.match(r"\d+ notes \(\w+–\w+\)", tab.text_content())
    context.close()


def test_kind_filter_applies_at_once_and_is_remembered(page):
    page.goto(D285)
    wait_for_side_notes(page)
    page.evaluate("window.stillHere = true")
    questions = page.locator("details.ann-note.ann-question")
    others = page.locator("details.ann-note:not(.ann-question)")
    total = page.locator("details.ann-note").count()
    assert questions.count() > 0 and others.count() > 0
    page.get_by_label("Analysis question", exact=True).uncheck()
    expect(questions.first).to_be_hidden()
    expect(others.first).to_be_visible()
    expect(page.locator(".note-count")).to_contain_text(f"{total - questions.count()} notes shown")
    assert page.evaluate("window.stillHere") is True  # no navigation
    expect(page).to_have_url(re.compile(D285 + "$"))
    for note in page.evaluate(GEOMETRY):
        if not note["hidden"]:
            assert -5 <= note["drop"] <= REACH, note
    page.reload()
    wait_for_side_notes(page)
    expect(page.get_by_label("Analysis question", exact=True)).not_to_be_checked()
    expect(questions.first).to_be_hidden()
    expect(others.first).to_be_visible()
    page.get_by_label("Analysis question", exact=True).check()
    expect(questions.first).to_be_visible()
    page.reload()
    expect(page.get_by_label("Analysis question", exact=True)).to_be_checked()


def test_without_javascript_notes_stay_open_under_their_paragraph_and_the_form_filters(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=site.url, java_script_enabled=False)
    page = context.new_page()
    for path in (D285, D293):
        page.goto(path)
        notes = [n for n in page.evaluate(GEOMETRY) if n["textBottom"] is not None]
        assert len(notes) > 30
        for note in notes:
            assert note["open"], note
            assert note["top"] >= note["textBottom"] - 10, note  # under the paragraph (0.4rem tucked up), not beside it
            assert abs(note["left"] - note["textLeft"]) < 30, note
    page.goto(D285)
    page.get_by_label("Analysis question", exact=True).uncheck()
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"\?kind="))
    assert page.locator("details.ann-note.ann-question").count() == 0
    assert page.locator("details.ann-note").count() > 0
    context.close()


@pytest.mark.parametrize("path", [D285, D293])
def test_phone_keeps_notes_under_their_paragraph(browser, site, artifacts, path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=site.url)
    page = context.new_page()
    page.goto(path)
    page.locator(".ann-gist").first.wait_for(state="attached")  # the script has run
    assert page.locator(".has-sidenotes").count() == 0
    for note in page.evaluate(GEOMETRY):
        if note["textBottom"] is not None:
            assert not note["open"], note
            assert note["top"] >= note["textBottom"] - 10, note
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.evaluate("scrollTo(0, document.body.scrollHeight)")
    slug = path.strip("/").split("/")[-1]
    page.screenshot(path=artifacts / f"{slug}-sidenotes-390-end.png")
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", [D285, D293])
def test_axe_and_target_size_pass(browser, site, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=site.url)
    page = context.new_page()
    page.goto(path)
    page.locator(".ann-gist").first.wait_for(state="attached")
    page.wait_for_timeout(100)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    # Lighthouse's target-size audit (axe leaves it out of its default run): note letters, delegation list
    results = Axe().run(page, options={"runOnly": ["target-size"]})
    assert results.violations_count == 0, results.generate_report()
    context.close()
