"""An audit's report: where the community stands, the grid, the radar, change since the
previous audit, gaps, evidence and reflections."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from audits import rules
from audits.charts import radar_svg
from audits.instrument import AREAS, CATEGORIES, REFLECTION_QUESTIONS, SOURCES
from audits.models import Audit, get_audit_for
from audits.selectors.pairings import pairing_suggestions_for_report
from communities.models import School


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
    """Suggestions for a school's audit, for its hubs' coordinators; not for its leaders."""
    if audit.school_id is None:
        return []
    if School.objects.led_by(user).filter(pk=audit.school_id).exists():
        return []
    return pairing_suggestions_for_report(user, audit)


@require_safe
def audit_report(request: HttpRequest, pk: int) -> HttpResponse:
    audit = get_audit_for(request.user, pk)
    previous = Audit.objects.readable_by(request.user).previous_submitted(
        audit.subject, before=audit.period
    )
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
