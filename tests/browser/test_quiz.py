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
    assert summary.evaluate("e => getComputedStyle(e).borderTopColor") == "rgb(179, 38, 30)"  # framed in red
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


EVENTS = [
    "The preliminary meeting in Washington",
    "The Non-Paper is sent to Moscow",
    "The second round opens in Helsinki",
    "The joint communiqué is released",
]


@pytest.fixture
def order_quiz(site):
    from lessons.models import Choice, Question, Quiz

    quiz = Quiz(title="In order", slug="order-quiz", live=False)
    question = Question(
        sort_order=0,
        kind="order",
        prompt="Put these in the order in which they happened.",
        explanation="See doc. 293, ¶ 1.",
        source_document=SourceDocumentPage.objects.get(slug="frus1977-80v26-d293"),
        source_quote="which took place in Helsinki from May 4 to 8",
    )
    question.choices = [Choice(sort_order=n, text=text) for n, text in enumerate(EVENTS)]
    quiz.questions = [question]
    quiz.save()
    quiz.save_revision().publish()
    return quiz


def shown_events(page):
    return page.locator(".order-items label").all_inner_texts()


def test_a_student_puts_events_in_order_with_the_keyboard_alone(page, order_quiz):
    page.goto("/quizzes/order-quiz/")
    shown = shown_events(page)
    first_two_swapped = [EVENTS[1], EVENTS[0], *EVENTS[2:]]
    for slot, text in enumerate(shown, 1):
        tab_to(page, f"select[name=q1-{slot}]")
        page.keyboard.type(str(first_two_swapped.index(text) + 1))  # a select takes a typed digit
    # then a move button puts the first event back in front
    tab_to(page, f"button[aria-label='Move up: {EVENTS[0]}']")
    page.keyboard.press("Enter")
    expect(page.locator(".order-items + [role=status]")).to_have_text(f"{EVENTS[0]}: position 1 of 4.")
    expect(page.locator(".order-items label")).to_have_text(EVENTS)  # the list now reads in its new order
    values = page.locator(".order-items select").evaluate_all("els => els.map(e => e.value)")
    assert values == ["1", "2", "3", "4"]
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/quizzes/order-quiz/results/[0-9a-f-]{36}/$"))
    expect(page.locator(".score")).to_contain_text("1 out of 1")
    expect(page.locator(".result")).to_contain_text("1. The preliminary meeting in Washington; 2. The Non-Paper")


def test_axe_finds_no_violations_on_a_quiz_with_an_order_question_its_errors_and_result(page, order_quiz):
    page.goto("/quizzes/order-quiz/")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    for select, position in zip(page.locator(".order-items select").all(), "1134", strict=True):
        select.select_option(position)  # position 1 twice
    page.click("button[type=submit]")
    expect(page.locator(".error-summary")).to_contain_text("Use each position from 1 to 4 once")
    expect(page.locator(".order-items select").first).to_have_value("1")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.locator(f"button[aria-label='Move down: {shown_events(page)[0]}']").click()
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile("/results/"))
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def answer_everything(page):
    for name in ("q1", "q2", "q3", "q5"):
        page.locator(f"input[name={name}]").first.check()
    page.fill("input[name=q4]", "no idea")
    page.click("form.quiz-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/quizzes/keyboard-quiz/results/[0-9a-f-]{36}/$"))
    return page.url


def test_back_or_reload_after_submitting_links_to_the_result_and_a_retake_is_new(page, quiz):
    page.goto("/quizzes/keyboard-quiz/")
    result = answer_everything(page)
    page.go_back()
    notice = page.locator(".notice")
    expect(notice).to_contain_text("You already submitted this quiz")
    expect(page.locator("form.quiz-form")).to_have_count(0)
    page.reload()
    expect(notice).to_contain_text("You already submitted this quiz")
    notice.get_by_role("link", name="see your result").click()
    expect(page).to_have_url(result)
    page.go_back()
    page.get_by_role("button", name="Take it again").click()
    retake = answer_everything(page)
    assert retake != result
    assert Axe().run(page).violations_count == 0


def answer_rightly(fieldset, question, slug, position):
    """Answer one shipped question as a student who knows the key would."""
    choices = list(question.choices.all())
    if question.kind == "order":
        right = [c.text for c in choices]
        for slot in range(1, len(right) + 1):
            shown = fieldset.locator(f"label[for='q{position}-{slot}-{slug}']").inner_text()
            fieldset.locator(f"select[name=q{position}-{slot}]").select_option(str(right.index(shown) + 1))
    elif question.kind == "evidence":
        fieldset.get_by_label(question.target_quote, exact=True).check()
    elif question.kind == "truefalse":
        fieldset.locator(f"input[value={'true' if question.true_false_answer else 'false'}]").check()
    elif question.kind == "short":
        fieldset.locator("input[type=text]").fill(question.accepted_answers.splitlines()[0])
    else:
        for choice in choices:
            if choice.correct:
                fieldset.get_by_label(choice.text, exact=True).check()


def test_a_student_reads_the_fifth_module_compares_two_passages_and_takes_its_quiz(page, artifacts):
    from lessons.models import Quiz

    module = LessonModulePage.objects.get(slug="why-did-the-talks-stop")
    page.goto(module.url)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    # the activity: the side-by-side view from the editors' note under the first excerpt (doc. 293, ¶ 13)
    page.locator(".excerpt").first.get_by_role("link", name="Compare them side by side").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two passages side by side")
    expect(page.locator(".compare-quote")).to_have_count(2)
    expect(page.locator(".compare-relation")).to_contain_text("develops")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.go_back()
    quiz = Quiz.objects.get(slug="why-the-talks-stopped-quiz")
    questions = list(quiz.questions.order_by("sort_order").prefetch_related("choices"))
    fieldsets = page.locator("form.quiz-form fieldset.question")
    expect(fieldsets).to_have_count(len(questions))
    for position, question in enumerate(questions, 1):
        answer_rightly(fieldsets.nth(position - 1), question, quiz.slug, position)
    page.fill("form.quiz-form input[name=display_name]", "Sam")
    page.locator("form.quiz-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/quizzes/why-the-talks-stopped-quiz/results/[0-9a-f-]{36}/\?next="))
    expect(page.get_by_role("link", name="Back to the lesson")).to_have_attribute("href", module.url)
    expect(page.locator(".score")).to_contain_text(f"{len(questions)} out of {len(questions)}")
    expect(page.locator(".result.right")).to_have_count(len(questions))
    # each explanation links into the source and, for what came later, to the FRUS page on history.state.gov
    expect(page.locator(".result a[href*='/documents/frus1977-80v26-d293/#p-13']").first).to_be_visible()
    expect(page.locator(".result a[href^='https://history.state.gov/']").first).to_be_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    for width in (1280, 390):  # how the module looks, for a person to check
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(module.url)
        page.screenshot(path=artifacts / f"module-why-did-the-talks-stop-{width}.png", full_page=True)


@pytest.mark.parametrize("how", ["system", "switch"])
def test_a_result_page_in_the_dark_theme_passes_axe(browser, site, quiz, artifacts, how):
    """Right and wrong answers, explanations and passage links stay readable in the dark theme, whether the
    device asks for it or the reader chose it with the site's switch."""
    scheme = "dark" if how == "system" else "light"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme, base_url=site.url)
    page = context.new_page()
    page.goto("/quizzes/keyboard-quiz/")
    if how == "switch":
        page.get_by_label("Theme").select_option("dark")
    answer_everything(page)  # some right, some wrong
    wrong = page.locator(".result.wrong").first
    expect(wrong).to_be_visible()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(22, 23, 26)"
    assert wrong.evaluate("e => getComputedStyle(e).borderLeftColor") == "rgb(255, 156, 148)"  # marked in red
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.screenshot(path=artifacts / f"dark-quiz-result-{how}.png", full_page=True)
    context.close()
