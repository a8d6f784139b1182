"""Collaboration in headless Chromium, by the pages' visible labels: a leader records a
partnership and finds it under the categories it feeds on the next audit's report; a
leader asks a school the hub names for support, the other school's leader accepts it,
and both schools and the hub's coordinator see it. Each new page is scanned with
axe-core."""

import re

import pytest
from playwright.sync_api import expect

from communities.models import Hub, SupportAgreement
from tests.browser.conftest import login, serious_violations
from tests.factories import PartnerFactory, UserFactory, make_audit

pytestmark = pytest.mark.browser

FIRST = "Teaching and learning × Relevant research"
FOURTH = "Leadership × Relevant research"


def _accessible(page, name: str) -> None:
    violations = serious_violations(page)
    assert not violations, f"{name}: " + "; ".join(violations)


def test_a_partnership_shows_under_its_categories_on_the_next_report(
    browser_page, live_server, leader, school
):
    PartnerFactory(name="Camden Lesson Study Hub", kind="network")
    audit = make_audit(school, stages=[3] * 9, period="2026/27", submitted=False)
    page = login(browser_page, live_server, leader.username)
    page.get_by_role("link", name="The partnerships of Lampton School").click()
    page.get_by_role("link", name="Add a partnership").click()
    page.get_by_label("Find the partner organisation").fill("lesson study")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Choose Camden Lesson Study Hub").click()
    page.get_by_label("What the partnership is").fill("Lesson study cycles in mathematics")
    page.get_by_label(FIRST).check()
    page.get_by_label(FOURTH).check()
    page.get_by_label("Coaching and mentoring").check()
    page.get_by_role("button", name="Save the partnership").click()
    expect(page.get_by_role("status")).to_contain_text("Camden Lesson Study Hub is saved")

    page.goto(f"{live_server.url}/audits/{audit.pk}/categories/1/")
    fed = page.get_by_role("region", name=re.compile("Partnerships that fed this category"))
    expect(fed).to_contain_text("Camden Lesson Study Hub")
    _accessible(page, "category page with a partnership")
    page.goto(f"{live_server.url}/audits/{audit.pk}/")
    evidence = page.locator("dl.evidence-list")
    first = evidence.locator("dd").nth(0)
    expect(first).to_contain_text("Lesson study cycles in mathematics")
    expect(evidence.locator("dd").nth(1)).not_to_contain_text("Lesson study")
    expect(evidence.locator("dd").nth(3)).to_contain_text("Camden Lesson Study Hub")
    _accessible(page, "report with partnerships")


def test_support_from_a_suggestion_to_an_agreement(
    browser, browser_page, live_server, hub, school, leader, coordinator, member_school
):
    Hub.objects.filter(pk=hub.pk).update(names_in_suggestions=True)
    other_head = UserFactory(username="brentside_head", first_name="Ann", last_name="Smith")
    member_school.leaders.add(other_head)
    make_audit(member_school, stages=4, period="2025/26")
    audit = make_audit(school, stages=[1, 4, 4, 4, 4, 4, 4, 4, 4], period="2025/26")

    page = login(browser_page, live_server, leader.username)
    page.goto(f"{live_server.url}/audits/{audit.pk}/")
    page.get_by_role("link", name="Ask for support from Brentside Community College").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose support")
    _accessible(page, "propose")
    page.get_by_role("button", name="Propose the support").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    _accessible(page, "propose with an error")
    page.get_by_label("What is the support for?").fill("Research-informed lesson planning")
    page.get_by_role("button", name="Propose the support").click()
    expect(page.get_by_role("status")).to_contain_text("The support is proposed.")
    expect(page.locator("main")).to_contain_text("Proposed")
    _accessible(page, "support page")

    context = browser.new_context(base_url=live_server.url)
    try:
        other = login(context.new_page(), live_server, other_head.username)
        other.get_by_role(
            "link", name="Answer: support from Brentside Community College to Lampton School"
        ).click()
        other.get_by_role("button", name="Accept the support").click()
        expect(other.get_by_role("status")).to_contain_text("Accepted.")
        expect(other.locator("main")).to_contain_text("Agreed")
        other.goto(f"{live_server.url}/")
        expect(other.get_by_role("region", name=re.compile("Support between"))).to_contain_text(
            "Brentside Community College supports Lampton School"
        )
    finally:
        context.close()

    page.goto(f"{live_server.url}/")
    expect(page.locator("main")).to_contain_text(
        "Brentside Community College supports Lampton School"
    )
    coordinator_context = browser.new_context(base_url=live_server.url)
    try:
        coord = login(coordinator_context.new_page(), live_server, coordinator.username)
        coord.goto(f"{live_server.url}/hubs/{hub.slug}/")
        table = coord.get_by_role("table", name=re.compile("Open support between member schools"))
        expect(table).to_contain_text("Brentside Community College")
        expect(table).to_contain_text("Agreed")
        _accessible(coord, "hub page with support")
    finally:
        coordinator_context.close()
    agreement = SupportAgreement.objects.get()
    assert agreement.status == "agreed" and agreement.supported_school == school
    assert agreement.supporting_partnership.school == member_school
