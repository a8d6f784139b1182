"""Who can help whom on the hub page, in the browser: sections by category, filtered by
school and by category through the form's visible labels, by the keyboard alone, on a
1280 px screen and a 390 px phone, with no serious axe violation. Needs the view and
page diff of views/hub.py and _hub_page.html (the partial included, the filters read)."""

import pytest
from django.urls import reverse

from audits.instrument import CATEGORIES
from tests.browser.conftest import focused, login, serious_violations, tab_to
from tests.factories import HubMembershipFactory, SchoolFactory, make_audit


def only_in(stage_at: dict[int, int], default=3) -> list[int]:
    return [stage_at.get(c.number, default) for c in CATEGORIES]


@pytest.fixture
def pairings_hub(hub, school):
    """Lampton needs help in 1 and 5, seven learners in 2 (more than a section lists),
    Heston and Oakwood can help."""
    make_audit(school, stages=only_in({1: 1, 5: 2}))
    for name, stages, phase in [
        ("Heston Community School", 4, "Secondary"),
        ("Oakwood Primary", 4, "Primary"),
        *((f"Learner {i}", only_in({2: 1}), "Primary") for i in range(7)),
    ]:
        member = SchoolFactory(name=name, phase=phase)
        HubMembershipFactory(hub=hub, school=member)
        make_audit(member, stages=stages)
    return hub


def open_hub(page, live_server, coordinator, hub, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, coordinator.username)
    page.goto(live_server.url + reverse("audits:hub_detail", args=[hub.slug]))
    return page.get_by_role("region", name="Who can help whom")


def section_names(pairings) -> list[str]:
    return pairings.get_by_role("heading", level=3).all_inner_texts()


@pytest.mark.parametrize("width", [1280, 390])
def test_coordinator_filters_pairings_by_category_and_school(
    browser_page, live_server, coordinator, pairings_hub, school, width
):
    pairings = open_hub(browser_page, live_server, coordinator, pairings_hub, width)
    page = browser_page

    assert section_names(pairings) == [
        "1. Teaching and learning × Relevant research",
        "2. Teaching and learning × Best practice",
        "5. Leadership × Best practice",
    ]
    second = pairings.get_by_role("table", name="2. Teaching and learning × Best practice")
    assert second.get_by_role("row").count() == 1 + 5  # its heading row and five schools
    assert "And 2 more schools" in pairings.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_violations(page) == []

    pairings.get_by_label("Category").select_option(label="5. Leadership × Best practice")
    pairings.get_by_role("button", name="Show suggestions").click()
    page.wait_for_url("**category=5**")
    pairings = page.get_by_role("region", name="Who can help whom")
    assert section_names(pairings) == ["5. Leadership × Best practice"]
    row = pairings.get_by_role("row", name="Lampton School")
    assert "Initiation" in row.inner_text()
    assert "Heston Community School Integration · same phase" in row.inner_text()
    assert "Oakwood Primary Integration Propose support" in row.inner_text()

    pairings.get_by_label("Category").select_option(label="All categories")
    pairings.get_by_label("School that needs help").select_option(label="Lampton School")
    pairings.get_by_role("button", name="Show suggestions").click()
    page.wait_for_url(f"**school={school.pk}**")
    pairings = page.get_by_role("region", name="Who can help whom")
    assert section_names(pairings) == [
        "1. Teaching and learning × Relevant research",
        "5. Leadership × Best practice",
    ]
    assert pairings.get_by_role("rowheader").all_inner_texts() == ["Lampton School"] * 2
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_violations(page) == []

    pairings.get_by_role("link", name="Show every category and school").click()
    pairings = page.get_by_role("region", name="Who can help whom")
    assert len(section_names(pairings)) == 3


def test_pairings_work_by_the_keyboard_alone(
    browser_page, live_server, coordinator, pairings_hub, school
):
    open_hub(browser_page, live_server, coordinator, pairings_hub, 1280)
    page = browser_page

    tab_to(page, lambda p: focused(p, "el.id") == "pairings-category")
    page.keyboard.press("Home")  # "All categories": the arrows then choose, as in any list
    for _ in range(2):
        page.keyboard.press("ArrowDown")
    assert focused(page, "el.value") == "2"
    tab_to(page, lambda p: focused(p, "el.textContent.trim()") == "Show suggestions")
    page.keyboard.press("Enter")
    page.wait_for_url("**category=2**")
    pairings = page.get_by_role("region", name="Who can help whom")
    assert section_names(pairings) == ["2. Teaching and learning × Best practice"]
    assert pairings.get_by_role("row").count() == 1 + 7  # all seven, one category alone

    name = "Propose support: Oakwood Primary to help Learner 0 in category 2"
    tab_to(page, lambda p: focused(p, "el.textContent.trim()") == name)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Propose support", level=1).wait_for()
