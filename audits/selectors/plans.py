"""The improvement plan as pages read it: a school's plan (open actions first, overdue
flagged, then those done or dropped), a category's actions from earlier audits, the plan
beside a report, a leader's actions due soon or overdue, and the journey's events (when
actions were done beside when stages moved). Each is one query, however many actions."""

import datetime
import itertools
from dataclasses import dataclass

from django.utils import timezone

from audits import rules
from audits.instrument import CATEGORY_BY_NUMBER, Category, Stage
from audits.models import Audit, ImprovementAction
from audits.periods import academic_year
from communities.models import School

DUE_SOON_DAYS = 7


def _actions():
    return ImprovementAction.objects.select_related(
        "school",
        "audit",
        "owner",
        "partnership__partner",
        "support__supporting_school",
        "support__supported_school",
    )


def _flagged(actions, today: datetime.date) -> list[ImprovementAction]:
    """The actions, each with `overdue` set as of today."""
    found = list(actions)
    for action in found:
        action.overdue = action.is_overdue(today)
    return found


def _split(actions: list[ImprovementAction]) -> dict:
    """{"open": by due date, "finished": the latest done or dropped first}."""
    finished = [a for a in actions if not a.is_open]
    finished.sort(key=lambda a: (a.finished_on or datetime.date.min, a.pk), reverse=True)
    return {"open": [a for a in actions if a.is_open], "finished": finished}


def school_plan(school: School, today: datetime.date | None = None) -> dict:
    """The school's whole plan, across periods: `open` (by due date, `overdue` flagged)
    and `finished` (done or dropped, the latest first). One query."""
    today = today or timezone.localdate()
    found = _actions().filter(school=school).order_by("due_on", "pk")
    return _split(_flagged(found, today))


def report_plan(audit: Audit, today: datetime.date | None = None) -> dict:
    """The plan as it stood up to this audit: the actions from this audit and from the
    school's earlier ones, split as `school_plan`. None for a hub's audit. One query."""
    if audit.school_id is None:
        return {"open": [], "finished": []}
    today = today or timezone.localdate()
    found = (
        _actions()
        .filter(school_id=audit.school_id, audit__period__lte=audit.period)
        .order_by("due_on", "pk")
    )
    return _split(_flagged(found, today))


def category_actions(audit: Audit, number: int) -> list[ImprovementAction]:
    """The school's actions for a category from its earlier audits, and what came of
    them, for that category's page in a later audit. One query (none for a hub)."""
    if audit.school_id is None:
        return []
    found = (
        _actions()
        .filter(school_id=audit.school_id, category=number, audit__period__lt=audit.period)
        .order_by("audit__period", "due_on", "pk")
    )
    return _flagged(found, timezone.localdate())


def actions_due_for(user, today: datetime.date | None = None) -> list[ImprovementAction]:
    """Open actions of the schools a person leads that are overdue or due within
    DUE_SOON_DAYS, the most overdue first. One query."""
    today = today or timezone.localdate()
    found = (
        _actions()
        .filter(school__in=School.objects.led_by(user))
        .open()
        .filter(due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
        .order_by("due_on", "pk")
    )
    return _flagged(found, today)


@dataclass(frozen=True)
class PlanEvent:
    """A line of the journey's plan table: an action done or dropped, or a category's
    stage that moved between two submitted audits."""

    on: datetime.date
    period: str
    category: Category
    action: ImprovementAction | None = None
    before: Stage | None = None
    after: Stage | None = None

    @property
    def is_stage_move(self) -> bool:
        return self.action is None


def _stage_moves(submitted: list[Audit]) -> list[PlanEvent]:
    moves = []
    for before, after in itertools.pairwise(submitted):
        for category, change in rules.changes_between(before.stages, after.stages).items():
            if change in (rules.Change.UP, rules.Change.DOWN):
                on = after.submitted_at.date() if after.submitted_at else after.audit_date
                moves.append(
                    PlanEvent(
                        on=on,
                        period=after.period,
                        category=category,
                        before=rules.stage_of(before.stages, category),
                        after=rules.stage_of(after.stages, category),
                    )
                )
    return moves


def plan_events(school: School, submitted: list[Audit]) -> list[PlanEvent]:
    """When the school's actions were done or dropped, beside when its categories' stages
    moved from one submitted audit (`submitted`, oldest first) to the next, in date
    order. One query."""
    finished = _actions().filter(school=school, finished_on__isnull=False)
    events = [
        PlanEvent(
            on=a.finished_on,
            period=academic_year(a.finished_on),
            category=CATEGORY_BY_NUMBER[a.category],
            action=a,
        )
        for a in finished
    ]
    events += _stage_moves(submitted)
    return sorted(events, key=lambda e: (e.on, e.is_stage_move, e.category.number))
