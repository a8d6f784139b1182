"""Writes that span several community rows, each atomic, with keyword-only arguments.

Carrying a closed school's community to its successor (a conversion or merger gives a
school a new URN) runs every registered carrier in one transaction: hub memberships
here; other apps add theirs with `carries` (from their AppConfig.ready), so that what a
school has built carries over the same way whatever it is.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from communities.lineage import NoSingleSuccessor, successor_of
from communities.models import HubMembership, School


class CarryOverError(Exception):
    """What cannot be carried to a successor, and why."""


@dataclass
class CarryOver:
    """One carry-over under way: what each carrier moved, in words for the admin."""

    school: School
    successor: School
    on: datetime.date
    today: datetime.date
    moved: list = field(default_factory=list)
    already_member: list = field(default_factory=list)

    def message(self) -> str:
        hubs = ", ".join(m.hub.name for m in self.moved) or "none"
        text = (
            f"{self.school}: memberships ended on {self.on:%d %B %Y} and carried to "
            f"{self.successor} ({hubs})."
        )
        if self.already_member:
            text += f" Already a member, left as it was: {', '.join(self.already_member)}."
        return text


Carrier = Callable[[CarryOver], int]
CARRIERS: list[Carrier] = []


def carries(carrier: Carrier) -> Carrier:
    """Registers a carrier: called with the carry-over inside its transaction, it moves
    one kind of thing to the successor and returns how many it moved."""
    CARRIERS.append(carrier)
    return carrier


def carries_before_memberships(carrier: Carrier) -> Carrier:
    """Registers a carrier that runs before the memberships end: what ends with a
    membership (open support) must have moved to the successor first."""
    CARRIERS.insert(0, carrier)
    return carrier


def school_carry_to_successor(*, school: School, today: datetime.date | None = None) -> CarryOver:
    """End a closed school's current hub memberships on its successor link's date (or
    today) and open the same memberships, with the same role, for its successor; then
    every other registered carrier. Atomic, and recorded in history. A lead school's hub
    gets the successor as lead. Raises CarryOverError, saying why, and changes nothing
    when the school is open, has no single open successor or nothing to carry."""
    if school.status != School.Status.CLOSED:
        raise CarryOverError(f"{school} is not closed; only a closed school's memberships move.")
    try:
        successor, on = successor_of(school)
    except NoSingleSuccessor as error:
        raise CarryOverError(f"{error}; move its memberships by hand.") from None
    if successor.status == School.Status.CLOSED:
        raise CarryOverError(f"{school}'s successor {successor} is closed too.")
    today = today or timezone.localdate()
    carry = CarryOver(school=school, successor=successor, on=on or today, today=today)
    with transaction.atomic():
        if not sum(carrier(carry) for carrier in CARRIERS):
            raise CarryOverError(f"{school} has no current hub memberships.")
    return carry


@carries
def _carry_memberships(carry: CarryOver) -> int:
    memberships = list(
        HubMembership.objects.current(carry.today)
        .select_for_update()
        .filter(school=carry.school)
        .select_related("hub")
    )
    for membership in memberships:
        _carry_membership(membership, carry)
    return len(memberships)


def _carry_membership(membership: HubMembership, carry: CarryOver) -> None:
    hub, left_on = membership.hub, max(carry.on, membership.joined_on)
    membership.left_on = left_on
    membership.save(update_fields=["left_on"])
    if HubMembership.objects.filter(hub=hub, school=carry.successor, left_on__isnull=True).exists():
        carry.already_member.append(hub.name)
    else:
        HubMembership.objects.create(
            hub=hub, school=carry.successor, role=membership.role, joined_on=left_on
        )
        carry.moved.append(membership)
    if hub.lead_school_id == carry.school.pk:
        hub.lead_school = carry.successor
        hub.save(update_fields=["lead_school"])
