"""Opening, editing and discarding an audit's draft.

A save carries the version the editor loaded; a save from an older version gets a 409
page showing what the other person saved, with everything this editor typed kept.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from audits import services
from audits.forms import AuditDiscardForm, AuditForm, AuditStartForm, error_summary_links
from audits.instrument import CATEGORIES, REFLECTION_QUESTIONS
from audits.models import Audit, AuditIsFinal, get_audit_for
from audits.services import AuditConflict, audit_save_draft, audit_submit
from communities.models import Hub, School, get_hub_for, get_school_for


def audit_start(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_school_for(request.user, school_id, lead=True)
    return _start(request, school, school=school)


def hub_audit_start(request: HttpRequest, slug: str) -> HttpResponse:
    # Only the hub's own coordinators open its audits (not every superuser): only they
    # may edit the draft afterwards (`Audit.objects.editable_by`).
    hub = get_hub_for(request.user, slug, need="coordinate").hub
    return _start(request, hub, hub=hub)


def _start(request: HttpRequest, subject: School | Hub, **subject_kwargs) -> HttpResponse:
    form = AuditStartForm(request.POST or None, subject=subject, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.audit_start(
                **subject_kwargs,
                period=form.cleaned_data["period"],
                by=request.user,
                copy_forward=form.cleaned_data["copy_forward"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("The audit for %(period)s is open as a draft.") % {"period": audit.period},
            )
            return redirect("audits:audit_edit", pk=audit.pk)
    context = {
        "form": form,
        "subject": subject,
        "previous": Audit.objects.previous_submitted(subject),
        "error_links": error_summary_links(form, form_anchor="start-form"),
    }
    return render(request, "audits/audit_start.html", context)


def audit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        audit = get_audit_for(request.user, pk, write=True)
    except Http404:
        get_audit_for(request.user, pk)  # still a 404 for whoever may not read it
        messages.info(
            request, _("This audit is submitted or not yours to change: it is read-only.")
        )
        return redirect("audits:audit_report", pk=pk)
    if request.method == "POST":
        return _post_audit(request, audit)
    return _render_form(request, audit, AuditForm(initial=AuditForm.initial_for(audit)))


def _post_audit(request: HttpRequest, audit: Audit) -> HttpResponse:
    form = AuditForm(request.POST)
    if not form.is_valid():
        return _render_form(request, audit, form)
    try:
        audit = audit_save_draft(
            audit=audit, data=form.answers(), by=request.user, version=form.cleaned_data["version"]
        )
        if "submit" in request.POST:
            return _submit(request, audit)
    except AuditConflict as conflict:
        return _render_conflict(request, conflict.current, form)
    messages.success(request, _("Draft saved."))
    return redirect("audits:audit_edit", pk=audit.pk)


def _submit(request: HttpRequest, audit: Audit) -> HttpResponse:
    form = _rebound(request, audit.version)
    if form.require_all_rated():
        return _render_form(request, audit, form)
    audit = audit_submit(audit=audit, by=request.user, version=audit.version)
    messages.success(
        request, _("The audit for %(period)s is submitted.") % {"period": audit.period}
    )
    return redirect(audit)


def _rebound(request: HttpRequest, version: int) -> AuditForm:
    """The posted form again, carrying the version now saved, so that nothing typed is lost."""
    data = request.POST.copy()
    data["version"] = str(version)
    form = AuditForm(data)
    form.is_valid()
    return form


def _render_form(request, audit: Audit, form: AuditForm, status=200, **extra) -> HttpResponse:
    context = {"audit": audit, "form": form, "error_links": form.error_links(), **extra}
    return render(request, "audits/audit_form.html", context, status=status)


def _render_conflict(request: HttpRequest, current: Audit, form: AuditForm) -> HttpResponse:
    """The later editor's page: what the other person saved, and their own text kept."""
    answers = form.answers()
    saved = {rating.category: rating for rating in current.ratings.all()}
    differences = [
        (c, saved[c.number], answers.stages.get(c.number), answers.evidence.get(c.number, ""))
        for c in CATEGORIES
        if c.number in saved
        and (saved[c.number].stage, saved[c.number].evidence)
        != (answers.stages.get(c.number), answers.evidence.get(c.number, ""))
    ]
    reflections = [
        (q.question, getattr(current, q.field))
        for q in REFLECTION_QUESTIONS
        if getattr(current, q.field) != answers.reflections.get(q.field, "")
    ]
    who = current.submitted_by if current.is_submitted else current.updated_by
    return _render_form(
        request,
        current,
        _rebound(request, current.version),
        conflict=current,
        # The same person in another tab or window is told so, not shown their own name.
        conflict_self=who == request.user,
        conflict_by=(who.get_full_name() or who.get_username()) if who else _("Someone else"),
        differences=differences,
        reflection_differences=reflections,
        status=409,
    )


def audit_discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks, then deletes a draft: only whoever may change it, never a submitted audit."""
    audit = get_audit_for(request.user, pk, write=True)
    form = AuditDiscardForm(request.POST or None, initial={"version": audit.version})
    if request.method != "POST" or not form.is_valid():
        return _render_discard(request, audit, form)
    try:
        services.audit_discard(audit=audit, by=request.user, version=form.cleaned_data["version"])
    except AuditIsFinal:
        messages.info(request, _("This audit was submitted meanwhile: it cannot be discarded."))
        return redirect("audits:audit_report", pk=pk)
    except AuditConflict as conflict:
        current = conflict.current
        fresh = AuditDiscardForm(initial={"version": current.version})
        return _render_discard(request, current, fresh, conflict=True, status=409)
    messages.success(
        request,
        _("The %(period)s draft of %(subject)s is discarded.")
        % {"period": audit.period, "subject": audit.subject.name},
    )
    return redirect("home")


def _render_discard(request, audit: Audit, form, status=200, **extra) -> HttpResponse:
    links = error_summary_links(form, form_anchor="discard-form")
    context = {"audit": audit, "form": form, "error_links": links, **extra}
    return render(request, "audits/audit_discard.html", context, status=status)
