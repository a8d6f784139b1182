"""A coordinator's writes on the hub: its audit deadline for a period, adding a school,
ending a membership (dated, kept), inviting a member school's leader; and the invitee's
acceptance. Each atomic, with keyword-only arguments.

Roles follow the rules of the admin (`communities.admin_roles`): nobody gives themselves a
role, and a coordinator gives none to a school that has its own people. A coordinator
adds to the hub a school from the register that nobody in the app leads and that has no
audit yet (a school with leaders joins through an administrator, so that nobody reads its
audits without it), and invites, to a current member school that has no leader yet,
someone who is not themselves; the role is given when the invitee accepts, while the
school is still a member and the inviter still coordinates the hub, and the school's
leaders' history records the inviter as who gave it. The school's own leaders invite
their colleagues through an administrator.
"""

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.mail import queue_email
from communities.models import (
    Hub,
    HubDeadline,
    HubMembership,
    LeaderInvitation,
    School,
    SentMessage,
)
from communities.models.invitations import token_digest

LEADER_INVITATION_DAYS = 7


def _coordinates(user, hub: Hub) -> bool:
    return hub.coordinators.filter(pk=user.pk).exists()


class DeadlineChanged(Exception):
    """The deadline was set by someone else meanwhile: nothing was changed."""

    def __init__(self, current: HubDeadline | None):
        super().__init__("The deadline changed meanwhile.")
        self.current = current


def deadline_version(deadline: HubDeadline | None) -> str:
    """What a deadline form carries to check that nobody changed it meanwhile."""
    return deadline.updated_at.isoformat() if deadline is not None else ""


@transaction.atomic
def hub_deadline_set(*, hub: Hub, period: str, due_on: datetime.date, by, seen: str) -> HubDeadline:
    """Sets the hub's deadline for a period. `seen` is `deadline_version` of the deadline
    the person saw ("": they saw none); raises DeadlineChanged when it has changed
    since, PermissionDenied for someone who does not coordinate the hub."""
    if not _coordinates(by, hub):
        raise PermissionDenied
    deadline = HubDeadline.objects.select_for_update().filter(hub=hub, period=period).first()
    if deadline_version(deadline) != seen:
        raise DeadlineChanged(deadline)
    deadline = deadline or HubDeadline(hub=hub, period=period)
    deadline.due_on, deadline.set_by = due_on, by
    deadline._history_user = by
    deadline.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            deadline.save()
    except IntegrityError:  # set by someone else at the same moment
        raise DeadlineChanged(HubDeadline.objects.get(hub=hub, period=period)) from None
    return deadline


@transaction.atomic
def membership_add(
    *, hub: Hub, school: School, by, joined_on: datetime.date | None = None
) -> HubMembership:
    """Makes the school a member of the hub from `joined_on` (today). Raises
    ValidationError when it is a member already, PermissionDenied for someone who does
    not coordinate the hub."""
    if not _coordinates(by, hub):
        raise PermissionDenied
    membership = HubMembership(
        hub=hub, school=school, role=HubMembership.Role.MEMBER, joined_on=joined_on or _today()
    )
    if HubMembership.objects.filter(hub=hub, school=school, left_on__isnull=True).exists():
        raise ValidationError(_("%(school)s is already a member of this hub.") % {"school": school})
    if not school_is_unclaimed(school):
        raise ValidationError(
            _(
                "%(school)s already has leaders or audits in CLC Audit: an administrator adds "
                "it to the hub, with its leaders' agreement."
            )
            % {"school": school}
        )
    membership._history_user = by
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        raise ValidationError(
            _("%(school)s is already a member of this hub.") % {"school": school}
        ) from None
    return membership


def claimed_schools() -> "QuerySet[School]":
    """Schools someone in the app leads or that have an audit: an administrator adds them
    to a hub, with their leaders' agreement, never a coordinator."""
    return School.objects.filter(Q(leaders__isnull=False) | Q(audits__isnull=False))


def school_is_unclaimed(school: School) -> bool:
    """Nobody leads the school in the app and it has no audit: a coordinator may add it
    to a hub (and invite its first leader) without reading anything of anyone's."""
    return not claimed_schools().filter(pk=school.pk).exists()


def _today() -> datetime.date:
    return timezone.localdate()


class MembershipEnded(Exception):
    """The membership had ended already (meanwhile, perhaps): nothing was changed."""


@transaction.atomic
def membership_end(*, membership: HubMembership, on: datetime.date, by) -> HubMembership:
    """Ends a membership on `on`: kept, dated; the school's open support in the hub ends
    with it (`communities.support`, on the membership's save). Raises ValidationError for
    a date before it started or after today, MembershipEnded when it has ended already,
    PermissionDenied for someone who does not coordinate the hub."""
    locked = HubMembership.objects.select_for_update().select_related("hub", "school")
    locked = locked.get(pk=membership.pk)
    if not _coordinates(by, locked.hub):
        raise PermissionDenied
    if locked.left_on is not None:
        raise MembershipEnded
    if on < locked.joined_on:
        raise ValidationError(
            _("It cannot end before it started (%(date)s).")
            % {"date": locked.joined_on.isoformat()}
        )
    if on > _today():
        raise ValidationError(_("Enter today or a date in the past."))
    locked.left_on = on
    locked._history_user = by
    locked.save()
    LeaderInvitation.objects.usable().filter(hub=locked.hub, school=locked.school).update(
        withdrawn_at=timezone.now()
    )
    return locked


def leads(user, school: School) -> bool:
    return school.leaders.filter(pk=user.pk).exists()


def invitable_membership(hub: Hub, school_id: int) -> HubMembership | None:
    """The school's current membership of the hub, when the school has no leader yet:
    where a coordinator may invite a first leader."""
    current = HubMembership.objects.current().filter(hub=hub, school_id=school_id)
    return current.filter(school__leaders__isnull=True).select_related("school").first()


@transaction.atomic
def leader_invite(*, hub: Hub, school: School, email: str, name: str, by) -> LeaderInvitation:
    """Invites `email` to lead `school`, a current member of `hub`: an invitation link,
    usable once for LEADER_INVITATION_DAYS, sent by email (only the token's digest is
    kept; the queued message's body is emptied once sent). Raises PermissionDenied for
    someone who does not coordinate the hub or a school that is not a current member;
    ValidationError for the person's own address or a school that has a leader already."""
    if not _coordinates(by, hub) or invitable_membership(hub, school.pk) is None:
        raise PermissionDenied
    email = get_user_model().objects.normalize_email(email.strip())
    if by.email and email.lower() == by.email.lower():
        raise ValidationError(_("You cannot invite yourself: nobody gives themselves a role."))
    token = secrets.token_urlsafe(32)
    invitation = LeaderInvitation.objects.create(
        hub=hub,
        school=school,
        email=email,
        name=" ".join(name.split()),  # one line: it greets them in an email
        invited_by=by,
        token_digest=token_digest(token),
        expires_at=timezone.now() + datetime.timedelta(days=LEADER_INVITATION_DAYS),
    )
    _send_invitation(invitation, reverse("communities:invitation_accept", args=[token]))
    return invitation


def _send_invitation(invitation: LeaderInvitation, accept_path: str) -> None:
    queue_email(
        kind=SentMessage.Kind.LEADER_INVITATION,
        to=invitation.email,
        template="leader_invitation",  # templates/emails/leader_invitation*
        context={
            "invitation": invitation,
            "accept_path": accept_path,
            "days": LEADER_INVITATION_DAYS,
            "school_name": invitation.school.name,
            "hub_name": invitation.hub.name,
            "inviter": invitation.invited_by.get_full_name()
            or invitation.invited_by.get_username(),
        },
    )


class InvitationNotUsable(Exception):
    """The invitation was used, withdrawn or has expired (meanwhile, perhaps)."""


@transaction.atomic
def invitation_accept(*, invitation: LeaderInvitation, user=None, password: str = ""):
    """Accepts an invitation, once: for `user` (an existing account with the invited
    address, logged in), or for a new account with that address and `password` (already
    checked by SetPasswordForm). The user becomes a leader of the school; the school's
    leaders' history names the inviter, and the school's other waiting invitations are
    withdrawn (it has its first leader). Returns the user. Raises InvitationNotUsable when
    it was used, withdrawn or has expired, or the school has a leader by now;
    PermissionDenied for an account of another address, or the inviter's own."""
    School.objects.select_for_update().filter(pk=invitation.school_id).first()  # one at a time
    locked = LeaderInvitation.objects.select_for_update().select_related("school", "invited_by")
    locked = locked.usable().filter(pk=invitation.pk).first()
    if locked is None or not _still_given_by_a_coordinator(locked):
        raise InvitationNotUsable
    user = user or _new_account(locked, password)
    if user.email.lower() != locked.email.lower() or user.pk == locked.invited_by_id:
        raise PermissionDenied
    locked.accepted_at, locked.user = timezone.now(), user
    locked.save(update_fields=["accepted_at", "user"])
    school = locked.school
    school._history_user = locked.invited_by
    school.leaders.add(user)
    waiting = LeaderInvitation.objects.usable().filter(school=school).exclude(pk=locked.pk)
    waiting.update(withdrawn_at=locked.accepted_at)
    return user


def _still_given_by_a_coordinator(invitation: LeaderInvitation) -> bool:
    """The school is still a member of the hub with no leader yet, and the inviter still
    coordinates the hub."""
    return _coordinates(invitation.invited_by, invitation.hub) and (
        invitable_membership(invitation.hub, invitation.school_id) is not None
    )


def _new_account(invitation: LeaderInvitation, password: str):
    if get_user_model().objects.filter(email__iexact=invitation.email).exists():
        raise PermissionDenied  # they log in and accept with their account instead
    first, _sep, last = invitation.name.partition(" ")
    user = get_user_model().objects.create_user(
        username=_free_username(invitation.email),
        email=invitation.email,
        password=password,
        first_name=first[:150],
        last_name=last[:150],
    )
    return user


def _free_username(email: str) -> str:
    users = get_user_model().objects
    base = email.lower()[:140]
    name, number = base, 1
    while users.filter(username__iexact=name).exists():
        number += 1
        name = f"{base}-{number}"
    return name
