"""An audit's report: where the community stands, the grid, the radar, change since the
previous audit, gaps, evidence and reflections."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from audits import page_cache, rules
from audits.charts import radar_svg
from audits.instrument import AREAS, CATEGORIES, REFLECTION_QUESTIONS, SOURCES
from audits.instrument_texts import INSTRUMENT_VERSION, descriptor
from audits.models import Audit, EvidenceFile, EvidenceLink, get_audit_for, prefetch_ratings
from audits.selectors.help_in_hubs import help_in_hubs
from audits.selectors.pairings import pairing_suggestions_for_report
from audits.selectors.partnerships import partnerships_feeding
from audits.selectors.plans import report_plan
from audits.selectors.validations import report_roles, report_validations


def _attached(model, audit: Audit) -> dict[int, list]:
    """{category number: the files (or links) of its evidence}. One query."""
    by_category: dict[int, list] = {}
    for evidence in model.objects.of_audit(audit).select_related("rating"):
        by_category.setdefault(evidence.rating.category, []).append(evidence)
    return by_category


def _category_rows(audit: Audit, previous: Audit | None) -> list[dict]:
    ratings = {rating.category: rating for rating in audit.ratings.all()}
    before = previous.stages if previous else {}
    changes = rules.changes_between(before, audit.stages)
    files, links = _attached(EvidenceFile, audit), _attached(EvidenceLink, audit)
    fed = partnerships_feeding(audit)
    return [
        {
            "category": c,
            "stage": rules.stage_of(audit.stages, c),
            "previous": rules.stage_of(before, c) if previous else None,
            "change": changes[c],
            "evidence": ratings[c.number].evidence if c.number in ratings else "",
            "files": files.get(c.number, []),
            "links": links.get(c.number, []),
            "partnerships": fed.get(c.number, []),
        }
        for c in CATEGORIES
    ]


def _gap_rows(audit: Audit, leader: bool) -> list[dict]:
    """Each gap with what its next stage looks like in its category (in the texts the
    audit was rated against) and, for the school's leader, who in its hubs is there."""
    gaps = rules.gaps_to_virtuous(audit.stages)
    offers = help_in_hubs(audit, gaps) if leader else {}
    return [
        {
            "gap": gap,
            "next_descriptor": (
                descriptor(gap.category, gap.next_stage, audit.instrument_version)
                if gap.next_stage
                else ""
            ),
            "offers": offers.get(gap.category.number, []),
        }
        for gap in gaps
    ]


def _pairings(user, audit: Audit, leader: bool) -> list:
    """Suggestions for a school's audit, for its hubs' coordinators; its leaders see them
    by gap instead, as the hubs share them (`_gap_rows`)."""
    if audit.school_id is None or leader:
        return []
    return pairing_suggestions_for_report(user, audit)


def _reads_plan(user, audit: Audit, roles: tuple[bool, bool]) -> bool:
    """The school's plan is for its leaders and its hubs' coordinators (not an invited
    peer, who reads the audit only), as `ImprovementAction.objects.readable_by`."""
    return audit.school_id is not None and (any(roles) or user.is_superuser)


@require_safe
def audit_report(request: HttpRequest, pk: int) -> HttpResponse:
    audit = get_audit_for(request.user, pk, ratings=False)
    return render(
        request,
        "audits/audit_report.html",
        {"audit": audit, "content": _report_content(request, audit)},
    )


def _report_content(request: HttpRequest, audit: Audit) -> str:
    """The report below the page's frame. A submitted audit's is cached for the person
    until anything changes (`audits.page_cache`), its CSRF token masked anew for each
    response; who may read the audit is decided before, on every request."""

    def rendered() -> str:
        prefetch_ratings(audit)
        return render_to_string("audits/_report.html", _report_context(request, audit), request)

    if not audit.is_submitted:
        return rendered()
    content = page_cache.get_or_build(
        ("report", audit.pk, request.user.pk),
        lambda: page_cache.without_csrf_token(rendered()),
        timeout=settings.REPORT_CACHE_SECONDS,
    )
    return page_cache.with_csrf_token(content, request)


def _report_context(request: HttpRequest, audit: Audit) -> dict:
    previous = Audit.objects.readable_by(request.user).previous_submitted(
        audit.subject, before=audit.period
    )
    stages = audit.stages
    rows = _category_rows(audit, previous)
    roles = report_roles(audit, request.user) if audit.school_id else (False, False)
    leader = roles[0]
    gaps = _gap_rows(audit, leader)
    return {
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
        "gaps": gaps,
        "counting_hubs": sorted(
            {o.hub.name for row in gaps for o in row["offers"] if not o.named}, key=str.casefold
        ),
        "leader": leader,
        "older_texts": audit.instrument_version != INSTRUMENT_VERSION,
        "radar": radar_svg(stages, previous.stages if previous else None, chart_id="radar"),
        "reflections": [(q.question, getattr(audit, q.field)) for q in REFLECTION_QUESTIONS],
        "can_edit": not audit.is_submitted
        and Audit.objects.editable_by(request.user).filter(pk=audit.pk).exists(),
        "pairings": _pairings(request.user, audit, leader),
        "validations": report_validations(audit, request.user, roles),
        "plan": report_plan(audit) if _reads_plan(request.user, audit, roles) else None,
        "can_plan": leader and audit.is_submitted,
    }
