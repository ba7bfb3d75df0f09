"""With the Content-Security-Policy on, pages work and the browser reports no violation."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

D293 = "/documents/frus1977-80v26-d293/"


@pytest.fixture
def violations(page):
    """What Chromium says about blocked scripts, styles or images, collected while a test runs."""
    found = []

    def listen(message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            found.append(message.text)

    page.on("console", listen)
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def test_the_reading_page_has_a_strict_policy_and_working_popovers(page, violations):
    response = page.goto(D293)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "camera=()" in response.headers["permissions-policy"]
    link = page.locator("a.gloss", has_text="SCC").first
    link.click()
    expect(page.locator("#" + link.get_attribute("data-popover"))).to_be_visible()
    page.keyboard.press("Escape")
    assert violations == []


def test_a_quiz_works_under_the_policy(page, violations):
    from lessons.models import LessonModulePage

    page.goto(LessonModulePage.objects.get(slug="judging-seriousness").url)  # a module, its excerpts and quiz
    page.wait_for_load_state("networkidle")
    page.goto("/quizzes/seriousness-quiz/")
    expect(page.locator("form.quiz-form")).to_be_visible()
    page.locator("form.quiz-form button[type=submit]").click()  # empty: the script and the server answer
    page.wait_for_load_state("networkidle")
    assert violations == []


def test_the_admin_works_and_reports_no_violation(page, violations):
    User.objects.create_superuser("csp-admin", password="pw-Adm1n-csp")
    page.goto("/admin/login/")
    page.fill("#id_username", "csp-admin")
    page.fill("#id_password", "pw-Adm1n-csp")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile("/admin/$"))
    page.goto("/admin/pages/")
    page.wait_for_load_state("networkidle")
    page.goto(D293)  # the public page, signed in: Wagtail's user bar
    page.wait_for_load_state("networkidle")
    assert violations == []
