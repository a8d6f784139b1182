"""Peer validation: the leader invites a peer (and may withdraw the invitation); the peer
accepts or declines, works through the nine categories the way the leader does (a task
list, a page per category, a check page that completes it), and their ratings then sit
beside the school's on the report.

Who may do what is decided by `get_validation_for` (the peer's own open validation, while
they are still a peer; the school's leader, to withdraw) and `get_audit_for`; the writes
are `audits.services.validation`.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from audits import rules, services
from audits.forms.errors import error_summary_links
from audits.forms.validation import CompleteForm, InviteForm, PeerCategoryForm
from audits.instrument import CATEGORIES, CATEGORY_BY_NUMBER, Category, Stage
from audits.instrument_texts import descriptor
from audits.labels import category_label
from audits.models import (
    EvidenceFile,
    EvidenceLink,
    Rating,
    Validation,
    ValidationIsFinal,
    get_audit_for,
    get_validation_for,
)
from audits.selectors.peers import eligible_peers
from audits.services import ValidationConflict, ValidationSuperseded
from audits.views.audit_steps import category_status
from communities.models import get_school_for


def _report_url(audit_id: int) -> str:
    return reverse("audits:audit_report", args=[audit_id]) + "#validations"


def _name(person) -> str:
    return person.get_full_name() or person.get_username()


# -- the school's leader ------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def validation_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader of the school asks a peer to validate its submitted audit."""
    audit = get_audit_for(request.user, pk)
    get_school_for(request.user, audit.school_id, lead=True)  # a 404 for anyone else
    if not audit.is_submitted:
        raise Http404("No such audit.")
    form = InviteForm(request.POST or None, peers=eligible_peers(audit))
    if request.method == "POST" and form.is_valid():
        try:
            validation = services.validation_invite(
                audit=audit,
                validator=form.chosen(),
                by=request.user,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            name = _name(validation.validator)
            messages.success(
                request, _("%(name)s is invited to validate this audit.") % {"name": name}
            )
            return redirect(_report_url(audit.pk))
    context = {
        "audit": audit,
        "form": form,
        "error_links": error_summary_links(form, form_anchor="invite-form"),
    }
    return render(request, "audits/validation_invite.html", context)


@require_POST
def validation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader of the school withdraws an invitation, or a validation under way."""
    validation = get_validation_for(request.user, pk, need="withdraw")
    try:
        services.validation_withdraw(validation=validation, by=request.user)
    except ValidationIsFinal as refused:
        messages.error(request, str(refused))
    else:
        name = _name(validation.validator)
        messages.success(request, _("The invitation to %(name)s is withdrawn.") % {"name": name})
    return redirect(_report_url(validation.audit_id))


# -- the invited peer ----------------------------------------------------------------------


def _working(request: HttpRequest, pk: int) -> Validation | HttpResponse:
    """The validation this person works on, or where to go instead: the report, for their
    own completed one (it is read-only); a 404 for anyone else."""
    try:
        return get_validation_for(request.user, pk)
    except Http404:
        done = get_validation_for(request.user, pk, need="read")  # a 404 for anyone else
        messages.info(request, _("This validation is completed: it is read-only."))
        return redirect(_report_url(done.audit_id))


def _accepted(request: HttpRequest, pk: int) -> Validation | HttpResponse:
    """The validation under way, or the task list while it is only an invitation."""
    validation = _working(request, pk)
    if isinstance(validation, Validation) and validation.status != Validation.Status.ACCEPTED:
        messages.info(request, _("Accept the invitation first (or decline it)."))
        return redirect("audits:validation_tasks", pk=pk)
    return validation


def _refused(request: HttpRequest, refused: ValidationIsFinal, pk: int) -> HttpResponse:
    """Where a refused step goes: home when the audit was reopened (the peer no longer
    sees it), else the task list; with the reason."""
    messages.error(request, str(refused))
    if isinstance(refused, ValidationSuperseded):
        return redirect("home")
    return redirect("audits:validation_tasks", pk=pk)


@dataclass
class PeerTask:
    category: Category
    url: str
    status: str
    school_stage: int | None
    stage: int | None

    @property
    def agrees(self) -> bool:
        return rules.peer_agrees(self.school_stage, self.stage)


def _tasks(validation: Validation) -> list[PeerTask]:
    ratings = {rating.category: rating for rating in validation.ratings.all()}
    return [
        PeerTask(
            c,
            reverse("audits:validation_category", args=[validation.pk, c.number]),
            category_status(ratings[c.number].stage, ratings[c.number].comment, 0),
            ratings[c.number].school_stage,
            ratings[c.number].stage,
        )
        for c in CATEGORIES
    ]


@require_safe
def validation_tasks(request: HttpRequest, pk: int) -> HttpResponse:
    """The invitation (accept or decline), then the nine categories and where each
    stands."""
    validation = _working(request, pk)
    if isinstance(validation, HttpResponse):
        return validation
    tasks = _tasks(validation)
    context = {
        "validation": validation,
        "audit": validation.audit,
        "tasks": tasks,
        "completed": sum(1 for task in tasks if task.stage is not None),
    }
    return render(request, "audits/validation_tasks.html", context)


@require_POST
def validation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The invited peer accepts or declines."""
    validation = get_validation_for(request.user, pk)
    school = validation.audit.school.name
    try:
        if "accept" in request.POST:
            services.validation_accept(validation=validation, by=request.user)
        elif "decline" in request.POST:
            services.validation_decline(validation=validation, by=request.user)
        else:
            return redirect("audits:validation_tasks", pk=pk)
    except ValidationIsFinal as refused:
        return _refused(request, refused, pk)
    if "decline" in request.POST:
        messages.success(
            request, _("You declined to validate the audit of %(school)s.") % {"school": school}
        )
        return redirect("home")
    messages.success(request, _("You accepted: work through the nine categories, then complete."))
    return redirect("audits:validation_tasks", pk=pk)


def _next_url(validation: Validation, category: Category, request: HttpRequest) -> str:
    """Where "Save and continue" goes: back to the check page when the peer came from it,
    else the next category, then the check page."""
    if request.GET.get("return") == "check" or category.number == len(CATEGORIES):
        return reverse("audits:validation_check", args=[validation.pk])
    return reverse("audits:validation_category", args=[validation.pk, category.number + 1])


def _rating(validation: Validation, number: int):
    return next(r for r in validation.ratings.all() if r.category == number)


@require_http_methods(["GET", "HEAD", "POST"])
def validation_category(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One category: the school's stage, what it looks like here and the school's
    evidence; the peer agrees or gives another stage, with a comment."""
    category = CATEGORY_BY_NUMBER.get(number)
    if category is None:
        raise Http404
    validation = _accepted(request, pk)
    if isinstance(validation, HttpResponse):
        return validation
    rating = _rating(validation, number)
    kwargs = {
        "rating": rating,
        "category": category,
        "texts_version": validation.audit.instrument_version,
    }
    if request.method != "POST":
        form = PeerCategoryForm(initial=PeerCategoryForm.initial_for(rating), **kwargs)
        return _render_category(request, validation, category, form)
    form = PeerCategoryForm(request.POST, **kwargs)
    if not form.is_valid():
        return _render_category(request, validation, category, form)
    return _save_category(request, validation, category, form)


def _save_category(request, validation: Validation, category: Category, form) -> HttpResponse:
    answer = form.answer()
    try:
        if answer is not None:
            services.validation_save_category(
                validation=validation, category=category.number, answer=answer, by=request.user
            )
    except ValidationConflict as conflict:
        return _render_conflict(request, conflict.current, category, form)
    except ValidationError as error:
        form.add_error(None, error)
        return _render_category(request, validation, category, form)
    except ValidationIsFinal as refused:
        return _refused(request, refused, validation.pk)
    messages.success(request, _("%(category)s is saved.") % {"category": category_label(category)})
    if "to_tasks" in request.POST:
        return redirect("audits:validation_tasks", pk=validation.pk)
    return redirect(_next_url(validation, category, request))


def _render_category(request, validation, category, form, status=200, **extra) -> HttpResponse:
    audit = validation.audit
    rating = _rating(validation, category.number)
    school_rating = Rating.objects.filter(audit=audit, category=category.number).first()
    school_stage = rating.school_stage
    evidence = EvidenceFile.objects.of_audit(audit).filter(rating__category=category.number)
    links = EvidenceLink.objects.of_audit(audit).filter(rating__category=category.number)
    context = {
        "validation": validation,
        "audit": audit,
        "category": category,
        "school_stage": school_stage,
        "school_descriptor": (
            descriptor(category, Stage(school_stage), audit.instrument_version)
            if school_stage
            else ""
        ),
        "school_evidence": school_rating.evidence if school_rating else "",
        "files": list(evidence),
        "links": list(links),
        "form": form,
        "error_links": error_summary_links(form, form_anchor="peer-category-form"),
        "previous_number": category.number - 1 if category.number > 1 else None,
        "returning": request.GET.get("return") == "check",
        **extra,
    }
    return render(request, "audits/validation_category.html", context, status=status)


def _render_conflict(request, current: Validation, category: Category, form) -> HttpResponse:
    """The category was saved in another tab since this page was loaded: what is saved
    now beside what this person chose, which they keep and may save, knowingly."""
    rating = _rating(current, category.number)
    data = request.POST.copy()
    saved = PeerCategoryForm.initial_for(rating)
    data["version"], data["loaded"] = str(saved["version"]), saved["loaded"]
    rebased = PeerCategoryForm(
        data, rating=rating, category=category, texts_version=current.audit.instrument_version
    )
    rebased.is_valid()
    return _render_category(request, current, category, rebased, status=409, conflict=rating)


def _check_rows(validation: Validation) -> list[dict]:
    return [
        {
            "category": task.category,
            "school_stage": task.school_stage,
            "stage": task.stage,
            "agrees": task.agrees,
            "comment": _rating(validation, task.category.number).comment,
            "url": task.url + "?return=check",
        }
        for task in _tasks(validation)
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def validation_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Check the answers, then complete: the school's stage beside the peer's for each
    category, a way to change each, what is missing, and an explicit confirmation."""
    validation = _accepted(request, pk)
    if isinstance(validation, HttpResponse):
        return validation
    form = CompleteForm(request.POST or None, initial={"version": validation.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.validation_complete(
                validation=validation, by=request.user, version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        except ValidationConflict as conflict:
            fresh = CompleteForm(initial={"version": conflict.current.version})
            return _render_check(request, conflict.current, fresh, status=409, changed=True)
        except ValidationIsFinal as refused:
            return _refused(request, refused, pk)
        else:
            messages.success(request, _("The validation is complete: thank you."))
            return redirect(_report_url(validation.audit_id))
    return _render_check(request, validation, form)


def _render_check(request, validation: Validation, form, status=200, **extra) -> HttpResponse:
    rows = _check_rows(validation)
    missing = [row for row in rows if row["stage"] is None]
    if request.method == "POST" and missing and not form.errors:
        status = 400
    context = {
        "validation": validation,
        "audit": validation.audit,
        "rows": rows,
        "missing": missing,
        "form": form,
        "error_links": error_summary_links(form, form_anchor="complete-form"),
        **extra,
    }
    return render(request, "audits/validation_check.html", context, status=status)
