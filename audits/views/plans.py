"""The improvement plan's pages: a school's plan, an action from a gap, its page and its edit.

Who: the plan and an action's page for whoever may see the school (`get_school_for`,
`get_action_for`): its leaders, the coordinators of its hubs, superusers. Adding and
changing are the school's leaders' (`get_action_for(write=True)`); superusers change
actions in the admin, through the same service.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from audits import rules
from audits.forms.errors import error_summary_links
from audits.forms.plans import ActionForm, person_name
from audits.instrument_texts import descriptor
from audits.models import Audit, ImprovementAction, get_action_for, get_audit_for
from audits.selectors.plans import school_plan as plan_of
from audits.services.plans import ActionConflict, action_create, action_update
from communities.models import School, get_school_for

SAFE_OR_POST = ["GET", "HEAD", "POST"]


def _leads(user, school_id: int | None) -> bool:
    return school_id is not None and School.objects.led_by(user).filter(pk=school_id).exists()


@require_safe
def school_plan(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_school_for(request.user, school_id)
    latest = Audit.objects.latest_submitted_by_school_id([school.pk]).get(school.pk)
    context = {
        "school": school,
        "plan": plan_of(school),
        "keeps": _leads(request.user, school.pk),
        "latest": latest,
    }
    return render(request, "audits/plan_school.html", context)


def _gap_numbers(audit: Audit) -> list[int]:
    return [gap.category.number for gap in rules.gaps_to_virtuous(audit.stages)]


def _initial(audit: Audit, value: str) -> dict:
    """The category asked for (`?category=N`, one of the gaps) and, as its aim, what its
    next stage looks like, in the texts the audit was rated against."""
    gap = next(
        (g for g in rules.gaps_to_virtuous(audit.stages) if str(g.category.number) == value),
        None,
    )
    if gap is None:
        return {}
    aim = (
        descriptor(gap.category, gap.next_stage, audit.instrument_version) if gap.next_stage else ""
    )
    return {"category": gap.category.number, "aim": _(aim) if aim else ""}


@require_http_methods(SAFE_OR_POST)
def action_new(request: HttpRequest, pk: int) -> HttpResponse:
    """An action from one of a submitted audit's gaps, for its school's leaders."""
    audit = get_audit_for(request.user, pk)
    if not _leads(request.user, audit.school_id):
        raise Http404("No such audit.")
    report = reverse("audits:audit_report", args=[audit.pk])
    gaps = _gap_numbers(audit)
    if not audit.is_submitted or not gaps:
        messages.info(request, _no_plan_message(audit))
        return redirect(report)
    data = request.POST if request.method == "POST" else None
    form = ActionForm(
        data,
        school=audit.school,
        categories=gaps,
        initial=_initial(audit, request.GET.get("category", "")),
    )
    if data is not None and form.is_valid():
        try:
            action_create(audit=audit, by=request.user, **form.fields_for_service())
        except PermissionDenied:
            raise Http404("No such audit.") from None
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The action is added to the plan."))
            return redirect(f"{report}#plan-heading")
    return _render_form(request, form, audit=audit, cancel_url=report)


def _no_plan_message(audit: Audit) -> str:
    if not audit.is_submitted:
        return _("Plan actions from the audit's gaps once it is submitted.")
    return _("Every category is at Integration: this audit leaves no gap to plan for.")


def _render_form(request, form: ActionForm, *, audit, cancel_url, status=200, **extra):
    context = {
        "form": form,
        "audit": audit,
        "school": form.school,
        "action": form.action,
        "cancel_url": cancel_url,
        "error_links": error_summary_links(form, form_anchor="action-form"),
        **extra,
    }
    return render(request, "audits/plan_action_form.html", context, status=status)


@require_safe
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action_for(request.user, pk)
    action.overdue = action.is_overdue()
    history = action.history.select_related("history_user").order_by("-history_date")[:20]
    context = {
        "action": action,
        "can_edit": _leads(request.user, action.school_id),
        "history": list(history),
    }
    return render(request, "audits/plan_action_detail.html", context)


@require_http_methods(SAFE_OR_POST)
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action_for(request.user, pk, write=True)
    data = request.POST if request.method == "POST" else None
    form = _edit_form(data, action)
    if data is not None and form.is_valid():
        try:
            action_update(
                action=action,
                by=request.user,
                version=form.cleaned_data["version"],
                **form.fields_for_service(),
            )
        except ActionConflict as conflict:
            return _render_conflict(request, conflict.current)
        except PermissionDenied:
            raise Http404("No such action.") from None
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The action is saved."))
            return redirect("audits:action_detail", pk=action.pk)
    return _render_form(request, form, audit=action.audit, cancel_url=_detail_url(action))


def _detail_url(action: ImprovementAction) -> str:
    return reverse("audits:action_detail", args=[action.pk])


def _edit_form(data, action: ImprovementAction) -> ActionForm:
    numbers = {*_gap_numbers(action.audit), action.category}
    return ActionForm(data, school=action.school, categories=numbers, action=action)


def _render_conflict(request: HttpRequest, current: ImprovementAction) -> HttpResponse:
    """Someone saved the action since this page was loaded: what is saved now, beside
    what this person typed, which they keep and may save again, knowingly."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    rebased = _edit_form(data, current)
    rebased.is_valid()
    who = current.updated_by
    return _render_form(
        request,
        rebased,
        audit=current.audit,
        cancel_url=_detail_url(current),
        status=409,
        conflict=current,
        conflict_self=who == request.user,
        conflict_by=person_name(who) if who else _("Someone else"),
    )
