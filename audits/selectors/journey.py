"""A school's journey: its own audits and those of the schools it succeeded, and its
partnerships beside them."""

from audits import rules
from audits.models import Audit
from audits.periods import academic_year, period_dates
from communities.lineage import predecessor_school_ids
from communities.models import Partnership, School


def school_audits(user, school: School) -> list[Audit]:
    """The school's audits the person may read, oldest first, with their ratings."""
    audits = Audit.objects.readable_by(user).filter(school=school)
    return list(audits.order_by("period", "pk").with_ratings())


def predecessor_audits(school: School) -> list[Audit]:
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


def partnership_timeline(school: School, periods: list[str]) -> dict:
    """The school's partnerships beside its audits: `timeline_periods` (the audits'
    periods and this school year, oldest first) and `timeline` rows of (partnership,
    [whether it fed its categories in each period]) by `rules.fed_during`. Two queries."""
    shown = sorted({*periods, academic_year()})
    spans = [period_dates(period) for period in shown]
    partnerships = (
        Partnership.objects.of(school).with_cells().order_by("started_on", "activity", "pk")
    )
    rows = [
        (p, [rules.fed_during(p.started_on, p.ended_on, start, end) for start, end in spans])
        for p in partnerships
    ]
    return {"timeline_periods": shown, "timeline": rows}
