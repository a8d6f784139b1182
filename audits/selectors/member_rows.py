"""The heatmap's rows: a hub's current member schools, each with its latest submitted
audit, filtered and sorted as the coordinator asks.

Rows are plain dataclasses built from `values_list` rows rather than model instances: a
hub of 500 schools reads 4,500 ratings per page, and instantiating them as models would
cost more than the queries. The judgement (overall stage, Virtuous) comes from
`audits.rules`, through its aggregate form `rules.judgement_from_aggregate`.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count, F, Min, Value, Window

from audits import rules
from audits.instrument import CATEGORIES, Stage
from audits.models import Audit, EvidenceFile, EvidenceLink
from audits.selectors.validations import peer_validated_audit_ids
from communities.models import Hub, HubMembership

SORTS = ("name", "overall", *(c.code for c in CATEGORIES))


@dataclass(frozen=True)
class HubFilters:
    """What the hub page and its exports show: sort, filters and the "as of" period.
    Only validated values get here (`HubFiltersForm.filters`)."""

    sort: str = "name"
    descending: bool = False
    phase: str = ""
    role: str = ""
    as_of: str = ""

    def query(self, **changes) -> str:
        """The query string for these filters (defaults left out), with `changes` applied."""
        values = {
            "sort": self.sort,
            "dir": "desc" if self.descending else "",
            "phase": self.phase,
            "role": self.role,
            "as_of": self.as_of,
            **changes,
        }
        return urlencode({k: v for k, v in values.items() if v and (k, v) != ("sort", "name")})


@dataclass
class MemberRow:
    """One current member school and its latest submitted audit (if any).

    `overall` and `is_virtuous` come from the database with the audit (see
    `rules.judgement_from_aggregate`), so that 500 rows are not judged rating by rating."""

    school_id: int
    name: str
    urn: str
    phase: str
    role: str
    audit_id: int | None = None
    period: str = ""
    stages: dict[int, int | None] = field(default_factory=dict)
    evidence: dict[int, str] = field(default_factory=dict)
    # The evidence files (by name) and links ("title: address"), by category.
    attached: dict[int, list[str]] = field(default_factory=dict)
    overall: Stage | None = None
    is_virtuous: bool = False
    peer_validated: bool = False  # its latest audit, by a peer (heatmap rows only)

    @property
    def has_audit(self) -> bool:
        return self.audit_id is not None

    def as_school_stages(self) -> rules.SchoolStages:
        return rules.SchoolStages(
            key=self.school_id, name=self.name, phase=self.phase, stages=self.stages
        )


MEMBER_COLUMNS = ("school_id", "school__name", "school__urn", "school__phase", "role")


def member_row(pk: int, name: str, urn: str | None, phase: str, role: str) -> MemberRow:
    """A row from the values of MEMBER_COLUMNS."""
    return MemberRow(school_id=pk, name=name, urn=urn or "", phase=phase, role=role)


def current_member_rows(hub: Hub) -> list[MemberRow]:
    """The hub's current member schools, by name, without their audits. One query."""
    memberships = (
        HubMembership.objects.current()
        .filter(hub=hub)
        .order_by("school__name", "school_id")
        .values_list(*MEMBER_COLUMNS)
    )
    return [member_row(*values) for values in memberships]


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


def fill_latest_audits(rows: list[MemberRow], as_of: str = "", *, evidence=False) -> None:
    """Fill each row with its school's latest submitted audit at or before `as_of` (the
    latest of all when empty): period, stages, overall stage and Virtuous, and evidence
    when asked (with how many files and links each category has: two more queries). One
    query: the latest audits joined to their ratings, each row carrying its audit's
    lowest stage and number of rated categories (window aggregates)."""
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
    for pk, school_id, period, category, stage, lowest, rated, *text in bare_rows(audits):
        row = by_school[school_id]
        if row.audit_id is None:
            row.audit_id, row.period = pk, period
            row.overall, row.is_virtuous = rules.judgement_from_aggregate(lowest, rated)
        if category is not None:
            row.stages[category] = stage
            if text:
                row.evidence[category] = text[0]
    if evidence:
        _fill_attached([row for row in rows if row.has_audit])


def _fill_attached(rows: list[MemberRow]) -> None:
    """Each audit's evidence files and links, by category: two queries."""
    by_audit = {row.audit_id: row for row in rows}
    if not by_audit:
        return
    audits = list(by_audit)
    files = EvidenceFile.objects.filter(rating__audit_id__in=audits).values_list(
        "rating__audit_id", "rating__category", "name", Value("")
    )
    links = EvidenceLink.objects.filter(rating__audit_id__in=audits).values_list(
        "rating__audit_id", "rating__category", "url", "title"
    )
    for found in (files, links):
        for audit_id, category, what, title in bare_rows(found.order_by("pk")):
            said = f"{title}: {what}" if title else what
            by_audit[audit_id].attached.setdefault(category, []).append(said)


def bare_rows(queryset) -> list[tuple]:
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


def heatmap_rows(rows: list[MemberRow], filters: HubFilters, *, evidence=False) -> list[MemberRow]:
    """The heatmap: of these member rows, those that match the filters, each with its
    latest submitted audit as of the chosen period and whether a peer validated it,
    sorted as asked. Two queries."""
    rows = filter_rows(rows, filters)
    fill_latest_audits(rows, filters.as_of, evidence=evidence)
    validated = peer_validated_audit_ids([row.audit_id for row in rows if row.has_audit])
    for row in rows:
        row.peer_validated = row.audit_id in validated
    return sort_rows(rows, filters)
