"""The pages of the email work in a browser, with no serious accessibility violations:
asking for a reset link, the pages after it, and My settings (at 390 px too)."""

import re

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from tests.browser.conftest import login, serious_violations


def test_asking_for_a_reset_link(browser_page, live_server, leader):
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_role("heading", name="Reset your password").wait_for()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Send the link").click()
    expect(
        page.get_by_role("link", name="Email address: Enter your email address.")
    ).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Email address").fill(leader.email)
    page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    assert serious_violations(page) == []


def test_choosing_a_new_password(browser_page, live_server, leader):
    page = browser_page
    uid = urlsafe_base64_encode(force_bytes(leader.pk))
    token = default_token_generator.make_token(leader)
    page.goto(f"{live_server.url}/accounts/reset/{uid}/{token}/")
    page.get_by_role("heading", name="Choose a new password").wait_for()
    assert serious_violations(page) == []
    page.get_by_label(re.compile(r"^\s*New password\W*$")).fill("another-long-passphrase-7")
    page.get_by_label("New password confirmation").fill("another-long-passphrase-7")
    page.get_by_role("button", name="Set the new password").click()
    page.get_by_role("heading", name="Your password is changed").wait_for()
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/accounts/reset/{uid}/{token}/")
    page.get_by_role("heading", name="This link does not work").wait_for()
    assert serious_violations(page) == []


def test_my_settings(browser_page, live_server, leader):
    page = login(browser_page, live_server, leader.username)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="My settings").click()
    page.get_by_label("Email me reminders").uncheck()
    page.get_by_label("Language of the pages and emails").select_option("en-gb")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Save my settings").click()
    page.get_by_text("Your settings are saved.").wait_for()
    assert not page.get_by_label("Email me reminders").is_checked()
    assert serious_violations(page) == []
