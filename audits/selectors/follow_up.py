"""The hub's follow-up list for a period: for each current member school, whether it has
submitted its audit of the period, has a draft (and how far along: counts only, never
its ratings or evidence: a draft stays the school's own) or has not started; and which
submitted audits wait for a peer to answer an invitation to validate them, are being
validated or have been (their live validations, by status). Three queries
whatever the size of the hub: the deadline, the members, their audits of the period.

Engineer M's digest and reminders read `FollowUp.deadline` and `FollowUp.rows[i].school`,
`.state`, `.rated`, `.last_saved`: keep those names.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from audits.instrument import CATEGORIES
from audits.models import Audit, Validation
from communities.models import Hub, HubDeadline, HubMembership, School

SUBMITTED, DRAFT, NOT_STARTED = "submitted", "draft", "not_started"
STATE_LABELS = {
    SUBMITTED: _("Submitted"),
    DRAFT: _("Draft"),
    NOT_STARTED: _("Not started"),
}


@dataclass
class FollowUpRow:
    """One member school: its state for the period and what may be said of it."""

    school: School
    state: str = NOT_STARTED
    rated: int = 0  # categories rated, of a draft (out of nine)
    last_saved: datetime.datetime | None = None  # a draft's
    submitted_at: datetime.datetime | None = None
    validations_waiting: int = 0  # invitations to validate not answered
    validations_under_way: int = 0  # accepted, not completed
    validations_completed: int = 0
    audit_id: int | None = None  # a submitted audit's, for its report

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass
class FollowUp:
    hub: Hub
    period: str
    deadline: HubDeadline | None
    rows: list[FollowUpRow] = field(default_factory=list)
    of: int = len(CATEGORIES)

    def count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)

    @property
    def submitted_count(self) -> int:
        return self.count(SUBMITTED)

    @property
    def draft_count(self) -> int:
        return self.count(DRAFT)

    @property
    def not_started_count(self) -> int:
        return self.count(NOT_STARTED)

    @property
    def waiting_count(self) -> int:
        return sum(1 for row in self.rows if row.validations_waiting)


def _validations(status: str):
    """The audit's validations in `status`, counted (not those superseded)."""
    found = Validation.objects.filter(
        audit_id=OuterRef("pk"), status=status, superseded_at__isnull=True
    )
    counted = found.order_by().values("audit_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _period_audits(school_ids, period: str):
    """The schools' audits of the period, with counts only: rated categories, validations
    waiting, under way and completed. One query."""
    return (
        Audit.objects.filter(school_id__in=school_ids, period=period)
        .annotate(
            rated=Count("ratings", filter=Q(ratings__stage__isnull=False)),
            waiting=_validations(Validation.Status.INVITED),
            under_way=_validations(Validation.Status.ACCEPTED),
            completed=_validations(Validation.Status.COMPLETED),
        )
        .only("pk", "school_id", "status", "updated_at", "submitted_at")
        .order_by()
    )


def _row(school: School, audit: Audit | None) -> FollowUpRow:
    if audit is None:
        return FollowUpRow(school)
    if audit.status == Audit.Status.SUBMITTED:
        return FollowUpRow(
            school,
            SUBMITTED,
            submitted_at=audit.submitted_at,
            validations_waiting=audit.waiting,
            validations_under_way=audit.under_way,
            validations_completed=audit.completed,
            audit_id=audit.pk,
        )
    return FollowUpRow(school, DRAFT, rated=audit.rated, last_saved=audit.updated_at)


def follow_up(hub: Hub, period: str) -> FollowUp:
    """The follow-up list of the hub's current member schools for the period, by name."""
    deadline = HubDeadline.objects.filter(hub=hub, period=period).first()
    memberships = (
        HubMembership.objects.current().filter(hub=hub).select_related("school").order_by()
    )
    schools = sorted({m.school for m in memberships}, key=lambda s: (s.name.lower(), s.pk))
    audits = {a.school_id: a for a in _period_audits([s.pk for s in schools], period)}
    rows = [_row(school, audits.get(school.pk)) for school in schools]
    return FollowUp(hub=hub, period=period, deadline=deadline, rows=rows)
