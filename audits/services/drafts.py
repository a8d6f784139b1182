"""Writes that span an audit and its ratings, each in one transaction.

How a draft is saved (docs/architecture.md, "Saving a draft"): every part of a draft has
a version, and a save carries the version of each part the editor changed, as loaded.
The parts are the nine ratings (`Rating.version`) and the reflections
(`Audit.reflections_version`); `Audit.version` moves with any change at all, and is what
submitting and discarding check, since they act on the whole. A save writes only the
parts the editor changed, and is refused (`RatingConflict`) when one of them was saved
by someone else since it was loaded: two tabs on different categories never conflict,
two edits of the same category always do, and nothing is ever overwritten silently. The
web pages and the admin go through these same functions.

The audit row is locked (`select_for_update`) while versions are checked; on SQLite the
IMMEDIATE transaction mode serialises writers in the same way. A draft discarded in the
meantime is `AuditDiscarded`, with who discarded it and when.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audits import rules
from audits.instrument import CATEGORIES, REFLECTION_QUESTIONS
from audits.labels import category_label
from audits.models import Audit, AuditIsFinal, EvidenceFile, EvidenceLink, Rating
from communities.mail import queue_email
from communities.models import Hub, School, SentMessage


@dataclass(frozen=True)
class CategoryAnswer:
    """What an editor gave one category, and the version of its rating they started from
    (None when the page did not say: then the audit's version is checked instead)."""

    stage: int | None
    evidence: str
    version: int | None = None


@dataclass(frozen=True)
class ReflectionsAnswer:
    """The reflections as an editor wrote them ({field: text}), and the version they
    started from (None: the audit's version is checked instead)."""

    texts: dict[str, str]
    version: int | None = None


class AuditConflict(Exception):
    """The audit as a whole changed (was saved, or submitted) since this editor loaded it:
    what submitting and discarding check."""

    def __init__(self, current: Audit):
        super().__init__(f"Audit {current.pk} changed since it was loaded.")
        self.current = current


class RatingConflict(AuditConflict):
    """Parts this editor changed were saved by someone else since they loaded them:
    `categories` (numbers) and whether the reflections were. Nothing was saved."""

    def __init__(self, current: Audit, categories: list[int], reflections: bool = False):
        super().__init__(current)
        self.categories, self.reflections = categories, reflections


class AuditDiscarded(Exception):
    """The draft no longer exists: someone discarded it. `by` and `at` from its history,
    when known."""

    def __init__(self, pk: int, by=None, at: datetime.datetime | None = None):
        super().__init__(f"Audit {pk} was discarded.")
        self.pk, self.by, self.at = pk, by, at


def part_is_stale(*, saved_version: int, loaded_version: int, saved, wanted) -> bool:
    """The version check, for every write path: a part of a draft that someone saved since
    the editor loaded it (its version moved) may not be written by them, unless it already
    holds what they want."""
    return saved_version != loaded_version and saved != wanted


def discarded_record(pk: int):
    """The history record of a deleted audit (who deleted it, when, and of what), or None."""
    return (
        Audit.history.filter(id=pk, history_type="-")
        .select_related("history_user")
        .order_by("-history_date")
        .first()
    )


def _discarded(pk: int) -> AuditDiscarded:
    record = discarded_record(pk)
    if record is None:
        return AuditDiscarded(pk)
    return AuditDiscarded(pk, by=record.history_user, at=record.history_date)


def locked_draft(pk: int) -> Audit:
    """The audit row, locked for this transaction, if it is still a draft; otherwise
    AuditDiscarded or AuditConflict (submitted meanwhile)."""
    locked = Audit.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise _discarded(pk)
    if locked.is_submitted:
        raise AuditConflict(fresh_audit(pk))
    return locked


def fresh_audit(pk: int) -> Audit:
    """The audit as saved now, with its ratings and who last saved or submitted it."""
    return Audit.objects.select_related("updated_by", "submitted_by").with_ratings().get(pk=pk)


def touch(audit: Audit, by) -> None:
    """Records that the audit changed: its version, who, when."""
    audit.version += 1
    audit.updated_by = by
    audit._history_user = by
    audit.save()


def _write_rating(rating: Rating, answer: CategoryAnswer, by) -> bool:
    """Writes one rating if what the editor gave differs from what is saved, or if it was
    copied from the last audit and is to review (saving it as it is confirms it); False
    if there was nothing to write."""
    if (rating.stage, rating.evidence) == (answer.stage, answer.evidence) and not rating.to_review:
        return False
    rating.stage, rating.evidence, rating.to_review = answer.stage, answer.evidence, False
    rating.version += 1
    rating._history_user = by
    rating.save()
    return True


@transaction.atomic
def audit_save_draft(
    *,
    audit: Audit,
    categories: dict[int, CategoryAnswer],
    reflections: ReflectionsAnswer | None = None,
    by,
    version: int | None = None,
) -> Audit:
    """Saves what an editor changed in a draft: some categories (by number) and perhaps
    the reflections. All or nothing: raises RatingConflict, saving nothing, when any of
    those parts was saved by someone else since the editor loaded it (unless it now holds
    exactly what they gave). A part given without its own version is checked against the
    audit's `version` as the editor loaded it: coarser, never silent. Returns the audit
    as saved, with its ratings."""
    locked = locked_draft(audit.pk)
    ratings = {r.category: r for r in Rating.objects.select_for_update().filter(audit=locked)}
    for number in categories:
        ratings.setdefault(number, Rating(audit=locked, category=number))
    stale = [
        number
        for number, answer in sorted(categories.items())
        if part_is_stale(
            **_versions(ratings[number].version, answer.version, locked, version),
            saved=(ratings[number].stage, ratings[number].evidence),
            wanted=(answer.stage, answer.evidence),
        )
    ]
    stale_reflections = reflections is not None and _reflections_stale(locked, reflections, version)
    if stale or stale_reflections:
        raise RatingConflict(fresh_audit(locked.pk), stale, stale_reflections)
    changed = [_write_rating(ratings[n], answer, by) for n, answer in categories.items()]
    if reflections is not None and _write_reflections(locked, reflections):
        changed.append(True)
    if any(changed):
        touch(locked, by)
    saved = fresh_audit(locked.pk)
    saved.saved_now = any(changed)  # whether this save wrote anything
    return saved


def audit_save_category(*, audit: Audit, category: int, answer: CategoryAnswer, by) -> Audit:
    """Saves one category of a draft, never touching the other eight."""
    return audit_save_draft(audit=audit, categories={category: answer}, by=by)


def _versions(part_version: int, loaded: int | None, audit: Audit, audit_loaded) -> dict:
    """The versions to compare for a part: its own, or the audit's when the editor's page
    gave none for the part (and none at all: nothing to compare, as for a new part)."""
    if loaded is not None:
        return {"saved_version": part_version, "loaded_version": loaded}
    if audit_loaded is not None:
        return {"saved_version": audit.version, "loaded_version": audit_loaded}
    return {"saved_version": 0, "loaded_version": 0}


def _reflections_stale(audit: Audit, answer: ReflectionsAnswer, audit_loaded) -> bool:
    return part_is_stale(
        **_versions(audit.reflections_version, answer.version, audit, audit_loaded),
        saved={q.field: getattr(audit, q.field) for q in REFLECTION_QUESTIONS},
        wanted={q.field: answer.texts.get(q.field, "") for q in REFLECTION_QUESTIONS},
    )


def _write_reflections(audit: Audit, answer: ReflectionsAnswer) -> bool:
    changed = False
    for question in REFLECTION_QUESTIONS:
        text = answer.texts.get(question.field, "")
        if getattr(audit, question.field) != text:
            setattr(audit, question.field, text)
            changed = True
    if changed:
        audit.reflections_version += 1
    return changed


@transaction.atomic
def audit_submit(*, audit: Audit, by, version: int) -> Audit:
    """Submits a complete draft; it is read-only from then on.

    Raises ValidationError naming the categories not rated, AuditConflict when anything
    in the draft changed since `version` was loaded (the person submits what they
    checked), or AuditDiscarded."""
    locked = locked_draft(audit.pk)
    if locked.version != version:
        raise AuditConflict(fresh_audit(locked.pk))
    missing = rules.missing_categories(fresh_audit(locked.pk).stages)
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
    locked._history_user = by
    locked.save()
    return fresh_audit(locked.pk)


@transaction.atomic
def audit_discard(*, audit: Audit, by, version: int) -> None:
    """Deletes a draft and its ratings, recording `by` in their history.

    Raises AuditIsFinal when the audit was submitted meanwhile (a submitted audit is never
    deleted), AuditConflict when the draft was saved since `version` was loaded, so that
    nobody throws away work they have not seen, or AuditDiscarded when someone (perhaps
    the same person, a double click) discarded it first."""
    locked = Audit.objects.select_for_update().filter(pk=audit.pk).first()
    if locked is None:
        raise _discarded(audit.pk)
    if locked.is_submitted:
        raise AuditIsFinal("A submitted audit cannot be discarded.")
    if locked.version != version:
        raise AuditConflict(fresh_audit(audit.pk))
    for rating in locked.ratings.all():
        for evidence in [*rating.files.all(), *rating.links.all()]:
            evidence._history_user = by
            evidence.delete()
        rating._history_user = by
        rating.delete()
    locked._history_user = by
    locked.delete()  # the stored files go once this commits (audits.models.evidence)


@transaction.atomic
def audit_reopen(*, audit: Audit, by, reason: str) -> Audit | None:
    """Returns a submitted audit to draft, recording who and why in its history. None,
    changing nothing, when it is not submitted (or no longer exists)."""
    locked = Audit.objects.select_for_update(of=("self",)).filter(pk=audit.pk).first()
    if locked is None or not locked.is_submitted:
        return None
    locked.status = Audit.Status.DRAFT
    locked.submitted_at = locked.submitted_by = None
    locked.updated_by = by
    locked.version += 1
    locked._history_user = by
    locked._change_reason = _("Reopened by %(user)s: %(reason)s") % {
        "user": by.get_username(),
        "reason": reason,
    }
    locked.save()
    from audits.services.validation import validations_supersede  # it imports this module

    validations_supersede(audit=locked, by=by)
    _tell_reopened(locked, by=by, reason=reason)
    return locked


def _tell_reopened(audit: Audit, *, by, reason: str) -> None:
    """Emails the school's leaders (a hub's audit: its coordinators) that the audit is a
    draft again, and why; sent by the worker once this transaction commits."""
    people = audit.school.leaders if audit.school_id else audit.hub.coordinators
    context = {
        "audit": audit,
        "by": by,
        "reason": reason,
        "subject_name": audit.subject.name,
        "audit_path": reverse("audits:audit_edit", args=[audit.pk]),
    }
    for person in people.filter(is_active=True).exclude(email=""):
        queue_email(
            kind=SentMessage.Kind.AUDIT_REOPENED,
            to=person,
            template="audit_reopened",
            context=context,
        )


@transaction.atomic
def audit_start(
    *, school: School | None = None, hub: Hub | None = None, period: str, by, copy_forward: bool
) -> Audit:
    """Opens a draft for a school or a hub with all nine categories unrated, or, with
    `copy_forward`, with the ratings and evidence of its last submitted audit before
    `period`, each marked to review until someone saves it. Raises ValidationError when
    the subject already has an audit for `period`."""
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
        rating = Rating.objects.create(
            audit=audit,
            category=category.number,
            stage=source.stage if source else None,
            evidence=source.evidence if source else "",
            to_review=source is not None and (source.stage is not None or bool(source.evidence)),
        )
        if source is not None:
            _copy_evidence(source, rating, by)
    return audit


def _copy_evidence(source: Rating, rating: Rating, by) -> None:
    """The files and links of a rating copied to another: each file as a copy of its own
    (a new stored file), so that the new draft can never change or delete the old
    audit's."""
    for link in source.links.all():
        EvidenceLink.objects.create(rating=rating, url=link.url, title=link.title, added_by=by)
    for old in source.files.all():
        copy = EvidenceFile(
            rating=rating, name=old.name, content_type=old.content_type, size=old.size, added_by=by
        )
        with old.file.open("rb") as content:
            copy.file.save(old.name, File(content), save=False)
        copy.save()
