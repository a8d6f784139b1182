"""Pages for school leaders and coordinators: home, the audit form, the report, the journey.

Every lookup goes through a scoped query (`get_audit_for`, `readable_by`, `visible_to`,
`led_by`): what a person may not see is a 404, never a hint that it exists.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from audits import rules, services
from audits.charts import journey_svg, radar_svg
from audits.forms import AuditDiscardForm, AuditForm, AuditStartForm
from audits.instrument import AREAS, CATEGORIES, REFLECTION_QUESTIONS, SOURCES
from audits.models import Audit, AuditIsFinal, get_audit_for, latest_submitted_by_school
from audits.services import AuditConflict, audit_save_draft, audit_submit
from communities.gias import predecessor_school_ids
from communities.models import Hub, HubMembership, School
from communities.selectors import pairing_suggestions_for_report


@dataclass
class SubjectRow:
    """A school or hub on the home page with its latest submitted audit and open drafts."""

    subject: School | Hub
    latest: Audit | None = None
    drafts: list[Audit] = field(default_factory=list)


def _drafts_by(audits, key: str) -> dict[int, list[Audit]]:
    """{school or hub id: its drafts, oldest period first}."""
    drafts: dict[int, list[Audit]] = defaultdict(list)
    for audit in sorted(audits, key=lambda audit: (audit.period, audit.pk)):
        drafts[getattr(audit, key)].append(audit)
    return drafts


def _school_rows(user) -> list[SubjectRow]:
    schools = list(School.objects.led_by(user).order_by("name"))
    latest = latest_submitted_by_school([school.pk for school in schools])
    drafts = _drafts_by(Audit.objects.editable_by(user).filter(school__isnull=False), "school_id")
    return [SubjectRow(s, latest.get(s.pk), drafts.get(s.pk, [])) for s in schools]


def _hub_rows(user) -> list[SubjectRow]:
    hubs = list(Hub.objects.filter(coordinators=user))
    audits = list(
        Audit.objects.readable_by(user).filter(hub__in=hubs).order_by("period").with_ratings()
    )
    latest = {a.hub_id: a for a in audits if a.is_submitted}
    drafts = _drafts_by([a for a in audits if not a.is_submitted], "hub_id")
    return [SubjectRow(h, latest.get(h.pk), drafts.get(h.pk, [])) for h in hubs]


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    current = HubMembership.objects.current().filter(school__leaders=user)
    context = {
        "school_rows": _school_rows(user),
        "hub_rows": _hub_rows(user),
        "hubs": list(Hub.objects.coordinated_by(user)),
        "member_hubs": list(Hub.objects.filter(memberships__in=current).distinct()),
    }
    return render(request, "audits/home.html", context)


@require_safe
def school_journey(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_object_or_404(School.objects.visible_to(request.user), pk=school_id)
    audits = list(
        Audit.objects.readable_by(request.user)
        .filter(school=school)
        .order_by("period", "pk")
        .with_ratings()
    )
    earlier = _predecessor_audits(school)
    submitted = sorted(
        earlier + [audit for audit in audits if audit.is_submitted],
        key=lambda audit: (audit.period, audit.pk),
    )
    rows = [(c, [a.stages.get(c.number) for a in submitted]) for c in CATEGORIES]
    context = {
        "school": school,
        "audits": list(reversed(audits)),
        "earlier": list(reversed(earlier)),
        "submitted": submitted,
        "rows": rows,
        "chart": journey_svg([(a.period, a.stages) for a in submitted], chart_id="journey"),
        "is_leader": School.objects.led_by(request.user).filter(pk=school.pk).exists(),
        "has_draft": any(not audit.is_submitted for audit in audits),
    }
    return render(request, "audits/school_journey.html", context)


def _predecessor_audits(school: School) -> list[Audit]:
    """Submitted audits of the schools this one succeeded (a conversion or merger gives a
    school a new URN): its community's journey goes on under the new number. Whoever may
    see the school may read them here; drafts of a closed predecessor stay private, and so
    does everything of a linked school that is still open (it has leaders of its own)."""
    predecessors = predecessor_school_ids(school)
    if not predecessors:
        return []
    audits = Audit.objects.submitted().filter(
        school_id__in=predecessors, school__status=School.Status.CLOSED
    )
    return list(audits.select_related("school").order_by("period", "pk").with_ratings())


def audit_start(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_object_or_404(School.objects.led_by(request.user), pk=school_id)
    return _start(request, school, school=school)


def hub_audit_start(request: HttpRequest, slug: str) -> HttpResponse:
    # Only the hub's own coordinators open its audits (not every superuser): only they
    # may edit the draft afterwards (`Audit.objects.editable_by`).
    hubs = Hub.objects.coordinated_by(request.user).filter(coordinators=request.user)
    hub = get_object_or_404(hubs, slug=slug)
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
            messages.success(request, f"The audit for {audit.period} is open as a draft.")
            return redirect("audits:audit_edit", pk=audit.pk)
    previous = subject.audits.submitted().order_by("-period").first()
    context = {"form": form, "subject": subject, "previous": previous}
    return render(request, "audits/audit_start.html", context)


def audit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        audit = get_audit_for(request.user, pk, write=True)
    except Http404:
        get_audit_for(request.user, pk)  # still a 404 for whoever may not read it
        messages.info(request, "This audit is submitted or not yours to change: it is read-only.")
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
    messages.success(request, "Draft saved.")
    return redirect("audits:audit_edit", pk=audit.pk)


def _submit(request: HttpRequest, audit: Audit) -> HttpResponse:
    form = _rebound(request, audit.version)
    if form.require_all_rated():
        return _render_form(request, audit, form)
    audit = audit_submit(audit=audit, by=request.user, version=audit.version)
    messages.success(request, f"The audit for {audit.period} is submitted.")
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
        conflict_by=(who.get_full_name() or who.get_username()) if who else "Someone else",
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
        messages.info(request, "This audit was submitted meanwhile: it cannot be discarded.")
        return redirect("audits:audit_report", pk=pk)
    except AuditConflict as conflict:
        current = conflict.current
        fresh = AuditDiscardForm(initial={"version": current.version})
        return _render_discard(request, current, fresh, conflict=True, status=409)
    messages.success(request, f"The {audit.period} draft of {audit.subject.name} is discarded.")
    return redirect("home")


def _render_discard(request, audit: Audit, form, status=200, **extra) -> HttpResponse:
    context = {"audit": audit, "form": form, **extra}
    return render(request, "audits/audit_discard.html", context, status=status)


def _previous_submitted(user, audit: Audit) -> Audit | None:
    subject = {"school_id": audit.school_id} if audit.school_id else {"hub_id": audit.hub_id}
    return (
        Audit.objects.readable_by(user)
        .submitted()
        .filter(period__lt=audit.period, **subject)
        .order_by("-period", "-pk")
        .with_ratings()
        .first()
    )


def _category_rows(audit: Audit, previous: Audit | None) -> list[dict]:
    ratings = {rating.category: rating for rating in audit.ratings.all()}
    before = previous.stages if previous else {}
    changes = rules.changes_between(before, audit.stages)
    return [
        {
            "category": c,
            "stage": rules.stage_of(audit.stages, c),
            "previous": rules.stage_of(before, c) if previous else None,
            "change": changes[c],
            "evidence": ratings[c.number].evidence if c.number in ratings else "",
        }
        for c in CATEGORIES
    ]


def _pairings(user, audit: Audit) -> list:
    if audit.school_id is None:
        return []
    if School.objects.led_by(user).filter(pk=audit.school_id).exists():
        return []
    return pairing_suggestions_for_report(user, audit)


@require_safe
def audit_report(request: HttpRequest, pk: int) -> HttpResponse:
    audit = get_audit_for(request.user, pk)
    previous = _previous_submitted(request.user, audit)
    stages = audit.stages
    rows = _category_rows(audit, previous)
    context = {
        "audit": audit,
        "previous": previous,
        "virtuous": rules.is_virtuous(stages),
        "integration_count": rules.integration_count(stages),
        "overall": rules.overall_stage(stages),
        "areas": rules.area_profile(stages).items(),
        "sources": rules.source_profile(stages).items(),
        "grid": [(area, [r for r in rows if r["category"].area == area]) for area in AREAS],
        "source_headers": SOURCES,
        "rows": rows,
        "gaps": rules.gaps_to_virtuous(stages),
        "radar": radar_svg(stages, previous.stages if previous else None, chart_id="radar"),
        "reflections": [(q.question, getattr(audit, q.field)) for q in REFLECTION_QUESTIONS],
        "can_edit": not audit.is_submitted
        and Audit.objects.editable_by(request.user).filter(pk=audit.pk).exists(),
        "pairings": _pairings(request.user, audit),
    }
    return render(request, "audits/audit_report.html", context)
