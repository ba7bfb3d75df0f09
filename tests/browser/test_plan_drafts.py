"""A teacher makes "Week 1" twice in the admin, with Wagtail's autosave on: the second publishes without an error."""

import re
import time

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


def start_week_1(page, add_url, autosaves):
    """Fill in a new plan "Week 1" as a teacher types, and wait until autosave has tried to save it."""
    tried = len(autosaves)
    page.goto(add_url)
    page.wait_for_timeout(2500)  # Wagtail notes the form's first state 2 s after load; changes after it autosave
    page.fill("#id_title", "Week 1")
    page.fill("#id_class_level", "11B History")
    page.locator("button[title='Insert a block']").last.click()
    page.get_by_role("option", name="Agenda").click()
    page.locator("input[name$='-value-title']").last.fill("Warm-up")
    page.locator("input[name$='-value-minutes']").last.fill("5")
    deadline = time.monotonic() + 10
    while len(autosaves) == tried and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert len(autosaves) > tried, "autosave never tried to save the new plan"
    expect(page.get_by_text("A new plan is saved when you click Save draft or Publish.")).to_be_visible()


def test_a_second_week_1_publishes_without_a_slug_error(browser, site, teacher):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=site.url)
    page = context.new_page()
    autosaves = []  # what Wagtail's autosave sent: JSON POSTs to the add view
    page.on(
        "request",
        lambda r: r.method == "POST" and "json" in r.headers.get("accept", "") and autosaves.append(r.url),
    )
    sign_in(page, "ms_k", "pw-Teach3r!")
    add_url = f"/admin/pages/add/lessons/lessonplanpage/{LessonPlanIndexPage.objects.get().pk}/"

    start_week_1(page, add_url, autosaves)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("'Week 1' created")
    assert [p.slug for p in LessonPlanPage.objects.all()] == ["week-1"]  # autosave made none of its own

    start_week_1(page, add_url, autosaves)  # the first is abandoned as a draft
    page.locator("footer [data-w-dropdown-target='toggle'], footer .dropdown-toggle").last.click()
    page.get_by_role("button", name=re.compile("^Publish")).click()
    expect(page.locator(".messages")).to_contain_text("'Week 1' created and published")
    expect(page.get_by_text("already in use")).to_have_count(0)
    plans = LessonPlanPage.objects.order_by("pk")
    assert [(p.slug, p.live, p.owner) for p in plans] == [("week-1", False, teacher), ("week-1-2", True, teacher)]
    page.goto("/plans/week-1-2/")
    expect(page.locator("h1")).to_have_text("Week 1")
    context.close()
