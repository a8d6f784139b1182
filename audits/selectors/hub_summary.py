"""The hub's summary: schools at each stage per category, the hub's own audit, and how
the members' audits stood period by period. What a member school's leader sees too."""

from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Min, Subquery

from audits import rules
from audits.instrument import CATEGORIES, Stage
from audits.models import Audit
from audits.periods import academic_year
from audits.selectors.member_rows import MemberRow
from communities.models import Hub

_STAGE_BY_VALUE = {stage.value: stage for stage in Stage}


@dataclass(frozen=True)
class HubAudit:
    """The hub's own latest submitted audit as a community."""

    pk: int
    period: str
    stages: dict[int, int | None]

    @property
    def overall(self) -> Stage | None:
        return rules.overall_stage(self.stages)

    @property
    def is_virtuous(self) -> bool:
        return rules.is_virtuous(self.stages)

    @property
    def integration_count(self) -> int:
        return rules.integration_count(self.stages)


@dataclass(frozen=True)
class PeriodDistribution:
    """How the member schools' audits of one period stand: schools per overall stage."""

    period: str
    audits: int
    by_overall: dict[Stage | None, int]
    virtuous: int

    def counts(self) -> list[int]:
        """Audits at each stage in stage order, then the incomplete ones."""
        return [self.by_overall.get(stage, 0) for stage in [*Stage, None]]


def stage_counts_by_category(rows: list[MemberRow]) -> dict[int, Counter]:
    """Per category number: how many rows are at each stage (None: not rated or no audit)."""
    numbers = [c.number for c in CATEGORIES]
    raw = {number: Counter() for number in numbers}
    for row in rows:
        stages = row.stages
        for number in numbers:
            raw[number][stages.get(number)] += 1
    return {
        number: Counter({_STAGE_BY_VALUE.get(value): n for value, n in counts.items()})
        for number, counts in raw.items()
    }


def hub_latest_audit(hub: Hub, as_of: str = "") -> HubAudit | None:
    """The hub's own latest submitted audit at or before `as_of`, or None. One query: the
    audit joined to its ratings (one row per rating, or one row if it has none)."""
    latest = Audit.objects.submitted().filter(hub=hub, period__lte=as_of or academic_year())
    latest = latest.order_by("-period", "-pk").values("pk")[:1]
    rows = list(
        Audit.objects.filter(pk=Subquery(latest))
        .order_by()
        .values_list("pk", "period", "ratings__category", "ratings__stage")
    )
    if not rows:
        return None
    stages = {category: stage for _, _, category, stage in rows if category is not None}
    return HubAudit(pk=rows[0][0], period=rows[0][1], stages=stages)


def stage_distribution_by_period(school_ids: list[int], until: str = "") -> list:
    """Per period (oldest first, up to `until` when given): how many of these schools'
    submitted audits are at each overall stage, and how many are Virtuous. One query.

    The database aggregates each audit's ratings (lowest stage, number rated), then counts
    audits per (period, lowest, rated), so that a few dozen rows come back rather than one
    per audit; `rules.judgement_from_aggregate` turns each into the rules' overall stage."""
    if not school_ids:
        return []
    audits = Audit.objects.submitted().filter(
        school_id__in=school_ids, period__lte=until or academic_year()
    )
    per_audit = (
        audits.order_by()
        .values("pk", "period")
        .annotate(lowest=Min("ratings__stage"), rated=Count("ratings__stage"))
        .values_list("period", "lowest", "rated")
    )
    sql, params = per_audit.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT period, lowest, rated, COUNT(*) FROM "
            f"({sql}) AS per_audit GROUP BY period, lowest, rated",
            params,
        )
        groups = cursor.fetchall()
    by_period: dict[str, Counter] = {}
    virtuous: Counter = Counter()
    for period, lowest, rated, count in groups:
        overall, is_virtuous = rules.judgement_from_aggregate(lowest, rated)
        by_period.setdefault(period, Counter())[overall] += count
        virtuous[period] += count if is_virtuous else 0
    return [
        PeriodDistribution(
            period=period,
            audits=sum(counts.values()),
            by_overall=dict(counts),
            virtuous=virtuous[period],
        )
        for period, counts in sorted(by_period.items())
    ]
