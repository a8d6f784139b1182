"""Writes of the improvement plan: an action from a submitted audit's gap, and its changes.

Both are atomic and keyword-only. What an action may hold is checked here, for the pages
and the admin alike: an owner (a leader of the school, or a name), a category of the
nine, a partnership or agreed support of the school's own, and "what changed" once it is
done. The status sets `finished_on` (done or dropped: today, unless given) and reopening
clears it. A change carries the version it started from: a change made since by someone
else is never overwritten (`ActionConflict`, with who and when).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.instrument import CATEGORY_BY_NUMBER
from audits.models import Audit, ImprovementAction
from audits.services.drafts import part_is_stale
from communities.models import Partnership, School, SupportAgreement
from communities.models.dates import date_problem

Status = ImprovementAction.Status
# What a page or the admin may set on an action; the rest is the service's.
FIELDS = (
    "category",
    "description",
    "aim",
    "owner",
    "owner_name",
    "due_on",
    "status",
    "outcome",
    "partnership",
    "support",
)


class ActionConflict(Exception):
    """The action was changed by someone else since this editor loaded it: `current` is
    the action as saved now (with `updated_by` and `updated_at`). Nothing was saved."""

    def __init__(self, current: ImprovementAction):
        super().__init__(f"Action {current.pk} changed since it was loaded.")
        self.current = current


def may_plan(user, school: School | None) -> bool:
    """A school's leaders keep its plan; so do those allowed to change actions in the
    admin."""
    if school is None or not user.is_authenticated:
        return False
    if user.has_perm("audits.change_improvementaction"):
        return True
    return school.leaders.filter(pk=user.pk).exists()


def audit_error(audit: Audit | None) -> str | None:
    """Why an action may not start from this audit, or None when it may."""
    if audit is None or audit.school_id is None:
        return _("Choose a school's audit: a plan belongs to a school.")
    if not audit.is_submitted:
        return _("Choose a submitted audit: actions start from its gaps.")
    return None


def _check(action: ImprovementAction) -> None:
    """Raises ValidationError, by field, for what the action may not hold."""
    errors = action_errors(action)
    if errors:
        raise ValidationError(errors)


def action_errors(action: ImprovementAction) -> dict[str, str]:
    """{field: why} for what the action may not hold (empty when it may be saved)."""
    errors: dict[str, str] = {}
    school = action.school
    if action.category not in CATEGORY_BY_NUMBER:  # not a gap is the form's to say
        errors["category"] = _("Choose one of the nine categories.")
    if not action.description.strip():
        errors["description"] = _("Say what will be done.")
    if action.due_on is None:
        errors["due_on"] = _("Enter the date it is due.")
    elif problem := date_problem(action.due_on):
        errors["due_on"] = problem
    if action.owner_id is None and not action.owner_name.strip():
        errors["owner"] = _("Choose who owns the action, or type their name.")
    elif action.owner_id is not None and not school.leaders.filter(pk=action.owner_id).exists():
        errors["owner"] = _("The owner must be a leader of the school, or a name.")
    if action.status == Status.DONE and not action.outcome.strip():
        errors["outcome"] = _("Say what changed, now that it is done.")
    return errors | _check_ways(action)


def _check_ways(action: ImprovementAction) -> dict[str, str]:
    """The partnership and the agreed support must be the school's own."""
    errors = {}
    if action.partnership_id and not (
        Partnership.objects.of(action.school).filter(pk=action.partnership_id).exists()
    ):
        errors["partnership"] = _("Choose one of the school's own partnerships.")
    if action.support_id and not (
        SupportAgreement.objects.involving(action.school).filter(pk=action.support_id).exists()
    ):
        errors["support"] = _("Choose agreed support the school takes part in.")
    return errors


def _finish(action: ImprovementAction, was_open: bool, today: datetime.date) -> None:
    """Done or dropped: dated (today, when it was open until now); open: not dated."""
    if action.is_open:
        action.finished_on = None
    elif was_open or action.finished_on is None:
        action.finished_on = today


def _save(action: ImprovementAction, by) -> ImprovementAction:
    action.updated_by = by
    action._history_user = by
    action.save()
    return action


@transaction.atomic
def action_create(
    *, audit: Audit, by, finished_on: datetime.date | None = None, **fields
) -> ImprovementAction:
    """Adds an action to the plan of the audit's school, from that submitted audit.
    `fields` are among FIELDS (category, description and due_on are needed); one done or
    dropped is dated `finished_on` (today by default, when it is recorded). Raises
    PermissionDenied for someone who does not lead the school or an audit that is not a
    school's submitted one, ValidationError (by field) for what the action may not hold."""
    if audit_error(audit) or not may_plan(by, audit.school):
        raise PermissionDenied
    action = ImprovementAction(school=audit.school, audit=audit, created_by=by)
    for name, value in fields.items():
        set_field(action, name, value)
    _finish(action, was_open=True, today=finished_on or timezone.localdate())
    _check(action)
    return _save(action, by)


def set_field(action: ImprovementAction, name: str, value) -> None:
    """Sets one of FIELDS (a text left out is empty)."""
    if name not in FIELDS:
        raise TypeError(f"An action has no field {name!r} to set.")
    if name in ("aim", "owner_name", "outcome", "description"):
        value = value or ""
    setattr(action, name, value)


def saved_values(action: ImprovementAction, names) -> dict:
    """The action's values of these FIELDS, a related object by its key."""
    return {name: getattr(action, f"{name}_id" if _is_fk(name) else name) for name in names}


def _is_fk(name: str) -> bool:
    return name in ("owner", "partnership", "support")


def _wanted(fields: dict) -> dict:
    return {
        name: (getattr(value, "pk", value) if _is_fk(name) else value)
        for name, value in fields.items()
    }


@transaction.atomic
def action_update(*, action: ImprovementAction, by, version: int, **fields) -> ImprovementAction:
    """Changes an action (`fields` among FIELDS). Raises ActionConflict, saving nothing,
    when someone saved it since `version` was loaded (unless it already holds what this
    editor gives), PermissionDenied for someone who does not lead its school,
    ValidationError (by field) for what it may not hold. Returns the action as saved."""
    locked = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    if not may_plan(by, locked.school):
        raise PermissionDenied
    wanted = _wanted(fields)
    saved = saved_values(locked, wanted)
    if part_is_stale(
        saved_version=locked.version, loaded_version=version, saved=saved, wanted=wanted
    ):
        raise ActionConflict(fresh_action(locked.pk))
    if saved == wanted:
        return fresh_action(locked.pk)
    was_open = locked.is_open
    for name, value in fields.items():
        set_field(locked, name, value)
    _finish(locked, was_open=was_open, today=timezone.localdate())
    _check(locked)
    locked.version += 1
    _save(locked, by)
    return fresh_action(locked.pk)


def fresh_action(pk: int) -> ImprovementAction:
    """The action as saved now, with who last changed it."""
    return ImprovementAction.objects.select_related(
        "school", "audit", "owner", "updated_by", "partnership__partner", "support"
    ).get(pk=pk)
