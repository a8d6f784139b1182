"""Opening an audit, the one-page form of a draft, and discarding a draft.

A save carries the version the editor loaded; a save from an older version gets a 409
page showing what the other person saved, with everything this editor typed kept.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audits import services
from audits.forms import AuditDiscardForm, AuditForm, AuditStartForm, error_summary_links
from audits.instrument import CATEGORIES, REFLECTION_QUESTIONS
from audits.models import Audit, AuditIsFinal, get_audit_for
from audits.periods import academic_year
from audits.services import (
    AuditConflict,
    AuditDiscarded,
    RatingConflict,
    discarded_record,
)
from communities.models import Hub, School, get_hub_for, get_school_for


@require_http_methods(["GET", "HEAD", "POST"])
def audit_start(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_school_for(request.user, school_id, lead=True)
    return _start(request, school, school=school)


@require_http_methods(["GET", "HEAD", "POST"])
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
    current = subject.audits.filter(period=academic_year()).first()
    context = {
        "form": form,
        "subject": subject,
        "previous": Audit.objects.previous_submitted(subject),
        "current": current,
        "current_period": academic_year(),
        "error_links": error_summary_links(form, form_anchor="start-form"),
    }
    return render(request, "audits/audit_start.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def audit_edit_all(request: HttpRequest, pk: int) -> HttpResponse:
    """All nine categories and the reflections on one page, for whoever prefers it to the
    task list."""
    try:
        audit = get_audit_for(request.user, pk, write=True)
    except Http404:
        if request.method == "POST" and (discarded := discarded_for(request.user, pk)):
            return render_discarded(request, discarded, request.POST)
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
        saved = services.audit_save_draft(
            audit=audit,
            categories=form.changed_categories(),
            reflections=form.changed_reflections(),
            by=request.user,
            version=form.cleaned_data["version"],
        )
    except RatingConflict as conflict:
        return _render_conflict(request, conflict.current, form, conflict)
    except AuditConflict as conflict:
        return _render_conflict(request, conflict.current, form)
    except AuditDiscarded as discarded:
        return render_discarded(request, discarded, request.POST)
    messages.success(request, _("Draft saved."))
    if _wants_check(request):
        return redirect("audits:audit_check", pk=saved.pk)
    return redirect("audits:audit_edit_all", pk=saved.pk)


def _wants_check(request: HttpRequest) -> bool:
    """Whether the person saved to check their answers before submitting: an audit is
    submitted from the check page only, after its explicit confirmation, never by one
    click here. (A page loaded before this button was renamed posts "submit".)"""
    return "check" in request.POST or "submit" in request.POST


def _rebased_form(request: HttpRequest, current: Audit) -> AuditForm:
    """The posted form moved onto the draft as saved now, so that nothing typed is lost
    and nothing the person did not touch is overwritten by a later save."""
    form = AuditForm(AuditForm.rebased(request.POST, current))
    form.is_valid()
    return form


def _render_form(request, audit: Audit, form: AuditForm, status=200, **extra) -> HttpResponse:
    context = {"audit": audit, "form": form, "error_links": form.error_links(), **extra}
    return render(request, "audits/audit_form.html", context, status=status)


def _differences(current: Audit, form: AuditForm, only: list[int] | None = None) -> list:
    """(category, what is saved, the stage typed, the evidence typed) where they differ."""
    saved = {rating.category: rating for rating in current.ratings.all()}
    stages, evidence = form.stages(), form.evidence()
    return [
        (c, saved[c.number], stages[c.number], evidence[c.number])
        for c in CATEGORIES
        if c.number in saved
        and (only is None or c.number in only)
        and (saved[c.number].stage, saved[c.number].evidence)
        != (stages[c.number], evidence[c.number])
    ]


def _render_conflict(
    request: HttpRequest, current: Audit, form: AuditForm, conflict: RatingConflict | None = None
) -> HttpResponse:
    """The later editor's page: what the other person saved where it differs from what
    this person typed (only the parts both changed, when it is a conflict of parts), and
    their own text kept."""
    typed = form.reflection_texts()
    reflections = [
        (q.question, getattr(current, q.field))
        for q in REFLECTION_QUESTIONS
        if (conflict is None or conflict.reflections)
        and getattr(current, q.field) != typed[q.field]
    ]
    who = current.submitted_by if current.is_submitted else current.updated_by
    return _render_form(
        request,
        current,
        _rebased_form(request, current),
        conflict=current,
        # The same person in another tab or window is told so, not shown their own name.
        conflict_self=who == request.user,
        conflict_by=(who.get_full_name() or who.get_username()) if who else _("Someone else"),
        differences=_differences(current, form, conflict.categories if conflict else None),
        reflection_differences=reflections,
        status=409,
    )


def discarded_for(user, pk: int) -> AuditDiscarded | None:
    """Who discarded the draft `pk` and when, for a person who could have changed it (its
    school's leaders, its hub's coordinators); None for anyone else, who learns nothing."""
    record = discarded_record(pk)
    if record is None or not user.is_authenticated:
        return None
    may_edit = (
        School.objects.led_by(user).filter(pk=record.school_id).exists()
        if record.school_id
        else Hub.objects.coordinated_by(user).filter(pk=record.hub_id).exists()
    )
    return AuditDiscarded(pk, by=record.history_user, at=record.history_date) if may_edit else None


def render_discarded(request, discarded: AuditDiscarded, posted=None) -> HttpResponse:
    """The page for whoever lost a race with a discard: who discarded the draft and when,
    and everything they typed (as posted, valid or not), to copy."""
    posted = posted or {}
    typed = []
    for c in CATEGORIES:
        stage = posted.get(f"stage_{c.number}", "")
        evidence = posted.get(f"evidence_{c.number}", "")
        if stage or evidence:
            typed.append((c, int(stage) if stage in ("1", "2", "3", "4") else None, evidence))
    context = {
        "discarded": discarded,
        "by_self": discarded.by == request.user,
        "typed": typed,
        "typed_reflections": [
            (q.question, posted[q.field]) for q in REFLECTION_QUESTIONS if posted.get(q.field)
        ],
    }
    return render(request, "audits/audit_discarded.html", context, status=410)


@require_http_methods(["GET", "HEAD", "POST"])
def audit_discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks, then deletes a draft: only whoever may change it, never a submitted audit."""
    try:
        audit = get_audit_for(request.user, pk, write=True)
    except Http404:
        if request.method == "POST" and (discarded := discarded_for(request.user, pk)):
            return render_discarded(request, discarded)
        raise
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
    except AuditDiscarded as discarded:
        return render_discarded(request, discarded)
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
