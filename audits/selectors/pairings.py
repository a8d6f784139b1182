"""Who can help whom: the pairing rule (`rules.suggest_pairings`) over a hub's rows, by
category for the hub page (filtered by school and category), and for one audit's report."""

from collections.abc import Container, Mapping
from dataclasses import dataclass

from audits import rules
from audits.instrument import CATEGORIES, CATEGORY_BY_NUMBER, Category, Stage
from audits.models import Audit
from audits.selectors.member_rows import MEMBER_COLUMNS, MemberRow, fill_latest_audits, member_row
from communities.models import Hub, HubMembership


def hub_pairings(rows: list[MemberRow], learners: list[MemberRow] | None = None) -> list:
    """Who can help whom among these rows, for all of them or only for `learners`. No
    query."""
    schools = [row.as_school_stages() for row in rows if row.has_audit]
    chosen = None if learners is None else [r.as_school_stages() for r in learners]
    return rules.suggest_pairings(schools, learners=chosen)


# How many schools in need each category's section lists on the hub page: a few when all
# nine are shown, more when one category is asked for. The CSV export has every one.
SCHOOLS_PER_SECTION = 5
SCHOOLS_IN_ONE_CATEGORY = 30

# The stages that ask for help, as the plain values the rows hold.
_NEEDING = frozenset(stage.value for stage in rules.NEEDS_HELP)


@dataclass(frozen=True)
class PairingFilters:
    """Which pairings the hub page shows: those of one school in need, of one category,
    or all. Only validated values get here (`pairing_filters`)."""

    school: int | None = None
    category: int | None = None

    def items(self) -> list[tuple[str, int]]:
        """The query string's items for these filters (those set)."""
        return [(name, value) for name, value in vars(self).items() if value is not None]


def pairing_filters(query: Mapping, school_ids: Container[int]) -> PairingFilters:
    """The pairing filters a query string asks for: `school`, a current member's id
    (`school_ids`, see `pairing_school_ids`), and `category`, a category number. A value
    that is not one is ignored, so junk never reaches the page, its cache key or a 500."""
    return PairingFilters(
        school=_one_of(query.get("school"), school_ids),
        category=_one_of(query.get("category"), CATEGORY_BY_NUMBER),
    )


def _one_of(value, allowed: Container[int]) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number in allowed else None


def pairing_school_ids(rows: list[MemberRow]) -> frozenset[int]:
    """The schools a pairing filter may name: the hub's current members."""
    return frozenset(row.school_id for row in rows)


@dataclass(frozen=True)
class Learner:
    """A school in need in one category, at `stage` there, and who can help it there
    (the rule's suggestions, best first)."""

    school: rules.SchoolStages
    stage: Stage
    helpers: list[rules.Pairing]


@dataclass(frozen=True)
class PairingSection:
    """One category's pairings on the hub page: how many schools are in need in it and
    the first of them, with their helpers."""

    category: Category
    in_need: int
    learners: list[Learner]

    @property
    def more(self) -> int:
        """The schools in need in this category that the section leaves to the export."""
        return self.in_need - len(self.learners)


def pairing_sections(rows: list[MemberRow], filters: PairingFilters) -> list[PairingSection]:
    """Who can help whom among these (heatmap) rows, by category: one section per category
    with a suggestion (only the filtered category, and only for the filtered school, when
    asked), each listing its schools in need in the rows' order, up to SCHOOLS_PER_SECTION
    (SCHOOLS_IN_ONE_CATEGORY when one category is asked for). The rule runs for the
    schools listed only, so that a hub of 500 stays cheap. No query."""
    schools = [row.as_school_stages() for row in rows if row.has_audit]
    pool = [s for s in schools if s.key == filters.school] if filters.school else schools
    categories = [CATEGORY_BY_NUMBER[filters.category]] if filters.category else CATEGORIES
    cap = SCHOOLS_IN_ONE_CATEGORY if filters.category else SCHOOLS_PER_SECTION
    in_need = {c.number: _in_need(pool, c.number) for c in categories}
    helpers = _helpers_of(schools, {number: needy[:cap] for number, needy in in_need.items()})
    sections = []
    for category in categories:
        number = category.number
        learners = [
            Learner(school, Stage(school.stages[number]), helpers[school.key, number])
            for school in in_need[number][:cap]
            if (school.key, number) in helpers
        ]
        if learners:
            sections.append(PairingSection(category, len(in_need[number]), learners))
    return sections


def _in_need(schools: list[rules.SchoolStages], number: int) -> list[rules.SchoolStages]:
    """The schools at a stage that asks for help (rules.NEEDS_HELP) in category `number`."""
    return [s for s in schools if s.stages.get(number) in _NEEDING]


def _helpers_of(schools: list, chosen: dict[int, list]) -> dict[tuple[int, int], list]:
    """The rule's suggestions for the chosen schools in need, by (school, category)."""
    learners = list({s.key: s for group in chosen.values() for s in group}.values())
    wanted = {(s.key, number) for number, group in chosen.items() for s in group}
    grouped: dict[tuple[int, int], list] = {}
    for pairing in rules.suggest_pairings(schools, learners=learners):
        key = (pairing.learner.key, pairing.category.number)
        if key in wanted:
            grouped.setdefault(key, []).append(pairing)
    return grouped


def pairing_suggestions_for_report(user, audit: Audit) -> list[rules.Pairing]:
    """Who can help this audit's school, shown on its report when one of its hubs'
    coordinators reads it: members of the hubs the person sees in full that have the
    school as a current member. Nobody else gets suggestions (they would name other
    schools). Two queries; none for a hub's audit."""
    if audit.school_id is None or not user.is_authenticated:
        return []
    hubs = HubMembership.objects.current().filter(
        school_id=audit.school_id, hub__in=Hub.objects.seen_in_full_by(user)
    )
    members = (
        HubMembership.objects.current()
        .filter(hub_id__in=hubs.values("hub_id"))
        .exclude(school_id=audit.school_id)
        .order_by("school__name", "school_id")
        .values_list(*MEMBER_COLUMNS)
        .distinct()
    )
    helpers = [member_row(*values) for values in members]
    if not helpers:
        return []
    fill_latest_audits(helpers)
    school = audit.school
    learner = rules.SchoolStages(
        key=school.pk, name=school.name, phase=school.phase, stages=audit.stages
    )
    others = [row.as_school_stages() for row in helpers if row.has_audit]
    return rules.suggest_pairings([*others, learner], learners=[learner])
