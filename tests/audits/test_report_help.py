"""The report shows a school's leader, for each gap, what the next stage looks like and
who in its hubs is already there: named when the hub's coordinator shares names, else
how many member schools are at each stage. The coordinator decides, on the hub."""

import datetime

import pytest
from django.urls import reverse

from audits import rules
from audits.instrument import CATEGORY_BY_NUMBER, Stage
from audits.models import EvidenceLink
from communities.models import Hub
from tests.factories import HubFactory, HubMembershipFactory, SchoolFactory, make_audit

pytestmark = pytest.mark.django_db

# Lampton's audit: Initiation in category 1, Engagement in category 2, Integration elsewhere.
LAMPTON = [2, 3, 4, 4, 4, 4, 4, 4, 4]


def _member(hub, name, stages, phase="Secondary", **membership):
    school = SchoolFactory(name=name, phase=phase)
    HubMembershipFactory(hub=hub, school=school, **membership)
    make_audit(school, stages=stages, period="2025/26")
    return school


def _report(client, audit) -> str:
    return client.get(reverse("audits:audit_report", args=[audit.pk])).content.decode()


def _gap(page: str, number: int) -> str:
    """The part of the report about one gap."""
    title = f"{number}. {CATEGORY_BY_NUMBER[number].label}</h3>"
    return page.split(title, 1)[1].split('<li class="mb-4 gap">', 1)[0]


@pytest.fixture
def lampton_audit(school):
    return make_audit(school, stages=LAMPTON, period="2025/26")


def test_named_helpers_when_the_hub_shares_names(client_for, leader, hub, lampton_audit):
    Hub.objects.filter(pk=hub.pk).update(names_in_suggestions=True)
    _member(hub, "Integration Academy", 4)
    _member(hub, "Engagement High", 3)
    _member(hub, "Isolation Primary", 1)
    page = _report(client_for(leader), lampton_audit)
    first, second = _gap(page, 1), _gap(page, 2)
    assert f"In {hub.name}" in first
    assert "Integration Academy — Integration" in first
    assert "Engagement High — Engagement" in first
    assert "Isolation Primary" not in first
    # At Engagement, only a school at Integration is further along.
    assert "Integration Academy" in second and "Engagement High" not in second


def test_counts_not_names_when_the_hub_keeps_them(client_for, leader, hub, lampton_audit):
    _member(hub, "Integration Academy", 4)
    _member(hub, "Engagement High", 3)
    _member(hub, "Isolation Primary", 1)
    page = _report(client_for(leader), lampton_audit)
    assert "Integration Academy" not in page and "Engagement High" not in page
    # Said once for the page, not under every gap.
    assert page.count("share how many member schools are at each stage, not which") == 1
    first = _gap(page, 1)
    counts = {"Isolation": 1, "Initiation": 0, "Engagement": 1, "Integration": 1}
    for stage, count in counts.items():
        assert f"{stage}: {count}" in first


def test_too_few_schools_are_not_counted(client_for, leader, hub, lampton_audit):
    """In a hub of two, "1 at Integration" would name the other school."""
    _member(hub, "The Only Other School", 4)
    first = _gap(_report(client_for(leader), lampton_audit), 1)
    assert "Too few member schools have audited to count them here." in first
    assert "Integration: 1" not in first


def test_each_hub_says_what_it_shares(client_for, leader, school, hub, lampton_audit):
    sharing = HubFactory(name="Sharing Hub", names_in_suggestions=True)
    HubMembershipFactory(hub=sharing, school=school)
    _member(sharing, "Named Helper", 4)
    _member(hub, "Counted Helper", 4)
    first = _gap(_report(client_for(leader), lampton_audit), 1)
    assert "In Sharing Hub" in first and "Named Helper" in first
    assert f"In {hub.name}" in first and "Counted Helper" not in first


def test_former_members_and_other_hubs_are_not_counted(
    client_for, leader, hub, other_hub, lampton_audit
):
    Hub.objects.filter(pk=hub.pk).update(names_in_suggestions=True)
    _member(hub, "Left Long Ago", 4, left_on=datetime.date(2021, 8, 31))
    _member(other_hub, "Another Hub's School", 4)
    first = _gap(_report(client_for(leader), lampton_audit), 1)
    assert "Left Long Ago" not in first and "Another Hub" not in first
    assert "No member school is further along in this category yet." in first


def test_the_gap_says_what_the_next_stage_looks_like_here(client_for, leader, lampton_audit):
    from django.utils.html import escape

    from audits.instrument_texts import descriptor

    first = _gap(_report(client_for(leader), lampton_audit), 1)
    assert "What Engagement looks like here:" in first
    assert escape(descriptor(CATEGORY_BY_NUMBER[1], Stage.ENGAGEMENT)) in first


def test_a_coordinator_sees_the_pairings_not_the_leaders_view(
    client_for, coordinator, hub, lampton_audit
):
    _member(hub, "Integration Academy", 4)
    page = _report(client_for(coordinator), lampton_audit)
    assert 'class="gap-help"' not in page
    assert "Suggested pairings for Lampton School" in page


def test_the_report_lists_files_and_links(client_for, leader, school):
    audit = make_audit(school, stages=LAMPTON, period="2026/27", submitted=False)
    rating = audit.ratings.get(category=2)
    link = EvidenceLink.objects.create(
        rating=rating, url="https://example.org/review", title="Peer review"
    )
    page = _report(client_for(leader), audit)
    assert f'href="{link.url}"' in page and ">Peer review</a>" in page


# -- the coordinator's setting -----------------------------------------------------------------


def _sharing(hub):
    return reverse("audits:hub_sharing", args=[hub.slug])


def test_the_coordinator_turns_names_on_and_it_is_recorded(client_for, coordinator, hub):
    client = client_for(coordinator)
    page = client.get(reverse("audits:hub_detail", args=[hub.slug])).content.decode()
    assert "Member schools see how many schools are at each stage, not which." in page
    assert f'href="{_sharing(hub)}"' in page
    response = client.post(_sharing(hub), {"names_in_suggestions": "True"})
    assert response.url == reverse("audits:hub_detail", args=[hub.slug])
    hub.refresh_from_db()
    assert hub.names_in_suggestions
    assert hub.history.latest().history_user == coordinator
    page = client.get(reverse("audits:hub_detail", args=[hub.slug])).content.decode()
    assert "Member schools see the names of the schools that can help them." in page


def test_a_junk_choice_is_a_field_error(client_for, coordinator, hub):
    response = client_for(coordinator).post(_sharing(hub), {"names_in_suggestions": "maybe"})
    assert response.status_code == 200
    page = response.content.decode()
    [error] = response.context["form"].errors["names_in_suggestions"]
    assert "Select a valid choice" in error
    assert 'href="#id_names_in_suggestions_0"' in page  # the first choice: GOV.UK's pattern
    assert 'id="id_names_in_suggestions_0"' in page
    hub.refresh_from_db()
    assert not hub.names_in_suggestions


@pytest.mark.parametrize("person", ["leader", "outsider", "other_coordinator"])
def test_only_its_coordinators_decide(request, client_for, hub, person):
    client = client_for(request.getfixturevalue(person))
    assert client.get(_sharing(hub)).status_code == 404
    assert client.post(_sharing(hub), {"names_in_suggestions": "True"}).status_code == 404
    hub.refresh_from_db()
    assert not hub.names_in_suggestions


# -- the rule ----------------------------------------------------------------------------------


def _stages(key, name, stage, phase="Secondary"):
    return rules.SchoolStages(key, name, phase, dict.fromkeys(range(1, 10), stage))


def test_the_rule_finds_help_for_every_gap_only_further_along():
    learner = _stages(1, "Learner", 3)
    schools = [learner, _stages(2, "Also engaged", 3), _stages(3, "Integrated", 4)]
    pairings = rules.suggest_pairings(schools, learners=[learner], needing=rules.BELOW_INTEGRATION)
    assert {p.helper.name for p in pairings} == {"Integrated"}
    assert len(pairings) == 9
    # The coordinator's page keeps to Isolation and Initiation.
    assert rules.suggest_pairings(schools, learners=[learner]) == []


def test_stage_counts_count_each_stage_and_leave_out_the_unrated():
    schools = [_stages(1, "A", 4), _stages(2, "B", 4), _stages(3, "C", 1), _stages(4, "D", None)]
    counts = rules.stage_counts(schools, CATEGORY_BY_NUMBER[5])
    assert counts == {
        Stage.ISOLATION: 1,
        Stage.INITIATION: 0,
        Stage.ENGAGEMENT: 0,
        Stage.INTEGRATION: 2,
    }
    assert list(counts) == list(Stage)
