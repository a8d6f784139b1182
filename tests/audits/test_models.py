"""The database refuses what the rules forbid, even when forms and admin are bypassed."""

import pytest
from django.db import IntegrityError, transaction

from audits.models import Audit, AuditIsFinal, Rating, get_audit_for
from tests.factories import AuditFactory, HubFactory, SchoolFactory, make_audit


def refused(callable_) -> bool:
    try:
        with transaction.atomic():
            callable_()
    except IntegrityError:
        return True
    return False


@pytest.mark.django_db
class TestDatabaseConstraints:
    def test_stage_outside_one_to_four_is_refused(self):
        audit = make_audit(SchoolFactory(), submitted=False)
        assert refused(lambda: Rating.objects.create(audit=audit, category=1, stage=5))
        assert refused(lambda: Rating.objects.create(audit=audit, category=1, stage=0))
        assert not Rating.objects.exists()

    def test_category_outside_the_nine_is_refused(self):
        audit = make_audit(SchoolFactory(), submitted=False)
        assert refused(lambda: Rating.objects.create(audit=audit, category=10, stage=1))

    def test_second_rating_of_the_same_category_is_refused(self):
        audit = make_audit(SchoolFactory(), submitted=False)
        Rating.objects.create(audit=audit, category=3, stage=2)
        assert refused(lambda: Rating.objects.create(audit=audit, category=3, stage=4))
        assert audit.ratings.count() == 1

    def test_audit_with_both_subjects_is_refused(self):
        school, hub = SchoolFactory(), HubFactory()
        assert refused(lambda: AuditFactory(school=school, hub=hub))

    def test_audit_with_neither_subject_is_refused(self):
        assert refused(lambda: AuditFactory(school=None, hub=None))

    def test_duplicate_urn_is_refused(self):
        SchoolFactory(urn="123456")
        assert refused(lambda: SchoolFactory(urn="123456"))

    def test_empty_urn_is_stored_as_null_so_schools_outside_england_coexist(self):
        SchoolFactory(urn="")
        SchoolFactory(urn="")
        assert SchoolFactory._meta.model.objects.filter(urn__isnull=True).count() == 2

    def test_malformed_period_is_refused(self):
        assert refused(lambda: AuditFactory(period="2025-26"))

    def test_one_audit_per_school_and_period(self):
        school = SchoolFactory()
        AuditFactory(school=school, period="2024/25")
        assert refused(lambda: AuditFactory(school=school, period="2024/25"))


@pytest.mark.django_db
class TestSubmittedAuditIsFinal:
    def test_updating_a_submitted_audit_in_the_database_is_refused(self):
        audit = make_audit(SchoolFactory(), stages=3)
        assert refused(
            lambda: Audit.objects.filter(pk=audit.pk).update(reflection_coherence="changed")
        )
        audit.refresh_from_db()
        assert audit.reflection_coherence == ""

    def test_updating_a_rating_of_a_submitted_audit_is_refused(self):
        audit = make_audit(SchoolFactory(), stages=3)
        assert refused(lambda: Rating.objects.filter(audit=audit).update(stage=4))
        assert set(audit.ratings.values_list("stage", flat=True)) == {3}

    def test_adding_a_rating_to_a_submitted_audit_through_the_model_is_refused(self):
        # Eight ratings, then submitted: a rating of a submitted audit cannot be deleted
        # (a trigger on PostgreSQL, migration 0003), so the ninth goes while it is a draft.
        audit = make_audit(SchoolFactory(), stages=[3] * 8 + [None], submitted=False)
        Rating.objects.filter(audit=audit, category=9).delete()
        Audit.objects.filter(pk=audit.pk).update(
            status=Audit.Status.SUBMITTED, submitted_at=audit.created_at
        )
        audit.refresh_from_db()
        with pytest.raises(AuditIsFinal):
            Rating(audit=audit, category=9, stage=4).save()

    def test_a_draft_can_be_changed_and_then_submitted(self):
        audit = make_audit(SchoolFactory(), stages=2, submitted=False)
        Rating.objects.filter(audit=audit).update(stage=4)
        audit.status = Audit.Status.SUBMITTED
        audit.submitted_at = audit.created_at
        audit.save()
        assert Audit.objects.get(pk=audit.pk).is_virtuous

    def test_reopening_moves_a_submitted_audit_back_to_draft(self):
        audit = make_audit(SchoolFactory(), stages=2)
        audit.status = Audit.Status.DRAFT
        audit.save()
        Rating.objects.filter(audit=audit).update(stage=3)
        assert Audit.objects.get(pk=audit.pk).overall_stage == 3


@pytest.mark.django_db
class TestScopedLookup:
    def test_leader_reads_own_draft(self, leader, school):
        draft = make_audit(school, stages=2, submitted=False)
        assert get_audit_for(leader, draft.pk) == draft
        assert get_audit_for(leader, draft.pk, write=True) == draft

    def test_coordinator_reads_submitted_but_not_drafts_and_writes_nothing(
        self, coordinator, school
    ):
        from django.http import Http404

        submitted = make_audit(school, stages=2, period="2024/25")
        draft = make_audit(school, stages=2, submitted=False)
        assert get_audit_for(coordinator, submitted.pk) == submitted
        with pytest.raises(Http404):
            get_audit_for(coordinator, draft.pk)
        with pytest.raises(Http404):
            get_audit_for(coordinator, submitted.pk, write=True)

    def test_outsiders_get_404_for_everything(self, outsider, other_coordinator, school):
        from django.contrib.auth.models import AnonymousUser
        from django.http import Http404

        submitted = make_audit(school, stages=4)
        for person in (outsider, other_coordinator, AnonymousUser()):
            with pytest.raises(Http404):
                get_audit_for(person, submitted.pk)

    def test_coordinator_loses_sight_when_the_school_leaves_the_hub(self, coordinator, school, hub):
        import datetime

        submitted = make_audit(school, stages=4)
        hub.memberships.update(left_on=datetime.date(2021, 1, 1))
        assert not Audit.objects.readable_by(coordinator).filter(pk=submitted.pk).exists()


@pytest.mark.django_db
def test_latest_submitted_per_school_picks_latest_period_and_respects_as_of():
    school, other = SchoolFactory(), SchoolFactory()
    make_audit(school, stages=1, period="2023/24")
    latest = make_audit(school, stages=3, period="2024/25")
    make_audit(school, stages=4, period="2025/26", submitted=False)
    only = make_audit(other, stages=2, period="2023/24")
    found = Audit.objects.latest_submitted_per_school([school.pk, other.pk])
    assert set(found) == {latest, only}
    as_of = Audit.objects.latest_submitted_per_school([school.pk], as_of="2023/24")
    assert [a.period for a in as_of] == ["2023/24"]
