"""The README's screenshots, made from the real site in Chromium: the reading page on a desktop and on a phone,
and a teacher's results page with a few attempts. Viewport-sized PNGs, written to docs/screenshots/."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from tests.browser.helpers import sign_in
from tests.lessons.test_plans import submit

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DOC = "/documents/frus1977-80v26-d285/"


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_reading_page_screenshot(browser, site, width, height):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=site.url)
    page = context.new_page()
    page.goto(DOC)
    page.locator("#p-1").scroll_into_view_if_needed()
    path = SHOTS / f"reading-{width}.png"
    page.screenshot(path=path)
    assert path.stat().st_size > 10_000
    context.close()


def test_teacher_results_screenshot(browser, site, make_plan):
    SHOTS.mkdir(parents=True, exist_ok=True)
    teacher = User.objects.create_user("ms_k", password="pw-Teach3r!", is_staff=True)
    teacher.groups.add(Group.objects.get(name="Teachers"))
    plan = make_plan(teacher)
    quiz = plan.quizzes()[0]
    for name, right in [("Ana", True), ("Ben", False), ("Chidi", True), ("Dana", False)]:
        submit(Client(), quiz, plan.class_code, name, right=right)
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=site.url)
    page = context.new_page()
    sign_in(page, "ms_k", "pw-Teach3r!")
    page.goto(f"/plans/{plan.slug}/results/")
    assert page.get_by_text("Chidi").first.is_visible()
    path = SHOTS / "teacher-results.png"
    page.screenshot(path=path)
    assert path.stat().st_size > 10_000
    context.close()
