"""The README's screenshots, made from the real site in Chromium: the reading page on a desktop and on a phone,
and a teacher's results page with a few attempts. Viewport-sized PNGs, written to a temporary directory, and to
docs/screenshots/ only when asked (`make screenshots`, or UPDATE_SCREENSHOTS=1): `make test` leaves the tree clean."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.lessons.test_plans import submit

DOCS_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DOC = "/documents/frus1977-80v26-d285/"


@pytest.fixture
def shots(tmp_path):
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
        return DOCS_SHOTS
    return tmp_path


def assert_looks_like_a_page(path, width, height):
    """What a reader of the README would notice: the whole viewport, with text on it (not a blank page)."""
    with Image.open(path) as image:
        assert image.size == (width, height)
        dark = sum(image.convert("L").histogram()[:128])  # pixels of text and headings on the light page
        assert dark > width * height * 0.01, f"{path.name} is nearly blank"


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_reading_page_screenshot(browser, site, shots, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=site.url)
    page = context.new_page()
    page.goto(DOC)
    page.locator("#p-1").scroll_into_view_if_needed()
    expect(page.locator("#p-1")).to_be_in_viewport()
    path = shots / f"reading-{width}.png"
    page.screenshot(path=path)
    assert_looks_like_a_page(path, width, height)
    context.close()


def test_teacher_results_screenshot(browser, site, shots, make_plan):
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
    summary = page.locator(".summary-line").first  # what the shot is for: the class's attempts at a glance
    expect(summary).to_contain_text("4 attempts")
    expect(summary).to_be_in_viewport()
    path = shots / "teacher-results.png"
    page.screenshot(path=path)
    assert_looks_like_a_page(path, 1280, 800)
    context.close()
