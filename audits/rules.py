"""Everything that judges an audit. Pure Python: no Django import.

Every function takes the stages of one audit as a mapping from category number (1-9,
instrument order) to a stage value (1-4), where a missing key or None means "not rated".
Views, admin, exports and queries call these; none re-implements them.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from audits.instrument import (
    AREAS,
    CATEGORIES,
    SOURCES,
    STAGES,
    Area,
    Category,
    Source,
    Stage,
)

Stages = Mapping[int, int | None]


def stage_of(stages: Stages, category: Category) -> Stage | None:
    """The stage given to one category, or None when it is not rated."""
    value = stages.get(category.number)
    return None if value is None else Stage(value)


def missing_categories(stages: Stages) -> list[Category]:
    """The categories not yet rated, in instrument order."""
    return [c for c in CATEGORIES if stage_of(stages, c) is None]


def is_complete(stages: Stages) -> bool:
    """True when all nine categories are rated."""
    return not missing_categories(stages)


def integration_count(stages: Stages) -> int:
    """How many of the nine categories are rated Integration."""
    return sum(1 for c in CATEGORIES if stage_of(stages, c) == Stage.INTEGRATION)


def is_virtuous(stages: Stages) -> bool:
    """Virtuous: all nine categories rated Integration. Anything less never is."""
    return integration_count(stages) == len(CATEGORIES)


def _lowest(stages: Stages, categories: list[Category]) -> Stage | None:
    found = [stage_of(stages, c) for c in categories]
    if any(stage is None for stage in found):
        return None
    return min(found)


def overall_stage(stages: Stages) -> Stage | None:
    """The lowest stage among the nine: a community is as far along as its weakest
    category. None while any category is unrated."""
    return _lowest(stages, list(CATEGORIES))


_STAGE_BY_VALUE = {stage.value: stage for stage in Stage}


def judgement_from_aggregate(lowest: int | None, rated: int) -> tuple[Stage | None, bool]:
    """Overall stage and Virtuous from an audit's lowest rated stage and its number of
    rated categories, as the database aggregates them over many audits at once: the rules
    of `overall_stage` (the lowest of nine rated stages, None while any is unrated) and
    `is_virtuous` (all nine at Integration). A test holds these equal to those two for
    every kind of audit."""
    if rated != len(CATEGORIES) or lowest is None:
        return None, False
    overall = _STAGE_BY_VALUE[lowest]
    return overall, overall == Stage.INTEGRATION


def area_stage(stages: Stages, area: Area) -> Stage | None:
    """The lowest stage in one area of knowledge (a row); None if any of it is unrated."""
    return _lowest(stages, [c for c in CATEGORIES if c.area == area])


def source_stage(stages: Stages, source: Source) -> Stage | None:
    """The lowest stage from one source of knowledge (a column); None if any is unrated."""
    return _lowest(stages, [c for c in CATEGORIES if c.source == source])


def area_profile(stages: Stages) -> dict[Area, Stage | None]:
    """The stage of each area of knowledge, in instrument order."""
    return {area: area_stage(stages, area) for area in AREAS}


def source_profile(stages: Stages) -> dict[Source, Stage | None]:
    """The stage of each source of knowledge, in instrument order."""
    return {source: source_stage(stages, source) for source in SOURCES}


@dataclass(frozen=True)
class Gap:
    """A category short of Integration: where it stands and what the next step is.

    `stage`, `steps` and `next_stage` are None for a category that is not rated."""

    category: Category
    stage: Stage | None
    steps: int | None
    next_stage: Stage | None


def gaps_to_virtuous(stages: Stages) -> list[Gap]:
    """The categories below Integration (or unrated), each with how many stages it is
    away from Integration and the stage that comes next, in instrument order."""
    gaps = []
    for category in CATEGORIES:
        stage = stage_of(stages, category)
        if stage == Stage.INTEGRATION:
            continue
        steps = None if stage is None else Stage.INTEGRATION - stage
        next_stage = None if stage is None else stage.next
        gaps.append(Gap(category=category, stage=stage, steps=steps, next_stage=next_stage))
    return gaps


class Change(Enum):
    UP = "up"
    DOWN = "down"
    UNCHANGED = "unchanged"
    NOT_COMPARABLE = "not comparable"


def change_in(before: Stage | None, after: Stage | None) -> Change:
    """How one category moved between two ratings."""
    if before is None or after is None:
        return Change.NOT_COMPARABLE
    if after > before:
        return Change.UP
    if after < before:
        return Change.DOWN
    return Change.UNCHANGED


def changes_between(before: Stages, after: Stages) -> dict[Category, Change]:
    """Per category, in instrument order: up, down or unchanged from `before` to `after`
    (not comparable where either audit leaves it unrated)."""
    return {c: change_in(stage_of(before, c), stage_of(after, c)) for c in CATEGORIES}


# --- Pairing: who can help whom -------------------------------------------------------
#
# The seeds describe careful pairing of schools as what makes a network work: a school at
# Isolation or Initiation in a category learns from a member at Integration in it (or, failing
# that, at Engagement), ideally one in the same phase of education.

NEEDS_HELP: frozenset[Stage] = frozenset({Stage.ISOLATION, Stage.INITIATION})
HELPER_STAGES: tuple[Stage, ...] = (Stage.INTEGRATION, Stage.ENGAGEMENT)
# A school's own report looks for help in every gap: at Engagement, from Integration.
BELOW_INTEGRATION: frozenset[Stage] = frozenset(s for s in Stage if s < Stage.INTEGRATION)


def needs_help(stages: Stages) -> bool:
    """True when a school rates any category at Isolation or Initiation: the pairing rule
    looks for help for it."""
    return not NEEDS_HELP.isdisjoint(stages.values())


@dataclass(frozen=True)
class SchoolStages:
    """One school as the pairing rule sees it: an id, a name, its phase of education and
    the stages of its latest audit (category number to stage, as everywhere in this module).
    """

    key: int
    name: str
    phase: str
    stages: Stages


@dataclass(frozen=True)
class Pairing:
    """A suggestion: `helper` can help `learner` in `category`, being at `helper_stage`
    there (the reason, which the pages phrase: "Integration in Leadership × Best
    practice"), and whether the two are in the same phase of education."""

    learner: SchoolStages
    helper: SchoolStages
    category: Category
    learner_stage: Stage
    helper_stage: Stage
    same_phase: bool


def same_phase(a: str, b: str) -> bool:
    """True when two phases of education are the same (ignoring case and spaces); an
    unknown (empty) phase never matches."""
    a, b = a.strip().casefold(), b.strip().casefold()
    return bool(a) and a == b


def suggest_pairings(
    schools: Sequence[SchoolStages],
    *,
    limit: int = 3,
    learners: Sequence[SchoolStages] | None = None,
    needing: frozenset[Stage] = NEEDS_HELP,
) -> list[Pairing]:
    """For every school's category at Isolation or Initiation (or at a stage of `needing`),
    up to `limit` other schools that can help: those at Integration in that category
    first, then those at Engagement, never one that is not further along; within a stage,
    those in the same phase first, then by name.

    Helpers come from `schools`; suggestions are made for `learners` (all of `schools` by
    default), ordered by learner (in the order given), category (instrument order) and rank
    of the helper. Unrated categories neither ask for nor give help."""
    ranked = _helpers_by_category(schools)
    pairings = []
    for learner in schools if learners is None else learners:
        for category in CATEGORIES:
            stage = stage_of(learner.stages, category)
            if stage not in needing:
                continue
            pairings.extend(
                Pairing(
                    learner=learner,
                    helper=helper,
                    category=category,
                    learner_stage=stage,
                    helper_stage=helper_stage,
                    same_phase=same_phase(learner.phase, helper.phase),
                )
                for helper_stage, helper in _best_helpers(
                    ranked[category.number], learner, stage, limit
                )
            )
    return pairings


def _phase_key(phase: str) -> str:
    return phase.strip().casefold()


# Per category number, per helper stage: every helper by name, and the same by phase.
_Ranked = dict[int, dict[Stage, tuple[list[SchoolStages], dict[str, list[SchoolStages]]]]]


def _helpers_by_category(schools: Sequence[SchoolStages]) -> _Ranked:
    ranked: _Ranked = {c.number: {s: ([], {}) for s in HELPER_STAGES} for c in CATEGORIES}
    helper_values = {stage.value: stage for stage in HELPER_STAGES}
    numbers = [c.number for c in CATEGORIES]
    for school in sorted(schools, key=lambda s: (s.name.casefold(), s.key)):
        phase = _phase_key(school.phase)
        for number in numbers:
            # Plain values, not stage_of: this runs 4,500 times for a hub of 500.
            stage = helper_values.get(school.stages.get(number))
            if stage is not None:
                everyone, by_phase = ranked[number][stage]
                everyone.append(school)
                by_phase.setdefault(phase, []).append(school)
    return ranked


def _best_helpers(
    ranked: dict[Stage, tuple[list[SchoolStages], dict[str, list[SchoolStages]]]],
    learner: SchoolStages,
    learner_stage: Stage,
    limit: int,
) -> list[tuple[Stage, SchoolStages]]:
    """Up to `limit` helpers further along than `learner_stage`: by stage, then same phase
    first, then by name. Stops as soon as it has enough, so that a hub of hundreds of
    schools stays cheap."""
    chosen: list[tuple[Stage, SchoolStages]] = []
    phase = _phase_key(learner.phase)
    for stage in (s for s in HELPER_STAGES if s > learner_stage):
        everyone, by_phase = ranked[stage]
        same = by_phase.get(phase, []) if phase else []
        others = (s for s in everyone if not (phase and _phase_key(s.phase) == phase))
        for candidates in (same, others):
            for helper in candidates:
                if len(chosen) >= limit:
                    return chosen
                if helper.key != learner.key:
                    chosen.append((stage, helper))
    return chosen


def stage_counts(schools: Sequence[SchoolStages], category: Category) -> dict[Stage, int]:
    """How many of `schools` are at each stage in `category` (the unrated not counted), in
    stage order: what a school's report says of its hub when names are not shared."""
    counts = dict.fromkeys(STAGES, 0)
    for school in schools:
        stage = stage_of(school.stages, category)
        if stage is not None:
            counts[stage] += 1
    return counts


# --- Partnerships and peers --------------------------------------------------------------


def fed_during(
    started_on: datetime.date | None,
    ended_on: datetime.date | None,
    start: datetime.date,
    end: datetime.date,
) -> bool:
    """Whether a partnership fed its categories during a period (start..end, both days
    included): its dates overlap the period's. An undated start counts as before the
    period; an undated end as still going. `PartnershipQuerySet.fed_during` says the same
    in SQL."""
    return (started_on is None or started_on <= end) and (ended_on is None or ended_on >= start)


def peer_agrees(own: Stage | int | None, peer: Stage | int | None) -> bool:
    """A peer agrees with a category's stage when they give the same one; a category
    either leaves unrated is no agreement."""
    return own is not None and peer is not None and int(own) == int(peer)


def disagreements(own: Stages, peer: Stages) -> list[Category]:
    """The categories, in instrument order, where the peer does not agree."""
    return [c for c in CATEGORIES if not peer_agrees(stage_of(own, c), stage_of(peer, c))]


def is_peer_validated(own: Stages, peer: Stages | None) -> bool:
    """An audit is peer validated by a validation that agrees on all nine categories (its
    latest completed one that is not superseded: the caller picks it, or gives None)."""
    return peer is not None and not disagreements(own, peer)


def lacks_partnership(stage: Stage | int | None, partnerships: int) -> bool:
    """A category rated Engagement or Integration with no partnership feeding it during
    the audit's period: the check-your-answers page asks how the school knows (a prompt,
    not a block), since those stages are about working with others."""
    return stage is not None and int(stage) >= Stage.ENGAGEMENT and partnerships == 0
