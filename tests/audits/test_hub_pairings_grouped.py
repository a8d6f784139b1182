"""Who can help whom on the hub page, grouped by category: the filters (validated, junk
ignored), the sections (the rule's suggestions, capped, the rest counted), the partial
(wording once per section, the propose-support links, escaping, empty states), no query,
and, through the page, access, the cache key and the query count."""

import random
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse

from audits import rules
from audits.hub_html import pairings_panel
from audits.instrument import CATEGORIES, CATEGORY_BY_NUMBER
from audits.selectors import member_rows
from audits.selectors.member_rows import HubFilters
from audits.selectors.pairings import (
    SCHOOLS_IN_ONE_CATEGORY,
    SCHOOLS_PER_SECTION,
    PairingFilters,
    pairing_filters,
    pairing_school_ids,
    pairing_sections,
)
from tests.factories import HubMembershipFactory, SchoolFactory, make_audit

SENTENCE = "rate this category at Isolation or Initiation: members at Integration in it"
SENTENCE_ONE = "rates this category at Isolation or Initiation: members at Integration in it"


def add_member(hub, name, stages, *, phase="Secondary"):
    school = SchoolFactory(name=name, phase=phase)
    HubMembershipFactory(hub=hub, school=school)
    if stages is not None:
        make_audit(school, stages=stages)
    return school


ALL = PairingFilters()
EVERY_ROW = HubFilters()


def rows_of(hub, heatmap=EVERY_ROW):
    return member_rows.heatmap_rows(member_rows.current_member_rows(hub), heatmap)


def panel_of(hub, filters=ALL, heatmap=EVERY_ROW):
    return pairings_panel(rows_of(hub, heatmap), filters, heatmap, hub.slug)


def render_panel(hub, panel):
    return render_to_string("audits/_hub_pairings.html", {"hub": hub, "pairings": panel})


def only_in(stage_at: dict[int, int], default=3) -> list[int]:
    """Nine stages: `default` everywhere but the categories given."""
    return [stage_at.get(c.number, default) for c in CATEGORIES]


@pytest.fixture
def small_hub(hub, school):
    """Lampton needs help in 1 and 5; Heston (same phase) and Oakwood can help."""
    make_audit(school, stages=only_in({1: 1, 5: 2}))
    heston = add_member(hub, "Heston Community School", only_in({1: 4, 5: 3}))
    oakwood = add_member(hub, "Oakwood Primary", 4, phase="Primary")
    return school, heston, oakwood


# -- the filters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "school=&category=",
        "school=abc&category=x",
        "category=0",
        "category=10",
        "category=-1",
        "category=1.5",
        "category=1e0",
        "school=999999",
        "school=" + "9" * 5000,
        "school=%00&category=%00",
    ],
)
def test_bad_pairing_filters_are_ignored(query):
    assert pairing_filters(QueryDict(query), {5, 6}) == PairingFilters()


def test_valid_pairing_filters_are_kept():
    assert pairing_filters(QueryDict("school=5&category=9"), {5, 6}) == PairingFilters(5, 9)
    assert pairing_filters(QueryDict("school=6"), {5, 6}).items() == [("school", 6)]
    # a repeated name: its last value, as everywhere in Django
    assert pairing_filters(QueryDict("category=x&category=2"), set()) == PairingFilters(None, 2)


def test_the_schools_a_filter_may_name_are_the_current_members(hub, school, other_school):
    member = add_member(hub, "Member", None)

    ids = pairing_school_ids(member_rows.current_member_rows(hub))

    assert ids == {school.pk, member.pk}
    assert other_school.pk not in ids


# -- the sections -----------------------------------------------------------------------


def test_sections_are_the_categories_with_a_suggestion(small_hub, hub):
    sections = pairing_sections(rows_of(hub), ALL)

    assert [s.category.number for s in sections] == [1, 5]
    first, fifth = sections
    assert [learner.school.name for learner in first.learners] == ["Lampton School"]
    helpers = [
        (p.helper.name, p.helper_stage.label, p.same_phase) for p in first.learners[0].helpers
    ]
    # at Integration first (same phase first), then at Engagement
    assert helpers == [
        ("Heston Community School", "Integration", True),
        ("Oakwood Primary", "Integration", False),
    ]
    assert [p.helper.name for p in fifth.learners[0].helpers] == [
        "Oakwood Primary",
        "Heston Community School",
    ]
    assert first.in_need == 1 and first.more == 0


def test_sections_hold_the_rules_suggestions(hub):
    rng = random.Random(13)
    for index in range(40):
        stages = [rng.choice([1, 2, 3, 4, None]) for _ in CATEGORIES]
        add_member(hub, f"S{index:02d}", stages, phase=rng.choice(["Primary", "Secondary", ""]))
    rows = rows_of(hub)
    everyone = [row.as_school_stages() for row in rows if row.has_audit]
    expected = {}
    for p in rules.suggest_pairings(everyone):
        expected.setdefault((p.learner.key, p.category.number), []).append(p)

    for filters in [PairingFilters(), PairingFilters(category=4)]:
        for section in pairing_sections(rows, filters):
            number = section.category.number
            wanted = [key for key in expected if key[1] == number]
            assert section.in_need == len(wanted)
            assert [learner.school.key for learner in section.learners] == [
                key[0] for key in wanted
            ][: len(section.learners)]
            for learner in section.learners:
                assert learner.helpers == expected[learner.school.key, number]
                assert learner.stage == learner.helpers[0].learner_stage


def test_each_section_lists_a_few_and_counts_the_rest(hub, school):
    make_audit(school, stages=4)
    for index in range(SCHOOLS_IN_ONE_CATEGORY + 3):
        add_member(hub, f"Learner {index:02d}", only_in({2: 1}, default=4))
    rows = rows_of(hub)

    (section,) = pairing_sections(rows, PairingFilters())
    (alone,) = pairing_sections(rows, PairingFilters(category=2))

    assert section.category.number == 2
    assert [s.school.name for s in section.learners] == [
        f"Learner {i:02d}" for i in range(SCHOOLS_PER_SECTION)
    ]
    assert section.more == SCHOOLS_IN_ONE_CATEGORY + 3 - SCHOOLS_PER_SECTION
    assert len(alone.learners) == SCHOOLS_IN_ONE_CATEGORY
    assert alone.more == 3


def test_learners_come_in_the_heatmaps_order(hub, school):
    make_audit(school, stages=4)
    add_member(hub, "Alpha", only_in({1: 2}))
    add_member(hub, "Beta", only_in({1: 1}))
    by_stage = HubFilters(sort=CATEGORY_BY_NUMBER[1].code)

    (section,) = pairing_sections(rows_of(hub, by_stage), PairingFilters())

    assert [s.school.name for s in section.learners] == ["Beta", "Alpha"]


def test_filter_by_school_shows_its_needs_only(small_hub, hub):
    school, heston, _ = small_hub
    add_member(hub, "Other Learner", only_in({1: 1}))

    sections = pairing_sections(rows_of(hub), PairingFilters(school=school.pk))
    both = pairing_sections(rows_of(hub), PairingFilters(school=school.pk, category=5))

    assert [(s.category.number, [x.school.name for x in s.learners]) for s in sections] == [
        (1, ["Lampton School"]),
        (5, ["Lampton School"]),
    ]
    assert [s.category.number for s in both] == [5]
    assert pairing_sections(rows_of(hub), PairingFilters(school=heston.pk)) == []


def test_nobody_further_along_means_no_section(hub, school):
    make_audit(school, stages=1)
    add_member(hub, "Also Struggling", 2)
    add_member(hub, "Not audited", None)

    assert pairing_sections(rows_of(hub), PairingFilters()) == []


# -- the panel the partial shows --------------------------------------------------------


@pytest.mark.parametrize("size", [5, 50])
def test_the_panel_costs_no_query(hub, django_assert_num_queries, size):
    rng = random.Random(size)
    for index in range(size):
        add_member(hub, f"M{index:03d}", [rng.randint(1, 4) for _ in CATEGORIES])
    rows = rows_of(hub)

    with django_assert_num_queries(0):
        panel = pairings_panel(rows, PairingFilters(), HubFilters(), hub.slug)
        render_panel(hub, panel)


def test_a_school_filter_the_rows_leave_out_is_dropped(small_hub, hub):
    school, heston, _ = small_hub
    primary = HubFilters(phase="Primary")

    assert panel_of(hub, PairingFilters(school=school.pk), primary).filters == PairingFilters()
    # Heston needs no help: it is not offered, and a filter naming it is dropped
    assert panel_of(hub, PairingFilters(school=heston.pk)).filters == PairingFilters()
    assert panel_of(hub, PairingFilters(school=school.pk)).filters == PairingFilters(school.pk)


def test_the_partial_says_the_wording_once_per_section(small_hub, hub):
    content = render_panel(hub, panel_of(hub))

    headings = re.findall(r'<h3 id="pairings-category-(\d)">([^<]*)</h3>', content)
    assert headings == [
        ("1", "1. Teaching and learning × Relevant research"),
        ("5", "5. Leadership × Best practice"),
    ]
    assert content.count(SENTENCE_ONE) == 2
    assert "Integration in Teaching" not in content  # the reason is the section's, not each row's
    assert content.count("Lampton School</a></th>") == 2


def test_each_helper_has_its_stage_phase_and_propose_link(small_hub, hub):
    school, heston, _ = small_hub

    content = render_panel(hub, panel_of(hub, PairingFilters(category=1)))

    row = content.split("Lampton School</a></th>", 1)[1].split("</tr>", 1)[0]
    assert '<td class="stage-cell stage-1" data-label="Its stage">Isolation</td>' in row
    assert (
        'Heston Community School</a> <span class="stage-tag stage-4">Integration</span>'
        ' <span class="same-phase">· same phase</span>'
    ) in row
    assert 'Oakwood Primary</a> <span class="stage-tag stage-4">Integration</span> <a' in row
    links = re.findall(r'class="propose-support" href="([^"]+)"', row)
    assert len(links) == 2
    url = urlsplit(links[0].replace("&amp;", "&"))
    assert url.path == reverse("communities:support_new", args=[hub.slug])
    assert parse_qs(url.query) == {
        "supporting": [str(heston.pk)],
        "supported": [str(school.pk)],
        "category": ["1"],
    }
    assert (
        'Propose support<span class="visually-hidden">: Heston Community School to help '
        "Lampton School in category 1</span>"
    ) in row


def test_the_partial_offers_the_filters_and_keeps_the_heatmaps(small_hub, hub):
    school = small_hub[0]
    heatmap = HubFilters(sort="overall", as_of="2025/26")

    content = render_panel(hub, panel_of(hub, PairingFilters(school=school.pk), heatmap))

    assert '<label for="pairings-school" class="form-label">School that needs help</label>' in (
        content
    )
    assert f'<option value="{school.pk}" selected>Lampton School</option>' in content
    assert "Heston Community School</option>" not in content  # it needs no help
    assert '<option value="9">9. Collaborative learning × Emerging effective innovation' in content
    assert '<input type="hidden" name="sort" value="overall">' in content
    assert '<input type="hidden" name="as_of" value="2025/26">' in content
    assert 'href="?sort=overall&amp;as_of=2025%2F26#pairings-heading"' in content  # show all


def test_the_rest_of_a_section_points_to_its_category_and_the_csv(hub, school):
    make_audit(school, stages=4)
    for index in range(SCHOOLS_PER_SECTION + 2):
        add_member(hub, f"Learner {index}", only_in({3: 2}, default=4))
    csv_url = reverse("audits:hub_export_pairings_csv", args=[hub.slug])

    content = render_panel(hub, panel_of(hub, heatmap=HubFilters(phase="Secondary")))
    alone = render_panel(hub, panel_of(hub, PairingFilters(category=3)))

    assert "And 2 more schools:" in content
    assert 'href="?phase=Secondary&amp;category=3#pairings-heading">show this category' in content
    assert f'href="{csv_url}?phase=Secondary">download every suggestion (CSV)' in content
    assert "7 schools rate this category" in content
    assert "And 2 more" not in alone
    assert "Learner 6</a></th>" in alone


def test_one_more_school_is_singular(hub, school):
    make_audit(school, stages=4)
    for index in range(SCHOOLS_PER_SECTION + 1):
        add_member(hub, f"Learner {index}", only_in({3: 2}, default=4))

    assert "And 1 more school:" in render_panel(hub, panel_of(hub))


def test_names_are_escaped(hub, school):
    make_audit(school, stages=4)
    add_member(hub, "<b>Bad</b> & Co", only_in({1: 1}))

    content = render_panel(hub, panel_of(hub))

    assert "<b>Bad</b>" not in content
    assert "&lt;b&gt;Bad&lt;/b&gt; &amp; Co</a></th>" in content
    assert "to help &lt;b&gt;Bad&lt;/b&gt; &amp; Co in category 1" in content
    assert "&lt;b&gt;Bad&lt;/b&gt; &amp; Co</option>" in content


def test_empty_states(hub, school):
    make_audit(school, stages=4)

    assert "No school here rates a category at Isolation or Initiation" in render_panel(
        hub, panel_of(hub)
    )
    filtered = render_panel(hub, panel_of(hub, PairingFilters(category=2)))
    assert "No suggestion matches these filters." in filtered
    assert "Show every category and school" in filtered


# -- through the page (needs the views/hub.py and _hub_page.html diff) -------------------


def hub_page(client, hub, query=""):
    return client.get(reverse("audits:hub_detail", args=[hub.slug]) + "?" + query)


def pairings_part(response):
    content = response.content.decode()
    return content.split('id="pairings-heading"', 1)[1].split('id="support-heading"', 1)[0]


def test_the_page_shows_the_sections_and_filters(client_for, coordinator, small_hub, hub):
    client = client_for(coordinator)

    everything = pairings_part(hub_page(client, hub))
    fifth = pairings_part(hub_page(client, hub, "category=5"))

    assert everything.count("<h3 ") == 2
    assert fifth.count("<h3 ") == 1
    assert "5. Leadership × Best practice" in fifth


@pytest.mark.parametrize(
    "query", ["school=junk", "category=99", "school=999999&category=", "school=-5"]
)
def test_bad_filters_on_the_page_show_everything(client_for, coordinator, small_hub, hub, query):
    client = client_for(coordinator)
    expected = pairings_part(hub_page(client, hub))

    response = hub_page(client, hub, query)

    assert response.status_code == 200
    assert pairings_part(response) == expected


def test_another_hubs_school_is_ignored(client_for, coordinator, small_hub, hub, other_school):
    client = client_for(coordinator)
    response = hub_page(client, hub, f"school={other_school.pk}")

    assert pairings_part(response).count("<h3 ") == 2
    assert "Torriano" not in response.content.decode()


def test_pairing_filters_are_part_of_the_cache_key(client_for, coordinator, small_hub, hub):
    client = client_for(coordinator)

    first = pairings_part(hub_page(client, hub, "category=1"))
    second = pairings_part(hub_page(client, hub, "category=5"))

    assert "1. Teaching and learning × Relevant research</h3>" in first
    assert "5. Leadership × Best practice</h3>" in second
    assert "1. Teaching and learning × Relevant research</h3>" not in second


def test_sorting_or_filtering_the_heatmap_keeps_the_pairing_filters(
    client_for, coordinator, small_hub, hub
):
    content = hub_page(client_for(coordinator), hub, "category=5&sort=overall").content.decode()
    heatmap_head = content.split('class="table table-sm table-bordered heatmap"', 1)[1]
    heatmap_head = heatmap_head.split("</thead>", 1)[0]
    heatmap_form = content.split('class="hub-filters', 1)[1].split("</form>", 1)[0]

    assert 'href="?category=5"' in heatmap_head  # by name, the default
    assert 'href="?sort=overall&amp;dir=desc&amp;category=5"' in heatmap_head
    assert '<input type="hidden" name="category" value="5">' in heatmap_form


# session, user, hub, data version, fingerprint (2), members, latest audits, over time,
# hub audit, peer validated, support, partnership map (2), actions (2): as without filters
PAGE_QUERIES = 16
CACHED_PAGE_QUERIES = 4


@pytest.mark.parametrize("size", [5, 50])
def test_the_page_with_pairing_filters_keeps_its_query_count(
    client_for,
    coordinator,
    hub,
    django_assert_num_queries,
    size,
    only_this_test_moves_the_data_version,
):
    rng = random.Random(size)
    members = [
        add_member(hub, f"M{i:03d}", [rng.randint(1, 4) for _ in CATEGORIES]) for i in range(size)
    ]
    client = client_for(coordinator)
    hub_page(client, hub)  # the filters' choices are cached with the first page
    query = f"school={members[1].pk}&category=2"

    with django_assert_num_queries(PAGE_QUERIES - 2):  # the fingerprint is cached by now
        assert hub_page(client, hub, query).status_code == 200
    with django_assert_num_queries(CACHED_PAGE_QUERIES):
        assert hub_page(client, hub, query).status_code == 200


def test_who_sees_the_pairings(
    client_for, small_hub, hub, coordinator, leader, member_leader, outsider, other_coordinator
):
    url = reverse("audits:hub_detail", args=[hub.slug]) + "?category=1"
    summary = reverse("audits:hub_summary", args=[hub.slug])

    assert "Heston Community School to help" in client_for(coordinator).get(url).content.decode()
    for member in (leader, member_leader):  # the summary only, without names
        response = client_for(member).get(url)
        assert response.status_code == 302 and response["Location"].startswith(summary)
    for stranger in (outsider, other_coordinator):
        assert client_for(stranger).get(url).status_code == 404
    client_for(None).logout()
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
