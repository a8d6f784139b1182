"""The writes that span an audit and its ratings: start, save a draft, submit."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from audits.instrument import CATEGORIES
from audits.models import Audit
from audits.services import (
    AuditAnswers,
    AuditConflict,
    audit_save_draft,
    audit_start,
    audit_submit,
)
from tests.factories import UserFactory, make_audit

pytestmark = pytest.mark.django_db


def _answers(stage, evidence=""):
    return AuditAnswers(
        stages={c.number: stage for c in CATEGORIES},
        evidence={c.number: evidence for c in CATEGORIES},
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


def test_save_draft_bumps_the_version(school, leader):
    audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=False)
    saved = audit_save_draft(audit=audit, data=_answers(2, "x"), by=leader, version=1)
    assert saved.version == 2
    assert set(saved.stages.values()) == {2}


def test_save_draft_writes_only_changed_ratings(school, leader):
    audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=False)
    audit = audit_save_draft(audit=audit, data=_answers(2), by=leader, version=1)
    history_before = audit.ratings.model.history.count()
    answers = AuditAnswers(stages={**audit.stages, 3: 4})
    audit_save_draft(audit=audit, data=answers, by=leader, version=2)
    assert audit.ratings.model.history.count() == history_before + 1


def test_save_draft_from_a_stale_version_is_refused(school, leader):
    audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=False)
    audit_save_draft(audit=audit, data=_answers(2, "first"), by=leader, version=1)
    with pytest.raises(AuditConflict) as conflict:
        audit_save_draft(audit=audit, data=_answers(4, "second"), by=leader, version=1)
    assert conflict.value.current.version == 2
    assert set(conflict.value.current.stages.values()) == {2}
    assert set(audit.ratings.values_list("evidence", flat=True)) == {"first"}


def test_submit_needs_all_nine(school, leader):
    audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=False)
    answers = AuditAnswers(stages={1: 4, 2: 4})
    audit = audit_save_draft(audit=audit, data=answers, by=leader, version=1)
    with pytest.raises(ValidationError, match="Leadership × Best practice"):
        audit_submit(audit=audit, by=leader, version=audit.version)
    audit.refresh_from_db()
    assert audit.status == Audit.Status.DRAFT


def test_submit_complete_draft(school, leader):
    audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=False)
    audit = audit_save_draft(audit=audit, data=_answers(4), by=leader, version=1)
    audit = audit_submit(audit=audit, by=leader, version=audit.version)
    assert audit.is_submitted and audit.submitted_by == leader and audit.submitted_at


def test_submitted_audit_cannot_be_saved_again(school, leader):
    audit = make_audit(school, stages=3)
    with pytest.raises(AuditConflict) as conflict:
        audit_save_draft(audit=audit, data=_answers(1), by=leader, version=audit.version)
    assert conflict.value.current.is_submitted
    assert set(audit.stages.values()) == {3}


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_one_wins_on_postgres(school, leader):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks across concurrent connections")
    audit = audit_start(school=school, period="2026/27", by=leader, copy_forward=False)
    deputy = UserFactory(username="deputy")
    barrier = threading.Barrier(2)
    outcomes = []

    def save(user, stage):
        try:
            barrier.wait()
            audit_save_draft(audit=audit, data=_answers(stage, user.username), by=user, version=1)
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
