"""audits.rules: every complete combination, the incomplete cases, and properties."""

import ast
import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audits import rules
from audits.instrument import AREAS, CATEGORIES, SOURCES, Stage, category
from audits.rules import Change

ALL_COMBINATIONS = list(itertools.product(range(1, 5), repeat=9))


def as_stages(values) -> dict[int, int | None]:
    return {c.number: value for c, value in zip(CATEGORIES, values, strict=True)}


def test_rules_imports_nothing_from_django():
    tree = ast.parse(Path(rules.__file__).read_text())
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in getattr(node, "names", [])
    }
    assert not any(name and name.split(".")[0] == "django" for name in imported)


def test_every_complete_combination_is_virtuous_only_when_all_nine_integrate():
    virtuous = [values for values in ALL_COMBINATIONS if rules.is_virtuous(as_stages(values))]
    assert len(ALL_COMBINATIONS) == 4**9
    assert virtuous == [(4,) * 9]


def test_every_complete_combination_has_the_lowest_stage_as_overall():
    for values in ALL_COMBINATIONS:
        stages = as_stages(values)
        assert rules.overall_stage(stages) == min(values)
        assert rules.is_complete(stages)
        assert rules.integration_count(stages) == values.count(4)


def test_eight_of_nine_at_integration_is_not_virtuous():
    for missing in CATEGORIES:
        stages = {c.number: 4 for c in CATEGORIES}
        stages[missing.number] = 3
        assert not rules.is_virtuous(stages)
        assert rules.integration_count(stages) == 8


@pytest.mark.parametrize("unrated", [c.number for c in CATEGORIES])
def test_an_audit_with_a_missing_rating_is_never_virtuous(unrated):
    stages = {c.number: 4 for c in CATEGORIES if c.number != unrated}
    assert not rules.is_virtuous(stages)
    assert not rules.is_complete(stages)
    assert rules.overall_stage(stages) is None
    assert [c.number for c in rules.missing_categories(stages)] == [unrated]
    stages[unrated] = None
    assert not rules.is_virtuous(stages)


def test_an_empty_audit_is_incomplete_with_every_category_missing():
    assert rules.missing_categories({}) == list(CATEGORIES)
    assert rules.overall_stage({}) is None
    assert rules.integration_count({}) == 0
    assert all(gap.stage is None and gap.steps is None for gap in rules.gaps_to_virtuous({}))


def test_area_and_source_profiles_take_the_lowest_of_their_row_and_column():
    values = [4, 4, 4, 3, 2, 4, 4, 4, 1]
    stages = as_stages(values)
    assert rules.area_profile(stages) == {
        AREAS[0]: Stage.INTEGRATION,
        AREAS[1]: Stage.INITIATION,
        AREAS[2]: Stage.ISOLATION,
    }
    assert rules.source_profile(stages) == {
        SOURCES[0]: Stage.ENGAGEMENT,
        SOURCES[1]: Stage.INITIATION,
        SOURCES[2]: Stage.ISOLATION,
    }


def test_a_profile_is_none_where_its_row_has_an_unrated_category():
    stages = as_stages([4, None, 4, 3, 3, 3, 2, 2, 2])
    assert rules.area_stage(stages, AREAS[0]) is None
    assert rules.area_stage(stages, AREAS[1]) == Stage.ENGAGEMENT
    assert rules.source_stage(stages, SOURCES[1]) is None


def test_gaps_list_each_category_below_integration_with_steps_and_next_stage():
    stages = as_stages([4, 3, 1, 4, 4, 4, 2, 4, 4])
    gaps = rules.gaps_to_virtuous(stages)
    assert [(g.category.number, g.stage, g.steps, g.next_stage) for g in gaps] == [
        (2, Stage.ENGAGEMENT, 1, Stage.INTEGRATION),
        (3, Stage.ISOLATION, 3, Stage.INITIATION),
        (7, Stage.INITIATION, 2, Stage.ENGAGEMENT),
    ]
    assert rules.gaps_to_virtuous(as_stages([4] * 9)) == []


def test_changes_between_two_audits_per_category():
    before = as_stages([1, 2, 3, 4, 2, 2, None, 3, 3])
    after = as_stages([2, 2, 2, 4, 3, 1, 3, None, 4])
    changes = rules.changes_between(before, after)
    assert list(changes) == list(CATEGORIES)
    assert [changes[c] for c in CATEGORIES] == [
        Change.UP,
        Change.UNCHANGED,
        Change.DOWN,
        Change.UNCHANGED,
        Change.UP,
        Change.DOWN,
        Change.NOT_COMPARABLE,
        Change.NOT_COMPARABLE,
        Change.UP,
    ]


def test_a_stage_outside_the_scale_is_refused():
    with pytest.raises(ValueError):
        rules.overall_stage(as_stages([5] * 9))


def test_categories_are_numbered_row_by_row():
    assert category(AREAS[1], SOURCES[2]).number == 6
    assert [c.number for c in CATEGORIES] == list(range(1, 10))
    assert CATEGORIES[7].label == "Collaborative learning × Best practice"


complete_stages = st.lists(st.integers(1, 4), min_size=9, max_size=9)
partial_stages = st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=9, max_size=9)


@given(values=complete_stages, index=st.integers(0, 8))
def test_raising_one_rating_never_lowers_the_overall_stage(values, index):
    before = as_stages(values)
    raised = list(values)
    raised[index] = min(4, raised[index] + 1)
    after = as_stages(raised)
    assert rules.overall_stage(after) >= rules.overall_stage(before)
    assert rules.integration_count(after) >= rules.integration_count(before)
    assert len(rules.gaps_to_virtuous(after)) <= len(rules.gaps_to_virtuous(before))


@given(values=partial_stages)
def test_virtuous_exactly_when_there_are_no_gaps(values):
    stages = as_stages(values)
    assert rules.is_virtuous(stages) == (rules.gaps_to_virtuous(stages) == [])
    assert rules.is_virtuous(stages) <= rules.is_complete(stages)


@given(values=complete_stages)
def test_overall_stage_is_the_lowest_of_the_area_and_source_profiles(values):
    stages = as_stages(values)
    overall = rules.overall_stage(stages)
    assert overall == min(rules.area_profile(stages).values())
    assert overall == min(rules.source_profile(stages).values())


@given(before=partial_stages, after=partial_stages)
def test_change_is_antisymmetric(before, after):
    forward = rules.changes_between(as_stages(before), as_stages(after))
    backward = rules.changes_between(as_stages(after), as_stages(before))
    mirror = {Change.UP: Change.DOWN, Change.DOWN: Change.UP}
    for c in CATEGORIES:
        assert backward[c] == mirror.get(forward[c], forward[c])
