"""A teacher builds a plan in the admin; a student takes its quiz with the class code; the teacher sees it."""

import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from lessons.models import LessonPlanIndexPage, LessonPlanPage
from tests.browser.helpers import sign_in


@pytest.fixture
def teacher(site):
    user = User.objects.create_user("ms_k", password="pw-Teach3r!", is_staff=True)
    user.groups.add(Group.objects.get(name="Teachers"))
    return user


def add_block(page, label):
    page.locator("button[title='Insert a block']").last.click()
    page.get_by_role("option", name=label).click()


def test_teacher_builds_a_plan_student_takes_the_quiz_teacher_sees_the_attempt(browser, site, teacher):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=site.url)
    page = context.new_page()
    sign_in(page, "ms_k", "pw-Teach3r!")
    index = LessonPlanIndexPage.objects.get()
    page.goto(f"/admin/pages/add/lessons/lessonplanpage/{index.pk}/")
    page.fill("#id_title", "Seriousness in one lesson")
    page.fill("#id_class_level", "12A History")

    add_block(page, "Module")
    page.get_by_role("button", name=re.compile("Choose a page")).last.click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("link", name=re.compile("Were the Soviets serious")).click()
    expect(modal).to_be_hidden()

    add_block(page, "Quiz")
    page.get_by_role("button", name=re.compile("Choose a published quiz")).last.click()
    page.locator(".modal-dialog").get_by_role("link", name="Were the Soviets serious?").first.click()
    expect(page.locator(".modal-dialog")).to_be_hidden()

    page.locator("footer [data-w-dropdown-target='toggle'], footer .dropdown-toggle").last.click()
    page.get_by_role("button", name=re.compile("^Publish")).click()
    expect(page.locator(".messages")).to_contain_text("published")
    plan = LessonPlanPage.objects.get(title="Seriousness in one lesson")
    assert plan.owner == teacher and plan.live

    # the student: the plan's student view, then the quiz with the class code filled in
    student = browser.new_context(base_url=site.url).new_page()
    student.goto(plan.url)
    expect(student.locator(".class-code")).to_contain_text(plan.class_code)
    student.locator(".plan-quiz a[href*='/quizzes/']").first.click()
    expect(student.locator("input[name=class_code]").first).to_have_value(plan.class_code)
    for group in student.locator("form.quiz-form fieldset.question").all():
        choices = group.locator("input[type=radio], input[type=checkbox]")
        if choices.count():
            choices.first.check()
        else:
            group.locator("input[type=text]").fill("an answer")
    student.locator("input[name=display_name]").first.fill("Zoe")
    student.locator("form.quiz-form button[type=submit]").first.click()
    expect(student).to_have_url(re.compile("/results/"))

    # the teacher sees Zoe's attempt
    page.goto(f"/plans/{plan.slug}/results/")
    expect(page.locator("table.attempts")).to_contain_text("Zoe")
    expect(page.locator(".summary-line")).to_contain_text("1 attempt")
    context.close()


def test_axe_finds_no_violations_on_plan_views_join_and_search(browser, site, teacher, make_plan):
    from axe_playwright_python.sync_playwright import Axe

    plan = make_plan(teacher, public=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=site.url)
    page = context.new_page()
    paths = [
        "/plans/",
        plan.url,
        f"/plans/{plan.slug}/print/",
        "/join/",
        "/join/?code=NOPE22",
        "/search/",
        "/search/?q=seriousness",
        "/search/?q=SSOD&type=glossary",
    ]
    sign_in(page, "ms_k", "pw-Teach3r!")
    paths += [f"/plans/{plan.slug}/teacher/", f"/plans/{plan.slug}/results/"]
    for path in paths:
        page.goto(path)
        results = Axe().run(page)
        assert results.violations_count == 0, f"{path}\n{results.generate_report()}"
    context.close()
