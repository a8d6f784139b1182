"""A school leader keeps the school's partnerships in headless Chromium, by the pages'
visible labels: on a 390 px phone finds the partner, fails once (the error summary),
picks two cells of the grid, sees the partnership listed, then ends it; on a wide screen
adds a partner that is not listed yet. Every page is scanned with axe-core and none
scrolls sideways."""

import pytest
from playwright.sync_api import expect

from communities.models import Partnership
from tests.browser.conftest import focused, login, serious_violations
from tests.factories import PartnerFactory, PartnershipFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
FIRST = "Teaching and learning × Relevant research"
FIFTH = "Leadership × Best practice"


def _check_page(page, name: str) -> None:
    violations = serious_violations(page)
    assert not violations, f"{name}: " + "; ".join(violations)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], (name, width)


def test_a_leader_adds_a_partnership_on_a_phone_and_ends_it(
    browser_page, live_server, leader, school
):
    PartnerFactory(
        name="The Brilliant Club", kind="charity", website="https://thebrilliantclub.org"
    )
    PartnerFactory(name="Brilliant Minds Network", kind="network")
    PartnershipFactory(school=school, activity="Old records link", to_review=True, categories=[7])
    page = browser_page
    page.set_viewport_size(PHONE)
    login(page, live_server, leader.username)
    page.goto(f"{live_server.url}/schools/{school.pk}/partnerships/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnerships of Lampton School")
    expect(page.get_by_text("Check which categories this partnership feeds")).to_be_visible()
    _check_page(page, "list")

    page.get_by_role("link", name="Add a partnership").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who is the partner?")
    page.get_by_label("Find the partner organisation").fill("brilliant")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="2 partners found for “brilliant”")).to_be_visible()
    _check_page(page, "partner step")
    page.get_by_role("link", name="Choose The Brilliant Club").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Add a partnership")
    expect(page.get_by_text("The Brilliant Club (Charity)")).to_be_visible()
    page.get_by_role("button", name="Save the partnership").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    assert focused(page, "el.id") == "error-summary"
    expect(page).to_have_title("Error: Add a partnership — Lampton School · CLC Audit")
    _check_page(page, "form with errors")
    summary.get_by_role("link", name="Categories it feeds").click()
    assert focused(page, "el.id") == "id_categories_0"

    page.get_by_label("What the partnership is").fill("Scholars Programme tutoring")
    page.get_by_role("group", name="Dates").get_by_label("Started on").fill("2024-09-01")
    page.get_by_role("radio", name="Information").check()
    grid = page.get_by_role("group", name="Which categories does it feed?")
    grid.get_by_role("checkbox", name=FIRST, exact=True).check()
    grid.get_by_role("checkbox", name=FIFTH, exact=True).check()
    assert grid.get_by_role("checkbox").count() == 9
    page.get_by_role("button", name="Save the partnership").click()

    expect(page.get_by_role("status").filter(has_text="is saved")).to_contain_text(
        "The partnership with The Brilliant Club is saved."
    )
    current = page.get_by_role("region", name="Current")
    item = current.get_by_role("listitem").filter(has_text="Scholars Programme tutoring")
    expect(item).to_contain_text(f"1. {FIRST}")
    expect(item).to_contain_text(f"5. {FIFTH}")
    expect(item).to_contain_text("Since 1 September 2024")
    expect(item).to_contain_text("Information")
    expect(page.get_by_text("2 current partnerships.")).to_be_visible()
    _check_page(page, "list with the new partnership")
    saved = Partnership.objects.get(activity="Scholars Programme tutoring")
    assert [c.number for c in saved.categories] == [1, 5] and saved.updated_by == leader

    page.get_by_role("link", name="End Scholars Programme tutoring with The Brilliant Club").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("End the partnership")
    _check_page(page, "end page")
    page.get_by_label("When did it end?").fill("2024-12-20")
    page.get_by_role("button", name="End the partnership").click()
    ended = page.get_by_role("region", name="Ended")
    expect(ended).to_contain_text("From 1 September 2024 to 20 December 2024")
    expect(ended).to_contain_text(f"5. {FIFTH}")
    _check_page(page, "list with an ended partnership")


def test_a_leader_adds_a_partner_that_is_not_listed_on_a_wide_screen(
    browser_page, live_server, leader, school, other_school
):
    page = login(browser_page, live_server, leader.username)
    page.goto(f"{live_server.url}/schools/{school.pk}/partnerships/new/")
    page.get_by_role("link", name="The partner is not listed: add it").click()
    page.get_by_role("radio", name="School", exact=True).check()
    page.get_by_label("The school's URN (for a school in England)").fill("123456")
    page.get_by_label("What the partnership is").fill("Joint subject network")
    page.get_by_role("radio", name="Coaching and mentoring").check()
    page.get_by_role("checkbox", name="Collaborative learning × Best practice", exact=True).check()
    page.get_by_role("button", name="Save the partnership").click()

    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_contain_text("No school has this URN")
    _check_page(page, "new partner with errors")
    assert page.get_by_role("checkbox", name="Collaborative learning × Best practice").is_checked()
    page.get_by_label("The school's URN (for a school in England)").fill(other_school.urn)
    page.get_by_role("button", name="Save the partnership").click()

    current = page.get_by_role("region", name="Current")
    item = current.get_by_role("listitem").filter(has_text="Joint subject network")
    expect(item).to_contain_text("Torriano School")
    expect(item).to_contain_text(f"(School, URN {other_school.urn})")
    expect(item).to_contain_text("8. Collaborative learning × Best practice")
