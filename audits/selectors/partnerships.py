"""The partnerships an audit can point to as evidence: those of its school (or hub) that
fed each category during the audit's period (`rules.fed_during`, said in SQL by
`PartnershipQuerySet.fed_during`)."""

from audits.models import Audit
from audits.periods import period_dates
from communities.models import Partnership


def partnerships_feeding(audit: Audit, category: int | None = None) -> dict[int, list]:
    """{category number: the partnerships that fed it during the audit's period}, of one
    category when given. Two queries (the partnerships, their cells)."""
    start, end = period_dates(audit.period)
    partnerships = (
        Partnership.objects.of(audit.subject)
        .fed_during(start, end)
        .with_cells()
        .order_by("partner__name", "activity", "pk")
    )
    if category is not None:
        partnerships = partnerships.filter(cells__category=category)
    fed: dict[int, list] = {}
    for partnership in partnerships:
        for c in partnership.categories:
            if category is None or c.number == category:
                fed.setdefault(c.number, []).append(partnership)
    return fed
