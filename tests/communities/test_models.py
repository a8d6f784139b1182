"""Who may see a school or a hub (the deciders and their scopes), the register's lineage
rule, and the per-person profile."""

import pytest
from django.http import Http404

from communities.models import (
    PREDECESSOR_LINK_TYPES,
    SUCCESSOR_LINK_TYPES,
    Hub,
    HubMembership,
    Profile,
    School,
    SchoolLink,
    get_hub_for,
    get_school_for,
)
from tests.factories import HubMembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

# The link types the register publishes in its links file, as published.
PUBLISHED_LINK_TYPES = [
    "Predecessor",
    "Predecessor - merged",
    "Predecessor - amalgamated",
    "Predecessor - Split School",
    "Successor",
    "Successor - merged",
    "Successor - amalgamated",
    "Successor - Split School",
    "Result of Amalgamation",
    "Merged - expansion in school capacity and changer in age range",
    "Merged - change in age range",
    "Merged - expansion of school capacity",
    "Expansion",
    "Sixth Form Centre Link",
    "Sixth Form Centre School",
    "Children's Centre Link",
    "Closure",
    "Other",
]


@pytest.mark.parametrize("link_type", PUBLISHED_LINK_TYPES)
def test_the_lineage_rule_is_the_same_in_python_and_in_the_database(link_type):
    a, b = SchoolFactory(), SchoolFactory()
    link = SchoolLink.objects.create(
        school=a, linked_urn=b.urn, linked_school=b, link_type=link_type
    )
    as_predecessor = SchoolLink.objects.predecessors_of([a.pk]).filter(pk=link.pk).exists()
    as_successor = SchoolLink.objects.successors_of(a).filter(pk=link.pk).exists()
    assert (link.is_predecessor, link.is_successor) == (as_predecessor, as_successor)
    assert link.is_predecessor == (link_type in PREDECESSOR_LINK_TYPES)
    assert link.is_successor == (link_type in SUCCESSOR_LINK_TYPES)
    assert not (link.is_predecessor and link.is_successor)


def test_school_decider_reads_for_leaders_and_coordinators_and_leads_for_leaders(
    leader, coordinator, outsider, other_coordinator, admin_user, school
):
    assert get_school_for(leader, school.pk) == school
    assert get_school_for(leader, school.pk, lead=True) == school
    assert get_school_for(coordinator, school.pk) == school
    assert get_school_for(admin_user, school.pk) == school
    for person, lead in [
        (coordinator, True),
        (admin_user, True),
        (outsider, False),
        (other_coordinator, False),
    ]:
        with pytest.raises(Http404):
            get_school_for(person, school.pk, lead=lead)


def test_hub_decider_says_how_much_each_person_sees(
    leader, coordinator, outsider, other_coordinator, admin_user, hub
):
    assert get_hub_for(coordinator, hub.slug).sees_rows
    assert get_hub_for(admin_user, hub.slug).sees_rows
    assert not get_hub_for(leader, hub.slug).sees_rows
    assert get_hub_for(coordinator, hub.slug, need="coordinate").hub == hub
    refused = [
        (leader, "rows"),
        (leader, "coordinate"),
        (admin_user, "coordinate"),  # an admin does not act as the hub's coordinator
        (outsider, "summary"),
        (other_coordinator, "summary"),
    ]
    for person, need in refused:
        with pytest.raises(Http404):
            get_hub_for(person, hub.slug, need=need)


def test_the_scopes_follow_current_memberships_only(leader, coordinator, hub, school):
    assert list(Hub.objects.of_schools_led_by(leader)) == [hub]
    assert list(School.objects.visible_to(coordinator)) == [school]
    membership = HubMembership.objects.get(hub=hub, school=school)
    membership.left_on = membership.joined_on
    membership.save()
    assert list(Hub.objects.of_schools_led_by(leader)) == []
    assert list(School.objects.visible_to(coordinator)) == []
    HubMembershipFactory(hub=hub, school=SchoolFactory(name="Still In"))
    assert [s.name for s in School.objects.visible_to(coordinator)] == ["Still In"]


def test_a_profile_is_created_on_demand_once():
    user = UserFactory()
    assert not Profile.objects.filter(user=user).exists()
    profile = Profile.objects.for_user(user)
    assert (profile.language, profile.email_reminders) == ("", True)
    assert Profile.objects.for_user(user) == profile
    assert Profile.objects.filter(user=user).count() == 1


def test_the_admin_shows_and_keeps_a_persons_settings(admin_client, leader):
    page = admin_client.get(f"/admin/auth/user/{leader.pk}/change/")
    assert page.status_code == 200
    assert "Email reminders" in page.content.decode()
