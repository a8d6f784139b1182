"""Writes that span an audit and its ratings, each in one transaction.

Saving a draft carries the version the editor started from: a save from an older version
is refused with `AuditConflict`, so two people editing the same draft never overwrite each
other silently. The row is locked (`select_for_update`) while the version is checked; on
SQLite the IMMEDIATE transaction mode serialises writers in the same way.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits import rules
from audits.instrument import CATEGORIES, REFLECTION_QUESTIONS
from audits.labels import category_label
from audits.models import Audit, AuditIsFinal, Rating
from communities.models import Hub, School


@dataclass(frozen=True)
class AuditAnswers:
    """What an editor typed: {category number: stage or None}, {category number:
    evidence} and {reflection field: text}."""

    stages: dict[int, int | None]
    evidence: dict[int, str] = field(default_factory=dict)
    reflections: dict[str, str] = field(default_factory=dict)


class AuditConflict(Exception):
    """Somebody else saved (or submitted) the audit since this editor loaded it."""

    def __init__(self, current: Audit):
        super().__init__(f"Audit {current.pk} changed since it was loaded.")
        self.current = current


def _locked(audit: Audit, version: int) -> Audit:
    """The audit row, locked for this transaction, if it is still the draft the editor
    loaded; otherwise AuditConflict with what is saved now."""
    locked = Audit.objects.select_for_update().get(pk=audit.pk)
    if locked.version != version or locked.is_submitted:
        raise AuditConflict(_fresh(audit.pk))
    return locked


def _fresh(pk: int) -> Audit:
    return Audit.objects.select_related("updated_by", "submitted_by").with_ratings().get(pk=pk)


def _save_ratings(audit: Audit, data: AuditAnswers) -> None:
    """Writes only the ratings that changed, so that each change leaves one history row."""
    existing = {rating.category: rating for rating in audit.ratings.all()}
    for category in CATEGORIES:
        stage = data.stages.get(category.number)
        evidence = data.evidence.get(category.number, "")
        rating = existing.get(category.number) or Rating(audit=audit, category=category.number)
        if rating.pk and (rating.stage, rating.evidence) == (stage, evidence):
            continue
        rating.stage, rating.evidence = stage, evidence
        rating.save()


@transaction.atomic
def audit_save_draft(*, audit: Audit, data: AuditAnswers, by, version: int) -> Audit:
    """Saves a draft's ratings, evidence and reflections, any subset rated.

    Raises AuditConflict when the draft was saved or submitted by someone else since
    `version` was loaded. Returns the saved audit with its ratings."""
    locked = _locked(audit, version)
    for question in REFLECTION_QUESTIONS:
        setattr(locked, question.field, data.reflections.get(question.field, ""))
    locked.version += 1
    locked.updated_by = by
    locked.save()
    _save_ratings(locked, data)
    return _fresh(locked.pk)


@transaction.atomic
def audit_submit(*, audit: Audit, by, version: int) -> Audit:
    """Submits a complete draft; it is read-only from then on.

    Raises ValidationError naming the categories not rated, or AuditConflict when the
    draft changed since `version` was loaded."""
    locked = _locked(audit, version)
    missing = rules.missing_categories(_fresh(locked.pk).stages)
    if missing:
        names = ", ".join(category_label(category) for category in missing)
        raise ValidationError(
            _("Rate every category before submitting. Not rated: %(categories)s.")
            % {"categories": names}
        )
    locked.status = Audit.Status.SUBMITTED
    locked.submitted_by = locked.updated_by = by
    locked.submitted_at = timezone.now()
    locked.version += 1
    locked.save()
    return _fresh(locked.pk)


@transaction.atomic
def audit_discard(*, audit: Audit, by, version: int) -> None:
    """Deletes a draft and its ratings, recording `by` in their history.

    Raises AuditIsFinal when the audit was submitted meanwhile (a submitted audit is never
    deleted), or AuditConflict when the draft was saved since `version` was loaded, so
    that nobody throws away work they have not seen."""
    locked = Audit.objects.select_for_update().get(pk=audit.pk)
    if locked.is_submitted:
        raise AuditIsFinal("A submitted audit cannot be discarded.")
    if locked.version != version:
        raise AuditConflict(_fresh(audit.pk))
    for rating in locked.ratings.all():
        rating._history_user = by
        rating.delete()
    locked._history_user = by
    locked.delete()


@transaction.atomic
def audit_start(
    *, school: School | None = None, hub: Hub | None = None, period: str, by, copy_forward: bool
) -> Audit:
    """Opens a draft for a school or a hub with all nine categories unrated, or, with
    `copy_forward`, with the ratings and evidence of its last submitted audit before
    `period`. Raises ValidationError when the subject already has an audit for `period`."""
    audit = Audit(
        school=school,
        hub=hub,
        period=period,
        audit_date=timezone.localdate(),
        created_by=by,
        updated_by=by,
    )
    audit.full_clean()
    try:
        with transaction.atomic():
            audit.save()
    except IntegrityError:
        raise ValidationError({"period": _("There is already an audit for this period.")}) from None
    previous = (
        Audit.objects.previous_submitted(audit.subject, before=period) if copy_forward else None
    )
    copied = {r.category: r for r in previous.ratings.all()} if previous else {}
    for category in CATEGORIES:
        source = copied.get(category.number)
        Rating.objects.create(
            audit=audit,
            category=category.number,
            stage=source.stage if source else None,
            evidence=source.evidence if source else "",
        )
    return audit
