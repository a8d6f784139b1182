"""The home page's rows: each school a person leads and each hub they coordinate, with
its latest submitted audit and its open drafts."""

from collections import defaultdict
from dataclasses import dataclass, field

from audits.models import Audit
from audits.periods import academic_year
from communities.models import Hub, School


@dataclass
class SubjectRow:
    """A school or hub on the home page with its latest submitted audit and open drafts."""

    subject: School | Hub
    latest: Audit | None = None
    drafts: list[Audit] = field(default_factory=list)

    @property
    def current_draft(self) -> Audit | None:
        """The draft of this school year, if one is open."""
        return next((d for d in self.drafts if d.period == academic_year()), None)

    @property
    def current_is_submitted(self) -> bool:
        return self.latest is not None and self.latest.period == academic_year()

    @property
    def earlier_drafts(self) -> list[Audit]:
        return [d for d in self.drafts if d.period != academic_year()]


def _drafts_by(audits, key: str) -> dict[int, list[Audit]]:
    """{school or hub id: its drafts, oldest period first}."""
    drafts: dict[int, list[Audit]] = defaultdict(list)
    for audit in sorted(audits, key=lambda audit: (audit.period, audit.pk)):
        drafts[getattr(audit, key)].append(audit)
    return drafts


def school_rows(user) -> list[SubjectRow]:
    """The schools the person leads, by name. Five queries."""
    schools = list(School.objects.led_by(user).order_by("name"))
    latest = Audit.objects.latest_submitted_by_school_id([school.pk for school in schools])
    mine = Audit.objects.editable_by(user).filter(school__isnull=False).with_ratings()
    drafts = _drafts_by(mine, "school_id")
    return [SubjectRow(s, latest.get(s.pk), drafts.get(s.pk, [])) for s in schools]


def hub_audit_rows(user) -> list[SubjectRow]:
    """The hubs the person coordinates themselves, with the hub's own audits. Three
    queries."""
    hubs = list(Hub.objects.coordinated_by(user))
    audits = list(
        Audit.objects.readable_by(user).filter(hub__in=hubs).order_by("period").with_ratings()
    )
    latest = {a.hub_id: a for a in audits if a.is_submitted}
    drafts = _drafts_by([a for a in audits if not a.is_submitted], "hub_id")
    return [SubjectRow(h, latest.get(h.pk), drafts.get(h.pk, [])) for h in hubs]
