"""The writes that span an audit and its ratings: start, save a draft (part by part,
each with its version), submit, discard, reopen."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from audits.instrument import CATEGORIES
from audits.models import Audit
from audits.services import (
    AuditConflict,
    AuditDiscarded,
    CategoryAnswer,
    RatingConflict,
    ReflectionsAnswer,
    audit_discard,
    audit_reopen,
    audit_save_category,
    audit_save_draft,
    audit_start,
    audit_submit,
)
from tests.factories import UserFactory, make_audit

pytestmark = pytest.mark.django_db


def _answers(audit, stage, evidence="") -> dict[int, CategoryAnswer]:
    """The same answer for all nine, each from the version of its rating now."""
    versions = dict(audit.ratings.values_list("category", "version"))
    return {c.number: CategoryAnswer(stage, evidence, versions[c.number]) for c in CATEGORIES}


def _save(audit, stage, evidence="", *, by, answers=None):
    return audit_save_draft(
        audit=audit, categories=answers or _answers(audit, stage, evidence), by=by
    )


def test_start_opens_a_draft_with_nine_ratings(school, leader):
    audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=False)
    assert audit.status == Audit.Status.DRAFT
    assert audit.version == 1
    assert audit.ratings.count() == len(CATEGORIES)


def test_start_copies_the_latest_earlier_submitted_audit(school, leader):
    make_audit(school, stages=2, period="2024/25", evidence="2024")
    make_audit(school, stages=3, period="2025/26", evidence="2025")
    make_audit(school, stages=4, period="2027/28", evidence="later")
    audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=True)
    assert set(audit.stages.values()) == {3}
    assert set(audit.ratings.values_list("evidence", flat=True)) == {"2025"}


def test_start_for_a_hub(hub, coordinator):
    audit = audit_start(hub=hub, period="2026/27", by=coordinator, copy_forward=True)
    assert audit.hub == hub and audit.school is None


def test_start_refuses_a_duplicate_period(school, leader):
    make_audit(school, stages=3, period="2026/27")
    with pytest.raises(ValidationError):
        audit_start(school=school, period="2026/27", by=leader, copy_forward=False)
    assert Audit.objects.count() == 1


def test_start_refuses_a_malformed_period(school, leader):
    with pytest.raises(ValidationError):
        audit_start(school=school, period="26/27", by=leader, copy_forward=False)


def test_save_draft_bumps_the_versions_of_the_audit_and_of_what_changed(school, leader):
    audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=False)
    saved = _save(audit, 2, "x", by=leader)
    assert saved.version == 2
    assert set(saved.stages.values()) == {2}
    assert set(saved.ratings.values_list("version", flat=True)) == {2}
    assert saved.reflections_version == 1


def test_save_draft_writes_only_changed_ratings(school, leader):
    audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=False)
    audit = _save(audit, 2, by=leader)
    history_before = audit.ratings.model.history.count()
    rating = audit.ratings.get(category=3)
    audit_save_category(
        audit=audit, category=3, answer=CategoryAnswer(4, "", rating.version), by=leader
    )
    assert audit.ratings.model.history.count() == history_before + 1
    assert dict(audit.ratings.values_list("category", "version"))[4] == 2


def test_saving_one_category_never_touches_the_other_eight(school, leader):
    audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=False)
    audit = _save(audit, 2, "all", by=leader)
    before = list(
        audit.ratings.exclude(category=5).values_list("category", "stage", "evidence", "version")
    )
    audit_save_category(audit=audit, category=5, answer=CategoryAnswer(4, "five", 2), by=leader)
    after = list(
        audit.ratings.exclude(category=5).values_list("category", "stage", "evidence", "version")
    )
    assert after == before
    assert audit.ratings.get(category=5).evidence == "five"


def test_two_tabs_on_different_categories_do_not_conflict(school, leader):
    audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=False)
    # Both tabs loaded every rating at version 1.
    audit_save_category(audit=audit, category=1, answer=CategoryAnswer(3, "tab A", 1), by=leader)
    saved = audit_save_category(
        audit=audit, category=2, answer=CategoryAnswer(4, "tab B", 1), by=leader
    )
    assert (saved.stages[1], saved.stages[2]) == (3, 4)
    assert saved.version == 3


def test_two_edits_of_the_same_category_conflict_and_the_second_saves_nothing(school, leader):
    audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=False)
    deputy = UserFactory(username="deputy")
    audit_save_category(audit=audit, category=1, answer=CategoryAnswer(3, "first", 1), by=leader)
    with pytest.raises(RatingConflict) as conflict:
        audit_save_draft(
            audit=audit,
            categories={1: CategoryAnswer(4, "second", 1), 2: CategoryAnswer(2, "also", 1)},
            by=deputy,
        )
    assert conflict.value.categories == [1]
    assert conflict.value.current.stages[1] == 3
    assert audit.ratings.get(category=1).evidence == "first"
    assert audit.ratings.get(category=2).stage is None  # all or nothing


def test_a_stale_save_that_gives_what_is_saved_now_is_no_conflict(school, leader):
    audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=False)
    audit_save_category(audit=audit, category=1, answer=CategoryAnswer(3, "same", 1), by=leader)
    saved = audit_save_category(
        audit=audit, category=1, answer=CategoryAnswer(3, "same", 1), by=leader
    )
    assert saved.stages[1] == 3 and not saved.saved_now


def test_reflections_have_their_own_version(school, leader):
    audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=False)
    texts = {"reflection_coherence": "We plan it termly."}
    audit_save_category(audit=audit, category=1, answer=CategoryAnswer(3, "", 1), by=leader)
    saved = audit_save_draft(
        audit=audit, categories={}, reflections=ReflectionsAnswer(texts, 1), by=leader
    )
    assert (saved.reflection_coherence, saved.reflections_version) == ("We plan it termly.", 2)
    with pytest.raises(RatingConflict) as conflict:
        audit_save_draft(
            audit=audit,
            categories={},
            reflections=ReflectionsAnswer({"reflection_coherence": "Other"}, 1),
            by=leader,
        )
    assert conflict.value.reflections and conflict.value.categories == []


def test_a_part_without_its_own_version_is_checked_against_the_audits(school, leader):
    audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=False)
    audit_save_category(audit=audit, category=1, answer=CategoryAnswer(3, "first", 1), by=leader)
    with pytest.raises(RatingConflict):
        audit_save_draft(
            audit=audit, categories={1: CategoryAnswer(4, "second")}, by=leader, version=1
        )
    saved = audit_save_draft(
        audit=audit, categories={1: CategoryAnswer(4, "second")}, by=leader, version=2
    )
    assert saved.stages[1] == 4


def test_submit_needs_all_nine(school, leader):
    audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=False)
    audit = audit_save_draft(
        audit=audit,
        categories={1: CategoryAnswer(4, "", 1), 2: CategoryAnswer(4, "", 1)},
        by=leader,
    )
    with pytest.raises(ValidationError, match="Leadership × Best practice"):
        audit_submit(audit=audit, by=leader, version=audit.version)
    audit.refresh_from_db()
    assert audit.status == Audit.Status.DRAFT


def test_submit_complete_draft(school, leader):
    audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=False)
    audit = _save(audit, 4, by=leader)
    audit = audit_submit(audit=audit, by=leader, version=audit.version)
    assert audit.is_submitted and audit.submitted_by == leader and audit.submitted_at


def test_submit_refuses_a_draft_changed_since_it_was_checked(school, leader):
    audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=False)
    audit = _save(audit, 4, by=leader)
    checked = audit.version
    audit_save_category(audit=audit, category=1, answer=CategoryAnswer(3, "", 2), by=leader)
    with pytest.raises(AuditConflict):
        audit_submit(audit=audit, by=leader, version=checked)


def test_submitted_audit_cannot_be_saved_again(school, leader):
    audit = make_audit(school, stages=3)
    with pytest.raises(AuditConflict) as conflict:
        _save(audit, 1, by=leader)
    assert conflict.value.current.is_submitted
    assert set(audit.stages.values()) == {3}


def test_saving_or_discarding_a_discarded_draft_says_who_discarded_it(school, leader):
    audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=False)
    deputy = UserFactory(username="deputy")
    audit_discard(audit=audit, by=deputy, version=audit.version)
    with pytest.raises(AuditDiscarded) as saving:
        audit_save_category(audit=audit, category=1, answer=CategoryAnswer(3, "", 1), by=leader)
    with pytest.raises(AuditDiscarded) as discarding:
        audit_discard(audit=audit, by=leader, version=audit.version)
    for raised in (saving.value, discarding.value):
        assert raised.by == deputy and raised.at is not None


def test_reopen_records_who_and_why_in_full(school, leader, admin_user):
    audit = make_audit(school, stages=3)
    reason = "The evidence for leadership was attached to the wrong school. " * 3
    reopened = audit_reopen(audit=audit, by=admin_user, reason=reason)
    assert reopened.status == Audit.Status.DRAFT
    record = audit.history.order_by("-history_id").first()
    assert record.history_user == admin_user
    assert reason in record.history_change_reason
    assert audit_reopen(audit=audit, by=admin_user, reason="again") is None


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_one_wins_on_postgres(school, leader):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks across concurrent connections")
    audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=False)
    deputy = UserFactory(username="deputy")
    barrier = threading.Barrier(2)
    outcomes = []

    loaded = _answers(audit, None)

    def save(user, stage):
        answers = {n: CategoryAnswer(stage, user.username, a.version) for n, a in loaded.items()}
        try:
            barrier.wait()
            _save(audit, stage, user.username, by=user, answers=answers)
            outcomes.append("saved")
        except AuditConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(leader, 2)),
        threading.Thread(target=save, args=(deputy, 4)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    audit.refresh_from_db()
    assert audit.version == 2
    evidence = set(audit.ratings.values_list("evidence", flat=True))
    assert len(evidence) == 1  # one person's whole save, never a mixture
