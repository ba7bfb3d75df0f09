"""Quizzes in a real browser: taken with the keyboard alone, and checked with axe-core."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from documents.models import SourceDocumentPage
from lessons.models import LessonModulePage


def tab_to(page, selector, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.fixture
def quiz(site, make_quiz):
    return make_quiz(SourceDocumentPage.objects.get(slug="frus1977-80v26-d293"), slug="keyboard-quiz")


def test_a_student_takes_a_quiz_with_the_keyboard_alone(page, quiz):
    page.goto("/quizzes/keyboard-quiz/")
    tab_to(page, "input[name=q1]")
    page.keyboard.press("Space")  # Helsinki, the first choice
    tab_to(page, "input[name=q2]")
    page.keyboard.press("Space")  # "The subject was urgent"
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # "Talks would continue regularly"
    tab_to(page, "input[name=q3]")
    page.keyboard.press("Space")  # True
    tab_to(page, "input[name=q4]")
    page.keyboard.type("special coordination committee")
    tab_to(page, "input[name=q5]")
    target = page.locator("input[name=q5]").evaluate_all(
        "els => els.findIndex(e => e.labels[0].textContent.startsWith('They asked fairly sophisticated'))"
    )
    page.keyboard.press("Space")
    for _ in range(target):
        page.keyboard.press("ArrowDown")
    tab_to(page, "input[name=display_name]")
    page.keyboard.type("Kim")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/quizzes/keyboard-quiz/results/[0-9a-f-]{36}/$"))
    expect(page.locator(".score")).to_contain_text("5 out of 5")
    expect(page.locator(".result.right")).to_have_count(5)


def test_a_missing_answer_is_announced_and_the_answers_stay(page, quiz):
    page.goto("/quizzes/keyboard-quiz/")
    page.locator("input[name=q1]").first.check()
    page.click("button[type=submit]")
    summary = page.locator(".error-summary")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("Question 2: Tick at least one answer.")
    expect(page.locator("input[name=q1]").first).to_be_checked()
    expect(page.locator("#q2-keyboard-quiz")).to_have_attribute("aria-describedby", "q2-keyboard-quiz-error")


def test_axe_finds_no_violations_on_lessons_a_module_a_quiz_and_its_result(page, quiz):
    module = LessonModulePage.objects.live().first()
    for path in ["/lessons/", module.url, "/quizzes/keyboard-quiz/"]:
        page.goto(path)
        results = Axe().run(page)
        assert results.violations_count == 0, f"{path}\n{results.generate_report()}"
    page.click("button[type=submit]")  # the form with its errors
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    for group in page.locator("fieldset.question").all():
        choices = group.locator("input[type=radio], input[type=checkbox]")
        if choices.count():
            choices.first.check()
        else:
            group.locator("input[type=text]").fill("SCC")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile("/results/"))
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
