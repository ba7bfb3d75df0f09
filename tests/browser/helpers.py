"""What several browser tests do the same way."""

import re

from playwright.sync_api import expect


def sign_in(page, username, password):
    """Sign in through the admin's own login form, and wait until the dashboard is there."""
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile("/admin/$"))
