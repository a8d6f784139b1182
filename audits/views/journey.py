"""A school's journey: each category's stage, period by period."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from audits.charts import journey_svg
from audits.instrument import CATEGORIES
from audits.periods import academic_year
from audits.selectors.journey import partnership_timeline, predecessor_audits, school_audits
from audits.selectors.plans import plan_events
from communities.models import School, get_school_for


@require_safe
def school_journey(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_school_for(request.user, school_id)
    audits = school_audits(request.user, school)
    earlier = predecessor_audits(school)
    submitted = sorted(
        earlier + [audit for audit in audits if audit.is_submitted],
        key=lambda audit: (audit.period, audit.pk),
    )
    context = {
        "school": school,
        "audits": list(reversed(audits)),
        "earlier": list(reversed(earlier)),
        "submitted": submitted,
        "rows": [(c, [a.stages.get(c.number) for a in submitted]) for c in CATEGORIES],
        "chart": journey_svg([(a.period, a.stages) for a in submitted], chart_id="journey"),
        "is_leader": School.objects.led_by(request.user).filter(pk=school.pk).exists(),
        "has_draft": any(not audit.is_submitted for audit in audits),
        "current": next((a for a in audits if a.period == academic_year()), None),
        "current_period": academic_year(),
        **partnership_timeline(school, [a.period for a in submitted]),
        "plan_events": plan_events(school, submitted),
    }
    return render(request, "audits/school_journey.html", context)
