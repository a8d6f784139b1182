"""A leader completes a self-audit on the one-page form (all nine categories on one
page), checks and submits it on the check page, and reads it, in headless Chromium: by
mouse, by keyboard alone, and with an accessibility scan of each page on the way. The
page-by-page journey is in test_audit_steps_browser.py."""

import re

import pytest
from playwright.sync_api import expect

from audits.instrument import CATEGORIES, REFLECTION_QUESTIONS
from audits.models import Audit
from tests.browser.conftest import focused, login, login_by_keyboard, serious_violations, tab_to
from tests.factories import UserFactory, make_audit

pytestmark = pytest.mark.browser


START = re.compile(r"^Start the \d{4}\/\d{2} audit of ")


def _start_audit(page, copy_forward=True):
    """From home to the draft's one-page form."""
    page.get_by_role("link", name=START).first.click()
    expect(page.get_by_label("Period (academic year)")).to_have_value(re.compile(r"^\d{4}/\d{2}$"))
    page.get_by_label("Start from the ratings").set_checked(copy_forward)
    page.get_by_role("button", name="Start the audit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Self-audit")
    page.get_by_role("link", name="All nine categories on one page").click()
    expect(page.locator("#audit-form")).to_be_visible()


CHECK = "Save and check your answers"
CONFIRM = re.compile("I have checked these answers")


def _button(page, name, where="bottom"):
    """The form has its Save draft and its Save and check buttons at the top and the
    bottom."""
    buttons = page.get_by_role("button", name=name)
    return buttons.first if where == "top" else buttons.last


def _fill_all_nine(page, stage="Integration"):
    for category in CATEGORIES:
        group = page.get_by_role("group", name=category.label, exact=True)
        group.get_by_role("radio", name=stage).check()
        group.get_by_label("How do we know?").fill(f"Evidence for category {category.number}")
    page.get_by_label(REFLECTION_QUESTIONS[0].question).fill("Weekly briefings, shared drive.")


def test_leader_fills_in_submits_and_sees_virtuous(browser_page, live_server, leader, school):
    page = login(browser_page, live_server, leader.username)
    _start_audit(page)
    _fill_all_nine(page)
    # The button row at the top saves the one form, every field with it; submitting is
    # on the check page, after ticking its box.
    _button(page, CHECK, "top").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your answers")
    assert not Audit.objects.get().is_submitted
    page.get_by_role("button", name="Submit the audit").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_contain_text(
        "Tick the box to confirm"
    )
    assert not Audit.objects.get().is_submitted
    page.get_by_label(CONFIRM).check()
    page.get_by_role("button", name="Submit the audit").click()
    page.get_by_role("link", name="Read the report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Self-audit report")
    expect(page.locator("main")).to_contain_text("Virtuous")
    expect(page.get_by_role("img", name="Radar chart of the nine categories")).to_be_visible()
    audit = Audit.objects.get()
    assert audit.is_submitted
    assert audit.ratings.get(category=9).evidence == "Evidence for category 9"


def test_missing_categories_are_listed_and_the_text_kept(browser_page, live_server, leader, school):
    page = login(browser_page, live_server, leader.username)
    _start_audit(page)
    group = page.get_by_role("group", name=CATEGORIES[0].label, exact=True)
    group.get_by_role("radio", name="Engagement").check()
    group.get_by_label("How do we know?").fill("Kept while checking")
    _button(page, CHECK).click()
    missing = page.get_by_role("region", name="8 categories are not rated yet")
    expect(missing).to_contain_text(CATEGORIES[8].label)
    expect(page.locator("main")).to_contain_text("Kept while checking")
    expect(page.get_by_role("button", name="Submit the audit")).to_have_count(0)
    missing.get_by_role("link", name=re.compile(CATEGORIES[4].label)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(CATEGORIES[4].label)


def test_same_journey_by_keyboard_alone(browser_page, live_server, leader, school):
    page = login_by_keyboard(browser_page, live_server, leader.username)

    tab_to(page, lambda p: START.match(focused(p, "el.textContent.trim()") or ""))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, lambda p: focused(p, "el.textContent.trim()") == "Start the audit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Self-audit")
    tab_to(page, lambda p: focused(p, "el.textContent.trim()") == "All nine categories on one page")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    for category in CATEGORIES:
        tab_to(page, lambda p, c=category: focused(p, "el.name") == f"stage_{c.number}")
        page.keyboard.press("Space")  # Isolation
        for _ in range(3):
            page.keyboard.press("ArrowDown")  # on to Integration
        page.keyboard.press("Tab")
        assert focused(page, "el.name") == f"evidence_{category.number}"
        page.keyboard.type(f"Typed for {category.number}")
    tab_to(page, lambda p: focused(p, "el.textContent.trim()") == CHECK)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, lambda p: focused(p, "el.name") == "confirm")
    page.keyboard.press("Space")
    tab_to(page, lambda p: focused(p, "el.textContent.trim()") == "Submit the audit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, lambda p: focused(p, "el.textContent.trim()") == "Read the report")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Self-audit report")
    expect(page.locator("main")).to_contain_text("Virtuous")
    audit = Audit.objects.get()
    assert audit.is_virtuous
    assert audit.ratings.get(category=9).evidence == "Typed for 9"


def _assert_accessible(page, name):
    violations = serious_violations(page)
    assert not violations, f"{name}: " + "; ".join(violations)


def test_pages_have_no_serious_accessibility_violations(browser_page, live_server, leader, school):
    make_audit(school, stages=[1, 2, 3, 4, 1, 2, 3, 4, 2], period="2024/25", evidence="Notes")
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    _assert_accessible(page, "login")
    login(page, live_server, leader.username)
    _assert_accessible(page, "home")
    _start_audit(page, copy_forward=False)
    _assert_accessible(page, "form")
    _button(page, CHECK).click()  # nothing rated: the check page lists all nine
    expect(page.get_by_role("region", name="9 categories are not rated yet")).to_be_visible()
    _assert_accessible(page, "check with categories missing")
    page.go_back()
    _fill_all_nine(page, stage="Engagement")
    _button(page, CHECK).click()
    page.get_by_role("button", name="Submit the audit").click()  # error summary showing
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    _assert_accessible(page, "check with errors")
    page.get_by_label(CONFIRM).check()
    page.get_by_role("button", name="Submit the audit").click()
    page.get_by_role("link", name="Read the report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Self-audit report")
    _assert_accessible(page, "report")
    page.get_by_role("link", name="The journey of Lampton School").click()
    _assert_accessible(page, "journey")


def test_two_editors_the_later_save_is_refused_and_keeps_its_text(
    browser, browser_page, live_server, leader, school
):
    deputy = UserFactory(username="deputy_head")
    school.leaders.add(deputy)
    draft = make_audit(school, stages=[None] * 9, period="2026/27", submitted=False)
    head = login(browser_page, live_server, leader.username)
    head.goto(f"{live_server.url}/audits/{draft.pk}/edit/all/")
    other_context = browser.new_context(base_url=live_server.url)
    try:
        other = login(other_context.new_page(), live_server, deputy.username)
        other.goto(f"{live_server.url}/audits/{draft.pk}/edit/all/")
        group = other.get_by_role("group", name=CATEGORIES[0].label, exact=True)
        group.get_by_role("radio", name="Initiation").check()
        group.get_by_label("How do we know?").fill("The deputy's evidence")
        _button(other, "Save draft").click()
        expect(other.get_by_role("status")).to_contain_text("Draft saved.")
    finally:
        other_context.close()

    group = head.get_by_role("group", name=CATEGORIES[0].label, exact=True)
    group.get_by_role("radio", name="Engagement").check()
    group.get_by_label("How do we know?").fill("The head's evidence")
    _button(head, "Save draft").click()
    notice = head.get_by_role("alert").filter(has_text="saved this audit while you were editing")
    expect(notice).to_be_focused()
    expect(notice).to_contain_text("deputy_head")
    expect(notice).to_contain_text("The deputy's evidence")
    expect(group.get_by_label("How do we know?")).to_have_value("The head's evidence")
    expect(group.get_by_role("radio", name="Engagement")).to_be_checked()
    assert draft.ratings.get(category=1).evidence == "The deputy's evidence"


def test_saving_at_the_bottom_lands_at_the_top_with_the_message(
    browser_page, live_server, leader, school
):
    page = login(browser_page, live_server, leader.username)
    _start_audit(page, copy_forward=False)
    group = page.get_by_role("group", name=CATEGORIES[8].label, exact=True)
    group.get_by_role("radio", name="Engagement").check()
    _button(page, "Save draft").click()
    status = page.get_by_role("status").filter(has_text="Draft saved.")
    expect(status).to_be_in_viewport()
    expect(page.locator("#audit-progress")).to_contain_text("1 of 9 rated")
    expect(page.locator("#audit-progress")).to_be_in_viewport()
    assert page.evaluate("window.scrollY") == 0
    expect(group.get_by_role("radio", name="Engagement")).to_be_checked()


def test_leader_discards_a_mistaken_draft(browser_page, live_server, leader, school):
    page = login(browser_page, live_server, leader.username)
    _start_audit(page, copy_forward=False)
    page.get_by_role("link", name="Discard this draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Discard the")
    _assert_accessible(page, "discard")
    page.get_by_role("button", name="Discard this draft").click()
    expect(page.get_by_role("status")).to_contain_text("draft of Lampton School is discarded")
    expect(page.get_by_role("link", name=re.compile("Continue the"))).to_have_count(0)
    expect(page.get_by_role("link", name=START)).to_be_visible()
    assert not Audit.objects.exists()


def test_journey_in_print_hides_the_continue_links(browser_page, live_server, leader, school):
    make_audit(school, stages=[4] * 9, period="2025/26", submitted=False)
    page = login(browser_page, live_server, leader.username)
    page.get_by_role("link", name="Lampton School", exact=True).click()
    link = page.get_by_role("link", name="Continue the 2025/26 draft")
    expect(link).to_be_visible()
    expect(page.locator("main")).to_contain_text("Draft: 9 of 9 rated")
    expect(page.locator(".audits-table")).not_to_contain_text("Virtuous")
    page.emulate_media(media="print")
    expect(link).to_be_hidden()
