"""Every audit page tried by the four people (own leader, hub coordinator, outsiders,
anonymous) and an admin; what each page shows; query counts pinned."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from audits.instrument import CATEGORY_BY_NUMBER, Stage
from audits.instrument_texts import descriptor
from audits.models import Audit
from communities.models import HubMembership, SchoolLink
from tests.factories import (
    HubFactory,
    HubMembershipFactory,
    PartnershipFactory,
    SchoolFactory,
    make_audit,
)

pytestmark = pytest.mark.django_db

PEOPLE = ["leader", "coordinator", "outsider", "other_coordinator", "admin_user", None]


@pytest.fixture
def submitted(school):
    return make_audit(school, stages=3, period="2025/26", evidence="Lesson study records")


@pytest.fixture
def draft(school):
    return make_audit(school, stages=[2] * 4 + [None] * 5, period="2026/27", submitted=False)


@pytest.fixture
def hub_draft(hub):
    return make_audit(hub=hub, stages=None, period="2026/27", submitted=False)


def _get(request, client_for, person, url):
    user = request.getfixturevalue(person) if person else None
    return client_for(user).get(url)


def _assert_status(response, expected):
    if expected == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif expected == "report":
        assert response.status_code == 302
        assert "/edit/all/" not in response.url
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("person", "expected"),
    list(zip(PEOPLE, [200, 200, 404, 404, 200, "login"], strict=True)),
)
def test_school_journey_access(request, client_for, school, hub, submitted, person, expected):
    url = reverse("audits:school_journey", args=[school.pk])
    _assert_status(_get(request, client_for, person, url), expected)


@pytest.mark.parametrize(
    ("person", "expected"),
    list(zip(PEOPLE, [200, 200, 404, 404, 200, "login"], strict=True)),
)
def test_submitted_report_access(request, client_for, hub, submitted, person, expected):
    url = reverse("audits:audit_report", args=[submitted.pk])
    _assert_status(_get(request, client_for, person, url), expected)


@pytest.mark.parametrize(
    ("person", "expected"),
    list(zip(PEOPLE, [200, 404, 404, 404, 200, "login"], strict=True)),
)
def test_draft_report_access(request, client_for, hub, draft, person, expected):
    url = reverse("audits:audit_report", args=[draft.pk])
    _assert_status(_get(request, client_for, person, url), expected)


@pytest.mark.parametrize(
    ("person", "expected"),
    list(zip(PEOPLE, [200, 404, 404, 404, "report", "login"], strict=True)),
)
def test_draft_edit_access(request, client_for, hub, draft, person, expected):
    url = reverse("audits:audit_edit_all", args=[draft.pk])
    _assert_status(_get(request, client_for, person, url), expected)


@pytest.mark.parametrize(
    ("person", "expected"),
    list(zip(PEOPLE, ["report", "report", 404, 404, "report", "login"], strict=True)),
)
def test_submitted_edit_access(request, client_for, hub, submitted, person, expected):
    url = reverse("audits:audit_edit_all", args=[submitted.pk])
    _assert_status(_get(request, client_for, person, url), expected)


@pytest.mark.parametrize(
    ("person", "expected"),
    list(zip(PEOPLE, [200, 404, 404, 404, 404, "login"], strict=True)),
)
def test_audit_start_access(request, client_for, school, hub, person, expected):
    url = reverse("audits:audit_start", args=[school.pk])
    _assert_status(_get(request, client_for, person, url), expected)


@pytest.mark.parametrize(
    ("person", "expected"),
    list(zip(PEOPLE, [404, 200, 404, 404, 404, "login"], strict=True)),
)
def test_hub_audit_start_access(request, client_for, hub, person, expected):
    url = reverse("audits:hub_audit_start", args=[hub.slug])
    _assert_status(_get(request, client_for, person, url), expected)


@pytest.mark.parametrize(
    ("person", "expected"),
    list(zip(PEOPLE, [404, 200, 404, 404, 200, "login"], strict=True)),
)
def test_hub_draft_edit_access(request, client_for, hub, hub_draft, person, expected):
    url = reverse("audits:audit_edit_all", args=[hub_draft.pk])
    expected = "report" if person == "admin_user" else expected
    _assert_status(_get(request, client_for, person, url), expected)


@pytest.mark.parametrize("person", [*PEOPLE])
def test_home_access(request, client_for, person):
    url = reverse("home")
    _assert_status(_get(request, client_for, person, url), "login" if person is None else 200)


def test_outsider_cannot_post_to_another_schools_draft(client_for, outsider, draft):
    response = client_for(outsider).post(
        reverse("audits:audit_edit_all", args=[draft.pk]), {"version": 1, "stage_5": 4}
    )
    assert response.status_code == 404
    assert draft.ratings.get(category=5).stage is None


def test_outsider_cannot_start_an_audit_for_another_school(client_for, outsider, school):
    response = client_for(outsider).post(
        reverse("audits:audit_start", args=[school.pk]), {"period": "2026/27"}
    )
    assert response.status_code == 404
    assert not Audit.objects.exists()


def test_coordinator_cannot_edit_member_draft(client_for, coordinator, draft):
    response = client_for(coordinator).post(
        reverse("audits:audit_edit_all", args=[draft.pk]), {"version": 1, "stage_5": 4}
    )
    assert response.status_code == 404
    assert draft.ratings.get(category=5).stage is None


def test_coordinator_cannot_read_school_after_it_left_the_hub(client_for, coordinator, school, hub):
    audit = make_audit(school, stages=3)
    HubMembership.objects.filter(school=school, hub=hub).update(left_on=datetime.date(2021, 8, 31))
    client = client_for(coordinator)
    assert client.get(reverse("audits:audit_report", args=[audit.pk])).status_code == 404
    assert client.get(reverse("audits:school_journey", args=[school.pk])).status_code == 404


def test_coordinator_does_not_see_drafts_on_the_journey(client_for, coordinator, submitted, draft):
    response = client_for(coordinator).get(
        reverse("audits:school_journey", args=[submitted.school_id])
    )
    assert [a.pk for a in response.context["audits"]] == [submitted.pk]
    assert "2026/27" not in response.content.decode()


# Home


def test_home_shows_latest_audit_and_start_button(client_for, leader, school, submitted):
    response = client_for(leader).get(reverse("home"))
    page = response.content.decode()
    assert "Lampton School" in page
    assert "0 of 9 at Integration" in page
    assert "Engagement" in page
    assert reverse("audits:audit_start", args=[school.pk]) in page


def test_home_offers_to_continue_open_draft(client_for, leader, submitted, draft):
    page = client_for(leader).get(reverse("home")).content.decode()
    assert "Continue the 2026/27 draft" in page
    assert reverse("audits:audit_edit", args=[draft.pk]) in page


def test_home_shows_virtuous(client_for, leader, school):
    make_audit(school, stages=4)
    page = client_for(leader).get(reverse("home")).content.decode()
    assert "Virtuous" in page


def test_home_context_keeps_hubs_and_member_hubs(client_for, leader, coordinator, hub, other_hub):
    leader_context = client_for(leader).get(reverse("home")).context
    assert list(leader_context["member_hubs"]) == [hub]
    assert list(leader_context["hubs"]) == []
    coordinator_context = client_for(coordinator).get(reverse("home")).context
    assert list(coordinator_context["hubs"]) == [hub]
    assert list(coordinator_context["member_hubs"]) == []


def test_home_member_hubs_leave_out_past_memberships(client_for, leader, school, other_hub):
    HubMembershipFactory(
        hub=other_hub,
        school=school,
        joined_on=datetime.date(2019, 9, 1),
        left_on=datetime.date(2020, 8, 31),
    )
    context = client_for(leader).get(reverse("home")).context
    assert other_hub not in context["member_hubs"]


def test_an_admins_home_says_it_lists_every_hub(client_for, admin_user, coordinator, hub):
    admin_page = client_for(admin_user).get(reverse("home")).content.decode()
    assert '<h2 id="hubs-heading">Every hub</h2>' in admin_page
    assert "whether or not you coordinate it" in admin_page
    assert "Hubs you coordinate" not in admin_page
    coordinator_page = client_for(coordinator).get(reverse("home")).content.decode()
    assert '<h2 id="hubs-heading">Hubs you coordinate</h2>' in coordinator_page


def test_home_offers_coordinator_the_hub_audit(client_for, coordinator, hub):
    page = client_for(coordinator).get(reverse("home")).content.decode()
    assert reverse("audits:hub_audit_start", args=[hub.slug]) in page


# Report


def test_report_shows_results_gaps_evidence_and_change(client_for, leader, school):
    make_audit(school, stages=[2] * 9, period="2024/25")
    audit = make_audit(school, stages=[4, 4, 4, 3, 3, 3, 2, 2, 1], evidence="Peer review notes")
    page = client_for(leader).get(reverse("audits:audit_report", args=[audit.pk])).content.decode()
    assert "3 of 9 at Integration" in page
    assert "Overall stage" in page and "Isolation" in page
    assert "<svg" in page and 'role="img"' in page
    assert "radar-previous" in page
    assert "2024/25 (dashed line)" in page
    assert "Peer review notes" in page
    assert "Up" in page and "Down" in page and "Unchanged" in page
    # Gaps: what the next stage looks like in that category, in the audit's texts.
    assert "Now at <strong>Isolation</strong>" in page
    assert escape(descriptor(CATEGORY_BY_NUMBER[9], Stage.INITIATION)) in page
    assert escape(descriptor(CATEGORY_BY_NUMBER[4], Stage.INTEGRATION)) in page
    assert Stage.INITIATION.descriptor not in page  # not the generic stage text


def test_an_audit_rated_against_the_first_texts_shows_them(client_for, leader, school):
    audit = make_audit(school, stages=[4, 4, 4, 3, 3, 3, 2, 2, 1])
    Audit.objects.filter(pk=audit.pk).update(status="draft")
    Audit.objects.filter(pk=audit.pk).update(instrument_version=1, status="submitted")
    page = client_for(leader).get(reverse("audits:audit_report", args=[audit.pk])).content.decode()
    assert "Rated against version 1 of the instrument" in page
    assert escape(Stage.INITIATION.descriptor) in page
    assert escape(descriptor(CATEGORY_BY_NUMBER[9], Stage.INITIATION)) not in page


def test_report_compares_only_with_earlier_submitted_audits(client_for, leader, school):
    make_audit(school, stages=2, period="2023/24", submitted=True)
    audit = make_audit(school, stages=3, period="2024/25")
    make_audit(school, stages=1, period="2025/26", submitted=False)
    response = client_for(leader).get(reverse("audits:audit_report", args=[audit.pk]))
    assert response.context["previous"].period == "2023/24"


def test_report_of_virtuous_audit(client_for, leader, school):
    audit = make_audit(school, stages=4)
    page = client_for(leader).get(reverse("audits:audit_report", args=[audit.pk])).content.decode()
    assert "Virtuous" in page
    assert "None: every category is at Integration." in page


def test_report_of_draft_says_so_and_offers_editing(client_for, leader, draft):
    page = client_for(leader).get(reverse("audits:audit_report", args=[draft.pk])).content.decode()
    assert "not submitted yet" in page
    assert reverse("audits:audit_edit", args=[draft.pk]) in page


def test_report_asks_for_pairings_only_for_coordinators(
    client_for, leader, coordinator, submitted, monkeypatch
):
    calls = []

    def fake(user, audit):
        calls.append(user)
        return []

    monkeypatch.setattr("audits.views.report.pairing_suggestions_for_report", fake)
    url = reverse("audits:audit_report", args=[submitted.pk])
    client_for(leader).get(url)
    assert calls == []
    client_for(coordinator).get(url)
    assert calls == [coordinator]


def test_hub_audit_report_links_to_the_hub(client_for, coordinator, hub):
    audit = make_audit(hub=hub, stages=2)
    response = client_for(coordinator).get(reverse("audits:audit_report", args=[audit.pk]))
    assert response.status_code == 200
    assert reverse("audits:hub_detail", args=[hub.slug]) in response.content.decode()


# Journey


def test_journey_draws_every_submitted_audit(client_for, leader, school):
    make_audit(school, stages=1, period="2023/24")
    make_audit(school, stages=2, period="2024/25")
    draft = make_audit(school, stages=None, period="2025/26", submitted=False)
    response = client_for(leader).get(reverse("audits:school_journey", args=[school.pk]))
    page = response.content.decode()
    assert [a.period for a in response.context["submitted"]] == ["2023/24", "2024/25"]
    assert "journey-chart" in page
    assert page.index("2023/24") < page.index("2024/25")
    assert reverse("audits:audit_edit", args=[draft.pk]) in page


def test_journey_of_school_without_audits(client_for, leader, school):
    page = client_for(leader).get(reverse("audits:school_journey", args=[school.pk]))
    assert "No audit has been submitted yet." in page.content.decode()


# Login pages


def test_login_page_is_public_and_styled(client):
    response = client.get(reverse("login"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'for="id_username"' in page and 'for="id_password"' in page
    assert "bootstrap.min.css" in page


def test_password_change_pages(client_for, leader):
    client = client_for(leader)
    assert client.get(reverse("password_change")).status_code == 200
    assert client.get(reverse("password_change_done")).status_code == 200


def test_logout_goes_to_login(client_for, leader):
    response = client_for(leader).post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")


# Query counts: constant however many schools and audits there are.


def _lead_schools(leader, count):
    for _ in range(count):
        school = SchoolFactory()
        school.leaders.add(leader)
        make_audit(school, stages=3, period="2024/25")
        make_audit(school, stages=[2] * 9, period="2025/26", submitted=False)


@pytest.mark.parametrize("count", [1, 4])
def test_home_query_count(client_for, leader, django_assert_num_queries, count):
    _lead_schools(leader, count)
    client = client_for(leader)
    # session, user, schools, latest submitted, their ratings, drafts, their ratings (how
    # far each is), coordinated hubs (none, so no query for their audits), hubs for the
    # partial, member hubs, validations waiting, support to answer, open support, actions
    # due or overdue
    with django_assert_num_queries(14):
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("count", [1, 4])
def test_report_query_count(client_for, leader, school, django_assert_num_queries, count):
    for year in range(2015, 2015 + count):
        make_audit(school, stages=2, period=f"{year}/{(year + 1) % 100:02d}")
    audit = make_audit(school, stages=3, period="2025/26", submitted=False)
    Audit.objects.filter(pk=audit.pk).update(
        status=Audit.Status.SUBMITTED, submitted_at=timezone.now(), submitted_by=leader
    )
    client = client_for(leader)
    # session, user, audit with who submitted it, ratings, previous audit, its ratings,
    # files, links, partnerships, the person's roles, the school's hubs (none here: no
    # more for help), validations, the plan
    with django_assert_num_queries(13):
        client.get(reverse("audits:audit_report", args=[audit.pk]))


@pytest.mark.parametrize("count", [1, 3])
def test_report_query_count_for_a_leader_in_hubs(
    client_for, leader, school, django_assert_num_queries, count
):
    for n in range(count):
        hub = HubFactory(names_in_suggestions=bool(n % 2))
        HubMembershipFactory(hub=hub, school=school)
        for _ in range(count):
            member = SchoolFactory()
            HubMembershipFactory(hub=hub, school=member)
            make_audit(member, stages=4, period="2024/25")
    audit = make_audit(school, stages=2, period="2025/26")
    client = client_for(leader)
    # as above, then the hubs' members and their latest audits, for any number of hubs
    with django_assert_num_queries(14):
        page = client.get(reverse("audits:audit_report", args=[audit.pk])).content.decode()
    assert page.count('class="gap-help"') == 9 * count


def test_report_query_count_for_coordinator(
    client_for, coordinator, submitted, django_assert_num_queries, monkeypatch
):
    # The pairing selector pins its own queries (tests/communities); count this view's.
    monkeypatch.setattr(
        "audits.views.report.pairing_suggestions_for_report", lambda user, audit: []
    )
    client = client_for(coordinator)
    # session, user, audit, ratings, previous audit (none), files, links, partnerships,
    # the person's roles, validations, the plan
    with django_assert_num_queries(11):
        client.get(reverse("audits:audit_report", args=[submitted.pk]))


@pytest.mark.parametrize("count", [1, 4])
def test_form_query_count(client_for, leader, school, django_assert_num_queries, count):
    for year in range(2015, 2015 + count):
        make_audit(school, stages=2, period=f"{year}/{(year + 1) % 100:02d}")
    draft = make_audit(school, stages=[3] * 9, period="2026/27", submitted=False)
    client = client_for(leader)
    # session, user, the draft, its ratings
    with django_assert_num_queries(4):
        client.get(reverse("audits:audit_edit_all", args=[draft.pk]))


@pytest.mark.parametrize("count", [1, 4])
def test_journey_query_count(client_for, leader, school, django_assert_num_queries, count):
    for year in range(2015, 2015 + count):
        make_audit(school, stages=2, period=f"{year}/{(year + 1) % 100:02d}")
        PartnershipFactory(school=school, started_on=datetime.date(year, 9, 1), categories=[1, 2])
    client = client_for(leader)
    # session, user, school, audits, ratings, predecessor links, is-leader check, the
    # partnerships and their cells (for any number of them), actions done or dropped
    with django_assert_num_queries(10):
        client.get(reverse("audits:school_journey", args=[school.pk]))


def test_coordinator_reads_report_with_real_pairing_suggestions(
    client_for, coordinator, school, hub
):
    helper = SchoolFactory(name="Helper School")
    HubMembershipFactory(hub=hub, school=helper)
    make_audit(helper, stages=4, period="2025/26")
    audit = make_audit(school, stages=1, period="2025/26")
    response = client_for(coordinator).get(reverse("audits:audit_report", args=[audit.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 4])
def test_home_query_count_for_coordinator(
    client_for, coordinator, hub, django_assert_num_queries, count
):
    make_audit(hub=hub, stages=3, period="2024/25")
    for n in range(count - 1):
        other = HubFactory()
        other.coordinators.add(coordinator)
        make_audit(hub=other, stages=3, period="2024/25")
        make_audit(hub=other, stages=None, period=f"202{n}/2{n + 1}", submitted=False)
    client = client_for(coordinator)
    # session, user, led schools (none), latest submitted (none, so no ratings query),
    # drafts, coordinated hubs, their audits, their ratings, hubs for the partial,
    # member hubs, validations waiting, support to answer, open support, actions due
    with django_assert_num_queries(13):
        assert client.get(reverse("home")).status_code == 200


def test_journey_shows_submitted_audits_under_an_earlier_urn(client_for, leader, school):
    predecessor = SchoolFactory(name="Old Lampton Primary", urn="100001", status="closed")
    SchoolLink.objects.create(
        school=school, linked_urn="100001", linked_school=predecessor, link_type="Predecessor"
    )
    make_audit(predecessor, stages=2, period="2021/22")
    make_audit(predecessor, stages=[3] * 9, period="2022/23", submitted=False)
    make_audit(school, stages=4, period="2023/24")

    page = client_for(leader).get(reverse("audits:school_journey", args=[school.pk]))

    assert page.status_code == 200
    assert [a.period for a in page.context["submitted"]] == ["2021/22", "2023/24"]
    assert [a.period for a in page.context["earlier"]] == ["2021/22"]
    html = page.content.decode()
    assert "Audits under an earlier URN" in html
    assert "Old Lampton Primary" in html and "URN 100001" in html
    assert "2022/23" not in html  # the predecessor's draft stays private


def test_journey_of_a_school_without_predecessors_has_no_earlier_section(
    client_for, leader, school
):
    make_audit(school, stages=3, period="2023/24")
    page = client_for(leader).get(reverse("audits:school_journey", args=[school.pk]))
    assert page.context["earlier"] == []
    assert "earlier URN" not in page.content.decode()


def test_predecessor_link_does_not_open_the_journey_to_outsiders(client_for, outsider, school):
    predecessor = SchoolFactory(urn="100002")
    SchoolLink.objects.create(
        school=school, linked_urn="100002", linked_school=predecessor, link_type="Predecessor"
    )
    make_audit(predecessor, stages=2, period="2021/22")
    for target in (school, predecessor):
        url = reverse("audits:school_journey", args=[target.pk])
        assert client_for(outsider).get(url).status_code == 404


def test_journey_leaves_out_audits_of_a_linked_school_that_is_still_open(
    client_for, leader, school
):
    # A register link to a school that has not closed (a split, a wrong link) must not
    # show that school's audits to this school's leader: it has leaders of its own.
    for urn, status in (("100003", "open"), ("100004", "proposed_to_close")):
        linked = SchoolFactory(name=f"Still {status}", urn=urn, status=status)
        SchoolLink.objects.create(
            school=school, linked_urn=urn, linked_school=linked, link_type="Predecessor"
        )
        make_audit(linked, stages=2, period="2021/22", evidence=f"Private to {status}")
    make_audit(school, stages=4, period="2023/24")

    page = client_for(leader).get(reverse("audits:school_journey", args=[school.pk]))

    assert page.context["earlier"] == []
    assert [a.period for a in page.context["submitted"]] == ["2023/24"]
    html = page.content.decode()
    assert "earlier URN" not in html and "Still open" not in html and "2021/22" not in html


# The walkthrough: drafts on home and journey, the form's progress and buttons


def test_home_leads_to_this_years_draft_and_lists_the_earlier_ones(client_for, leader, school):
    make_audit(school, stages=3, period="2024/25")
    older = make_audit(school, stages=None, period="2025/26", submitted=False)
    newer = make_audit(school, stages=None, period="2026/27", submitted=False)
    page = client_for(leader).get(reverse("home")).content.decode()
    for draft in (older, newer):
        assert f"Continue the {draft.period} draft" in page
        assert reverse("audits:audit_edit", args=[draft.pk]) in page
    # This school year's draft first (what needs the leader now), then the earlier one.
    assert page.index("Continue the 2026/27 draft") < page.index("Continue the 2025/26 draft")
    # No new period is proposed while this year's is open: only an earlier year's record.
    assert "Start the 2026/27 audit" not in page and "2027/28" not in page
    assert "Record an earlier school year" in page
    assert reverse("audits:audit_start", args=[school.pk]) in page


def test_home_offers_the_hub_audit_beside_its_drafts(client_for, coordinator, hub):
    draft = make_audit(hub=hub, stages=None, period="2026/27", submitted=False)
    page = client_for(coordinator).get(reverse("home")).content.decode()
    assert reverse("audits:audit_edit", args=[draft.pk]) in page
    assert "Continue the 2026/27 draft of London West" in page
    assert reverse("audits:hub_audit_start", args=[hub.slug]) in page


def test_journey_shows_a_drafts_progress_not_a_judgement(client_for, leader, school):
    make_audit(school, stages=4, period="2024/25")
    make_audit(school, stages=[4] * 9, period="2025/26", submitted=False)  # copied forward
    make_audit(school, stages=[2] * 4 + [None] * 5, period="2026/27", submitted=False)
    page = client_for(leader).get(reverse("audits:school_journey", args=[school.pk]))
    rows = page.content.decode().split('class="table audits-table"', 1)[1].split("</tbody>")[0]
    rows = rows.split("<tr>")[2:]  # after the header row: 2026/27, 2025/26, 2024/25
    assert "Draft: 4 of 9 rated" in rows[0] and "Virtuous" not in rows[0]
    assert "Draft: 9 of 9 rated" in rows[1] and "Virtuous" not in rows[1]
    assert "Overall" not in rows[1]
    assert "Virtuous" in rows[2]


def test_journey_continue_links_are_not_printed(client_for, leader, school, draft):
    html = client_for(leader).get(reverse("audits:school_journey", args=[school.pk]))
    html = html.content.decode()
    link = reverse("audits:audit_edit", args=[draft.pk])
    table = html[html.index("<table", html.index("audits-table") - 200) :]
    cell = table[: table.index(link)].rsplit("<td", 1)[1]
    assert 'class="no-print"' in cell
    header = html[: html.index("<section")]
    assert link in header and 'class="no-print' in header


def test_form_shows_progress_and_the_buttons_at_top_and_bottom(client_for, leader, draft):
    page = (
        client_for(leader).get(reverse("audits:audit_edit_all", args=[draft.pk])).content.decode()
    )
    assert "4 of 9 rated" in page
    form = page.split('id="audit-form"', 1)[1].split("</form>", 1)[0]
    assert form.count(">Save draft</button>") == 2
    assert form.count(">Save and check your answers</button>") == 2
    assert "Submit audit" not in form  # submitting is on the check page only
    # The top row comes before the first category, inside the same form.
    assert form.index(">Save and check your answers</button>") < form.index('id="category-1"')
    assert page.index("4 of 9 rated") < page.index('id="category-1"')


def test_the_top_check_button_sends_every_field(client_for, leader, draft):
    # Both rows post the one form: what the browser sends is the same whichever is used.
    data = {f"stage_{n}": 3 for n in range(1, 10)} | {"version": 1, "check": "1"}
    response = client_for(leader).post(reverse("audits:audit_edit_all", args=[draft.pk]), data)
    assert response.url == reverse("audits:audit_check", args=[draft.pk])
    draft.refresh_from_db()
    assert {rating.stage for rating in draft.ratings.all()} == {3}
    assert draft.rated_count == 9 and not draft.is_submitted


def test_after_saving_the_draft_the_message_is_at_the_top(client_for, leader, draft):
    client = client_for(leader)
    url = reverse("audits:audit_edit_all", args=[draft.pk])
    response = client.post(url, {"version": 1, "stage_9": 1}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [(url, 302)]
    assert page.index("Draft saved.") < page.index("<h1>") < page.index("1 of 9 rated")


def test_the_draft_form_offers_to_discard_it(client_for, leader, draft):
    page = (
        client_for(leader).get(reverse("audits:audit_edit_all", args=[draft.pk])).content.decode()
    )
    assert reverse("audits:audit_discard", args=[draft.pk]) in page
    assert "Discard this draft" in page


def test_conflict_with_your_own_other_tab_says_so(client_for, leader, draft):
    client = client_for(leader)
    url = reverse("audits:audit_edit_all", args=[draft.pk])
    leader.first_name, leader.last_name = "Sue", "John"
    leader.save()
    assert client.post(url, {"version": 1, "stage_1": 1}).status_code == 302  # tab one
    response = client.post(url, {"version": 1, "stage_1": 4})  # tab two, still at version 1
    assert response.status_code == 409
    page = response.content.decode()
    assert "You saved this audit in another tab or window" in page
    assert "Sue John" not in page.split('id="conflict"', 1)[1].split("</section>", 1)[0]


# GET-only pages: other methods get 405; HEAD works.


@pytest.mark.parametrize("page", ["home", "journey", "report"])
def test_read_only_pages_refuse_post_and_answer_head(client_for, leader, school, submitted, page):
    url = {
        "home": reverse("home"),
        "journey": reverse("audits:school_journey", args=[school.pk]),
        "report": reverse("audits:audit_report", args=[submitted.pk]),
    }[page]
    client = client_for(leader)
    assert client.post(url, {}).status_code == 405
    assert client.put(url).status_code == 405
    head = client.head(url)
    assert head.status_code == 200
    assert head.content == b""


@pytest.mark.parametrize("earlier", [1, 4])
def test_journey_query_count_with_audits_under_an_earlier_urn(
    client_for, leader, school, django_assert_num_queries, earlier
):
    predecessor = SchoolFactory(urn="100003", status="closed")
    SchoolLink.objects.create(
        school=school, linked_urn="100003", linked_school=predecessor, link_type="Predecessor"
    )
    for year in range(2015, 2015 + earlier):
        make_audit(predecessor, stages=2, period=f"{year}/{(year + 1) % 100:02d}")
    make_audit(school, stages=3, period="2025/26")
    client = client_for(leader)
    # session, user, school, audits, ratings, predecessor links (two generations),
    # the predecessors' audits and their ratings, is-leader check, partnerships (none),
    # actions done or dropped
    with django_assert_num_queries(12):
        response = client.get(reverse("audits:school_journey", args=[school.pk]))
    assert len(response.context["earlier"]) == earlier
