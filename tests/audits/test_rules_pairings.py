"""The pairing rule: who can help whom. Pure: no database."""

from audits.instrument import CATEGORIES, CATEGORY_BY_CODE, Stage
from audits.rules import Pairing, SchoolStages, same_phase, suggest_pairings

LEADERSHIP_PRACTICE = CATEGORY_BY_CODE["leadership_practice"]


def school(key, stages, *, name=None, phase="Secondary"):
    values = [stages] * 9 if isinstance(stages, int | None) else stages
    return SchoolStages(
        key=key,
        name=name or f"School {key:03d}",
        phase=phase,
        stages={c.number: v for c, v in zip(CATEGORIES, values, strict=True)},
    )


def with_stage(key, category, stage, *, base=3, **kwargs):
    values = [base] * 9
    values[category.number - 1] = stage
    return school(key, values, **kwargs)


def test_no_schools_no_pairings():
    assert suggest_pairings([]) == []


def test_school_at_isolation_is_paired_with_one_at_integration_in_that_category():
    learner = with_stage(1, LEADERSHIP_PRACTICE, 1)
    helper = with_stage(2, LEADERSHIP_PRACTICE, 4)

    pairings = suggest_pairings([learner, helper])

    assert pairings == [
        Pairing(
            learner=learner,
            helper=helper,
            category=LEADERSHIP_PRACTICE,
            learner_stage=Stage.ISOLATION,
            helper_stage=Stage.INTEGRATION,
            same_phase=True,
        )
    ]
    assert (pairings[0].helper_stage, pairings[0].category.label) == (
        Stage.INTEGRATION,
        "Leadership × Best practice",
    )


def test_initiation_also_asks_for_help():
    learner = with_stage(1, LEADERSHIP_PRACTICE, 2)
    helper = with_stage(2, LEADERSHIP_PRACTICE, 4)

    assert [p.learner_stage for p in suggest_pairings([learner, helper])] == [Stage.INITIATION]


def test_engagement_and_integration_ask_for_no_help():
    assert suggest_pairings([school(1, 3), school(2, 4)]) == []


def test_integration_comes_before_engagement_even_across_phases():
    learner = with_stage(1, LEADERSHIP_PRACTICE, 1, phase="Primary")
    engaged = with_stage(2, LEADERSHIP_PRACTICE, 3, name="A engaged", phase="Primary")
    integrated = with_stage(3, LEADERSHIP_PRACTICE, 4, name="Z integrated", phase="Secondary")

    pairings = [p for p in suggest_pairings([learner, engaged, integrated]) if p.learner == learner]

    assert [(p.helper.key, p.helper_stage) for p in pairings] == [
        (3, Stage.INTEGRATION),
        (2, Stage.ENGAGEMENT),
    ]
    assert pairings[1].helper_stage == Stage.ENGAGEMENT


def test_same_phase_is_preferred_within_a_stage():
    learner = with_stage(1, LEADERSHIP_PRACTICE, 1, phase="Primary")
    other = with_stage(2, LEADERSHIP_PRACTICE, 4, name="Aardvark", phase="Secondary")
    same = with_stage(3, LEADERSHIP_PRACTICE, 4, name="Zebra", phase="primary ")

    pairings = [p for p in suggest_pairings([learner, other, same]) if p.learner == learner]

    assert [p.helper.key for p in pairings] == [3, 2]
    assert [p.same_phase for p in pairings] == [True, False]


def test_within_a_stage_and_phase_helpers_come_by_name():
    learner = with_stage(1, LEADERSHIP_PRACTICE, 1)
    helpers = [with_stage(k, LEADERSHIP_PRACTICE, 4, name=n) for k, n in [(2, "b"), (3, "A")]]

    assert [p.helper.name for p in suggest_pairings([learner, *helpers])] == ["A", "b"]


def test_at_most_limit_helpers_per_category():
    learner = with_stage(1, LEADERSHIP_PRACTICE, 1)
    helpers = [with_stage(k, LEADERSHIP_PRACTICE, 4) for k in range(2, 10)]

    assert len(suggest_pairings([learner, *helpers], limit=3)) == 3
    assert len(suggest_pairings([learner, *helpers], limit=5)) == 5


def test_a_school_never_helps_itself():
    lonely = school(1, [1, 4, 4, 4, 4, 4, 4, 4, 4])

    assert suggest_pairings([lonely]) == []


def test_no_helper_no_suggestion():
    assert suggest_pairings([school(1, 1), school(2, 2)]) == []


def test_unrated_categories_neither_ask_nor_give_help():
    unrated = school(1, None)
    learner = with_stage(2, LEADERSHIP_PRACTICE, 1)

    assert suggest_pairings([unrated, learner]) == []


def test_school_without_an_audit_has_no_stages_and_no_pairings():
    empty = SchoolStages(key=1, name="New", phase="Primary", stages={})
    helper = school(2, 4)

    assert suggest_pairings([empty, helper]) == []


def test_pairings_follow_school_order_then_instrument_order():
    first = school(1, [4, 1, 4, 4, 4, 4, 4, 4, 1])
    second = school(2, [1, 4, 4, 4, 4, 4, 4, 4, 4])
    helper = school(3, 4)

    pairings = suggest_pairings([second, first, helper], limit=1)

    assert [(p.learner.key, p.category.number) for p in pairings] == [(2, 1), (1, 2), (1, 9)]


def test_every_need_gets_a_suggestion_when_someone_is_at_integration():
    needy = school(1, [1, 2, 1, 2, 1, 2, 1, 2, 1])
    helper = school(2, 4)

    pairings = suggest_pairings([needy, helper])

    assert [p.category for p in pairings] == list(CATEGORIES)
    assert all(p.helper == helper for p in pairings)


def test_same_phase_ignores_case_and_spaces_but_never_matches_unknown():
    assert same_phase("Primary", " primary")
    assert not same_phase("Primary", "Secondary")
    assert not same_phase("", "")


def test_five_hundred_schools_each_get_three_helpers_per_need():
    # Its speed is measured by `make bench` (the hub-500 page), not timed here.
    schools = [school(k, [(k * 7 + c * 3) % 4 + 1 for c in range(9)]) for k in range(500)]

    pairings = suggest_pairings(schools)

    needs = sum(1 for s in schools for v in s.stages.values() if v <= 2)
    assert len(pairings) == needs * 3


def test_learners_limit_who_gets_suggestions_but_not_who_helps():
    first = with_stage(1, LEADERSHIP_PRACTICE, 1)
    second = with_stage(2, LEADERSHIP_PRACTICE, 1)
    helper = with_stage(3, LEADERSHIP_PRACTICE, 4)

    pairings = suggest_pairings([first, second, helper], learners=[second])

    assert [(p.learner.key, p.helper.key) for p in pairings] == [(2, 3)]
