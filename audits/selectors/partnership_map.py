"""The hub's partnership map: the partners of its current member schools (rows) by the
nine categories (columns), how many member schools each partner serves, and the
categories no partnership of any member feeds. Partnerships in force today."""

from dataclasses import dataclass, field

from django.db.models import Count

from audits.instrument import CATEGORIES, Category
from communities.models import Hub, HubMembership, Partner, Partnership, PartnershipCategory


@dataclass
class PartnerRow:
    """One partner: the member schools it serves, and how many in each category."""

    partner_id: int
    name: str
    kind: str
    schools: int
    by_category: dict[int, int] = field(default_factory=dict)

    @property
    def kind_label(self) -> str:
        return str(Partner.Kind(self.kind).label)

    def cells(self) -> list[int]:
        """The number of schools in each category, in instrument order."""
        return [self.by_category.get(c.number, 0) for c in CATEGORIES]


@dataclass
class PartnershipMap:
    rows: list[PartnerRow]
    unfed: list[Category]  # fed by no partnership of any member

    @property
    def fed_by(self) -> list[int]:
        """How many partners feed each category, in instrument order."""
        return [sum(1 for row in self.rows if row.by_category.get(c.number)) for c in CATEGORIES]


def partnership_map(hub: Hub) -> PartnershipMap:
    """The map of the partnerships in force today of the hub's current members: two
    aggregate queries whatever the number of schools and partnerships."""
    members = HubMembership.objects.current().filter(hub=hub).values("school_id")
    partnerships = Partnership.objects.current().filter(school_id__in=members)
    served = (
        partnerships.order_by()
        .values("partner_id", "partner__name", "partner__kind")
        .annotate(schools=Count("school_id", distinct=True))
    )
    rows = {
        row["partner_id"]: PartnerRow(
            row["partner_id"], row["partner__name"], row["partner__kind"], row["schools"]
        )
        for row in served
    }
    cells = (
        PartnershipCategory.objects.filter(partnership__in=partnerships)
        .order_by()
        .values_list("partnership__partner_id", "category")
        .annotate(schools=Count("partnership__school_id", distinct=True))
    )
    for partner_id, category, schools in cells:
        rows[partner_id].by_category[category] = schools
    ordered = sorted(
        rows.values(), key=lambda row: (-row.schools, row.name.casefold(), row.partner_id)
    )
    fed = {category for row in ordered for category in row.by_category}
    return PartnershipMap(ordered, [c for c in CATEGORIES if c.number not in fed])
