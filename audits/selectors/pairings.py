"""Who can help whom: the pairing rule (`rules.suggest_pairings`) over a hub's rows, and
for one audit's report."""

from audits import rules
from audits.models import Audit
from audits.selectors.member_rows import MEMBER_COLUMNS, MemberRow, fill_latest_audits, member_row
from communities.models import Hub, HubMembership


def hub_pairings(rows: list[MemberRow], learners: list[MemberRow] | None = None) -> list:
    """Who can help whom among these rows, for all of them or only for `learners`. No
    query."""
    schools = [row.as_school_stages() for row in rows if row.has_audit]
    chosen = None if learners is None else [r.as_school_stages() for r in learners]
    return rules.suggest_pairings(schools, learners=chosen)


def pairing_suggestions_for_report(user, audit: Audit) -> list[rules.Pairing]:
    """Who can help this audit's school, shown on its report when one of its hubs'
    coordinators reads it: members of the hubs the person sees in full that have the
    school as a current member. Nobody else gets suggestions (they would name other
    schools). Two queries; none for a hub's audit."""
    if audit.school_id is None or not user.is_authenticated:
        return []
    hubs = HubMembership.objects.current().filter(
        school_id=audit.school_id, hub__in=Hub.objects.seen_in_full_by(user)
    )
    members = (
        HubMembership.objects.current()
        .filter(hub_id__in=hubs.values("hub_id"))
        .exclude(school_id=audit.school_id)
        .order_by("school__name", "school_id")
        .values_list(*MEMBER_COLUMNS)
        .distinct()
    )
    helpers = [member_row(*values) for values in members]
    if not helpers:
        return []
    fill_latest_audits(helpers)
    school = audit.school
    learner = rules.SchoolStages(
        key=school.pk, name=school.name, phase=school.phase, stages=audit.stages
    )
    others = [row.as_school_stages() for row in helpers if row.has_audit]
    return rules.suggest_pairings([*others, learner], learners=[learner])
