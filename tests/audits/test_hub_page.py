"""The hub page for coordinators: heatmap, sort, filters, "as of", summary, over time,
pairings; its constant query count; and the summary for member leaders."""

import datetime
import random

import pytest
from django.urls import reverse
from django.utils import translation

from audits import hub_cache, rules
from audits.instrument import CATEGORIES
from audits.selectors import hub_summary, member_rows
from audits.selectors import pairings as pairing_selectors
from audits.selectors.member_rows import HubFilters
from communities.models import Hub
from tests.audits.test_hub_actions import add_action
from tests.factories import HubMembershipFactory, PartnershipFactory, SchoolFactory, make_audit


def hub_url(hub, query=""):
    return reverse("audits:hub_detail", args=[hub.slug]) + (f"?{query}" if query else "")


def get_page(client_for, user, hub, query=""):
    response = client_for(user).get(hub_url(hub, query))
    assert response.status_code == 200
    return response.content.decode()


def add_member(hub, name, *, stages=None, phase="Secondary", role="member", period="2025/26"):
    school = SchoolFactory(name=name, phase=phase)
    HubMembershipFactory(hub=hub, school=school, role=role)
    if stages is not None:
        make_audit(school, stages=stages, period=period)
    return school


def heatmap_body(response) -> str:
    heatmap = response.content.decode().split('class="table table-sm table-bordered heatmap">')[1]
    return heatmap.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def row_names(content):
    """The school names of the heatmap's rows, in order (the 3×3 key above it has rows too)."""
    heatmap = content.split('<table class="table table-sm table-bordered heatmap">', 1)[1]
    body = heatmap.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [part.split("</a>", 1)[0].rsplit(">", 1)[1] for part in body.split('scope="row"')[1:]]


def test_the_section_links_follow_the_order_of_the_sections(client_for, coordinator, hub):
    import re

    page = get_page(client_for, coordinator, hub)
    nav, rest = page.split('<nav aria-label="On this page"', 1)[1].split("</nav>", 1)
    linked = re.findall(r'href="#([a-z-]+-heading)"', nav)
    headings = [
        found for found in re.findall(r'<h2 id="([a-z-]+-heading)"', rest) if found in linked
    ]
    assert len(linked) == 8 and linked == headings


# -- the heatmap -------------------------------------------------------------------------


def test_heatmap_writes_and_colours_each_category(client_for, coordinator, hub, school):
    audit = make_audit(school, stages=[1, 2, 3, 4, 4, 4, 4, 4, None])

    content = get_page(client_for, coordinator, hub)

    assert '<td class="stage-cell stage-1">Isolation</td>' in content
    assert '<td class="stage-cell stage-2">Initiation</td>' in content
    assert '<td class="stage-cell stage-none">Not rated</td>' in content
    assert (
        '<td class="stage-cell overall-col stage-none" data-label="Overall">Incomplete</td>'
        in content
    )
    assert f'<a href="{reverse("audits:audit_report", args=[audit.pk])}">2025/26</a>' in content
    assert f'href="{reverse("audits:school_journey", args=[school.pk])}">Lampton School' in content


def test_heatmap_shows_overall_stage_and_virtuous(client_for, coordinator, hub, school):
    make_audit(school, stages=4)
    add_member(hub, "Halfway School", stages=[3, 4, 4, 4, 4, 4, 4, 4, 4])

    content = get_page(client_for, coordinator, hub)

    assert content.count('<span class="badge virtuous-badge">Virtuous</span></td>') == 1
    overall = '<td class="stage-cell overall-col stage-3" data-label="Overall">Engagement</td>'
    assert f'{overall}<td class="virtuous-col" data-label="Virtuous">No</td>' in content
    assert "<strong>1 Virtuous</strong>" in content


def test_members_without_a_submitted_audit_are_listed_as_such(client_for, coordinator, hub, school):
    make_audit(school, stages=1, submitted=False)

    content = get_page(client_for, coordinator, hub)

    assert "Lampton School" in content
    assert "No submitted audit" in content
    assert "Isolation</td>" not in content


def test_former_and_future_members_are_not_rows(client_for, coordinator, hub):
    gone = add_member(hub, "Gone School", stages=4)
    gone.memberships.update(left_on=datetime.date(2021, 1, 1))
    later = add_member(hub, "Later School", stages=4)
    later.memberships.update(joined_on=datetime.date(2999, 1, 1))

    content = get_page(client_for, coordinator, hub)

    assert "Gone School" not in content
    assert "Later School" not in content


def test_latest_submitted_audit_is_shown_and_as_of_goes_back(client_for, coordinator, hub, school):
    make_audit(school, stages=1, period="2023/24")
    make_audit(school, stages=3, period="2024/25")
    make_audit(school, stages=4, period="2025/26", submitted=False)

    latest = get_page(client_for, coordinator, hub)
    back = get_page(client_for, coordinator, hub, "as_of=2023/24")

    assert ">2024/25</a>" in latest and "Engagement</td>" in latest
    assert ">2023/24</a>" in back and "Isolation</td>" in back and "Engagement</td>" not in back
    assert "at or before 2023/24" in back


def test_sort_by_name_overall_and_category(client_for, coordinator, hub, school):
    make_audit(school, stages=[2, 4, 4, 4, 4, 4, 4, 4, 4])
    add_member(hub, "Abbey School", stages=[4, 1, 4, 4, 4, 4, 4, 4, 4])
    add_member(hub, "Zed School", stages=[3, 3, 3, 3, 3, 3, 3, 3, 3])
    add_member(hub, "Empty School")

    assert row_names(get_page(client_for, coordinator, hub)) == [
        "Abbey School",
        "Empty School",
        "Lampton School",
        "Zed School",
    ]
    by_name_desc = row_names(get_page(client_for, coordinator, hub, "sort=name&dir=desc"))
    assert by_name_desc[0] == "Zed School"
    assert row_names(get_page(client_for, coordinator, hub, "sort=overall")) == [
        "Abbey School",
        "Lampton School",
        "Zed School",
        "Empty School",
    ]
    assert row_names(get_page(client_for, coordinator, hub, "sort=teaching_research")) == [
        "Lampton School",
        "Zed School",
        "Abbey School",
        "Empty School",
    ]
    desc = row_names(get_page(client_for, coordinator, hub, "sort=teaching_research&dir=desc"))
    assert desc == ["Abbey School", "Zed School", "Lampton School", "Empty School"]


def test_column_headers_link_to_their_sort(client_for, coordinator, hub):
    content = get_page(client_for, coordinator, hub, "sort=leadership_practice&phase=Secondary")

    assert 'aria-sort="ascending"' in content
    assert 'href="?sort=leadership_practice&amp;dir=desc&amp;phase=Secondary"' in content


def test_filter_by_phase_and_role(client_for, coordinator, hub, school):
    add_member(hub, "Little Primary", phase="Primary", stages=2)
    add_member(hub, "Big Secondary", stages=2)

    primary = row_names(get_page(client_for, coordinator, hub, "phase=Primary"))
    leads = row_names(get_page(client_for, coordinator, hub, "role=lead"))
    members = row_names(get_page(client_for, coordinator, hub, "role=member&phase=Secondary"))

    assert primary == ["Little Primary"]
    assert leads == ["Lampton School"]
    assert members == ["Big Secondary"]


@pytest.mark.parametrize(
    "query",
    [
        "sort=nope",
        "sort=%27%3B+DROP+TABLE",
        "dir=sideways",
        "as_of=junk",
        "as_of=2025-26",
        "as_of=" + "9" * 5000,
        "phase=" + "x" * 10000,
        "phase=Unknown",
        "role=boss",
        "sort=name&sort=overall",
        # A NUL anywhere is answered 400 by the middleware: tests/test_nul_characters.py.
        "evidence=maybe",
    ],
)
def test_bad_query_parameters_are_ignored(client_for, coordinator, hub, school, query):
    make_audit(school, stages=2)

    for name in ["audits:hub_detail", "audits:hub_export_csv", "audits:hub_summary"]:
        response = client_for(coordinator).get(reverse(name, args=[hub.slug]) + "?" + query)
        assert response.status_code == 200, name
    assert row_names(get_page(client_for, coordinator, hub, query)) == ["Lampton School"]


def test_names_are_escaped(client_for, coordinator, hub):
    add_member(hub, "<script>alert(1)</script> & Co", stages=1, phase="<b>Primary</b>")

    content = get_page(client_for, coordinator, hub)

    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in content
    assert "<b>Primary" not in content


# -- summary, hub audit, over time ---------------------------------------------------------


def test_summary_counts_schools_at_each_stage_per_category(hub, school):
    make_audit(school, stages=[1, 1, 1, 1, 1, 1, 1, 1, 4])
    add_member(hub, "Two", stages=[1, 2, 3, 4, 4, 4, 4, 4, 4])
    add_member(hub, "Three")

    rows = member_rows.heatmap_rows(member_rows.current_member_rows(hub), HubFilters())
    counts = hub_summary.stage_counts_by_category(rows)

    first, last = counts[1], counts[9]
    assert (first[rules.Stage.ISOLATION], first[None]) == (2, 1)
    assert (last[rules.Stage.INTEGRATION], last[None]) == (2, 1)


def test_summary_table_and_chart_are_on_the_page(client_for, coordinator, hub, school):
    make_audit(school, stages=[1, 1, 1, 1, 1, 1, 1, 1, 4])

    content = get_page(client_for, coordinator, hub)

    assert "<caption>Number of schools at each stage, by category</caption>" in content
    assert '<svg class="stacked-chart"' in content
    assert '<title id="category-chart-title">' in content
    assert '<desc id="category-chart-desc">' in content
    assert 'class="seg-1"' in content and 'class="seg-4"' in content


def test_hub_own_audit_is_shown_with_a_link(client_for, coordinator, hub, school):
    audit = make_audit(hub=hub, stages=[3, 4, 4, 4, 4, 4, 4, 4, 4], period="2024/25")

    content = get_page(client_for, coordinator, hub)

    assert "The hub's own audit for 2024/25" in content
    assert "8 of 9 categories at Integration" in content
    assert reverse("audits:audit_report", args=[audit.pk]) in content


def test_hub_without_its_own_audit_says_so(client_for, coordinator, hub):
    make_audit(hub=hub, stages=4, submitted=False)

    content = get_page(client_for, coordinator, hub)

    assert "has not submitted an audit of itself" in content


def test_over_time_shows_distribution_per_period(client_for, coordinator, hub, school):
    make_audit(school, stages=1, period="2023/24")
    make_audit(school, stages=4, period="2024/25")
    add_member(hub, "Other", stages=[2, 2, 2, 2, 2, 2, 2, 2, None], period="2024/25")

    history = hub_summary.stage_distribution_by_period(
        [r.school_id for r in member_rows.current_member_rows(hub)]
    )

    assert [(d.period, d.audits, d.virtuous) for d in history] == [
        ("2023/24", 1, 0),
        ("2024/25", 2, 1),
    ]
    assert history[0].by_overall == {rules.Stage.ISOLATION: 1}
    assert history[1].by_overall == {rules.Stage.INTEGRATION: 1, None: 1}
    content = get_page(client_for, coordinator, hub)
    assert '<th scope="row">2023/24</th>' in content


def test_overall_stage_in_the_database_equals_the_rule(hub):
    rng = random.Random(4)
    expected = {}
    for index in range(40):
        stages = [rng.choice([1, 2, 3, 4, 4, 4, None]) for _ in CATEGORIES]
        if index % 5 == 0:
            stages = [4] * 9
        period = f"20{10 + index}/{11 + index}"
        add_member(hub, f"S{index}", stages=stages, period=period)
        values = {c.number: v for c, v in zip(CATEGORIES, stages, strict=True)}
        expected[period] = (rules.overall_stage(values), rules.is_virtuous(values))
    add_member(hub, "No ratings", stages=None)

    ids = [r.school_id for r in member_rows.current_member_rows(hub)]
    for distribution in hub_summary.stage_distribution_by_period(ids):
        overall, virtuous = expected[distribution.period]
        assert distribution.by_overall == {overall: 1}
        assert distribution.virtuous == int(virtuous)


# -- pairings ------------------------------------------------------------------------------


def test_pairings_are_shown_by_category_with_their_helpers(client_for, coordinator, hub, school):
    make_audit(school, stages=[4, 4, 4, 4, 1, 4, 4, 4, 4])
    helper = add_member(hub, "Helpful Academy", stages=[3, 3, 3, 3, 4, 3, 3, 3, 3])

    content = get_page(client_for, coordinator, hub)

    assert "Who can help whom" in content
    assert '<h3 id="pairings-category-5">5. Leadership × Best practice</h3>' in content
    assert (
        'Helpful Academy</a> <span class="stage-tag stage-4">Integration</span>'
        ' <span class="same-phase">· same phase</span>'
    ) in content
    assert reverse("audits:school_journey", args=[helper.pk]) in content


def test_pairings_on_the_page_are_capped_with_a_link_to_all(client_for, coordinator, hub, school):
    make_audit(school, stages=4)
    for index in range(35):
        add_member(hub, f"Learner {index:02d}", stages=1)

    pairings = get_page(client_for, coordinator, hub).split('id="pairings-heading"', 1)[1]

    assert pairings.count("And 30 more schools:") == 9
    assert "Learner 04</a></th>" in pairings
    assert "Learner 05</a></th>" not in pairings
    assert reverse("audits:hub_export_pairings_csv", args=[hub.slug]) in pairings


def test_report_pairings_for_coordinator_only(coordinator, leader, other_coordinator, hub, school):
    audit = make_audit(school, stages=[1, 4, 4, 4, 4, 4, 4, 4, 4])
    add_member(hub, "Helper", stages=4)
    add_member(hub, "Weak", stages=1)

    pairings = pairing_selectors.pairing_suggestions_for_report(coordinator, audit)

    assert [(p.helper.name, p.category.number) for p in pairings] == [("Helper", 1)]
    assert pairings[0].learner.key == school.pk
    assert pairing_selectors.pairing_suggestions_for_report(leader, audit) == []
    assert pairing_selectors.pairing_suggestions_for_report(other_coordinator, audit) == []


def test_report_pairings_partial_renders(coordinator, hub, school):
    from django.template.loader import render_to_string

    audit = make_audit(school, stages=[1, 4, 4, 4, 4, 4, 4, 4, 4])
    add_member(hub, "Helper <b>", stages=4)
    pairings = pairing_selectors.pairing_suggestions_for_report(coordinator, audit)

    html = render_to_string("audits/_report_pairings.html", {"pairings": pairings})

    assert "Who can help" in html
    assert "Helper &lt;b&gt;" in html
    assert "Integration in Teaching and learning × Relevant research" in html
    assert render_to_string("audits/_report_pairings.html", {"pairings": []}).strip() == ""


def test_report_pairings_query_count(django_assert_num_queries, coordinator, hub, school):
    audit = make_audit(school, stages=1)
    for index in range(20):
        add_member(hub, f"M{index}", stages=4)
    # as the report reads it: school and ratings already loaded
    audit = type(audit).objects.select_related("school").with_ratings().get(pk=audit.pk)

    with django_assert_num_queries(2):
        pairing_selectors.pairing_suggestions_for_report(coordinator, audit)


# -- home page partial ---------------------------------------------------------------------


def test_home_partial_lists_coordinated_and_member_hubs(hub, other_hub, leader):
    from django.template.loader import render_to_string

    html = render_to_string(
        "audits/_home_hubs.html",
        {"hubs": [hub], "member_hubs": list(Hub.objects.of_schools_led_by(leader))},
    )

    assert f'href="{hub_url(hub)}">London West</a>' in html
    summary = reverse("audits:hub_summary", args=[hub.slug])
    assert f'href="{summary}">London West — summary</a>' in html
    assert "Oracy" not in html


def test_home_partial_makes_each_coordinated_hub_a_card_with_a_button(hub):
    from django.template.loader import render_to_string

    html = render_to_string("audits/_home_hubs.html", {"hubs": [hub], "member_hubs": []})
    html = " ".join(html.split())

    assert '<article class="card h-100 hub-card" aria-labelledby="coordinated-hub-' in html
    assert f'<a class="btn btn-primary" href="{hub_url(hub)}">Open the hub page' in html
    assert '<span class="visually-hidden"> of London West</span>' in html


# -- methods -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["audits:hub_detail", "audits:hub_summary", "audits:hub_export_csv"]
)
def test_head_is_answered_like_get_and_post_is_refused(client_for, coordinator, hub, school, name):
    make_audit(school, stages=2)
    url = reverse(name, args=[hub.slug])
    client = client_for(coordinator)

    head = client.head(url)
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == client.get(url)["Content-Type"]
    assert client.post(url).status_code == 405


# -- query counts --------------------------------------------------------------------------


def build_hub(hub, size):
    rng = random.Random(size)
    for index in range(size):
        school = add_member(hub, f"Member {index:03d}", phase=rng.choice(["Primary", "Secondary"]))
        for period in ["2023/24", "2024/25", "2025/26"][: 1 + index % 3]:
            make_audit(school, stages=[rng.randint(1, 4) for _ in CATEGORIES], period=period)
    make_audit(hub=hub, stages=3, period="2023/24")


# session, user, hub, members, latest audits with ratings, over time, hub audit with ratings
SUMMARY_QUERIES = 7
# the same, the data version the page's cache key is built from and the hub fingerprint
# it moved (histories, the actions' owners); the hub's open support, and its partnership
# map (partners, cells) and which audits a peer validated; the members' improvement
# actions (counts, open ones)
PAGE_QUERIES = SUMMARY_QUERIES + 3 + 3 + 1 + 2
# session, user, hub, data version: the rest comes from the cache
CACHED_PAGE_QUERIES = 4


@pytest.mark.parametrize("size", [5, 50])
@pytest.mark.parametrize(
    ("name", "query", "queries"),
    [
        ("audits:hub_detail", "", PAGE_QUERIES),
        ("audits:hub_detail", "sort=overall&phase=Primary&as_of=2024/25", PAGE_QUERIES),
        ("audits:hub_summary", "", SUMMARY_QUERIES),
        # session, user, hub, members, latest audits, which a peer validated
        ("audits:hub_export_csv", "", 6),
        ("audits:hub_export_csv", "evidence=on", 8),  # and the files and links counted
        ("audits:hub_export_xlsx", "", 6),
        ("audits:hub_export_pairings_csv", "", 6),
    ],
)
def test_query_count_does_not_grow_with_the_hub(
    client_for, django_assert_num_queries, coordinator, hub, size, name, query, queries
):
    build_hub(hub, size)
    client = client_for(coordinator)
    url = reverse(name, args=[hub.slug]) + "?" + query

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("size", [5, 50])
def test_leader_summary_query_count_does_not_grow(
    client_for, django_assert_num_queries, leader, hub, size
):
    build_hub(hub, size)
    client = client_for(leader)

    # one more than a coordinator's: the hub is found through the leader's school
    with django_assert_num_queries(SUMMARY_QUERIES + 1):
        response = client.get(reverse("audits:hub_summary", args=[hub.slug]))

    assert response.status_code == 200


def test_heatmap_rows_judge_as_the_rules_do(hub):
    rng = random.Random(7)
    for index in range(60):
        stages = [rng.choice([1, 2, 3, 4, 4, 4, 4, None]) for _ in CATEGORIES]
        if index % 4 == 0:
            stages = [4] * 9
        if index % 9 == 0:
            stages[rng.randrange(9)] = None
        add_member(hub, f"S{index:02d}", stages=stages)
    add_member(hub, "Audit without ratings", stages=None)
    make_audit(SchoolFactory(), stages=None)

    rows = member_rows.heatmap_rows(member_rows.current_member_rows(hub), HubFilters())

    assert len(rows) == 62
    for row in rows:
        assert row.overall == rules.overall_stage(row.stages), row.name
        assert row.is_virtuous == rules.is_virtuous(row.stages), row.name
    assert sum(row.is_virtuous for row in rows) == 13


def test_hub_without_current_members_still_renders(client_for, coordinator, hub, school):
    school.memberships.update(left_on=datetime.date(2021, 1, 1))

    content = get_page(client_for, coordinator, hub)
    summary = client_for(coordinator).get(reverse("audits:hub_summary", args=[hub.slug]))

    assert "No current member school matches these filters." in content
    assert summary.status_code == 200


def test_filters_that_match_nobody_render(client_for, coordinator, hub, school):
    make_audit(school, stages=2)

    content = get_page(client_for, coordinator, hub, "role=member")

    assert "No current member school matches these filters." in content


# -- the page's cache: a reload is cheap, and every change shows on the next one ------------


@pytest.fixture
def hub_page(client_for, coordinator, hub):
    client = client_for(coordinator)
    url = reverse("audits:hub_detail", args=[hub.slug])
    return lambda query="": client.get(url + "?" + query)


def test_an_unchanged_hub_page_is_served_from_the_cache(
    hub_page, hub, django_assert_num_queries, only_this_test_moves_the_data_version
):
    build_hub(hub, 5)
    first = hub_page()
    with django_assert_num_queries(CACHED_PAGE_QUERIES):
        again = hub_page()
    # the page around the content differs (the logout form's CSRF token), the content not
    assert again.context["content"] == first.context["content"]
    assert "Heatmap" in again.context["content"]


def test_filters_are_part_of_the_cache_key(hub_page, hub):
    add_member(hub, "Primary One", stages=2, phase="Primary")
    add_member(hub, "Secondary One", stages=3, phase="Secondary")
    assert row_names(hub_page().content.decode()) == [
        "Lampton School",
        "Primary One",
        "Secondary One",
    ]
    assert row_names(hub_page("phase=Primary").content.decode()) == ["Primary One"]


def test_a_submitted_audit_shows_on_the_next_load(hub_page, hub, school):
    hub_page()
    make_audit(school, stages=4, period="2025/26")
    assert '<span class="badge virtuous-badge">Virtuous</span>' in heatmap_body(hub_page())


def test_a_reopened_audit_leaves_the_page_on_the_next_load(hub_page, hub, school, admin_client):
    audit = make_audit(school, stages=3, period="2025/26")
    assert audit.period in hub_page().content.decode()
    admin_client.post(
        reverse("admin:audits_audit_changelist"),
        {
            "action": "reopen",
            "_selected_action": [audit.pk],
            "reason": "Attached to the wrong school.",
        },
    )
    assert hub_page().context["audited_count"] == 0


def test_a_renamed_school_and_an_ended_membership_show_on_the_next_load(hub_page, hub):
    school = add_member(hub, "Old Name", stages=2)
    leaver = add_member(hub, "Leaver", stages=2)
    hub_page()
    school.name = "New Name"
    school.save()
    membership = leaver.memberships.get()
    membership.left_on = datetime.date.today() - datetime.timedelta(days=1)
    membership.save()
    assert row_names(hub_page().content.decode()) == ["Lampton School", "New Name"]


def test_a_renamed_partner_shows_on_the_next_load(hub_page, hub, school):
    partner = PartnershipFactory(school=school, partner__name="Old Charity").partner
    assert "Old Charity" in hub_page().content.decode()
    partner.name = "New Charity"
    partner.save()
    content = hub_page().content.decode()
    assert "New Charity" in content
    assert "Old Charity" not in content


@pytest.mark.django_db(transaction=True)  # a commit moves PostgreSQL's snapshot
def test_a_renamed_action_owner_shows_on_the_next_load(hub_page, hub, school, leader, on_postgres):
    if not on_postgres:
        pytest.skip(
            "PostgreSQL only: users keep no history, and SQLite's data version sees only histories"
        )
    action = add_action(school, leader)
    action.owner, action.owner_name = leader, ""
    action.save()
    leader.first_name, leader.last_name = "Ada", "Lovelace"
    leader.save()
    assert "Ada Lovelace" in hub_page().content.decode()
    leader.first_name = "Augusta"
    leader.save()
    content = hub_page().content.decode()
    assert "Augusta Lovelace" in content
    assert "Ada Lovelace" not in content


def test_a_renamed_hub_shows_at_once(hub_page, hub):
    hub_page()
    hub.name = "London West Partnership"
    hub.save()
    assert "<h1>London West Partnership</h1>" in hub_page().content.decode()


def test_the_cache_can_be_turned_off(hub_page, hub, settings, django_assert_num_queries):
    settings.HUB_PAGE_CACHE_SECONDS = 0
    build_hub(hub, 5)
    hub_page()
    with django_assert_num_queries(PAGE_QUERIES - 3):  # no data version, no fingerprint
        hub_page()


def test_a_change_to_another_hub_leaves_this_hubs_page_cached(
    hub_page,
    hub,
    other_hub,
    other_school,
    django_assert_num_queries,
    only_this_test_moves_the_data_version,
):
    build_hub(hub, 3)
    hub_page()
    make_audit(other_school, stages=4)  # a member of the other hub only
    other_school.name = "Renamed Elsewhere"
    other_school.save()
    # Something changed somewhere: this hub's fingerprint is read again (two queries) and is
    # the same, so the page itself comes from the cache.
    with django_assert_num_queries(CACHED_PAGE_QUERIES + 2):
        hub_page()
    with django_assert_num_queries(CACHED_PAGE_QUERIES):
        hub_page()


def test_only_validated_filter_values_make_cache_keys(hub_page, hub, monkeypatch):
    add_member(hub, "Primary One", stages=2, phase="Primary")
    stored = []
    real_set = hub_cache.cache.set
    monkeypatch.setattr(
        hub_cache.cache, "set", lambda key, *args: stored.append(key) or real_set(key, *args)
    )
    hub_page()
    for junk in ["phase=Nursery", "phase=" + "x" * 500, "sort=evil", "as_of=9999", "dir=up"]:
        assert hub_page(junk).status_code == 200
    # the hub's fingerprint, the phases, and the page with the default filters
    assert len(set(stored)) == 3
    hub_page("phase=Primary")
    assert len(set(stored)) == 4


def test_the_cache_key_has_room_for_the_language(hub):
    page_cache = hub_cache.HubPageCache(hub)
    english = page_cache.key(("page",))
    with translation.override("fr"):
        french = page_cache.key(("page",))
    assert ":en-gb:" in english and ":fr:" in french
