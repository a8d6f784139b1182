"""Peer validation in headless Chromium on 390 px phones, by the pages' visible labels:
the leader invites a peer from the report; the peer, in a session of their own, accepts,
goes through the nine categories, disagreeing with one and saying why, and completes; the
leader's report then shows the school's ratings beside the peer's. Every page is scanned
with axe-core and checked for sideways scrolling."""

import re

import pytest
from playwright.sync_api import expect

from audits.instrument import CATEGORIES
from audits.models import Validation
from tests.browser.conftest import login, serious_violations
from tests.factories import HubMembershipFactory, SchoolFactory, UserFactory, make_audit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAMPTON = [3, 4, 4, 2, 4, 4, 1, 4, 4]


def _check_page(page, name: str) -> None:
    violations = serious_violations(page)
    assert not violations, f"{name}: " + "; ".join(violations)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], (name, width)


@pytest.fixture
def peer(hub):
    school = SchoolFactory(name="Brentside School")
    HubMembershipFactory(hub=hub, school=school)
    user = UserFactory(username="peer_ann", first_name="Ann", last_name="Smith")
    school.leaders.add(user)
    return user


def test_a_peer_validates_an_audit_and_the_leader_reads_both_ratings(
    browser, browser_page, live_server, leader, school, hub, peer
):
    audit = make_audit(school, stages=LAMPTON, evidence="Minutes of the research group")

    # The leader asks Ann Smith from the report.
    browser_page.set_viewport_size(PHONE)
    page = login(browser_page, live_server, leader.username)
    page.goto(f"{live_server.url}/audits/{audit.pk}/")
    _check_page(page, "report before")
    page.get_by_role("link", name="Ask a peer to validate this audit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask a peer to validate this audit")
    _check_page(page, "invite")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_contain_text(
        "Choose the peer to invite."
    )
    _check_page(page, "invite with an error")
    page.get_by_role("radio", name="Ann Smith, leader of Brentside School").check()
    page.get_by_label("A message to them (optional)").fill("Could you look at our leadership?")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("status").filter(has_text="Ann Smith is invited")).to_be_visible()
    validation = Validation.objects.get()

    # The peer, on a phone, in a session of their own.
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    context.set_default_timeout(10_000)
    phone = login(context.new_page(), live_server, peer.username)
    phone.goto(f"{live_server.url}/validations/{validation.pk}/")
    expect(phone.locator("main")).to_contain_text("Could you look at our leadership?")
    _check_page(phone, "invitation")
    phone.get_by_role("button", name="Accept").click()
    expect(phone.get_by_text("0 of 9 categories completed.")).to_be_visible()
    _check_page(phone, "task list")
    first = CATEGORIES[0]
    phone.get_by_role("link", name=f"{first.number}. {first.label}").click()
    for category in CATEGORIES:
        expect(phone.get_by_role("heading", level=1)).to_have_text(category.label)
        expect(phone.locator("main")).to_contain_text("Minutes of the research group")
        if category.number == 4:
            _disagree(phone)
        else:
            phone.get_by_role("radio", name=re.compile("^I agree: ")).check()
            if category.number == 1:
                _check_page(phone, "a category")
            phone.get_by_role("button", name="Save and continue").click()

    expect(phone.get_by_role("heading", level=1)).to_contain_text("Check your answers")
    expect(phone.locator("main")).to_contain_text("(differs)")
    _check_page(phone, "check")
    phone.get_by_label(re.compile("I have checked my answers")).check()
    phone.get_by_role("button", name="Complete the validation").click()
    expect(
        phone.get_by_role("status").filter(has_text="The validation is complete")
    ).to_be_visible()
    _check_page(phone, "report, for the peer")
    context.close()

    # The leader's report: the two ratings side by side, the difference with its comment.
    page.reload()
    section = page.locator("#validations")
    expect(section).to_contain_text("Not peer validated yet")
    row = section.get_by_role("row", name=re.compile(r"^4\. Leadership × Relevant research"))
    expect(row).to_contain_text("Initiation")
    expect(row).to_contain_text("Engagement")
    expect(row).to_contain_text("Differs")
    expect(section.get_by_role("row", name=re.compile(r"^1\. "))).to_contain_text("Agrees")
    expect(section).to_contain_text("They run a termly leadership research group")
    _check_page(page, "report after")
    assert Validation.objects.get().status == "completed"


def _disagree(phone) -> None:
    """Category 4, rated Initiation by the school: the peer would give Engagement."""
    phone.get_by_role("radio", name=re.compile("^Engagement")).check()
    phone.get_by_role("button", name="Save and continue").click()
    summary = phone.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_contain_text("Say why you would give Engagement rather than Initiation.")
    _check_page(phone, "a category with an error")
    phone.get_by_label("Your comment").fill("They run a termly leadership research group")
    phone.get_by_role("button", name="Save and continue").click()
