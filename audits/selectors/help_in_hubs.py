"""Who in a school's hubs can help it, for the school's own report: per gap, per hub,
the members further along in that category (the pairing rule of `audits.rules`, as on
the coordinator's page), named where the hub's coordinator shares names, else only how
many members are at each stage."""

from collections import defaultdict
from dataclasses import dataclass, field

from audits import rules
from audits.instrument import Stage
from audits.models import Audit
from audits.selectors.member_rows import MEMBER_COLUMNS, fill_latest_audits, member_row
from communities.models import Hub, HubMembership

# Counts of fewer schools than this would name them (in a hub of two, "1 at Integration"
# is the other school): below it, a hub that keeps names says only that too few have
# audited to count.
FEWEST_COUNTED = 3


@dataclass
class HubHelp:
    """What one hub offers a school in one category: `helpers` (pairings, best first)
    when the hub shares names, else `counts` (members at each stage), empty when too few
    members have audited to count them without naming them."""

    hub: Hub
    named: bool
    helpers: list[rules.Pairing] = field(default_factory=list)
    counts: dict[Stage, int] = field(default_factory=dict)


def help_in_hubs(audit: Audit, gaps: list[rules.Gap]) -> dict[int, list[HubHelp]]:
    """{category number: what each of the school's current hubs offers} for the rated
    gaps of a school's audit; {} for a hub's audit or a school in no hub. Three queries
    (its hubs, their members, the members' latest audits), whatever the number of hubs."""
    rated = [gap for gap in gaps if gap.stage is not None]
    if audit.school_id is None or not rated:
        return {}
    hubs = {
        m.hub_id: m.hub
        for m in HubMembership.objects.current()
        .filter(school_id=audit.school_id)
        .select_related("hub")
        .order_by("hub__name")
    }
    if not hubs:
        return {}
    members = (
        HubMembership.objects.current()
        .filter(hub_id__in=hubs)
        .exclude(school_id=audit.school_id)
        .order_by("school__name", "school_id")
        .values_list("hub_id", *MEMBER_COLUMNS)
    )
    rows, hub_of = {}, defaultdict(list)
    for hub_id, *values in members:
        row = rows.setdefault(values[0], member_row(*values))
        hub_of[hub_id].append(row)
    fill_latest_audits(list(rows.values()))
    school = audit.school
    learner = rules.SchoolStages(school.pk, school.name, school.phase, audit.stages)
    offers: dict[int, list[HubHelp]] = defaultdict(list)
    for hub_id, hub in hubs.items():
        others = [row.as_school_stages() for row in hub_of[hub_id] if row.has_audit]
        for number, offer in _offers(hub, others, learner, rated).items():
            offers[number].append(offer)
    return dict(offers)


def _offers(hub: Hub, others: list, learner, gaps: list[rules.Gap]) -> dict[int, HubHelp]:
    """What one hub offers in each gap: its named helpers, or its counts per stage."""
    if not hub.names_in_suggestions:
        counted = len(others) >= FEWEST_COUNTED
        return {
            gap.category.number: HubHelp(
                hub, named=False, counts=rules.stage_counts(others, gap.category) if counted else {}
            )
            for gap in gaps
        }
    pairings = rules.suggest_pairings(
        [*others, learner], learners=[learner], needing=rules.BELOW_INTEGRATION
    )
    offers = {gap.category.number: HubHelp(hub, named=True) for gap in gaps}
    for pairing in pairings:
        offers[pairing.category.number].helpers.append(pairing)
    return offers
