"""Writes of agreed support, each atomic, with keyword-only arguments: proposing it,
accepting, declining, withdrawing, ending, and ending what is open when a school leaves
its hub. See `communities.models.support` for who answers what.

Once both sides have accepted, each school gets a partnership with the other (a partner
of kind school) feeding the category, so the support counts as evidence and shows in the
hub's partnership map. Every step records who and when.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.instrument import CATEGORY_BY_NUMBER, LearningPhase
from communities.models import (
    Hub,
    HubMembership,
    Partner,
    Partnership,
    PartnershipCategory,
    School,
    SupportAgreement,
)
from communities.models.dates import date_problem
from communities.services import CarryOver, carries_before_memberships

Status = SupportAgreement.Status


class SupportNotOpen(Exception):
    """The agreement was answered, withdrawn or ended meanwhile: nothing was changed."""

    def __init__(self, current: SupportAgreement):
        super().__init__(f"Support {current.pk} is {current.status}.")
        self.current = current


def _leads(user, school: School) -> bool:
    return school.leaders.filter(pk=user.pk).exists()


def _coordinates(user, hub: Hub) -> bool:
    return hub.coordinators.filter(pk=user.pk).exists()


def may_propose(user, hub: Hub, supporting: School, supported: School) -> bool:
    """Who may propose support between two current members of a hub: its coordinators,
    and, where the hub names the schools in its suggestions, a leader of either school."""
    members = HubMembership.objects.current().filter(hub=hub, school__in=[supporting, supported])
    if supporting.pk == supported.pk or members.count() != 2:
        return False
    if _coordinates(user, hub):
        return True
    return hub.names_in_suggestions and (_leads(user, supporting) or _leads(user, supported))


@transaction.atomic
def support_propose(
    *,
    hub: Hub,
    supporting: School,
    supported: School,
    category: int,
    goal: str,
    started_on: datetime.date,
    by,
) -> SupportAgreement:
    """Proposes support. The proposer's own school counts as accepting: the other
    school's leader answers (both schools' leaders, for a coordinator's proposal). Raises
    PermissionDenied when the person may not propose it, ValidationError for what the
    model refuses (the same schools and category already have open support, say)."""
    if not may_propose(by, hub, supporting, supported) or category not in CATEGORY_BY_NUMBER:
        raise PermissionDenied
    now = timezone.now()
    agreement = SupportAgreement(
        hub=hub,
        supporting_school=supporting,
        supported_school=supported,
        category=category,
        goal=goal,
        started_on=started_on,
        proposed_by=by,
    )
    if not _coordinates(by, hub):
        side = "supporting" if _leads(by, supporting) else "supported"
        setattr(agreement, f"{side}_accepted_by", by)
        setattr(agreement, f"{side}_accepted_at", now)
    agreement.full_clean()
    agreement._history_user = by
    try:
        with transaction.atomic():
            agreement.save()
    except IntegrityError:
        raise ValidationError(
            _("These two schools already have open support in this category.")
        ) from None
    return agreement


def sides_to_answer(agreement: SupportAgreement, user) -> list[str]:
    """The sides ("supporting", "supported") this person may still accept for."""
    if agreement.status != Status.PROPOSED:
        return []
    return [
        side
        for side in ("supporting", "supported")
        if getattr(agreement, f"{side}_accepted_at") is None
        and _leads(user, getattr(agreement, f"{side}_school"))
    ]


def _locked(agreement: SupportAgreement, *, statuses=(Status.PROPOSED,)) -> SupportAgreement:
    locked = SupportAgreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.status not in statuses:
        raise SupportNotOpen(locked)
    return locked


@transaction.atomic
def support_accept(*, agreement: SupportAgreement, by) -> SupportAgreement:
    """Accepts a proposal for the side(s) this person leads; when both sides have
    accepted, the support is agreed and each school gets its partnership with the other.
    Raises PermissionDenied for someone with nothing to accept, SupportNotOpen when it
    was answered meanwhile."""
    locked = _locked(agreement)
    sides = sides_to_answer(locked, by)
    if not sides:
        raise PermissionDenied
    now = timezone.now()
    for side in sides:
        setattr(locked, f"{side}_accepted_by", by)
        setattr(locked, f"{side}_accepted_at", now)
    if locked.supporting_accepted_at and locked.supported_accepted_at:
        locked.status = Status.AGREED
        locked.supporting_partnership = _partnership(locked, locked.supporting_school, by)
        locked.supported_partnership = _partnership(locked, locked.supported_school, by)
    locked._history_user = by
    locked.save()
    return locked


def _partnership(agreement: SupportAgreement, school: School, by) -> Partnership:
    """The partnership of `school` with the other school of the agreement, feeding its
    category, from its start."""
    other = (
        agreement.supported_school
        if school.pk == agreement.supporting_school_id
        else agreement.supporting_school
    )
    giving = school.pk == agreement.supporting_school_id
    what = (
        _("Support given, agreed in %(hub)s")
        if giving
        else _("Support received, agreed in %(hub)s")
    )
    partnership = Partnership(
        school=school,
        partner=Partner.of_school(other),
        activity=(what % {"hub": agreement.hub.name})[:200],
        description=agreement.goal,
        started_on=agreement.started_on,
        learning_phase=LearningPhase.COACHING_AND_MENTORING.value,
        updated_by=by,
    )
    partnership._history_user = by
    partnership.save()
    cell = PartnershipCategory(partnership=partnership, category=agreement.category)
    cell._history_user = by
    cell.save()
    return partnership


@transaction.atomic
def support_decline(*, agreement: SupportAgreement, by) -> SupportAgreement:
    """Declines a proposal (a leader who still had to answer it)."""
    locked = _locked(agreement)
    if not sides_to_answer(locked, by):
        raise PermissionDenied
    return _close(locked, Status.DECLINED, by)


@transaction.atomic
def support_withdraw(*, agreement: SupportAgreement, by) -> SupportAgreement:
    """Withdraws a proposal not yet agreed: its proposer, or a coordinator of the hub."""
    locked = _locked(agreement)
    if by.pk != locked.proposed_by_id and not _coordinates(by, locked.hub):
        raise PermissionDenied
    return _close(locked, Status.WITHDRAWN, by)


def may_end(agreement: SupportAgreement, user) -> bool:
    return agreement.status == Status.AGREED and (
        _coordinates(user, agreement.hub)
        or _leads(user, agreement.supporting_school)
        or _leads(user, agreement.supported_school)
    )


@transaction.atomic
def support_end(
    *, agreement: SupportAgreement, on: datetime.date, impact: str, by
) -> SupportAgreement:
    """Ends agreed support on a date with a note of what it achieved; its two
    partnerships end the same day. Raises ValidationError for a date before it started."""
    locked = _locked(agreement, statuses=(Status.AGREED,))
    if not may_end(locked, by):
        raise PermissionDenied
    if on < locked.started_on:
        raise ValidationError({"ended_on": _("Support cannot end before it started.")})
    if problem := date_problem(on):
        raise ValidationError({"ended_on": problem})
    locked.ended_on, locked.impact = on, impact
    _end_partnerships(locked, on, by)
    return _close(locked, Status.ENDED, by)


def _close(locked: SupportAgreement, status: str, by) -> SupportAgreement:
    locked.status = status
    locked.closed_by, locked.closed_at = by, timezone.now()
    locked._history_user = by
    locked.save()
    return locked


def _end_partnerships(agreement: SupportAgreement, on: datetime.date, by) -> None:
    ids = [agreement.supporting_partnership_id, agreement.supported_partnership_id]
    for partnership in Partnership.objects.filter(pk__in=[i for i in ids if i]):
        if partnership.ended_on is None or partnership.ended_on > on:
            partnership.ended_on = max(on, partnership.started_on or on)
            partnership.updated_by = by
            partnership._history_user = by
            partnership.save()


def support_end_on_leaving(*, membership: HubMembership, by=None) -> int:
    """A school left a hub: its open support there ends on the day it left (agreed) or is
    withdrawn (proposed), kept and dated. Returns how many. Called in the transaction
    that ends the membership."""
    on = membership.left_on
    if on is None:
        return 0
    open_support = list(
        SupportAgreement.objects.open()
        .select_for_update()
        .filter(hub_id=membership.hub_id)
        .involving(membership.school)
    )
    for agreement in open_support:
        if agreement.status == Status.AGREED:
            agreement.ended_on = max(on, agreement.started_on)
            _end_partnerships(agreement, agreement.ended_on, by)
            _close(agreement, Status.ENDED, by)
        else:
            _close(agreement, Status.WITHDRAWN, by)
    return len(open_support)


# -- a school converts: its partnerships and open support carry over ----------------------


@carries_before_memberships
def _carry_partnerships_and_support(carry: CarryOver) -> int:
    """The school's current partnerships end on the carry-over's date and start again,
    the same, for its successor; its open support moves to the successor, pointing to the
    successor's partnerships. Returns how many of either moved."""
    copies = {
        partnership.pk: _carry_partnership(partnership, carry)
        for partnership in Partnership.objects.of(carry.school)
        .current(carry.today)
        .select_for_update()
        .prefetch_related("cells")
    }
    open_support = list(SupportAgreement.objects.open().select_for_update().involving(carry.school))
    for agreement in open_support:
        for side in ("supporting", "supported"):
            if getattr(agreement, f"{side}_school_id") == carry.school.pk:
                setattr(agreement, f"{side}_school", carry.successor)
                old = getattr(agreement, f"{side}_partnership_id")
                if old in copies:
                    setattr(agreement, f"{side}_partnership", copies[old])
        agreement.save()
    return len(copies) + len(open_support)


def _carry_partnership(partnership: Partnership, carry: CarryOver) -> Partnership:
    categories = [cell.category for cell in partnership.cells.all()]
    on = max(carry.on, partnership.started_on or carry.on)
    partnership.ended_on = on
    partnership.save(update_fields=["ended_on"])
    copy = Partnership.objects.create(
        school=carry.successor,
        partner=partnership.partner,
        activity=partnership.activity,
        description=partnership.description,
        started_on=on,
        learning_phase=partnership.learning_phase,
        to_review=partnership.to_review,
    )
    for number in categories:
        PartnershipCategory.objects.create(partnership=copy, category=number)
    return copy


def end_support_of_leaving_school(sender, instance: HubMembership, **kwargs) -> None:
    """A membership saved with its end date, however (the admin, the carry-over, the
    coordinator's pages): the school's open support in that hub ends on that date."""
    if instance.left_on is not None and not kwargs.get("raw"):
        support_end_on_leaving(membership=instance)
