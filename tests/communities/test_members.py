"""A coordinator's member pages: list, add a school from the register, end a membership
(dated, kept; open support ends with it), invite a leader (an email with a link usable
once, expiring); and the invitee setting a password or accepting with their account."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from communities import members as services
from communities.models import HubMembership, LeaderInvitation, SentMessage, SupportAgreement
from tests.factories import SchoolFactory, UserFactory, make_audit

TODAY = timezone.localdate()


def members_url(hub):
    return reverse("communities:hub_members", args=[hub.slug])


def add_url(hub, q=""):
    return reverse("communities:hub_member_add", args=[hub.slug]) + (f"?q={q}" if q else "")


def invite_url(hub, school):
    return reverse("communities:leader_invite", args=[hub.slug, school.pk])


def end_url(membership):
    return reverse("communities:membership_end", args=[membership.pk])


PEOPLE = [
    (None, 302),
    ("leader", 404),
    ("member_leader", 404),
    ("outsider", 404),
    ("other_coordinator", 404),
    ("admin_user", 404),  # admins keep the admin
    ("coordinator", 200),
]


@pytest.mark.parametrize(("who", "status"), PEOPLE)
def test_who_sees_the_member_pages(request, client_for, hub, school, who, status):
    client = client_for(request.getfixturevalue(who) if who else None)
    membership = school.memberships.get()

    for url in (members_url(hub), add_url(hub), invite_url(hub, school), end_url(membership)):
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(("who", "status"), PEOPLE[:-1])
def test_refused_posts_change_nothing(request, client_for, hub, school, who, status):
    client = client_for(request.getfixturevalue(who) if who else None)
    newcomer = SchoolFactory(name="Newcomer")
    membership = school.memberships.get()

    client.post(add_url(hub), {"school": newcomer.pk})
    client.post(end_url(membership), {"left_on": TODAY.isoformat()})
    client.post(invite_url(hub, school), {"email": "new@example.org"})

    assert not HubMembership.objects.filter(school=newcomer).exists()
    assert HubMembership.objects.get(pk=membership.pk).left_on is None
    assert not LeaderInvitation.objects.exists()


def test_members_list_shows_current_and_former(client_for, coordinator, hub, school):
    leaver = SchoolFactory(name="Leaver School")
    HubMembership.objects.create(
        hub=hub,
        school=leaver,
        joined_on=datetime.date(2020, 9, 1),
        left_on=datetime.date(2022, 7, 31),
    )

    content = client_for(coordinator).get(members_url(hub)).content.decode()

    assert "Lampton School" in content
    assert "Leaver School: from 1 September 2020 to 31 July 2022" in content


def test_search_by_name_or_urn_then_add(client_for, coordinator, hub):
    found = SchoolFactory(name="Heathland School", urn="123456")
    client = client_for(coordinator)

    by_name = client.get(add_url(hub, "heathland"))
    by_urn = client.get(add_url(hub, "123456"))
    assert by_name.context["matches"] == [found] == by_urn.context["matches"]
    assert client.get(add_url(hub, "Lampton")).context["matches"] == []  # a member already

    response = client.post(add_url(hub), {"school": found.pk})

    assert response.status_code == 302
    membership = HubMembership.objects.get(hub=hub, school=found)
    assert membership.joined_on == TODAY
    assert membership.history.first().history_user == coordinator


def test_adding_a_member_twice_is_an_error(client_for, coordinator, hub, school):
    response = client_for(coordinator).post(add_url(hub), {"school": school.pk})

    assert response.status_code == 200
    assert "already a member" in response.context["error_links"][0][1]
    assert HubMembership.objects.filter(hub=hub, school=school).count() == 1


def test_adding_an_unknown_school_is_an_error_not_a_500(client_for, coordinator, hub):
    response = client_for(coordinator).post(add_url(hub), {"school": "999999"})

    assert response.status_code == 200
    assert response.context["error_links"]


def test_ending_a_membership_keeps_it_dated_and_ends_open_support(
    client_for, coordinator, hub, school, member_school
):
    agreement = SupportAgreement.objects.create(
        hub=hub, supporting_school=member_school, supported_school=school, category=1,
        goal="Reading", started_on=datetime.date(2024, 9, 1), proposed_by=coordinator,
    )  # fmt: skip
    membership = member_school.memberships.get()

    response = client_for(coordinator).post(end_url(membership), {"left_on": TODAY.isoformat()})

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left_on == TODAY
    assert membership.history.first().history_user == coordinator
    agreement.refresh_from_db()
    assert agreement.status != SupportAgreement.Status.PROPOSED


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter the date the school left."),
        ("2019-01-01", "cannot end before the school joined"),
        ("2999-01-01", "Enter today or a date in the past."),
        ("yesterday", "Enter a real date"),
    ],
)
def test_bad_end_dates_are_field_errors(
    client_for, coordinator, hub, member_school, value, message
):
    membership = member_school.memberships.get()

    response = client_for(coordinator).post(end_url(membership), {"left_on": value})

    assert response.status_code == 200
    anchor, text = response.context["error_links"][0]
    assert anchor == "id_left_on" and message in text
    assert HubMembership.objects.get(pk=membership.pk).left_on is None


def test_an_ended_membership_cannot_be_ended_again(client_for, coordinator, hub, member_school):
    membership = member_school.memberships.get()
    client = client_for(coordinator)
    client.post(end_url(membership), {"left_on": TODAY.isoformat()})

    assert client.get(end_url(membership)).status_code == 404
    with pytest.raises(services.MembershipEnded):
        services.membership_end(membership=membership, on=TODAY, by=coordinator)


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Posts the invitation form; the email goes out as after the commit."""

    def post(client, hub, school, email="new.head@example.org", name="Ana Head"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(invite_url(hub, school), {"email": email, "name": name})

    return post


def accept_link() -> str:
    return re.search(r"/invitations/[^/\s\"]+/", mail.outbox[-1].body).group(0)


def test_an_invitation_is_emailed_with_a_link(invite, client_for, coordinator, hub, member_school):
    response = invite(client_for(coordinator), hub, member_school)

    assert response.status_code == 302
    invitation = LeaderInvitation.objects.get()
    assert invitation.email == "new.head@example.org"
    assert invitation.expires_at > timezone.now() + datetime.timedelta(days=6)
    assert SentMessage.objects.get().kind == SentMessage.Kind.LEADER_INVITATION
    assert mail.outbox[-1].to == ["new.head@example.org"]
    assert member_school.name in mail.outbox[-1].subject
    token = accept_link().split("/")[-2]
    assert invitation.token_digest != token  # only its digest is kept


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter the email address of the person to invite."),
        ("not-an-address", "Enter an email address"),
        ("coordinator_a@example.org", "You cannot invite yourself"),
        ("COORDINATOR_A@example.org", "You cannot invite yourself"),
        (f"{'x' * 250}@example.org", "at most 254 characters"),
    ],
)
def test_bad_invitations_are_field_errors(
    invite, client_for, coordinator, hub, member_school, email, message
):
    response = invite(client_for(coordinator), hub, member_school, email=email)

    assert response.status_code == 200
    anchor, text = response.context["error_links"][0]
    assert anchor == "id_email" and message in text
    assert not LeaderInvitation.objects.exists()


def test_no_invitation_to_a_school_that_has_its_leaders(
    invite, client_for, coordinator, hub, member_school, member_leader
):
    """Its leaders invite their colleagues (through an administrator): a coordinator
    gives no role at a school that has its own people."""
    client = client_for(coordinator)
    assert client.get(invite_url(hub, member_school)).status_code == 404
    assert invite(client, hub, member_school).status_code == 404
    assert not LeaderInvitation.objects.exists()
    listed = client.get(members_url(hub)).content.decode()
    assert f'Invite a leader<span class="visually-hidden"> of {member_school.name}' not in listed


@pytest.mark.parametrize("claimed_by", ["a leader", "an audit"])
def test_a_school_with_leaders_or_audits_is_not_added_by_a_coordinator(
    client_for, coordinator, hub, claimed_by
):
    found = SchoolFactory(name="Heathland School", urn="123456")
    if claimed_by == "a leader":
        found.leaders.add(UserFactory())
    else:
        make_audit(found, stages=3)

    SchoolFactory(name="Heathland Primary", urn="123457")  # nobody's yet
    client = client_for(coordinator)
    listed = client.get(add_url(hub) + "?q=Heathland").content.decode()
    response = client.post(add_url(hub), {"school": found.pk})

    assert listed.count("an administrator adds it, with their agreement") == 1
    assert 'Add<span class="visually-hidden"> Heathland Primary' in listed
    assert 'Add<span class="visually-hidden"> Heathland School' not in listed
    assert response.status_code == 200
    assert "an administrator adds it" in response.context["error_links"][0][1]
    assert not HubMembership.objects.filter(hub=hub, school=found).exists()


@pytest.mark.parametrize("change", ["the school left", "the inviter stopped coordinating"])
def test_an_invitation_no_longer_given_by_a_coordinator_does_nothing(
    invite, client, client_for, coordinator, hub, member_school, change
):
    invite(client_for(coordinator), hub, member_school)
    link = accept_link()
    client.logout()
    if change == "the school left":
        membership = HubMembership.objects.get(hub=hub, school=member_school)
        client_for(coordinator).post(end_url(membership), {"left_on": TODAY.isoformat()})
        assert LeaderInvitation.objects.get().withdrawn_at is not None
    else:
        hub.coordinators.remove(coordinator)
    client.logout()

    response = client.post(
        link, {"new_password1": "a-long-new-pass-phrase", "new_password2": "a-long-new-pass-phrase"}
    )

    assert response.status_code == 404
    assert not member_school.leaders.exists()


def test_no_invitation_to_a_school_outside_the_hub(
    invite, client_for, coordinator, hub, other_school
):
    response = invite(client_for(coordinator), hub, other_school)

    assert response.status_code == 404
    assert not LeaderInvitation.objects.exists()


def test_the_invitee_sets_a_password_once_and_leads_the_school(
    invite, client, client_for, coordinator, hub, member_school
):
    invite(client_for(coordinator), hub, member_school)
    link = accept_link()
    client.logout()

    assert client.get(link).status_code == 200
    weak = client.post(link, {"new_password1": "abc", "new_password2": "abc"})
    assert weak.status_code == 200 and weak.context["error_links"]
    response = client.post(
        link, {"new_password1": "a-long-new-pass-phrase", "new_password2": "a-long-new-pass-phrase"}
    )

    assert response.status_code == 302
    user = get_user_model().objects.get(email="new.head@example.org")
    assert user.check_password("a-long-new-pass-phrase")
    assert user.first_name == "Ana"
    assert member_school.leaders.filter(pk=user.pk).exists()
    assert member_school.history.first().history_user == coordinator
    client.logout()
    assert client.get(link).status_code == 404  # once


def test_an_expired_or_withdrawn_link_does_nothing(
    invite, client, client_for, coordinator, hub, member_school
):
    invite(client_for(coordinator), hub, member_school)
    link = accept_link()
    client.logout()
    LeaderInvitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    response = client.post(
        link, {"new_password1": "a-long-new-pass-phrase", "new_password2": "a-long-new-pass-phrase"}
    )

    assert response.status_code == 404
    assert not get_user_model().objects.filter(email="new.head@example.org").exists()


def test_a_junk_token_is_a_404_naming_nothing(client, hub):
    response = client.get(reverse("communities:invitation_accept", args=["junk"]))

    assert response.status_code == 404
    assert b"London West" not in response.content


def test_an_existing_account_logs_in_then_accepts(
    invite, client, client_for, coordinator, hub, member_school
):
    existing = UserFactory(username="known", email="known@example.org")
    invite(client_for(coordinator), hub, member_school, email="known@example.org")
    link = accept_link()
    client.logout()

    anonymous = client.get(link)
    assert anonymous.context["has_account"] and not anonymous.context["matches"]
    assert client.post(link).status_code == 200  # nothing to accept without logging in
    assert not member_school.leaders.filter(pk=existing.pk).exists()

    client.force_login(existing)
    response = client.post(link)

    assert response.status_code == 302
    assert member_school.leaders.filter(pk=existing.pk).exists()


def test_another_account_cannot_accept(
    invite, client, client_for, coordinator, hub, member_school, outsider
):
    UserFactory(username="known", email="known@example.org")
    invite(client_for(coordinator), hub, member_school, email="known@example.org")
    link = accept_link()
    client.force_login(outsider)

    client.post(link)

    assert not member_school.leaders.filter(pk=outsider.pk).exists()
    assert LeaderInvitation.objects.get().accepted_at is None


def test_a_school_gets_one_first_leader_from_several_invitations(coordinator, hub, member_school):
    first, second = (
        services.leader_invite(
            hub=hub, school=member_school, email=email, name=name, by=coordinator
        )
        for email, name in [("a@example.org", "Ana\r\nBcc: x@example.org"), ("b@example.org", "")]
    )
    assert first.name == "Ana Bcc: x@example.org"

    services.invitation_accept(invitation=first, password="a-long-new-pass-phrase")

    with pytest.raises(services.InvitationNotUsable):
        services.invitation_accept(invitation=second, password="a-long-new-pass-phrase")
    assert list(member_school.leaders.values_list("email", flat=True)) == ["a@example.org"]
    second.refresh_from_db()
    assert second.withdrawn_at is not None and second.accepted_at is None


def test_the_inviter_cannot_accept_their_own_invitation(coordinator, hub, member_school):
    invitation = services.leader_invite(
        hub=hub, school=member_school, email="x@example.org", name="", by=coordinator
    )
    coordinator.email = "x@example.org"
    coordinator.save()

    with pytest.raises(services.PermissionDenied):
        services.invitation_accept(invitation=invitation, user=coordinator)
    assert not member_school.leaders.filter(pk=coordinator.pk).exists()


def test_members_page_lists_open_invitations(invite, client_for, coordinator, hub, member_school):
    client = client_for(coordinator)
    invite(client, hub, member_school)

    assert "Invited: new.head@example.org" in client.get(members_url(hub)).content.decode()


@pytest.mark.parametrize("size", [2, 20])
def test_members_page_query_count_is_constant(
    client_for, coordinator, hub, django_assert_num_queries, size
):
    for index in range(size):
        school = SchoolFactory(name=f"M{index:02d}")
        HubMembership.objects.create(hub=hub, school=school)
        if index % 2:
            school.leaders.add(UserFactory(username=f"head{index:02d}"))
    client = client_for(coordinator)

    with django_assert_num_queries(5):  # session, user, hub, memberships, invitations
        response = client.get(members_url(hub))
    assert response.status_code == 200
    assert response.content.decode().count("M0") >= min(size, 10)
