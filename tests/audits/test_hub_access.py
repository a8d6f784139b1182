"""What the hub pages let slip, beyond the access matrix (tests/clc_audit): the 404s of
outsiders name no member school, a member's leader sees counts and never another
school, a former member's leader gets nothing, and the hub's own audit is linked for its
coordinators only."""

import pytest
from django.urls import reverse

from tests.factories import HubMembershipFactory, SchoolFactory, make_audit

FULL_URLS = [
    "audits:hub_detail",
    "audits:hub_export_csv",
    "audits:hub_export_xlsx",
    "audits:hub_export_pairings_csv",
]
ALL_URLS = [*FULL_URLS, "audits:hub_summary"]


@pytest.fixture
def secret_member(hub):
    school = SchoolFactory(name="Secret Member Academy")
    HubMembershipFactory(hub=hub, school=school)
    make_audit(school, stages=[1, 2, 3, 4, 4, 4, 4, 4, 4])
    return school


@pytest.mark.parametrize("name", ALL_URLS)
@pytest.mark.parametrize("person", ["outsider", "other_coordinator"])
def test_everyone_else_gets_404(client_for, request, hub, secret_member, name, person):
    user = request.getfixturevalue(person)

    response = client_for(user).get(reverse(name, args=[hub.slug]))

    assert response.status_code == 404
    assert b"Secret Member" not in response.content


def test_member_leader_sees_counts_but_no_other_school(client_for, leader, hub, secret_member):
    response = client_for(leader).get(reverse("audits:hub_summary", args=[hub.slug]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Secret Member" not in content
    assert "Lampton School" not in content
    assert reverse("audits:school_journey", args=[secret_member.pk]) not in content
    assert "Stages by category" in content
    assert "1 Virtuous" not in content and "0 Virtuous" in content


def test_leader_of_a_former_member_gets_404(client_for, leader, hub, school):
    membership = school.memberships.get(hub=hub)
    membership.left_on = membership.joined_on
    membership.save()

    response = client_for(leader).get(reverse("audits:hub_summary", args=[hub.slug]))

    assert response.status_code == 404


def test_unknown_hub_is_404_even_for_superuser(client_for, admin_user):
    response = client_for(admin_user).get(reverse("audits:hub_detail", args=["nope"]))

    assert response.status_code == 404


def test_summary_hides_hub_audit_link_from_leaders(client_for, leader, coordinator, hub):
    audit = make_audit(hub=hub, stages=4)
    report = reverse("audits:audit_report", args=[audit.pk])

    as_leader = client_for(leader).get(reverse("audits:hub_summary", args=[hub.slug]))
    as_coordinator = client_for(coordinator).get(reverse("audits:hub_detail", args=[hub.slug]))

    assert report not in as_leader.content.decode()
    assert "Virtuous" in as_leader.content.decode()
    assert report in as_coordinator.content.decode()
