"""A draft one part at a time (the GOV.UK "complete multiple tasks" pattern): the task
list of the nine categories and the reflections, a page per category, the reflections,
check your answers, and the confirmation after submitting. Each page saves its own part
(`audits.services`): it never touches the other eight, and two tabs on different
categories never conflict.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from audits import rules, services
from audits.forms.category import CategoryForm, ReflectionsForm, SubmitForm
from audits.forms.errors import error_summary_links
from audits.instrument import CATEGORIES, CATEGORY_BY_NUMBER, REFLECTION_QUESTIONS, Category
from audits.instrument_texts import category_texts
from audits.labels import category_label
from audits.models import Audit, EvidenceFile, EvidenceLink, Rating, get_audit_for
from audits.selectors.partnerships import partnerships_feeding
from audits.selectors.plans import category_actions
from audits.services import AuditConflict, AuditDiscarded, RatingConflict
from audits.views.audit_form import discarded_for, render_discarded

NOT_STARTED, IN_PROGRESS, TO_REVIEW, COMPLETED = (
    "not_started",
    "in_progress",
    "to_review",
    "completed",
)


@dataclass
class Task:
    """One line of the task list: a category, or the reflections (no category)."""

    category: Category | None
    url: str
    status: str
    stage: int | None = None


def _draft_for(request: HttpRequest, pk: int, posted=None) -> Audit | HttpResponse:
    """The draft this person may change, or where to go instead: the report of an audit
    they may only read (submitted, or not theirs to change); for whoever could have
    changed a draft discarded meanwhile, who discarded it and what they had typed
    (`posted`, named as the one-page form names it); a 404 for anyone else."""
    try:
        return get_audit_for(request.user, pk, write=True)
    except Http404:
        if request.method == "POST" and (discarded := discarded_for(request.user, pk)):
            return render_discarded(request, discarded, posted)
        get_audit_for(request.user, pk)  # still a 404 for whoever may not read it
        messages.info(
            request, _("This audit is submitted or not yours to change: it is read-only.")
        )
        return redirect("audits:audit_report", pk=pk)


def _attached_names(audit: Audit) -> dict[int, list[str]]:
    """{category number: the names of the files and links attached}, in two queries."""
    names: dict[int, list[str]] = {}
    files = EvidenceFile.objects.of_audit(audit).values_list("rating__category", "name", "name")
    links = EvidenceLink.objects.of_audit(audit).values_list("rating__category", "title", "url")
    for category, name, fallback in [*files, *links]:
        names.setdefault(category, []).append(name or fallback)
    return names


def _evidence_counts(audit: Audit) -> dict[int, int]:
    """{category number: how many files and links are attached}, in two queries."""
    return {category: len(names) for category, names in _attached_names(audit).items()}


def category_status(stage, evidence: str, attached: int, to_review=False) -> str:
    if to_review:
        return TO_REVIEW
    if stage is not None:
        return COMPLETED
    return IN_PROGRESS if evidence or attached else NOT_STARTED


def reflections_status(audit: Audit) -> str:
    answered = [bool(getattr(audit, q.field)) for q in REFLECTION_QUESTIONS]
    if all(answered):
        return COMPLETED
    return IN_PROGRESS if any(answered) else NOT_STARTED


def tasks_of(audit: Audit) -> list[Task]:
    ratings = {rating.category: rating for rating in audit.ratings.all()}
    attached = _evidence_counts(audit)
    tasks = []
    for c in CATEGORIES:
        rating = ratings.get(c.number)
        stage, evidence = (rating.stage, rating.evidence) if rating else (None, "")
        to_review = rating is not None and rating.to_review
        tasks.append(
            Task(
                c,
                reverse("audits:audit_category", args=[audit.pk, c.number]),
                category_status(stage, evidence, attached.get(c.number, 0), to_review),
                stage,
            )
        )
    tasks.append(
        Task(None, reverse("audits:audit_reflections", args=[audit.pk]), reflections_status(audit))
    )
    return tasks


@require_safe
def audit_tasks(request: HttpRequest, pk: int) -> HttpResponse:
    """The task list: where each part of the draft stands, and the way to each."""
    audit = _draft_for(request, pk)
    if isinstance(audit, HttpResponse):
        return audit
    tasks = tasks_of(audit)
    context = {
        "audit": audit,
        "tasks": tasks,
        "completed": sum(1 for task in tasks if task.category and task.status == COMPLETED),
        "to_review": sum(1 for task in tasks if task.status == TO_REVIEW),
    }
    return render(request, "audits/audit_tasks.html", context)


def _next_url(audit: Audit, category: Category | None, request: HttpRequest) -> str:
    """Where "Save and continue" goes: back to the check page when the person came from
    it, else the next category, then the reflections, then the check page."""
    if request.GET.get("return") == "check":
        return reverse("audits:audit_check", args=[audit.pk])
    if category is None:
        return reverse("audits:audit_check", args=[audit.pk])
    if category.number < len(CATEGORIES):
        return reverse("audits:audit_category", args=[audit.pk, category.number + 1])
    return reverse("audits:audit_reflections", args=[audit.pk])


@require_http_methods(["GET", "HEAD", "POST"])
def audit_category(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One category: what it covers, its stage, its evidence, files and links."""
    category = CATEGORY_BY_NUMBER.get(number)
    if category is None:
        raise Http404
    audit = _draft_for(request, pk, _as_full_form_data(request, number))
    if isinstance(audit, HttpResponse):
        return audit
    rating = next((r for r in audit.ratings.all() if r.category == number), None)
    rating = rating or Rating(audit=audit, category=number)  # saved on its first save
    kwargs = {"category": category, "texts_version": audit.instrument_version}
    if request.method != "POST":
        form = CategoryForm(initial=CategoryForm.initial_for(rating), **kwargs)
        return _render_category(request, audit, category, rating, form)
    form = CategoryForm(request.POST, request.FILES, **kwargs)
    if not form.is_valid():
        return _render_category(request, audit, category, rating, form)
    try:
        _save_category(request, audit, category, form, confirming=rating.to_review)
    except RatingConflict as conflict:
        return _render_category_conflict(request, conflict.current, category, form)
    except AuditConflict:
        messages.info(request, _("This audit was submitted meanwhile: it cannot be changed."))
        return redirect("audits:audit_report", pk=pk)
    except AuditDiscarded as discarded:
        return render_discarded(request, discarded, _as_full_form_data(request, number))
    if "stay" in request.POST:
        return redirect(request.get_full_path())
    if "to_tasks" in request.POST:
        return redirect("audits:audit_edit", pk=pk)
    return redirect(_next_url(audit, category, request))


def _save_category(
    request: HttpRequest, audit: Audit, category: Category, form, *, confirming=False
) -> None:
    answer = form.answer(confirming=confirming)
    if answer is not None:
        services.audit_save_category(
            audit=audit, category=category.number, answer=answer, by=request.user
        )
    data = form.cleaned_data
    if data.get("attach"):
        services.evidence_file_add(
            audit=audit, category=category.number, upload=data["attach"], by=request.user
        )
    if data.get("link_url"):
        services.evidence_link_add(
            audit=audit,
            category=category.number,
            url=data["link_url"],
            title=data.get("link_title", ""),
            by=request.user,
        )
    label = {"category": category_label(category)}
    if answer is None and not data.get("attach") and not data.get("link_url"):
        messages.info(request, _("Nothing changed in %(category)s.") % label)
    else:
        messages.success(request, _("%(category)s is saved.") % label)


def _as_full_form_data(request: HttpRequest, number: int) -> dict:
    """What a category page posted, named as the one-page form names it."""
    return {
        f"stage_{number}": request.POST.get("stage", ""),
        f"evidence_{number}": request.POST.get("evidence", ""),
    }


def _render_category(request, audit, category, rating, form, status=200, **extra):
    files = list(EvidenceFile.objects.of_audit(audit).filter(rating__category=category.number))
    links = list(EvidenceLink.objects.of_audit(audit).filter(rating__category=category.number))
    context = {
        "audit": audit,
        "category": category,
        "to_review": rating.to_review,
        "texts": category_texts(category, audit.instrument_version),
        "form": form,
        "files": files,
        "links": links,
        "error_links": error_summary_links(form, form_anchor="category-form"),
        "previous_number": category.number - 1 if category.number > 1 else None,
        "next_url": _next_url(audit, category, request),
        "returning": request.GET.get("return") == "check",
        "file_not_attached": _file_not_attached(request, form, status),
        "partnerships": partnerships_feeding(audit, category.number).get(category.number, []),
        "earlier_actions": category_actions(audit, category.number),
        **extra,
    }
    return render(request, "audits/audit_category.html", context, status=status)


def _file_not_attached(request: HttpRequest, form, status: int) -> str:
    """The name of a file that came with a post that saved nothing (another field's error,
    a conflict): a browser never sends it again, so the page says so."""
    upload = request.FILES.get("attach") if request.method == "POST" else None
    if upload is None or "attach" in form.errors or (status == 200 and not form.errors):
        return ""
    return upload.name


def _render_category_conflict(request, current: Audit, category: Category, form):
    """Someone else saved this category since the page was loaded: their words beside
    this person's, who keeps what they typed and may save it, knowingly."""
    rating = next(r for r in current.ratings.all() if r.category == category.number)
    data = request.POST.copy()
    data["version"] = str(rating.version)
    data["loaded"] = CategoryForm.initial_for(rating)["loaded"]
    rebased = CategoryForm(data, category=category, texts_version=current.instrument_version)
    rebased.is_valid()
    who = current.updated_by
    return _render_category(
        request,
        current,
        category,
        rating,
        rebased,
        status=409,
        conflict=rating,
        conflict_self=who == request.user,
        conflict_by=(who.get_full_name() or who.get_username()) if who else _("Someone else"),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def audit_reflections(request: HttpRequest, pk: int) -> HttpResponse:
    audit = _draft_for(request, pk, request.POST)
    if isinstance(audit, HttpResponse):
        return audit
    if request.method != "POST":
        form = ReflectionsForm(initial=ReflectionsForm.initial_for(audit))
        return _render_reflections(request, audit, form)
    form = ReflectionsForm(request.POST)
    if not form.is_valid():
        return _render_reflections(request, audit, form)
    answer = form.answer()
    try:
        if answer is not None:
            services.audit_save_draft(
                audit=audit, categories={}, reflections=answer, by=request.user
            )
    except RatingConflict as conflict:
        current = conflict.current
        data = request.POST.copy()
        saved = ReflectionsForm.initial_for(current)
        data["version"], data["loaded"] = str(saved["version"]), saved["loaded"]
        rebased = ReflectionsForm(data)
        rebased.is_valid()
        return _render_reflections(request, current, rebased, status=409, conflict=True)
    except AuditConflict:
        messages.info(request, _("This audit was submitted meanwhile: it cannot be changed."))
        return redirect("audits:audit_report", pk=pk)
    except AuditDiscarded as discarded:
        return render_discarded(request, discarded, request.POST)
    if answer is None:
        messages.info(request, _("Nothing changed in the reflections."))
    else:
        messages.success(request, _("The reflections are saved."))
    if "to_tasks" in request.POST:
        return redirect("audits:audit_edit", pk=pk)
    return redirect(_next_url(audit, None, request))


def _render_reflections(request, audit, form, status=200, **extra):
    context = {
        "audit": audit,
        "form": form,
        "error_links": error_summary_links(form, form_anchor="reflections-form"),
        **extra,
    }
    return render(request, "audits/audit_reflections.html", context, status=status)


def _check_rows(audit: Audit) -> list[dict]:
    ratings = {rating.category: rating for rating in audit.ratings.all()}
    attached = _attached_names(audit)
    fed = partnerships_feeding(audit)
    stages = audit.stages
    return [
        {
            "category": c,
            "stage": ratings[c.number].stage if c.number in ratings else None,
            "evidence": ratings[c.number].evidence if c.number in ratings else "",
            "to_review": c.number in ratings and ratings[c.number].to_review,
            "attached": attached.get(c.number, []),
            "partnerships": fed.get(c.number, []),
            "lacks_partnership": rules.lacks_partnership(
                stages.get(c.number), len(fed.get(c.number, []))
            ),
            "url": reverse("audits:audit_category", args=[audit.pk, c.number]) + "?return=check",
        }
        for c in CATEGORIES
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def audit_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Check your answers, then submit: the nine stages and their evidence with a way to
    change each, what is missing, and an explicit confirmation."""
    audit = _draft_for(request, pk)
    if isinstance(audit, HttpResponse):
        return audit
    form = SubmitForm(request.POST or None, initial={"version": audit.version})
    if request.method == "POST" and form.is_valid():
        try:
            submitted = services.audit_submit(
                audit=audit, by=request.user, version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        except AuditConflict as conflict:
            fresh = SubmitForm(initial={"version": conflict.current.version})
            return _render_check(request, conflict.current, fresh, status=409, changed=True)
        except AuditDiscarded as discarded:
            return render_discarded(request, discarded)
        else:
            return redirect("audits:audit_submitted", pk=submitted.pk)
    return _render_check(request, audit, form)


def _render_check(request, audit: Audit, form, status=200, **extra) -> HttpResponse:
    rows = _check_rows(audit)
    missing = [row for row in rows if row["stage"] is None]
    context = {
        "audit": audit,
        "rows": rows,
        "missing": missing,
        "to_review": [row for row in rows if row["to_review"]],
        "reflections": [(q.question, getattr(audit, q.field)) for q in REFLECTION_QUESTIONS],
        "reflections_url": reverse("audits:audit_reflections", args=[audit.pk]) + "?return=check",
        "form": form,
        "error_links": error_summary_links(form, form_anchor="submit-form"),
        **extra,
    }
    if request.method == "POST" and missing and not form.errors:
        status = 400
    return render(request, "audits/audit_check.html", context, status=status)


@require_safe
def audit_submitted(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation after submitting, leading to the report."""
    audit = get_audit_for(request.user, pk)
    if not audit.is_submitted:
        return redirect("audits:audit_edit", pk=pk)
    return render(request, "audits/audit_submitted.html", {"audit": audit})
