"""Peer validation, the writes (`audits.services.validation`): inviting a peer, accepting,
declining, answering each category, completing, withdrawing, and an admin's reopening
that supersedes. Each step is refused where it does not fit, and recorded with who.

The fixtures here (`audit`, `peer`, `invited`, `accepted`, …) are shared with the other
test_validation_*.py modules, which import them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audits import services
from audits.instrument import CATEGORIES
from audits.models import Validation, ValidationIsFinal, ValidationRating
from audits.services import PeerAnswer, ValidationConflict, ValidationSuperseded
from tests.factories import HubMembershipFactory, SchoolFactory, UserFactory, make_audit

pytestmark = pytest.mark.django_db

# Lampton's own stages, category by category.
LAMPTON = [3, 4, 4, 2, 4, 4, 1, 4, 4]


@pytest.fixture
def audit(school, hub, leader):
    return make_audit(school, stages=LAMPTON, evidence="Minutes of the research group")


@pytest.fixture
def peer_school(hub):
    school = SchoolFactory(name="Brentside School")
    HubMembershipFactory(hub=hub, school=school)
    return school


@pytest.fixture
def peer(peer_school):
    user = UserFactory(username="peer_ann", first_name="Ann", last_name="Smith")
    peer_school.leaders.add(user)
    return user


@pytest.fixture
def member_leader(hub):
    """The leader of another current member of the hub, not invited."""
    school = SchoolFactory(name="Cranford School")
    HubMembershipFactory(hub=hub, school=school)
    user = UserFactory(username="leader_cranford", first_name="Bob", last_name="Jones")
    school.leaders.add(user)
    return user


@pytest.fixture
def invited(audit, peer, leader):
    return services.validation_invite(audit=audit, validator=peer, by=leader, message="Please")


@pytest.fixture
def accepted(invited, peer):
    return services.validation_accept(validation=invited, by=peer)


def answer(validation, by, number: int, stage: int | None, comment: str = ""):
    rating = ValidationRating.objects.get(validation=validation, category=number)
    return services.validation_save_category(
        validation=validation,
        category=number,
        answer=PeerAnswer(stage, comment, rating.version),
        by=by,
    )


def answer_all(validation, by, stages=LAMPTON, comment: str = "Not what I saw") -> Validation:
    """Answers the nine categories (a comment wherever the stage differs from Lampton's)."""
    for c, stage in zip(CATEGORIES, stages, strict=True):
        saved = answer(
            validation, by, c.number, stage, "" if stage == LAMPTON[c.number - 1] else comment
        )
    return saved


def complete(validation, by) -> Validation:
    validation.refresh_from_db()
    return services.validation_complete(validation=validation, by=by, version=validation.version)


# -- inviting ------------------------------------------------------------------------------


def test_an_invitation_records_the_audit_version_and_each_stage_seen(audit, invited, leader, peer):
    assert (invited.status, invited.validator, invited.invited_by) == ("invited", peer, leader)
    assert invited.audit_version == audit.version and invited.message == "Please"
    ratings = ValidationRating.objects.filter(validation=invited).order_by("category")
    assert [r.school_stage for r in ratings] == LAMPTON
    assert {r.stage for r in ratings} == {None}
    assert invited.history.get().history_user == leader
    assert ValidationRating.history.filter(history_user=leader).count() == 9


def test_the_hubs_coordinator_may_be_invited(audit, leader, coordinator):
    validation = services.validation_invite(audit=audit, validator=coordinator, by=leader)
    assert validation.validator == coordinator


@pytest.mark.parametrize("who", ["outsider", "other_coordinator", "leader"])
def test_only_a_peer_of_the_school_may_be_invited(request, audit, leader, who):
    person = request.getfixturevalue(who)
    with pytest.raises(ValidationError) as refused:
        services.validation_invite(audit=audit, validator=person, by=leader)
    assert "validator" in refused.value.message_dict
    assert not Validation.objects.exists()


def test_a_leader_of_a_school_that_left_the_hub_is_no_peer(audit, leader, peer, peer_school):
    peer_school.memberships.update(left_on=datetime.date(2024, 7, 31))
    with pytest.raises(ValidationError):
        services.validation_invite(audit=audit, validator=peer, by=leader)


def test_a_peer_who_also_leads_the_school_is_not_invited(audit, leader, peer, school):
    school.leaders.add(peer)
    with pytest.raises(ValidationError):
        services.validation_invite(audit=audit, validator=peer, by=leader)


def test_a_peer_is_invited_once_while_their_validation_is_live(audit, invited, leader, peer):
    with pytest.raises(ValidationError, match="already invited"):
        services.validation_invite(audit=audit, validator=peer, by=leader)
    services.validation_decline(validation=invited, by=peer)
    again = services.validation_invite(audit=audit, validator=peer, by=leader)
    assert again.pk != invited.pk and again.status == "invited"


def test_drafts_and_hub_audits_are_not_validated(school, hub, leader, peer, coordinator):
    draft = make_audit(school, stages=LAMPTON, period="2026/27", submitted=False)
    of_hub = make_audit(hub=hub, stages=4)
    for audit in (draft, of_hub):
        with pytest.raises(ValidationError):
            services.validation_invite(audit=audit, validator=peer, by=leader)
    assert not Validation.objects.exists()


def test_only_the_schools_leader_invites(audit, peer, coordinator, member_leader):
    for who in (coordinator, member_leader):
        with pytest.raises(PermissionDenied):
            services.validation_invite(audit=audit, validator=peer, by=who)
    assert not Validation.objects.exists()


# -- accepting and declining ----------------------------------------------------------------


def test_accepting_and_declining_are_recorded_with_who_and_when(audit, leader, peer, member_leader):
    accepted = services.validation_accept(
        validation=services.validation_invite(audit=audit, validator=peer, by=leader), by=peer
    )
    assert accepted.status == "accepted" and accepted.answered_at is not None
    declined = services.validation_decline(
        validation=services.validation_invite(audit=audit, validator=member_leader, by=leader),
        by=member_leader,
    )
    assert declined.status == "declined" and declined.answered_at is not None
    assert accepted.history.first().history_user == peer
    assert declined.history.first().history_user == member_leader


def test_only_the_invited_peer_answers(invited, leader, member_leader):
    for who in (leader, member_leader):
        with pytest.raises(PermissionDenied):
            services.validation_accept(validation=invited, by=who)
    invited.refresh_from_db()
    assert invited.status == "invited"


def test_an_answered_invitation_is_not_answered_again(accepted, peer):
    with pytest.raises(ValidationIsFinal):
        services.validation_decline(validation=accepted, by=peer)
    accepted.refresh_from_db()
    assert accepted.status == "accepted"


# -- answering a category ------------------------------------------------------------------


def test_agreeing_saves_the_schools_stage(accepted, peer):
    saved = answer(accepted, peer, 1, 3)
    rating = saved.ratings.get(category=1)
    assert (rating.stage, rating.comment, rating.version) == (3, "", 2)
    assert saved.version == accepted.version + 1 and saved.saved_now
    assert rating.history.first().history_user == peer


def test_disagreeing_saves_another_stage_with_its_comment(accepted, peer):
    answer(accepted, peer, 4, 3, "Their leadership research group meets every term")
    rating = ValidationRating.objects.get(validation=accepted, category=4)
    assert (rating.school_stage, rating.stage) == (2, 3)
    assert rating.comment == "Their leadership research group meets every term"


@pytest.mark.parametrize(
    ("stage", "comment", "field"),
    [(3, "", "comment"), (3, "   ", "comment"), (7, "why", "stage"), (0, "", "stage")],
)
def test_a_wrong_answer_is_refused_and_nothing_is_saved(accepted, peer, stage, comment, field):
    with pytest.raises(ValidationError) as refused:
        answer(accepted, peer, 1 if field == "stage" else 4, stage, comment)
    assert field in refused.value.message_dict
    assert not ValidationRating.objects.filter(validation=accepted, stage__isnull=False).exists()
    assert Validation.objects.get(pk=accepted.pk).version == accepted.version


def test_a_category_saved_in_another_tab_is_not_overwritten(accepted, peer):
    loaded = ValidationRating.objects.get(validation=accepted, category=2).version
    answer(accepted, peer, 2, 4)  # the first tab
    with pytest.raises(ValidationConflict) as conflict:
        services.validation_save_category(
            validation=accepted,
            category=2,
            answer=PeerAnswer(3, "Only a pilot", loaded),  # the second, loaded before
            by=peer,
        )
    assert conflict.value.category == 2
    assert ValidationRating.objects.get(validation=accepted, category=2).stage == 4
    same = services.validation_save_category(
        validation=accepted, category=2, answer=PeerAnswer(4, "", loaded), by=peer
    )
    assert not same.saved_now  # what the other tab saved already: no conflict


def test_two_tabs_on_different_categories_both_save(accepted, peer):
    first = ValidationRating.objects.get(validation=accepted, category=1).version
    second = ValidationRating.objects.get(validation=accepted, category=2).version
    for number, version in ((1, first), (2, second)):
        services.validation_save_category(
            validation=accepted, category=number, answer=PeerAnswer(4, "Yes", version), by=peer
        )
    stages = dict(
        ValidationRating.objects.filter(validation=accepted).values_list("category", "stage")
    )
    assert (stages[1], stages[2]) == (4, 4)


def test_an_invitation_not_accepted_takes_no_answer(invited, peer):
    with pytest.raises(ValidationIsFinal):
        answer(invited, peer, 1, 3)


# -- completing ----------------------------------------------------------------------------


def test_completing_a_validation_of_all_nine(accepted, peer):
    answer_all(accepted, peer)
    done = complete(accepted, peer)
    assert done.status == "completed" and done.completed_at is not None
    assert done.history.first().history_user == peer
    with pytest.raises(ValidationIsFinal):
        answer(done, peer, 1, 4, "Changed my mind")


def test_completing_is_refused_while_a_category_is_not_answered(accepted, peer):
    for number in range(1, 9):
        answer(accepted, peer, number, LAMPTON[number - 1])
    with pytest.raises(ValidationError, match="Not answered: Collaborative learning × Emerging"):
        complete(accepted, peer)
    assert Validation.objects.get(pk=accepted.pk).status == "accepted"


def test_completing_what_changed_since_it_was_checked_is_refused(accepted, peer):
    answer_all(accepted, peer)
    accepted.refresh_from_db()
    checked = accepted.version
    answer(accepted, peer, 1, 4, "On second thoughts")
    with pytest.raises(ValidationConflict):
        services.validation_complete(validation=accepted, by=peer, version=checked)
    assert Validation.objects.get(pk=accepted.pk).status == "accepted"


def test_completing_after_the_audit_was_reopened_is_refused(accepted, peer, audit, admin_user):
    answer_all(accepted, peer)
    accepted.refresh_from_db()
    services.audit_reopen(audit=audit, by=admin_user, reason="Wrong evidence attached")
    with pytest.raises(ValidationSuperseded, match="reopened"):
        services.validation_complete(validation=accepted, by=peer, version=accepted.version)
    assert Validation.objects.get(pk=accepted.pk).status == "accepted"


# -- withdrawing and superseding -----------------------------------------------------------


def test_the_schools_leader_withdraws_an_invitation(invited, leader):
    withdrawn = services.validation_withdraw(validation=invited, by=leader)
    assert withdrawn.status == "withdrawn" and withdrawn.withdrawn_at is not None
    assert withdrawn.history.first().history_user == leader


def test_nobody_else_withdraws_and_a_completed_validation_stays(
    accepted, peer, leader, coordinator
):
    for who in (peer, coordinator):
        with pytest.raises(PermissionDenied):
            services.validation_withdraw(validation=accepted, by=who)
    answer_all(accepted, peer)
    done = complete(accepted, peer)
    with pytest.raises(ValidationIsFinal):
        services.validation_withdraw(validation=done, by=leader)
    assert Validation.objects.get(pk=accepted.pk).status == "completed"


def test_reopening_the_audit_supersedes_its_live_validations(
    audit, leader, peer, member_leader, coordinator, admin_user
):
    done = services.validation_accept(
        validation=services.validation_invite(audit=audit, validator=peer, by=leader), by=peer
    )
    answer_all(done, peer)
    complete(done, peer)
    declined = services.validation_invite(audit=audit, validator=member_leader, by=leader)
    services.validation_decline(validation=declined, by=member_leader)
    open_one = services.validation_invite(audit=audit, validator=coordinator, by=leader)

    services.audit_reopen(audit=audit, by=admin_user, reason="Wrong evidence attached")

    superseded = {v.pk: v.superseded_at for v in Validation.objects.all()}
    assert superseded[done.pk] is not None and superseded[open_one.pk] is not None
    assert superseded[declined.pk] is None
    assert Validation.objects.filter(audit=audit).live().count() == 0
    latest = Validation.history.filter(id=done.pk).order_by("-history_id").first()
    assert latest.history_user == admin_user and latest.superseded_at is not None
