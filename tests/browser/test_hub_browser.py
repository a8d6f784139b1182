"""A hub coordinator in the browser: from the home page to the hub's heatmap, summary and
pairings, then the CSV download. Driven by visible labels and roles."""

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, serious_violations
from tests.factories import HubMembershipFactory, SchoolFactory, make_audit


def test_coordinator_opens_hub_sees_heatmap_and_downloads_csv(
    browser_page, live_server, coordinator, hub, school
):
    make_audit(school, stages=[1, 4, 4, 4, 4, 4, 4, 4, 4])
    helper = SchoolFactory(name="Heston Community School")
    HubMembershipFactory(hub=hub, school=helper)
    make_audit(helper, stages=4)
    HubMembershipFactory(hub=hub, school=SchoolFactory(name="Newcomer Primary"))

    page = login(browser_page, live_server, coordinator.username)
    page.get_by_role("link", name="London West", exact=True).click()

    page.get_by_role("heading", name="London West", level=1).wait_for()
    heatmap = page.locator("table.heatmap")
    assert heatmap.get_by_role("caption").inner_text().startswith("Each current member school")
    school_row = heatmap.get_by_role("row", name="Lampton School")
    assert school_row.get_by_role("cell", name="Isolation").count() == 2  # category 1, overall
    expect(school_row.get_by_role("link", name="2025/26")).to_be_visible()
    newcomer = heatmap.get_by_role("row", name="Newcomer Primary")
    assert "No submitted audit" in newcomer.inner_text()
    assert heatmap.get_by_role("row", name="Heston Community School").get_by_text("Virtuous")

    expect(page.get_by_role("heading", name="Summary")).to_be_visible()
    expect(page.get_by_role("img", name="Schools at each stage, by category")).to_be_visible()
    summary = page.get_by_role("table", name="Number of schools at each stage, by category")
    assert summary.get_by_role("row", name="1. Teaching and learning × Relevant research")

    pairings = page.get_by_role("table", name="1. Teaching and learning × Relevant research")
    assert "Heston Community School Integration · same phase" in pairings.inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download heatmap (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("london-west-heatmap-")
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as exported:
        rows = list(csv.reader(io.StringIO(exported.read())))
    assert rows[0][:5] == ["School", "URN", "Role", "Phase", "Period"]
    assert [row[0] for row in rows[1:]] == [
        "Heston Community School",
        "Lampton School",
        "Newcomer Primary",
    ]

    assert serious_violations(page) == []


def test_coordinator_sorts_and_filters_by_visible_controls(
    browser_page, live_server, coordinator, hub, school
):
    make_audit(school, stages=2)
    for name, stage, phase in [
        ("Acton Primary", 4, "Primary"),
        ("Brent Secondary", 1, "Secondary"),
    ]:
        member = SchoolFactory(name=name, phase=phase)
        HubMembershipFactory(hub=hub, school=member)
        make_audit(member, stages=stage)

    page = login(browser_page, live_server, coordinator.username)
    page.goto(f"{live_server.url}/hubs/{hub.slug}/")
    page.get_by_label("Sort by").select_option(label="Overall stage")
    page.get_by_label("Order").select_option(label="Descending")
    page.get_by_role("button", name="Apply").click()

    heatmap = page.locator("table.heatmap")
    names = heatmap.locator("tbody th a").all_inner_texts()
    assert names == ["Acton Primary", "Lampton School", "Brent Secondary"]

    page.get_by_label("Phase").select_option(label="Primary")
    page.get_by_role("button", name="Apply").click()
    assert heatmap.locator("tbody th a").all_inner_texts() == ["Acton Primary"]


def test_member_leader_sees_only_the_summary(browser_page, live_server, leader, hub, school):
    make_audit(school, stages=3)
    secret = SchoolFactory(name="Secret Member Academy")
    HubMembershipFactory(hub=hub, school=secret)
    make_audit(secret, stages=4)

    page = login(browser_page, live_server, leader.username)
    page.get_by_role("link", name="London West — summary").click()

    page.get_by_role("heading", name="London West — summary").wait_for()
    assert page.get_by_role("table", name="Number of schools at each stage, by category")
    assert "Secret Member" not in page.content()
    assert serious_violations(page) == []


# -- the heatmap fits: a 500-school hub at 1280 px and at 390 px ----------------------------

COLUMNS_IN_VIEW = """() => {
    const view = document.documentElement.clientWidth;
    const wrap = document.querySelector('.heatmap-wrap');
    const headings = [...document.querySelectorAll('.heatmap .category-head')];
    return {
        pageScrolls: document.documentElement.scrollWidth > view,
        tableScrolls: wrap.scrollWidth > wrap.clientWidth,
        headingsInView: headings.filter(h => {
            const r = h.getBoundingClientRect();
            return r.left >= 0 && r.right <= view && r.width > 0;
        }).length,
        overallInView: (() => {
            const cell = document.querySelector('.heatmap thead .virtuous-col');
            const r = cell.getBoundingClientRect();
            return r.right <= view && r.width > 0;
        })(),
    };
}"""

FIRST_CARD_IN_VIEW = """() => {
    const view = document.documentElement.clientWidth;
    const card = document.querySelector('.heatmap tbody tr:not(:has(.no-audit))');
    const cells = [...card.querySelectorAll('td')];
    const inView = cells.filter(c => {
        const r = c.getBoundingClientRect();
        return r.left >= 0 && r.right <= view && r.width > 0;
    });
    const stages = [...card.querySelectorAll('td.stage-cell:not(.overall-col)')];
    const tops = new Set(stages.map(c => Math.round(c.getBoundingClientRect().top)));
    return {
        pageScrolls: document.documentElement.scrollWidth > view,
        cells: cells.length, inView: inView.length, gridRows: tops.size,
        categories: stages.length,
    };
}"""


@pytest.fixture
def big_hub(coordinator):
    from bench.bench_hub import build_hub

    hub = build_hub("bench-500", 500)
    hub.coordinators.add(coordinator)
    return hub


def test_the_heatmap_of_500_schools_fits_1280_px_and_a_phone(
    browser_page, live_server, coordinator, big_hub
):
    page = login(browser_page, live_server, coordinator.username)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/hubs/{big_hub.slug}/")

    wide = page.evaluate(COLUMNS_IN_VIEW)
    assert wide == {
        "pageScrolls": False,
        "tableScrolls": False,
        "headingsInView": 9,
        "overallInView": True,
    }
    heading = page.get_by_role("columnheader", name="1 Teaching and learning × Relevant research")
    expect(heading).to_be_visible()
    key = page.get_by_role("table", name="Key: the categories are numbered")
    assert key.get_by_role("row", name="Leadership").inner_text().split() == [
        "Leadership",
        "4",
        "5",
        "6",
    ]
    assert serious_violations(page) == []

    page.set_viewport_size({"width": 390, "height": 844})
    narrow = page.evaluate(FIRST_CARD_IN_VIEW)
    assert narrow["pageScrolls"] is False
    assert narrow["inView"] == narrow["cells"] and narrow["categories"] == 9
    assert narrow["gridRows"] == 3  # the nine categories as a 3×3 grid
    assert serious_violations(page) == []
