"""A school leader turns two gaps of a submitted audit into actions with owners and due
dates, from the report, in headless Chromium: one with the mouse by the pages' visible
labels (failing once: the error summary), one with the keyboard alone. Then marks one
done, and sees the plan, the action and home. Every new page is scanned with axe-core at
1280 and 390 px wide, and none scrolls sideways."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from audits.models import ImprovementAction
from tests.browser.conftest import focused, login, serious_violations, tab_to
from tests.factories import make_audit

pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
FIRST = "Teaching and learning × Relevant research"
FIFTH = "Leadership × Best practice"


def _check_page(page, name: str) -> None:
    for size in (WIDE, PHONE):
        page.set_viewport_size(size)
        violations = serious_violations(page)
        assert not violations, f"{name} at {size['width']}: " + "; ".join(violations)
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], (name, size, width)
    page.set_viewport_size(WIDE)


def _focus_id(page, element_id: str) -> None:
    tab_to(page, lambda p: focused(p, "el.id") == element_id)


def test_a_leader_turns_two_gaps_into_actions(browser_page, live_server, leader, school):
    leader.first_name, leader.last_name = "Sue", "John"
    leader.save()
    audit = make_audit(school, stages=[2, 4, 4, 4, 3, 4, 4, 4, 4], period="2025/26")
    page = browser_page
    page.set_viewport_size(WIDE)
    login(page, live_server, leader.username)
    page.goto(live_server.url + reverse("audits:audit_report", args=[audit.pk]))

    # The first gap, with the mouse; once without a name for "someone else".
    page.get_by_role("link", name=f"Plan an action for {FIRST}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan an action")
    expect(page.get_by_label("Category")).to_have_value("1")
    _check_page(page, "new action")
    page.get_by_label("What will be done").fill("Heads of department plan with EEF guidance.")
    page.get_by_role("radio", name="Someone else: type their name below").check()
    page.get_by_label("Due on").fill("2026-06-30")
    page.get_by_role("button", name="Save the action").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    expect(page).to_have_title("Error: Plan an action — Lampton School · CLC Audit")
    _check_page(page, "new action with errors")
    summary.get_by_role("link", name="Their name, for someone else").click()
    assert focused(page, "el.id") == "id_owner_name"
    page.keyboard.type("Amira Patel")
    page.get_by_role("button", name="Save the action").click()
    expect(page.get_by_role("status").filter(has_text="added")).to_contain_text(
        "The action is added to the plan."
    )

    # The second gap, with the keyboard alone.
    tab_to(page, lambda p: focused(p, "el.textContent.trim()") == f"Plan an action for {FIFTH}")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan an action")
    _focus_id(page, "id_description")
    page.keyboard.type("Leaders review practice with two hub schools each term.")
    _focus_id(page, "id_owner_0")
    page.keyboard.press("Space")  # Sue John, the first leader
    _focus_id(page, "id_due_on")
    page.keyboard.type("07072026")  # the same in either order of day and month
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="added")).to_be_visible()

    actions = list(ImprovementAction.objects.order_by("category"))
    assert [(a.category, a.owner_label) for a in actions] == [(1, "Amira Patel"), (5, "Sue John")]
    assert str(actions[1].due_on) == "2026-07-07"
    plan = page.get_by_role("region", name="Open actions, by due date")
    expect(plan.get_by_role("row")).to_have_count(3)
    _check_page(page, "report with its plan")

    # The plan, an action, its edit: done, with what changed.
    page.get_by_role("link", name="The improvement plan of Lampton School").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Lampton School: the improvement plan"
    )
    _check_page(page, "plan")
    page.get_by_role("link", name="Leaders review practice with two hub schools each term.").click()
    _check_page(page, "action")
    page.get_by_role("link", name="Change the action").click()
    page.get_by_role("radio", name="Done").check()
    page.get_by_label("What changed").fill("Two reviews held; leaders now plan together.")
    _check_page(page, "edit action")
    page.get_by_role("button", name="Save the action").click()
    expect(page.get_by_role("status").filter(has_text="saved")).to_be_visible()
    expect(page.get_by_text("Two reviews held; leaders now plan together.")).to_be_visible()

    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("link", name="The improvement plan of Lampton School")).to_be_visible()
    _check_page(page, "home")
