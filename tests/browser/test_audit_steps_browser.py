"""A head teacher on a 390 px phone audits the school one category at a time, in
headless Chromium, by the pages' visible labels: starts this year's audit, works through
the nine categories in any order, attaches a PDF, checks the answers, submits with a
confirmation and reads a report that shows, for each gap, what the next stage looks like
and who in the hub is already there. Every page is scanned with axe-core; the same audit
is then completed by keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from audits.instrument import CATEGORIES, Stage
from audits.instrument_texts import descriptor
from audits.models import Audit, EvidenceFile
from communities.models import Hub
from tests.audits.evidence_samples import PDF
from tests.browser.conftest import focused, login, login_by_keyboard, serious_violations, tab_to
from tests.factories import HubMembershipFactory, SchoolFactory, make_audit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
START = re.compile(r"^Start the \d{4}\/\d{2} audit of Lampton School$")
# Lampton rates itself at Engagement in category 1 and at Integration everywhere else.
LAMPTON = {c.number: ("Engagement" if c.number == 1 else "Integration") for c in CATEGORIES}


def _accessible(page, name: str) -> None:
    violations = serious_violations(page)
    assert not violations, f"{name}: " + "; ".join(violations)


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], (page.url, width)


def _check_page(page, name: str) -> None:
    _accessible(page, name)
    _no_sideways_scroll(page)


def _rate(page, stage: str, evidence: str) -> None:
    page.get_by_role("radio", name=re.compile(f"^{stage}")).check()
    page.get_by_label("How do we know?").fill(evidence)


@pytest.fixture
def hub_with_helper(hub):
    """A member of Lampton's hub at Integration everywhere, named on reports."""
    Hub.objects.filter(pk=hub.pk).update(names_in_suggestions=True)
    helper = SchoolFactory(name="Brentside Community College")
    HubMembershipFactory(hub=hub, school=helper)
    make_audit(helper, stages=4, period="2025/26")
    return hub


def test_a_head_teacher_audits_on_a_phone_one_category_at_a_time(
    browser_page, live_server, leader, school, hub_with_helper, tmp_path
):
    page = browser_page
    page.set_viewport_size(PHONE)
    login(page, live_server, leader.username)
    _check_page(page, "home")

    page.get_by_role("link", name=START).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Start a self-audit")
    _check_page(page, "start")
    page.get_by_role("button", name="Start the audit").click()

    # The task list: nine categories and the reflections, none started.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Self-audit")
    expect(page.locator(".task-list")).to_contain_text("Not started")
    expect(page.get_by_text("0 of 9 categories completed.")).to_be_visible()
    _check_page(page, "task list")

    # In any order: the fifth category first, then back to the list.
    fifth = CATEGORIES[4]
    page.get_by_role("link", name=f"{fifth.number}. {fifth.label}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fifth.label)
    expect(page.locator("main")).to_contain_text(descriptor(fifth, Stage.ENGAGEMENT))
    _check_page(page, "a category")
    _rate(page, "Integration", "Peer review with Brentside")
    page.get_by_role("button", name="Save and return to the task list").click()
    expect(page.get_by_text("1 of 9 categories completed.")).to_be_visible()

    # Then from the first, with Save and continue, attaching a PDF to the first.
    pdf = tmp_path / "Governors minutes.pdf"
    pdf.write_bytes(PDF)
    first = CATEGORIES[0]
    page.get_by_role("link", name=f"{first.number}. {first.label}").click()
    _rate(page, LAMPTON[1], "Minutes of the teaching and learning committee")
    page.get_by_label("Attach a file (optional)").set_input_files(pdf)
    page.get_by_role("button", name="Save and attach, staying on this page").click()
    expect(page.get_by_role("link", name="Governors minutes.pdf")).to_be_visible()
    _check_page(page, "a category with a file")
    page.get_by_role("button", name="Save and continue").click()
    for category in CATEGORIES[1:]:
        expect(page.get_by_role("heading", level=1)).to_have_text(category.label)
        if category.number != fifth.number:
            _rate(page, LAMPTON[category.number], f"Evidence for {category.number}")
        page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Reflections")
    _check_page(page, "reflections")
    page.get_by_role("button", name="Save and continue").click()

    # Check your answers: change one, come back, confirm, submit.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your answers")
    expect(page.locator("main")).to_contain_text(
        "Once it is submitted, the audit cannot be changed."
    )
    expect(page.locator(".attached-names")).to_contain_text("Governors minutes.pdf")
    _check_page(page, "check your answers")
    page.get_by_role("link", name=f"Change {CATEGORIES[8].label}").click()
    page.get_by_label("How do we know?").fill("Changed from the check page")
    page.get_by_role("button", name="Save and go back to check your answers").click()
    expect(page.locator("main")).to_contain_text("Changed from the check page")
    page.get_by_role("button", name="Submit the audit").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_contain_text("Tick the box to confirm")
    _check_page(page, "check your answers with an error")
    assert not Audit.objects.get(school=school).is_submitted
    page.get_by_label(re.compile("I have checked these answers")).check()
    page.get_by_role("button", name="Submit the audit").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Audit submitted")
    _check_page(page, "submitted")
    page.get_by_role("link", name="Read the report").click()

    # The report: the gap, what its next stage looks like here, who can help, the file.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Self-audit report")
    gaps = page.locator(".gaps-list")
    expect(gaps).to_contain_text("What Integration looks like here:")
    expect(gaps).to_contain_text(descriptor(first, Stage.INTEGRATION))
    expect(gaps).to_contain_text("Brentside Community College — Integration")
    expect(page.get_by_role("link", name="Governors minutes.pdf")).to_be_visible()
    _check_page(page, "report")

    audit = Audit.objects.get(school=school)
    assert audit.is_submitted and audit.submitted_by == leader
    assert audit.ratings.get(category=9).evidence == "Changed from the check page"
    stored = EvidenceFile.objects.get()
    assert stored.rating.category == 1 and stored.name == "Governors minutes.pdf"


def test_leaving_a_page_with_unsaved_typing_asks_first(browser_page, live_server, leader, school):
    draft = make_audit(school, stages=[None] * 9, period="2026/27", submitted=False)
    page = login(browser_page, live_server, leader.username)
    page.goto(f"{live_server.url}/audits/{draft.pk}/categories/2/")
    page.get_by_label("How do we know?").fill("Typed, not saved")
    asked = []

    def dismiss(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.get_by_role("link", name="Back to the task list").click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    expect(page.get_by_label("How do we know?")).to_have_value("Typed, not saved")
    # Saving is not leaving: no question.
    page.get_by_role("button", name="Save and return to the task list").click()
    expect(page.get_by_text("0 of 9 categories completed.")).to_be_visible()
    assert asked == ["beforeunload"]


def test_the_whole_audit_by_keyboard_alone(browser_page, live_server, leader, school):
    page = login_by_keyboard(browser_page, live_server, leader.username)

    def press_enter_on(text: str) -> None:
        tab_to(page, lambda p: (focused(p, "el.textContent.trim()") or "").startswith(text))
        with page.expect_navigation():
            page.keyboard.press("Enter")

    press_enter_on("Start the 2026/27 audit of Lampton School")
    press_enter_on("Start the audit")
    press_enter_on(f"1. {CATEGORIES[0].label}")
    for category in CATEGORIES:
        expect(page.get_by_role("heading", level=1)).to_have_text(category.label)
        tab_to(page, lambda p: focused(p, "el.name") == "stage")
        page.keyboard.press("Space")  # Isolation
        for _ in range(3):
            page.keyboard.press("ArrowDown")  # on to Integration
        tab_to(page, lambda p: focused(p, "el.name") == "evidence")  # past the partnerships
        page.keyboard.type(f"Typed for {category.number}")
        press_enter_on("Save and continue")
    press_enter_on("Save and continue")  # the reflections, left for later
    tab_to(page, lambda p: focused(p, "el.name") == "confirm")
    page.keyboard.press("Space")
    press_enter_on("Submit the audit")
    press_enter_on("Read the report")

    expect(page.locator("main")).to_contain_text("Virtuous")
    audit = Audit.objects.get()
    assert audit.is_submitted and audit.is_virtuous
    assert audit.ratings.get(category=9).evidence == "Typed for 9"


def test_the_start_page_of_a_year_already_submitted_is_legible(
    browser_page, live_server, leader, school
):
    from audits.periods import academic_year

    make_audit(school, stages=3, period=academic_year())
    page = browser_page
    login(page, live_server, leader.username)
    page.goto(f"{live_server.url}/schools/{school.pk}/audits/new/")

    expect(
        page.get_by_role("link", name=re.compile(r"^Read the \d{4}.\d{2} report$"))
    ).to_be_visible()
    _check_page(page, "start, the year submitted")  # its link once failed colour contrast
