"""Peer validation, each step in one transaction and recorded in the history with who
did it: the school's leader invites a peer (or withdraws the invitation); the peer
accepts or declines, says for each category whether they agree or which stage they would
give, and completes it; an admin reopening the audit supersedes its live validations.

The validation row is locked (`select_for_update`; IMMEDIATE transactions on SQLite)
while its state and versions are checked. Each peer rating has a version, as a draft's
ratings do (docs/architecture.md, "Saving a draft"): a save that started from an older
version, and would write something else than what is saved now, is refused with
`ValidationConflict`. Completing checks `Validation.version`, as submitting checks the
audit's: the peer completes what they checked.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from audits import rules
from audits.instrument import CATEGORIES, STAGES
from audits.labels import category_label, stage_label
from audits.models import (
    Audit,
    Rating,
    Validation,
    ValidationIsFinal,
    ValidationRating,
)
from audits.models.audits import peers_of_school_q
from audits.services.drafts import part_is_stale
from communities.models import School


@dataclass(frozen=True)
class PeerAnswer:
    """What the peer gave one category (their stage: the school's own when they agree,
    None when not answered yet; their comment), and the version of it they started from."""

    stage: int | None
    comment: str
    version: int


class ValidationSuperseded(ValidationIsFinal):
    """The audit was reopened since the validation began: it can no longer change."""

    def __init__(self, current: Validation):
        super().__init__(
            _("The audit was reopened meanwhile: this validation is superseded and cannot change.")
        )
        self.current = current


class ValidationConflict(Exception):
    """The validation changed since this person loaded it (the category they changed was
    saved in another tab, or any of it, for completing). `current` is the validation as
    saved now, with its ratings; nothing was saved."""

    def __init__(self, current: Validation, category: int | None = None):
        super().__init__(f"Validation {current.pk} changed since it was loaded.")
        self.current, self.category = current, category


def fresh_validation(pk: int) -> Validation:
    """The validation as saved now, with its ratings."""
    return (
        Validation.objects.select_related("audit__school", "validator", "invited_by")
        .prefetch_related("ratings")
        .get(pk=pk)
    )


def _locked(validation: Validation, *statuses: str) -> Validation:
    """The validation row, locked for this transaction, if it is in one of `statuses`;
    otherwise ValidationSuperseded or ValidationIsFinal."""
    locked = Validation.objects.select_for_update().get(pk=validation.pk)
    if locked.is_superseded:
        raise ValidationSuperseded(fresh_validation(locked.pk))
    if locked.status not in statuses:
        raise ValidationIsFinal(
            _("This validation is %(status)s: it cannot change.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked


def _record(validation: Validation, by, **changes) -> Validation:
    """Saves the changes with a new version and who made them."""
    for name, value in changes.items():
        setattr(validation, name, value)
    validation.version += 1
    validation._history_user = by
    validation.save()
    return validation


def _check_validator(validation: Validation, by) -> None:
    if validation.validator_id != by.pk:
        raise PermissionDenied("Only the invited peer answers for this validation.")


def is_eligible_peer(audit: Audit, person) -> bool:
    """Whether the person may be invited to validate the school's audit: an active peer of
    the school today (`peers_of_school_q`) who is not one of its own leaders."""
    if audit.school_id is None or not person.is_active:
        return False
    school = School.objects.filter(pk=audit.school_id)
    return (
        school.filter(peers_of_school_q(person, "pk")).exists()
        and not school.filter(leaders=person).exists()
    )


@transaction.atomic
def validation_invite(*, audit: Audit, validator, by, message: str = "") -> Validation:
    """Invites a peer to validate a submitted school audit, recording the audit's version
    and, for each category, the stage the peer will see. Raises PermissionDenied unless
    `by` leads the school, and ValidationError when the audit is not a submitted school
    audit, the person is not an eligible peer, or is already invited to it."""
    locked = Audit.objects.select_for_update().filter(pk=audit.pk).first()
    if locked is None or locked.school_id is None or not locked.is_submitted:
        raise ValidationError(_("Only a submitted audit of a school can be validated by a peer."))
    if not School.objects.led_by(by).filter(pk=locked.school_id).exists():
        raise PermissionDenied("Only the school's leaders invite a peer.")
    if not is_eligible_peer(locked, validator):
        raise ValidationError(
            {"validator": _("This person is not a peer of the school in one of its hubs.")}
        )
    validation = Validation(
        audit=locked,
        validator=validator,
        invited_by=by,
        message=message,
        audit_version=locked.version,
    )
    validation._history_user = by
    try:
        with transaction.atomic():
            validation.save()
    except IntegrityError:
        raise ValidationError(
            {"validator": _("This peer is already invited to validate this audit.")}
        ) from None
    stages = dict(Rating.objects.filter(audit=locked).values_list("category", "stage"))
    bulk_create_with_history(
        [
            ValidationRating(
                validation=validation, category=c.number, school_stage=stages.get(c.number)
            )
            for c in CATEGORIES
        ],
        ValidationRating,
        default_user=by,
    )
    return validation


@transaction.atomic
def validation_accept(*, validation: Validation, by) -> Validation:
    """The invited peer accepts: they may now work through the nine categories."""
    _check_validator(validation, by)
    locked = _locked(validation, Validation.Status.INVITED)
    return _record(locked, by, status=Validation.Status.ACCEPTED, answered_at=timezone.now())


@transaction.atomic
def validation_decline(*, validation: Validation, by) -> Validation:
    """The invited peer declines; they no longer see the audit."""
    _check_validator(validation, by)
    locked = _locked(validation, Validation.Status.INVITED)
    return _record(locked, by, status=Validation.Status.DECLINED, answered_at=timezone.now())


@transaction.atomic
def validation_withdraw(*, validation: Validation, by) -> Validation:
    """A leader of the school withdraws an invitation or a validation under way; the peer
    no longer sees the audit. A completed validation is not withdrawn."""
    if not School.objects.led_by(by).filter(pk=validation.audit.school_id).exists():
        raise PermissionDenied("Only the school's leaders withdraw an invitation.")
    locked = _locked(validation, Validation.Status.INVITED, Validation.Status.ACCEPTED)
    return _record(locked, by, status=Validation.Status.WITHDRAWN, withdrawn_at=timezone.now())


def answer_errors(rating: ValidationRating, answer: PeerAnswer) -> dict[str, str]:
    """What is wrong with an answer to a category, by field: a stage that is not one of
    the four, or a different stage than the school's without a comment saying why."""
    if answer.stage is None:
        return {}
    if answer.stage not in {stage.value for stage in STAGES}:
        return {"stage": _("Choose whether you agree, or one of the other three stages.")}
    if not rules.peer_agrees(rating.school_stage, answer.stage) and not answer.comment.strip():
        return {
            "comment": _("Say why you would give %(stage)s rather than %(school_stage)s.")
            % {"stage": stage_label(answer.stage), "school_stage": stage_label(rating.school_stage)}
        }
    return {}


@transaction.atomic
def validation_save_category(
    *, validation: Validation, category: int, answer: PeerAnswer, by
) -> Validation:
    """Saves the peer's answer to one category, never touching the other eight. Raises
    ValidationError (by field) for an answer that is not valid, ValidationConflict when
    the category was saved since `answer.version` with something else (nothing is
    saved), ValidationSuperseded or ValidationIsFinal. Returns the validation as saved;
    its `saved_now` says whether anything was written."""
    _check_validator(validation, by)
    locked = _locked(validation, Validation.Status.ACCEPTED)
    rating = ValidationRating.objects.select_for_update().get(validation=locked, category=category)
    errors = answer_errors(rating, answer)
    if errors:
        raise ValidationError(errors)
    saved, wanted = (rating.stage, rating.comment), (answer.stage, answer.comment)
    stale = part_is_stale(
        saved_version=rating.version, loaded_version=answer.version, saved=saved, wanted=wanted
    )
    if stale:
        raise ValidationConflict(fresh_validation(locked.pk), category)
    if saved != wanted:
        rating.stage, rating.comment = wanted
        rating.version += 1
        rating._history_user = by
        rating.save()
        _record(locked, by)
    current = fresh_validation(locked.pk)
    current.saved_now = saved != wanted
    return current


@transaction.atomic
def validation_complete(*, validation: Validation, by, version: int) -> Validation:
    """Completes a validation whose nine categories are all answered; it is read-only
    from then on. Raises ValidationError naming the categories not answered,
    ValidationConflict when it changed since `version` was loaded, ValidationSuperseded
    when the audit was reopened meanwhile, or ValidationIsFinal."""
    _check_validator(validation, by)
    locked = _locked(validation, Validation.Status.ACCEPTED)
    audit = Audit.objects.get(pk=locked.audit_id)
    if not audit.is_submitted or audit.version != locked.audit_version:
        raise ValidationSuperseded(fresh_validation(locked.pk))
    if locked.version != version:
        raise ValidationConflict(fresh_validation(locked.pk))
    stages = dict(locked.ratings.values_list("category", "stage"))
    missing = rules.missing_categories(stages)
    if missing:
        raise ValidationError(
            _("Answer every category before completing. Not answered: %(categories)s.")
            % {"categories": ", ".join(category_label(c) for c in missing)}
        )
    _record(locked, by, status=Validation.Status.COMPLETED, completed_at=timezone.now())
    return fresh_validation(locked.pk)


def validations_supersede(*, audit: Audit, by) -> int:
    """Marks the audit's live validations superseded (an admin reopened it): they stay
    shown as such, and their peers no longer see the audit. Runs in the caller's
    transaction; returns how many there were."""
    now = timezone.now()
    live = list(Validation.objects.select_for_update().filter(audit_id=audit.pk).live())
    for validation in live:
        _record(validation, by, superseded_at=now)
    return len(live)
