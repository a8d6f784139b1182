"""Agreed support between two schools of a hub: proposed by either school's leader (where
the hub names schools in its suggestions) or its coordinator, accepted by the other side
(both, for the coordinator's), then a partnership each, feeding the category; ended with
what it achieved; ended when a school leaves; carried to a successor school."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from communities import support
from communities.models import Hub, HubMembership, Partnership, SchoolLink, SupportAgreement
from communities.services import school_carry_to_successor
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 9, 1)


@pytest.fixture
def sharing_hub(hub):
    Hub.objects.filter(pk=hub.pk).update(names_in_suggestions=True)
    hub.refresh_from_db()
    return hub


def _propose(hub, supporting, supported, by, category=4):
    return support.support_propose(
        hub=hub,
        supporting=supporting,
        supported=supported,
        category=category,
        goal="Coaching middle leaders",
        started_on=START,
        by=by,
    )


def test_a_leaders_proposal_waits_for_the_other_school(
    sharing_hub, school, leader, member_school, member_leader
):
    agreement = _propose(sharing_hub, member_school, school, leader)
    assert agreement.status == "proposed"
    assert agreement.supported_accepted_by == leader  # the proposer's own side
    assert support.sides_to_answer(agreement, leader) == []
    assert support.sides_to_answer(agreement, member_leader) == ["supporting"]
    assert list(SupportAgreement.objects.waiting_for(member_leader)) == [agreement]
    assert not SupportAgreement.objects.waiting_for(leader).exists()


def test_accepting_agrees_and_gives_each_school_a_partnership_feeding_the_category(
    sharing_hub, school, leader, member_school, member_leader
):
    agreement = support.support_accept(
        agreement=_propose(sharing_hub, member_school, school, leader), by=member_leader
    )
    assert agreement.status == "agreed"
    given, received = agreement.supporting_partnership, agreement.supported_partnership
    assert (given.school, given.partner.school) == (member_school, school)
    assert (received.school, received.partner.school) == (school, member_school)
    assert [c.number for c in given.categories] == [4] == [c.number for c in received.categories]
    assert given.started_on == START and given.history.latest().history_user == member_leader
    assert agreement.history.latest().history_user == member_leader


def test_a_coordinators_proposal_needs_both_leaders(
    hub, school, leader, coordinator, member_school, member_leader
):
    agreement = _propose(hub, member_school, school, coordinator)
    assert agreement.supporting_accepted_at is None and agreement.supported_accepted_at is None
    agreement = support.support_accept(agreement=agreement, by=leader)
    assert agreement.status == "proposed"
    agreement = support.support_accept(agreement=agreement, by=member_leader)
    assert agreement.status == "agreed"


@pytest.mark.parametrize("person", ["outsider", "other_coordinator", "admin_user"])
def test_who_may_not_propose(request, hub, school, member_school, person):
    with pytest.raises(PermissionDenied):
        _propose(hub, member_school, school, request.getfixturevalue(person))
    assert not SupportAgreement.objects.exists()


def test_a_leader_may_not_propose_where_the_hub_keeps_names(hub, school, leader, member_school):
    with pytest.raises(PermissionDenied):
        _propose(hub, member_school, school, leader)


def test_support_is_only_between_current_members(sharing_hub, school, leader, other_school):
    with pytest.raises(PermissionDenied):
        _propose(sharing_hub, other_school, school, leader)


def test_the_same_open_support_twice_is_refused(sharing_hub, school, leader, member_school):
    _propose(sharing_hub, member_school, school, leader)
    with pytest.raises(ValidationError):
        _propose(sharing_hub, member_school, school, leader)
    assert SupportAgreement.objects.count() == 1


def test_declining_and_withdrawing_keep_it_dated(
    sharing_hub, school, leader, member_school, member_leader
):
    declined = support.support_decline(
        agreement=_propose(sharing_hub, member_school, school, leader), by=member_leader
    )
    assert declined.status == "declined" and declined.closed_by == member_leader
    withdrawn = support.support_withdraw(
        agreement=_propose(sharing_hub, member_school, school, leader), by=leader
    )
    assert withdrawn.status == "withdrawn" and withdrawn.closed_at is not None
    assert SupportAgreement.objects.count() == 2
    with pytest.raises(support.SupportNotOpen):
        support.support_accept(agreement=withdrawn, by=member_leader)


def test_ending_keeps_what_it_achieved_and_ends_both_partnerships(
    sharing_hub, school, leader, member_school, member_leader
):
    agreement = support.support_accept(
        agreement=_propose(sharing_hub, member_school, school, leader), by=member_leader
    )
    on = START + datetime.timedelta(days=200)
    ended = support.support_end(agreement=agreement, on=on, impact="Two stages up", by=leader)
    assert (ended.status, ended.ended_on, ended.impact) == ("ended", on, "Two stages up")
    assert {p.ended_on for p in Partnership.objects.filter(school__in=[school, member_school])} == {
        on
    }
    with pytest.raises(support.SupportNotOpen):
        support.support_end(agreement=ended, on=on, impact="", by=leader)


def test_support_cannot_end_before_it_started(
    sharing_hub, school, leader, member_school, member_leader
):
    agreement = support.support_accept(
        agreement=_propose(sharing_hub, member_school, school, leader), by=member_leader
    )
    with pytest.raises(ValidationError):
        support.support_end(
            agreement=agreement, on=START - datetime.timedelta(days=1), impact="", by=leader
        )
    agreement.refresh_from_db()
    assert agreement.status == "agreed"


def test_leaving_the_hub_ends_open_support_on_that_day(
    sharing_hub, school, leader, member_school, member_leader
):
    agreed = support.support_accept(
        agreement=_propose(sharing_hub, member_school, school, leader), by=member_leader
    )
    proposed = _propose(sharing_hub, member_school, school, leader, category=5)
    membership = HubMembership.objects.get(hub=sharing_hub, school=member_school)
    membership.left_on = datetime.date(2027, 3, 31)
    membership.save()  # however it is saved: the admin, the carry-over, a page
    agreed.refresh_from_db()
    proposed.refresh_from_db()
    assert (agreed.status, agreed.ended_on) == ("ended", datetime.date(2027, 3, 31))
    assert proposed.status == "withdrawn"
    assert agreed.supporting_partnership.ended_on == datetime.date(2027, 3, 31)
    # Kept, and still readable by the coordinator as history.
    assert SupportAgreement.objects.readable_by(member_leader).count() == 2


def test_a_successor_school_carries_on_the_support_and_partnerships(
    sharing_hub, school, leader, member_school, member_leader
):
    agreement = support.support_accept(
        agreement=_propose(sharing_hub, member_school, school, leader), by=member_leader
    )
    successor = SchoolFactory(name="Brentside Academy", urn="900099")
    member_school.status = member_school.Status.CLOSED
    member_school.save()
    SchoolLink.objects.create(
        school=member_school,
        link_type="Successor",
        linked_urn=successor.urn,
        linked_school=successor,
        established_on=datetime.date(2027, 1, 1),
    )
    school_carry_to_successor(school=member_school, today=datetime.date(2027, 1, 2))
    agreement.refresh_from_db()
    assert agreement.status == "agreed" and agreement.supporting_school == successor
    assert agreement.supporting_partnership.school == successor
    old = Partnership.objects.get(school=member_school)
    assert old.ended_on == datetime.date(2027, 1, 1)
    assert (
        HubMembership.objects.current(datetime.date(2027, 1, 2)).filter(school=successor).exists()
    )


# -- the pages -------------------------------------------------------------------------------


def _new_url(hub, supporting, supported, category=4):
    base = reverse("communities:support_new", args=[hub.slug])
    return f"{base}?supporting={supporting.pk}&supported={supported.pk}&category={category}"


def test_a_leader_proposes_from_the_page_and_the_other_accepts(
    client_for, sharing_hub, school, leader, member_school, member_leader
):
    client = client_for(leader)
    page = client.get(_new_url(sharing_hub, member_school, school)).content.decode()
    assert "Brentside Community College" in page and "Leadership × Relevant research" in page
    response = client.post(
        _new_url(sharing_hub, member_school, school),
        {"goal": "Research-informed leadership", "started_on": "2026-09-01"},
    )
    agreement = SupportAgreement.objects.get()
    assert response.url == reverse("communities:support_detail", args=[agreement.pk])
    other = client_for(member_leader)
    home = other.get(reverse("home")).content.decode()
    assert reverse("communities:support_detail", args=[agreement.pk]) in home
    assert "Answer: support from Brentside Community College to Lampton School" in home
    other.post(reverse("communities:support_detail", args=[agreement.pk]), {"action": "accept"})
    agreement.refresh_from_db()
    assert agreement.status == "agreed"


def test_a_proposal_without_a_goal_is_a_field_error(
    client_for, sharing_hub, school, leader, member_school
):
    response = client_for(leader).post(
        _new_url(sharing_hub, member_school, school), {"goal": "", "started_on": "soon"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "goal" in errors and "started_on" in errors
    assert 'href="#id_goal"' in response.content.decode()
    assert not SupportAgreement.objects.exists()


@pytest.mark.parametrize("query", ["supporting=x", "category=10", "supporting=1&supported=1"])
def test_a_junk_proposal_is_a_404(client_for, coordinator, hub, query):
    url = reverse("communities:support_new", args=[hub.slug]) + "?" + query
    assert client_for(coordinator).get(url).status_code == 404


def test_ending_from_the_page_needs_a_date(
    client_for, sharing_hub, school, leader, member_school, member_leader
):
    agreement = support.support_accept(
        agreement=_propose(sharing_hub, member_school, school, leader), by=member_leader
    )
    url = reverse("communities:support_detail", args=[agreement.pk])
    response = client_for(leader).post(url, {"action": "end", "ended_on": "", "impact": "x"})
    assert response.status_code == 200 and "ended_on" in response.context["end_form"].errors
    response = client_for(leader).post(
        url, {"action": "end", "ended_on": "2026-08-01", "impact": "x"}
    )
    assert "Support cannot end before it started." in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == "agreed"


def test_the_hub_page_lists_open_support_and_what_it_achieved(
    client_for, coordinator, sharing_hub, school, leader, member_school, member_leader
):
    from tests.factories import make_audit

    make_audit(school, stages=[2] * 9, period="2025/26")
    agreement = support.support_accept(
        agreement=_propose(sharing_hub, member_school, school, leader), by=member_leader
    )
    page = client_for(coordinator).get(reverse("audits:hub_detail", args=[sharing_hub.slug]))
    text = page.content.decode()
    assert reverse("communities:support_detail", args=[agreement.pk]) in text
    assert "No audit submitted since it began" in text
    make_audit(school, stages=[3] * 9, period="2026/27")  # submitted today, after it began
    text = client_for(coordinator).get(reverse("audits:hub_detail", args=[sharing_hub.slug]))
    assert "Up: Initiation to Engagement (2026/27)" in text.content.decode()


def test_outsiders_never_see_it(client_for, sharing_hub, school, leader, member_school, outsider):
    agreement = _propose(sharing_hub, member_school, school, leader)
    url = reverse("communities:support_detail", args=[agreement.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(outsider).post(url, {"action": "accept"}).status_code == 404
    agreement.refresh_from_db()
    assert agreement.status == "proposed"


def test_an_unknown_action_is_a_404(client_for, sharing_hub, school, leader, member_school):
    agreement = _propose(sharing_hub, member_school, school, leader)
    url = reverse("communities:support_detail", args=[agreement.pk])
    assert client_for(leader).post(url, {"action": "delete"}).status_code == 404
