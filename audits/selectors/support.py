"""Agreed support as the audits pages read it: a hub's open support with what it
achieved so far (did the supported school move up in that category between its latest
audit of a period before the support began and its latest of the period it began in or
later? `rules.change_in`), and what waits for a person's answer."""

from dataclasses import dataclass

from django.db.models import Q

from audits import rules
from audits.instrument import Stage
from audits.models import Audit
from audits.periods import academic_year
from communities.models import Hub, SupportAgreement


@dataclass
class SupportRow:
    agreement: SupportAgreement
    before: Stage | None  # the supported school's stage in the category before it began
    since: Stage | None  # and at its latest audit submitted since
    since_period: str = ""

    @property
    def change(self) -> rules.Change:
        return rules.change_in(self.before, self.since)


def hub_support_rows(hub: Hub, *, open_only: bool = True) -> list[SupportRow]:
    """The hub's support (open, by default; all of it, ended and declined too, else),
    newest first, each with the supported school's stage before and since. Two
    queries."""
    agreements = SupportAgreement.objects.filter(hub=hub).select_related(
        "supporting_school", "supported_school"
    )
    if open_only:
        agreements = agreements.open()
    agreements = list(agreements)
    audits = (
        Audit.objects.submitted()
        .filter(school_id__in={a.supported_school_id for a in agreements})
        .order_by("period", "pk")
        .values_list("school_id", "period", "ratings__category", "ratings__stage")
    )
    by_school: dict[int, list[tuple]] = {}
    for school_id, period, category, stage in audits:
        by_school.setdefault(school_id, []).append((period, category, stage))
    return [
        _row(agreement, by_school.get(agreement.supported_school_id, []))
        for agreement in agreements
    ]


def _row(agreement: SupportAgreement, ratings: list[tuple]) -> SupportRow:
    began = academic_year(agreement.started_on)
    before = since = None
    since_period = ""
    for period, category, stage in ratings:  # oldest first
        if category != agreement.category or stage is None:
            continue
        if period < began:
            before = Stage(stage)
        else:
            since, since_period = Stage(stage), period
    return SupportRow(agreement, before, since, since_period)


def support_waiting_for(user) -> list[SupportAgreement]:
    """The proposals this person is to answer, oldest first. One query."""
    return list(
        SupportAgreement.objects.waiting_for(user)
        .select_related("hub", "supporting_school", "supported_school")
        .order_by("proposed_at", "pk")
    )


def support_of_schools_led_by(user) -> list[SupportAgreement]:
    """Open support that involves a school the person leads, newest first. One query."""
    if not user.is_authenticated:
        return []
    return list(
        SupportAgreement.objects.open()
        .filter(Q(supporting_school__leaders=user) | Q(supported_school__leaders=user))
        .distinct()
        .select_related("hub", "supporting_school", "supported_school")
    )
