"""The improvement actions of a hub's current member schools, as the hub page shows them
to its coordinators: per school, how many are open, overdue and done; and the open ones
in detail (overdue first). Two queries whatever the size of the hub. Only for those who
see the hub's rows (`get_hub_for(..., need="rows")`): a member school's leader never sees
another school's actions."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from audits.models import ImprovementAction
from audits.models.plans import open_q, overdue_q
from communities.models import Hub, HubMembership, School


@dataclass
class SchoolActions:
    school: School
    open: int = 0
    overdue: int = 0
    done: int = 0


@dataclass
class HubActions:
    today: datetime.date
    schools: list[SchoolActions] = field(default_factory=list)
    open_actions: list[ImprovementAction] = field(default_factory=list)

    @property
    def total_open(self) -> int:
        return sum(row.open for row in self.schools)

    @property
    def total_overdue(self) -> int:
        return sum(row.overdue for row in self.schools)

    @property
    def total_done(self) -> int:
        return sum(row.done for row in self.schools)


def _member_ids(hub: Hub):
    return HubMembership.objects.current().filter(hub=hub).values("school_id")


def member_actions(hub: Hub):
    """The actions of the hub's current member schools (every status)."""
    return ImprovementAction.objects.filter(school_id__in=_member_ids(hub))


def action_counts(hub: Hub) -> dict[int, SchoolActions]:
    """{school id: its open, overdue and done actions} for the hub's current members that
    have any, as the follow-up list shows them beside each school's audit. One query."""
    return {row.school.pk: row for row in _counts(hub, timezone.localdate())}


def _counts(hub: Hub, today: datetime.date) -> list[SchoolActions]:
    """The current member schools with an open or a done action, with their counts, by
    name (a hub of 500 schools lists the few that plan, not 500 rows of zeros). One
    query, over the actions rather than the schools."""
    counts = (
        member_actions(hub)
        .values_list("school_id", "school__name", "school__urn")
        .annotate(
            n_open=Count("pk", filter=open_q()),
            n_overdue=Count("pk", filter=overdue_q(today)),
            n_done=Count("pk", filter=Q(status=ImprovementAction.Status.DONE)),
        )
        .filter(Q(n_open__gt=0) | Q(n_done__gt=0))
        .order_by("school__name", "school_id")
    )
    return [
        SchoolActions(School(pk=pk, name=name, urn=urn), n_open, n_overdue, n_done)
        for pk, name, urn, n_open, n_overdue, n_done in counts
    ]


def hub_actions(hub: Hub) -> HubActions:
    """Counts per current member school that has actions, and the open actions in
    detail, the overdue (earliest due) first. Two queries."""
    today = timezone.localdate()
    open_actions = (
        member_actions(hub)
        .open()
        .select_related("school", "owner")
        .order_by("due_on", "school__name", "pk")
    )
    return HubActions(today, _counts(hub, today), list(open_actions))
