"""A teacher's path from the Wagtail dashboard to a plan's results; the heat map of 30 attempts; the printed key."""

import io
import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from playwright.sync_api import expect
from pypdf import PdfReader

from lessons.snapshots import quiz_snapshot
from tests.browser.helpers import sign_in
from tests.lessons.test_plans import submit


@pytest.fixture
def teacher(site):
    user = User.objects.create_user("ms_k", password="pw-Teach3r!", is_staff=True)
    user.groups.add(Group.objects.get(name="Teachers"))
    return user


def signed_in(browser, site, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=site.url)
    page = context.new_page()
    sign_in(page, "ms_k", "pw-Teach3r!")
    return context, page


def evidence_quiz(plan):
    return next(q for q in plan.quizzes() if any(x["kind"] == "evidence" for x in quiz_snapshot(q)["questions"]))


@pytest.mark.parametrize("width", [1280, 390])
def test_from_the_dashboard_to_the_heat_map_of_30_attempts(browser, site, teacher, make_plan, width):
    from axe_playwright_python.sync_playwright import Axe

    plan = make_plan(teacher)
    quiz = evidence_quiz(plan)
    student = Client()  # the real quiz form and submission, 30 times (as a class behind one address)
    for n in range(30):
        assert submit(student, quiz, plan.class_code, f"Student {n:02}", right=n % 3 != 0).status_code == 302
    context, page = signed_in(browser, site, width)
    panel = page.locator("section[aria-labelledby=my-plans-heading]")
    expect(panel).to_contain_text(plan.title)
    expect(panel.locator("tr", has_text=plan.title)).to_contain_text("30")
    panel.get_by_role("link", name="Results").click()
    page.wait_for_url(re.compile(r"/results/$"))
    expect(page.locator("h1")).to_contain_text(plan.title)
    expect(page.locator(".summary-line").first).to_contain_text("30 attempts")
    heat = page.locator(".heat-text").first
    expect(heat).to_be_visible()
    key = heat.locator(".heat-key")
    expect(key).to_have_count(1)
    assert key.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    assert key.evaluate("e => parseFloat(getComputedStyle(e).outlineWidth)") >= 2
    expect(heat.locator(".heat-count").first).to_be_visible()
    assert "the key" in heat.locator(".heat-key + .heat-count").inner_text()
    # readable: the map is no wider than the screen and its text is at least 12 px
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert heat.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 12
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.emulate_media(color_scheme="dark")  # the site follows the system's dark theme: the map stays readable
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    context.close()


def test_the_printed_teacher_copy_puts_the_key_on_its_own_page_without_the_toolbar(browser, site, teacher, make_plan):
    plan = make_plan(teacher)
    context, page = signed_in(browser, site, 1280)
    page.goto(plan.url + plan.reverse_subpage("teacher"))
    page.get_by_role("link", name="Print handout with the answer key").click()
    expect(page.locator(".answer-key")).to_be_visible()
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages]
    with_key = [n for n, text in enumerate(pages) if "Answer key (teacher" in text]
    assert len(pages) >= 2 and len(with_key) == 1
    first = with_key[0]
    assert first > 0 and pages[first].lstrip().startswith("Answer key (teacher")  # a page of its own
    assert "Answer sheet:" in "".join(pages[:first])
    for text in pages:
        assert "Go to Wagtail admin" not in text and "Edit this page" not in text
    page.goto(plan.url)  # a screen page still has the userbar for the teacher
    expect(page.locator("wagtail-userbar, [data-wagtail-userbar]").first).to_be_attached()
    # the students' copy: no key on any page
    student = browser.new_context(base_url=site.url).new_page()
    student.goto(plan.url + plan.reverse_subpage("print") + "?key=1")
    assert "Answer key" not in "".join(p.extract_text() for p in PdfReader(io.BytesIO(student.pdf())).pages)
    context.close()
