"""Layout in headless Chromium: on a 390 px phone no page scrolls sideways and every menu
item, "Log out" included, can be reached; at 1280 px the heatmap's "Overall stage" is in
view without scrolling sideways. Each page is scanned with axe-core at the phone width too.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, serious_violations
from tests.factories import HubMembershipFactory, SchoolFactory, UserFactory, make_audit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
PERIODS = ["2023/24", "2024/25", "2025/26"]

# Where the page itself is wider than the window, and the widest element that makes it so.
SIDEWAYS = """() => {
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
    .filter(el => !el.parentElement.closest('.table-responsive, .heatmap-wrap, figcaption'))
    .map(el => `${el.tagName.toLowerCase()}.${el.getAttribute('class') || ''}`);
  return {scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth, wide: wide.slice(0, 5)};
}"""


def assert_no_sideways_scroll(page):
    layout = page.evaluate(SIDEWAYS)
    assert layout["scrollWidth"] <= layout["innerWidth"], (page.url, layout)


def assert_in_view(page, locator):
    """The element lies inside the window's width and nothing covers its centre."""
    box = locator.bounding_box()
    assert box is not None
    width = page.evaluate("window.innerWidth")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (box, width)
    assert locator.evaluate(
        """el => { const b = el.getBoundingClientRect();
                   const hit = document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);
                   return el.contains(hit); }"""
    )


# Every chart on the page: hidden (it gave way to its table), or its smallest text as
# rendered, in CSS pixels.
CHART_TEXT = """() => [...document.querySelectorAll('svg[role=img]')].map(svg => {
  const shown = svg.getClientRects().length > 0;
  const sizes = [...svg.querySelectorAll('text')].map(t =>
    parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
  return {name: svg.getAttribute('aria-labelledby') || svg.id, shown,
          smallest: sizes.length ? Math.min(...sizes) : null};
})"""


def assert_charts_legible_or_replaced(page):
    """Each chart is legible (text of 12 px or more) or gives way to its table."""
    for chart in page.evaluate(CHART_TEXT):
        if chart["shown"] and chart["smallest"] is not None:
            assert chart["smallest"] >= 12, (page.url, chart)
    tables = page.locator("main table")
    if page.evaluate(CHART_TEXT):
        expect(tables.first).to_be_visible()


def assert_menu_reachable(page):
    for name in ["Home", "Change password"]:
        assert_in_view(page, page.get_by_role("link", name=name, exact=True).first)
    log_out = page.get_by_role("button", name="Log out")
    expect(log_out).to_be_visible()
    assert_in_view(page, log_out)
    log_out.click(trial=True)  # actionable: visible, enabled, stable, not covered


@pytest.fixture
def journey(school, hub):
    """Four years of Lampton's audits (the journey chart and table are at their widest) and
    two more members of the hub."""
    audits = [
        make_audit(school, stages=[1 + (i + n) % 4 for n in range(9)], period=period)
        for i, period in enumerate(PERIODS)
    ]
    for name, stage in [("Brentside Community College", 4), ("Cranford Green Primary", 2)]:
        member = SchoolFactory(name=name)
        HubMembershipFactory(hub=hub, school=member)
        make_audit(member, stages=stage)
    HubMembershipFactory(hub=hub, school=SchoolFactory(name="Newcomer Primary"))
    return audits


def test_a_leaders_pages_fit_a_phone(browser_page, live_server, school, journey):
    leader = UserFactory(username="sue.john.lampton-school-leader")
    school.leaders.add(leader)
    page = browser_page
    page.set_viewport_size(PHONE)
    login(page, live_server, leader.username)

    draft = make_audit(school, stages=[2] * 4 + [None] * 5, period="2026/27", submitted=False)
    pages = [
        "/",
        f"/audits/{journey[-1].pk}/",
        f"/schools/{school.pk}/",
        f"/audits/{draft.pk}/edit/",
        f"/audits/{draft.pk}/categories/1/",
        f"/audits/{draft.pk}/reflections/",
        f"/audits/{draft.pk}/check/",
        "/help/",
    ]
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        assert_no_sideways_scroll(page)
        assert_menu_reachable(page)
        assert_charts_legible_or_replaced(page)
        assert serious_violations(page) == [], path

    # Seven years: the table scrolls in its figure, not the page.
    for period in ["2018/19", "2019/20", "2020/21", "2021/22"]:
        make_audit(school, stages=2, period=period)
    page.goto(f"{live_server.url}/schools/{school.pk}/")
    assert_no_sideways_scroll(page)
    assert_charts_legible_or_replaced(page)
    table = page.get_by_role("table", name="Stage of each category in each submitted audit")
    expect(table).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


def test_a_coordinators_pages_fit_a_phone(browser_page, live_server, hub, journey):
    coordinator = UserFactory(username="esther.arnott.hub-coordinator")
    hub.coordinators.add(coordinator)
    page = browser_page
    page.set_viewport_size(PHONE)
    login(page, live_server, coordinator.username)

    card = page.get_by_role("article", name="London West")
    expect(card.get_by_role("link", name="Open the hub page of London West")).to_be_visible()
    assert_no_sideways_scroll(page)
    assert_menu_reachable(page)

    card.get_by_role("link", name="Open the hub page of London West").click()
    page.get_by_role("heading", name="London West", level=1).wait_for()
    paths = [
        f"/hubs/{hub.slug}/",
        f"/hubs/{hub.slug}/summary/",
        f"/hubs/{hub.slug}/members/",  # its links' hidden words once widened it to 620 px
        f"/hubs/{hub.slug}/follow-up/",
        f"/hubs/{hub.slug}/partnerships/",
        f"/hubs/{hub.slug}/sharing/",
    ]
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        assert_no_sideways_scroll(page)
        assert_menu_reachable(page)
        assert_charts_legible_or_replaced(page)
        assert serious_violations(page) == [], path

    # French names are longer: the heatmap's key once widened the hub page to 397 px.
    page.context.add_cookies(
        [{"name": "django_language", "value": "fr-ca", "url": live_server.url}]
    )
    for path in [f"/hubs/{hub.slug}/", f"/hubs/{hub.slug}/members/"]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("html")).to_have_attribute("lang", "fr-ca")
        assert_no_sideways_scroll(page)
    page.context.clear_cookies(name="django_language")
    page.goto(f"{live_server.url}/hubs/{hub.slug}/")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


def test_the_charts_are_legible_on_a_laptop(browser_page, live_server, school, hub, journey):
    leader = UserFactory(username="laptop-leader")
    school.leaders.add(leader)
    hub.coordinators.add(leader)
    page = browser_page
    page.set_viewport_size(LAPTOP)
    login(page, live_server, leader.username)
    for path in [f"/audits/{journey[-1].pk}/", f"/schools/{school.pk}/", f"/hubs/{hub.slug}/"]:
        page.goto(f"{live_server.url}{path}")
        charts = page.evaluate(CHART_TEXT)
        assert charts and all(chart["shown"] for chart in charts), (path, charts)
        assert_charts_legible_or_replaced(page)


def test_menu_items_sit_on_one_line_on_a_laptop(browser_page, live_server, coordinator):
    page = browser_page
    page.set_viewport_size(LAPTOP)
    login(page, live_server, coordinator.username)

    items = page.locator(".site-nav .nav-link, .site-nav .navbar-text")
    # The middle of each item's text, not of its box: "Signed in as" once sat higher.
    middles = items.evaluate_all(
        """els => els.map(el => { const r = document.createRange(); r.selectNodeContents(el);
                                   const b = r.getBoundingClientRect();
                                   return b.top + b.height / 2; })"""
    )
    # home, how it works, signed in as, my settings, change password, log out, the language
    assert len(middles) == 7
    assert max(middles) - min(middles) <= 1, middles


def test_overall_stage_and_virtuous_are_in_view_on_a_laptop(
    browser_page, live_server, coordinator, hub, journey
):
    page = browser_page
    page.set_viewport_size(LAPTOP)
    login(page, live_server, coordinator.username)
    page.goto(f"{live_server.url}/hubs/{hub.slug}/")

    heatmap = page.get_by_role(
        "table", name=re.compile("^Each current member school's latest submitted audit")
    )
    overall = heatmap.get_by_role("columnheader", name="Overall stage")
    virtuous = heatmap.get_by_role("columnheader", name="Virtuous")
    # Scroll the page down to the heatmap, never sideways.
    page.evaluate("y => window.scrollTo(0, y)", overall.bounding_box()["y"] - 100)
    assert page.evaluate("window.scrollX") == 0
    assert page.locator(".heatmap-wrap").evaluate("el => el.scrollLeft") == 0
    assert_no_sideways_scroll(page)
    assert_in_view(page, overall)
    assert_in_view(page, virtuous)
    brentside = heatmap.get_by_role("row", name="Brentside Community College")
    assert_in_view(page, brentside.get_by_role("cell", name="Virtuous"))

    # At 1280 px the table fits: nothing to scroll sideways, every category in view.
    assert page.locator(".heatmap-wrap").evaluate("el => el.scrollWidth <= el.clientWidth")
    for number in range(1, 10):
        assert_in_view(page, heatmap.get_by_role("columnheader", name=re.compile(f"^{number} ")))
    assert_in_view(page, brentside.get_by_role("rowheader"))
    assert serious_violations(page) == []
