"""A teacher writes a quiz in the admin (a question without its passage is refused first), then a student takes
it through the teacher's plan, and finds nothing at its address without the class code."""

import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from lessons.models import Quiz
from tests.browser.helpers import sign_in

QUOTE = "The Soviets avoided polemics as a rule."


@pytest.fixture
def teacher(site):
    user = User.objects.create_user("ms_q", password="pw-Teach3r!", is_staff=True)
    user.groups.add(Group.objects.get(name="Teachers"))
    return user


def test_a_teacher_writes_a_quiz_and_a_student_takes_it_through_the_plan(browser, site, teacher, make_plan):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=site.url)
    page = context.new_page()
    sign_in(page, "ms_q", "pw-Teach3r!")
    page.goto("/admin/snippets/lessons/quiz/add/")
    page.fill("#id_title", "Tone of the Helsinki round")
    page.fill("#id_slug", "tone-of-the-helsinki-round")
    page.get_by_role("button", name=re.compile("Add question", re.I)).click()
    page.select_option("#id_questions-0-kind", "truefalse")
    page.fill("#id_questions-0-prompt", "The Soviets avoided polemics.")
    page.select_option("#id_questions-0-true_false_answer", "true")
    page.fill("#id_questions-0-explanation", "True: the report says so of their tone.")

    page.get_by_role("button", name=re.compile("Save draft")).click()  # no passage yet: refused, clearly
    expect(page.locator("body")).to_contain_text("Choose the document this question rests on.")
    expect(page.locator("body")).to_contain_text("Paste the passage this question rests on, exactly as in the text.")
    assert not Quiz.objects.filter(slug="tone-of-the-helsinki-round").exists()

    page.get_by_role("button", name=re.compile("Choose a page")).first.click()
    modal = page.locator(".modal-dialog")
    modal.locator("input[name=q]").fill("Second Round")
    modal.get_by_role("link", name=re.compile("Second Round")).first.click()
    expect(modal).to_be_hidden()
    page.fill("#id_questions-0-source_quote", QUOTE)
    page.locator("footer [data-w-dropdown-target='toggle'], footer .dropdown-toggle").last.click()
    page.get_by_role("button", name=re.compile("^Publish")).click()
    expect(page.locator(".messages")).to_contain_text("published")
    quiz = Quiz.objects.get(slug="tone-of-the-helsinki-round")
    assert quiz.owner == teacher and quiz.live and not quiz.shared

    plan = make_plan(teacher, quiz=quiz)
    student = browser.new_context(base_url=site.url).new_page()
    assert student.goto("/quizzes/tone-of-the-helsinki-round/").status == 404
    student.goto(plan.url)
    student.locator(".plan-quiz a[href*='/quizzes/tone-of-the-helsinki-round/']").click()
    expect(student.locator("input[name=class_code]").first).to_have_value(plan.class_code)
    student.locator("form.quiz-form input[type=radio][value=true]").check()
    student.locator("input[name=display_name]").first.fill("Zoe")
    student.locator("form.quiz-form button[type=submit]").first.click()
    expect(student).to_have_url(re.compile("/results/"))
    expect(student.locator("body")).to_contain_text("1")
    assert quiz.attempts.get().class_code == plan.class_code
    context.close()
