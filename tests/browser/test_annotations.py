"""Annotations in a real browser: reading the notes, and an editor annotating by selecting text."""

import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from documents.models import Annotation, SourceDocumentPage
from tests.browser.helpers import sign_in

D293 = "/documents/frus1977-80v26-d293/"


def select_phrase_with_the_mouse(page, container, phrase):
    """Drag the mouse from the first to the last character of `phrase` inside `container`."""
    rects = page.evaluate(
        """([selector, phrase]) => {
            const root = document.querySelector(selector);
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(phrase);
                if (at === -1 || node.parentElement.closest('.ann-notes')) continue;
                node.parentElement.scrollIntoView({block: 'center', behavior: 'instant'});
                const range = document.createRange();
                range.setStart(node, at); range.setEnd(node, at + 1);
                const a = range.getBoundingClientRect();
                range.setStart(node, at + phrase.length - 1); range.setEnd(node, at + phrase.length);
                const b = range.getBoundingClientRect();
                return [a.left + 1, a.top + a.height / 2, b.right - 1, b.top + b.height / 2];
            }
            return null;
        }""",
        [container, phrase],
    )
    assert rects, f"{phrase!r} not found on the page"
    x1, y1, x2, y2 = rects
    page.mouse.move(x1, y1)
    page.mouse.down()
    page.mouse.move((x1 + x2) / 2, (y1 + y2) / 2, steps=5)
    page.mouse.move(x2, y2, steps=5)
    page.mouse.up()


@pytest.fixture
def editors(site):
    editor = User.objects.create_user("ed", password="ed-password-1", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    moderator = User.objects.create_user("mo", password="mo-password-1", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    return editor, moderator


def test_notes_link_both_ways_and_filter_by_kind(page):
    page.goto(D293)
    first_ref = page.locator("a.ann-ref").first
    target = first_ref.get_attribute("href")
    first_ref.click()
    expect(page).to_have_url(re.compile(target + "$"))
    note = page.locator(target)
    expect(note).to_be_in_viewport()
    note.locator(".ann-back a").click()
    expect(page.locator("mark:target")).to_be_in_viewport()
    # only analysis questions, through the form (no script needed)
    for box in page.locator(".note-filter input[type=checkbox]").all():
        if box.get_attribute("value") != "question":
            box.uncheck()
    page.click(".note-filter button[type=submit]")
    expect(page).to_have_url(re.compile(r"\?kind=question$"))
    kinds = set(page.locator("details.ann-note").evaluate_all("els => els.map(e => e.className)"))
    assert kinds == {"ann-note ann-question"}


def test_notes_are_disclosures_under_their_paragraph_on_a_phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(D293)
    note = page.locator("details.ann-note").first
    expect(note).not_to_have_attribute("open", "")
    assert note.evaluate("n => n.closest('.annotated').firstElementChild.matches('p, li, h2, h3')")
    note.locator("summary").click()
    expect(note.locator(".ann-body")).to_be_visible()


def test_editor_selects_a_phrase_annotates_it_and_it_survives_a_correction(browser, site, editors):
    phrase = "drawing up such a list of criteria"
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=site.url)
    page = context.new_page()
    document = SourceDocumentPage.objects.get(slug="frus1977-80v26-d293")

    # an editor selects the phrase and saves a draft
    sign_in(page, "ed", "ed-password-1")
    page.goto(f"/admin/documents/{document.pk}/annotate/")
    select_phrase_with_the_mouse(page, "#annotate-source", phrase)
    expect(page.locator("#selection-status")).to_contain_text(phrase)
    expect(page.locator("#id_quote")).to_have_value(phrase)
    page.select_option("#id_kind", "question")
    page.fill("#id_body", "Why was a list of criteria *not enough* for the US side?")
    page.click("#annotation-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Draft annotation saved")
    annotation = Annotation.objects.get(quote_exact=phrase)
    assert not annotation.live
    page.goto(D293)
    expect(page.locator(f"#{annotation.anchor}")).to_have_count(0)  # drafts stay off the public page

    # a moderator publishes it
    context.clear_cookies()
    sign_in(page, "mo", "mo-password-1")
    page.goto(f"/admin/snippets/documents/annotation/edit/{annotation.pk}/")
    page.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name=re.compile("^Publish")).click()
    expect(page.locator(".messages")).to_contain_text("published")
    page.goto(D293)
    expect(page.locator(f"#mark-{annotation.pk}")).to_have_text(phrase)

    # the transcription is corrected above the phrase: the note moves with its passage
    page.goto(f"/admin/pages/{document.pk}/edit/")
    source = page.locator("#id_transcription")
    source.fill(
        source.input_value().replace(
            "\n\n## 2. Respective Positions", "\n\nAn inserted paragraph.\n\n## 2. Respective Positions"
        )
    )
    page.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name=re.compile("^Publish")).click()
    expect(page.locator(".messages")).to_contain_text("published")
    page.goto(D293)
    expect(page.locator("p", has_text="An inserted paragraph.")).to_be_visible()
    expect(page.locator(f"#mark-{annotation.pk}")).to_have_text(phrase)
    annotation.refresh_from_db()
    assert annotation.anchor_status == "moved"
    context.close()


def publish_corrected_transcription(page, document, correct):
    """A moderator changes the transcription in Wagtail's page editor and publishes it."""
    page.goto(f"/admin/pages/{document.pk}/edit/")
    source = page.locator("#id_transcription")
    source.fill(correct(source.input_value()))
    page.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name=re.compile("^Publish")).click()
    expect(page.locator(".messages")).to_contain_text("published")


def test_a_word_corrected_inside_a_passage_keeps_its_note_there_and_the_publish_message_names_it(
    page, editors, annotate
):
    document = SourceDocumentPage.objects.get(slug="frus1977-80v26-d293")
    note = annotate(document, "The fundamental Soviet stance remains wary and skeptical.")
    sign_in(page, "mo", "mo-password-1")
    publish_corrected_transcription(
        page, document, lambda text: text.replace("remains wary and skeptical.", "remains wary and sceptical.")
    )
    message = page.locator(".messages")
    expect(message).to_contain_text(f"note {note.label} (placed approximately: “The fundamental Soviet stance")
    expect(message.get_by_role("link", name=f"note {note.label}", exact=True)).to_have_attribute(
        "href", re.compile(f"/admin/documents/{document.pk}/annotate/#annotation-item-{note.pk}$")
    )
    page.goto(D293)
    expect(page.locator(f"#mark-{note.pk}")).to_have_text("The fundamental Soviet stance remains wary and sceptical.")
    expect(page.locator(f"#{note.anchor}")).to_have_count(1)


def test_a_deleted_passages_note_is_listed_as_orphaned_and_placed_nowhere(page, editors, annotate):
    document = SourceDocumentPage.objects.get(slug="frus1977-80v26-d293")
    note = annotate(document, "the Soviets were serious", body="Serious in what sense?")
    sign_in(page, "mo", "mo-password-1")
    publish_corrected_transcription(
        page,
        document,
        lambda text: text.replace(
            "In the judgment of the Delegation, however, the Soviets were serious and, for the most part, practical "
            "in their approach to this round. ",
            "",
        ),
    )
    expect(page.locator(".messages")).to_contain_text(f"note {note.label} (orphaned: “the Soviets were serious”)")
    page.goto(f"/admin/documents/{document.pk}/annotate/")
    entry = page.locator(f"#review-{note.pk}")
    expect(entry).to_contain_text(f"Note {note.label}: orphaned")
    expect(entry.get_by_role("button", name="Re-anchor to selection")).to_be_visible()
    expect(entry.get_by_role("link", name="Delete")).to_be_visible()
    page.goto(D293)
    expect(page.locator(f"#mark-{note.pk}")).to_have_count(0)
    expect(page.locator(f"#{note.anchor}")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("Serious in what sense?")


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_the_annotate_view_passes_axe_color_contrast_in_both_themes(
    browser, site, editors, annotate, artifacts, scheme
):
    """Wagtail's admin follows the device's theme; the Annotate view's source, marks and list must too."""
    from axe_playwright_python.sync_playwright import Axe

    document = SourceDocumentPage.objects.get(slug="frus1977-80v26-d293")
    annotate(document, "The fundamental Soviet stance remains wary and skeptical.", body="Why *wary*?")
    annotate(document, "drawing up such a list of criteria", kind="question", live=False, body="A draft.")
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme=scheme, base_url=site.url)
    page = context.new_page()
    sign_in(page, "ed", "ed-password-1")
    page.goto(f"/admin/documents/{document.pk}/annotate/")
    select_phrase_with_the_mouse(page, "#annotate-source", "the Soviets were serious")
    expect(page.locator("#selection-status")).to_contain_text("the Soviets were serious")
    results = Axe().run(page, options={"runOnly": ["color-contrast"]})
    page.screenshot(path=artifacts / f"{scheme}-annotate.png", full_page=True)
    assert results.violations_count == 0, results.generate_report()
    context.close()
