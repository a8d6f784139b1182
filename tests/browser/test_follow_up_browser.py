"""A coordinator sets the hub's deadline, reads the follow-up list, adds a school from
the register and invites a leader; the invitee sets a password from the emailed link.
Every page scanned by axe at 1280 px and at 390 px."""

import re

from django.core import mail
from playwright.sync_api import expect

from audits.periods import academic_year
from tests.browser.conftest import login, serious_violations
from tests.factories import SchoolFactory, make_audit

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def scan_both(page) -> list[str]:
    found = []
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        found += [f"{size['width']}px {v}" for v in serious_violations(page)]
    page.set_viewport_size(DESKTOP)
    return found


def test_coordinator_follows_up_adds_a_school_and_invites_a_leader(
    browser_page, live_server, coordinator, hub, school, member_school
):
    make_audit(member_school, stages=[2, 3] + [None] * 7, period=academic_year(), submitted=False)
    SchoolFactory(name="Heathland School", urn="123456")
    violations = []
    page = login(browser_page, live_server, coordinator.username)
    page.goto(f"{live_server.url}/hubs/{hub.slug}/")
    violations += scan_both(page)

    page.get_by_role("link", name="Follow-up of this year's audits").click()
    expect(page.get_by_text("2 of 9 categories rated")).to_be_visible()
    violations += scan_both(page)
    page.get_by_role("link", name="Set a deadline").click()
    page.get_by_label("Submit by").fill("")
    page.get_by_role("button", name="Save the deadline").click()
    expect(page.get_by_role("link", name=re.compile("Submit by: Enter the date"))).to_be_visible()
    violations += scan_both(page)
    page.get_by_label("Submit by").fill("2026-06-30")
    page.get_by_role("button", name="Save the deadline").click()
    expect(page.get_by_text("Schools are asked to submit by 30 June 2026.")).to_be_visible()

    page.goto(f"{live_server.url}/hubs/{hub.slug}/")
    page.get_by_role("link", name="Manage the members").click()
    page.get_by_role("heading", name="Members of London West").wait_for()
    violations += scan_both(page)
    page.get_by_role("link", name="Add a school").click()
    page.get_by_label("Find the school").fill("123456")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Add Heathland School").wait_for()
    violations += scan_both(page)
    page.get_by_role("button", name="Add Heathland School").click()
    expect(page.get_by_role("row", name=re.compile("Heathland School"))).to_be_visible()

    page.get_by_role("link", name="Invite a leader of Heathland School").click()
    page.get_by_label("Their email address").wait_for()
    violations += scan_both(page)
    page.get_by_label("Their name (optional)").fill("Ana Head")
    page.get_by_label("Their email address").fill("ana.head@example.org")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("is on its way to ana.head@example.org")).to_be_visible()

    page.get_by_role("link", name="End membership of Heathland School").click()
    page.get_by_role("heading", name="End the membership").wait_for()
    violations += scan_both(page)

    path = re.search(r"/invitations/[^/\s]+/", mail.outbox[-1].body).group(0)
    page.get_by_role("button", name="Log out").click()
    page.goto(live_server.url + path)
    violations += scan_both(page)
    page.get_by_label(re.compile(r"^\s*New password\W*$")).fill("a-long-new-pass-phrase")
    page.get_by_label(re.compile(r"New password confirmation")).fill("a-long-new-pass-phrase")
    page.get_by_role("button", name="Set my password and accept").click()
    expect(page.get_by_text("You now lead Heathland School.")).to_be_visible()
    assert violations == []
