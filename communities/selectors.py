"""Queries that read many rows for the hub pages and exports. One helper per question.

Each returns plain data (dataclasses, lists, dicts) built from `values_list` rows rather
than model instances: a hub of 500 schools reads 4,500 ratings per page, and instantiating
them as models would cost more than the queries. The judgement (overall stage, Virtuous,
pairings) comes from `audits.rules`; nothing here re-implements it, except the one
aggregate in `stage_distribution_by_period`, which a test holds equal to the rule.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, Min, Subquery, Window
from django.http import Http404

from audits import rules
from audits.instrument import CATEGORIES, Stage
from audits.models import Audit, Rating
from communities.models import Hub, HubMembership, School


@dataclass(frozen=True)
class HubFilters:
    """What the hub page and its exports show: sort, filters and the "as of" period."""

    sort: str = "name"
    descending: bool = False
    phase: str = ""
    role: str = ""
    as_of: str = ""


@dataclass
class MemberRow:
    """One current member school and its latest submitted audit (if any).

    `overall` and `is_virtuous` come from the database with the audit (see
    `judgement_from_aggregate`), so that 500 rows are not judged rating by rating."""

    school_id: int
    name: str
    urn: str
    phase: str
    role: str
    audit_id: int | None = None
    period: str = ""
    stages: dict[int, int | None] = field(default_factory=dict)
    evidence: dict[int, str] = field(default_factory=dict)
    overall: Stage | None = None
    is_virtuous: bool = False

    @property
    def has_audit(self) -> bool:
        return self.audit_id is not None

    def as_school_stages(self) -> rules.SchoolStages:
        return rules.SchoolStages(
            key=self.school_id, name=self.name, phase=self.phase, stages=self.stages
        )


_STAGE_BY_VALUE = {stage.value: stage for stage in Stage}


def judgement_from_aggregate(lowest: int | None, rated: int) -> tuple[Stage | None, bool]:
    """Overall stage and Virtuous from an audit's lowest rated stage and its number of rated
    categories, as the database aggregates them: the rules of `rules.overall_stage` (the
    lowest of nine rated stages, None while any is unrated) and `rules.is_virtuous` (all
    nine at Integration). A test holds these equal to the rules for every kind of audit."""
    if rated != len(CATEGORIES) or lowest is None:
        return None, False
    overall = _STAGE_BY_VALUE[lowest]
    return overall, overall == Stage.INTEGRATION


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


# -- who may see a hub ---------------------------------------------------------------------


def hub_coordinated_by(user, slug: str) -> Hub:
    """The hub with this slug if the person coordinates it (a superuser: any); else 404."""
    try:
        return Hub.objects.coordinated_by(user).get(slug=slug)
    except Hub.DoesNotExist:
        raise Http404("No such hub.") from None


def hub_visible_to(user, slug: str) -> tuple[Hub, bool]:
    """The hub with this slug and whether the person sees its schools' rows (its
    coordinators, superusers) or only its summary counts (leaders of its current member
    schools). Anyone else: 404. One query for a coordinator, two for a member's leader.

    Two plain lookups rather than one query with two EXISTS annotations: building and
    planning that query cost several times what running it did, on every hub page."""
    if not user.is_authenticated:
        raise Http404("No such hub.")
    hub = Hub.objects.coordinated_by(user).filter(slug=slug).first()
    if hub is not None:
        return hub, True
    led_memberships = HubMembership.objects.current().filter(school__leaders=user)
    hub = Hub.objects.filter(slug=slug, pk__in=led_memberships.values("hub_id")).first()
    if hub is None:
        raise Http404("No such hub.")
    return hub, False


def member_hubs_for(user) -> list[Hub]:
    """Hubs that a school the person leads currently belongs to (for the home page)."""
    if not user.is_authenticated:
        return []
    memberships = HubMembership.objects.current().filter(school__leaders=user)
    return list(Hub.objects.filter(pk__in=memberships.values("hub_id")))


# -- what the hub pages show has changed ---------------------------------------------------


def hub_data_version() -> tuple:
    """A token that changes whenever anything the hub pages show may have changed. One
    query, whatever the size of the tables:

    - the newest history record of schools, memberships and audits, and the newest
      rating (every save, admin edit, GIAS import and reopening writes one; a submitted
      audit cannot change otherwise);
    - on PostgreSQL, the current snapshot too (`pg_current_snapshot()`: which
      transactions are still running). History ids are taken when a row is written but
      seen only at commit, so a transaction that commits after a later one could leave
      the newest id unchanged; the snapshot changes whenever any transaction commits.

    Changes to other hubs change it too: it errs on the side of fresh."""
    tables = [
        School.history.model._meta.db_table,
        HubMembership.history.model._meta.db_table,
        Audit.history.model._meta.db_table,
    ]
    quote = connection.ops.quote_name
    columns = [f"(SELECT MAX(history_id) FROM {quote(table)})" for table in tables]
    columns.append(f"(SELECT MAX(id) FROM {quote(Rating._meta.db_table)})")
    if connection.vendor == "postgresql":
        columns.append("pg_current_snapshot()::text")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}")
        return tuple(cursor.fetchone())


# -- the heatmap -----------------------------------------------------------------------


def current_member_rows(hub: Hub) -> list[MemberRow]:
    """The hub's current member schools, by name, without their audits. One query."""
    memberships = (
        HubMembership.objects.current()
        .filter(hub=hub)
        .order_by("school__name", "school_id")
        .values_list("school_id", "school__name", "school__urn", "school__phase", "role")
    )
    return [_member_row(*values) for values in memberships]


def _member_row(pk: int, name: str, urn: str | None, phase: str, role: str) -> MemberRow:
    return MemberRow(school_id=pk, name=name, urn=urn or "", phase=phase, role=role)


def member_phases(rows: list[MemberRow]) -> list[str]:
    """The phases of education among the rows, sorted, for the phase filter."""
    return sorted({row.phase for row in rows if row.phase}, key=str.casefold)


def filter_rows(rows: list[MemberRow], filters: HubFilters) -> list[MemberRow]:
    """The rows that match the phase and role filters."""
    return [
        row
        for row in rows
        if (not filters.phase or row.phase == filters.phase)
        and (not filters.role or row.role == filters.role)
    ]


def attach_latest_audits(rows: list[MemberRow], as_of: str = "", *, evidence=False) -> None:
    """Fill each row with its school's latest submitted audit at or before `as_of` (the
    latest of all when empty): period, stages, overall stage and Virtuous, and evidence
    when asked. One query: the latest audits joined to their ratings, each row carrying its
    audit's lowest stage and number of rated categories (window aggregates)."""
    if not rows:
        return
    by_school = {row.school_id: row for row in rows}
    per_audit = [F("pk")]
    fields = ["pk", "school_id", "period", "ratings__category", "ratings__stage"]
    audits = (
        Audit.objects.latest_submitted_per_school(list(by_school), as_of or None)
        .order_by()
        .annotate(
            lowest=Window(Min("ratings__stage"), partition_by=per_audit),
            rated=Window(Count("ratings__stage"), partition_by=per_audit),
        )
        .values_list(*fields, "lowest", "rated", *(["ratings__evidence"] if evidence else []))
    )
    for pk, school_id, period, category, stage, lowest, rated, *text in _bare_rows(audits):
        row = by_school[school_id]
        if row.audit_id is None:
            row.audit_id, row.period = pk, period
            row.overall, row.is_virtuous = judgement_from_aggregate(lowest, rated)
        if category is not None:
            row.stages[category] = stage
            if text:
                row.evidence[category] = text[0]


def _bare_rows(queryset) -> list[tuple]:
    """The rows of a `values_list` queryset of plain columns, fetched through the cursor
    without the ORM's per-value converters (the database already returns ints and
    strings): 4,500 rating rows for a hub of 500 spent more in the converters than in
    the database."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def sort_rows(rows: list[MemberRow], filters: HubFilters) -> list[MemberRow]:
    """The rows sorted by name, overall stage or one category's stage. Schools without a
    stage there come last either way; ties go by name."""
    rows = sorted(rows, key=lambda row: (row.name.casefold(), row.school_id))
    if filters.sort == "name":
        return rows[::-1] if filters.descending else rows
    number = next((c.number for c in CATEGORIES if c.code == filters.sort), None)

    def stage_of(row: MemberRow):
        return row.overall if number is None else row.stages.get(number)

    rated = [row for row in rows if stage_of(row) is not None]
    unrated = [row for row in rows if stage_of(row) is None]
    rated.sort(key=stage_of, reverse=filters.descending)
    return rated + unrated


def hub_member_rows(hub: Hub, filters: HubFilters, *, evidence=False) -> list[MemberRow]:
    """The heatmap: the hub's current members that match the filters, each with its latest
    submitted audit as of the chosen period, sorted as asked. Three queries."""
    rows = filter_rows(current_member_rows(hub), filters)
    attach_latest_audits(rows, filters.as_of, evidence=evidence)
    return sort_rows(rows, filters)


# -- the summary -----------------------------------------------------------------------


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
    latest = Audit.objects.submitted().filter(hub=hub)
    if as_of:
        latest = latest.filter(period__lte=as_of)
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
    per audit; `judgement_from_aggregate` turns each into the rules' overall stage."""
    if not school_ids:
        return []
    audits = Audit.objects.submitted().filter(school_id__in=school_ids)
    if until:
        audits = audits.filter(period__lte=until)
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
        overall, is_virtuous = judgement_from_aggregate(lowest, rated)
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


# -- pairings --------------------------------------------------------------------------


def hub_pairings(rows: list[MemberRow], learners: list[MemberRow] | None = None) -> list:
    """Who can help whom among these rows (see `rules.suggest_pairings`), for all of them
    or only for `learners`. No query."""
    schools = [row.as_school_stages() for row in rows if row.has_audit]
    chosen = None if learners is None else [r.as_school_stages() for r in learners]
    return rules.suggest_pairings(schools, learners=chosen)


def pairing_suggestions_for_report(user, audit: Audit) -> list[rules.Pairing]:
    """Who can help this audit's school, shown on its report when one of its hubs'
    coordinators reads it: members of the hubs the person coordinates that have the school
    as a current member. Nobody else gets suggestions (they would name other schools).
    Two queries; none for a hub's audit or a person who coordinates no hub of the school.
    """
    if audit.school_id is None or not user.is_authenticated:
        return []
    hubs = HubMembership.objects.current().filter(
        school_id=audit.school_id, hub__in=Hub.objects.coordinated_by(user)
    )
    members = (
        HubMembership.objects.current()
        .filter(hub_id__in=hubs.values("hub_id"))
        .exclude(school_id=audit.school_id)
        .order_by("school__name", "school_id")
        .values_list("school_id", "school__name", "school__urn", "school__phase", "role")
        .distinct()
    )
    helpers = [_member_row(*values) for values in members]
    if not helpers:
        return []
    attach_latest_audits(helpers)
    school = audit.school
    learner = rules.SchoolStages(
        key=school.pk, name=school.name, phase=school.phase, stages=audit.stages
    )
    others = [row.as_school_stages() for row in helpers if row.has_audit]
    return rules.suggest_pairings([*others, learner], learners=[learner])
