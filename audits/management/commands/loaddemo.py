"""Demo data drawn from the seeds: the London West Challenge Partners hub led by Lampton
School with its twelve collaborative activities mapped to the cells they feed, a peer's
validation of Lampton's latest audit and an invitation waiting for another, agreed support
between two member schools with its result; and the Camden Learning Oracy Hub. The data
is in `_demo_data`; partnerships, validations and support are written through their
services, so that their history names who did each step.

Idempotent: everything is looked up by a natural key (URN, slug, name, username, school
and period; a validation by its audit and peer, support by its schools and category) and
created only when missing; existing audits, drafts included, are never touched, so running
it again never overwrites what someone wrote. A partnership still "to review" (its cells
converted from the old flags) takes the demo's cells once.

Lampton School and Torriano School come from the seeds; the other schools are
illustrative, and every URN here is in the 9xxxxx range, which the register does not use.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from audits.instrument import CATEGORIES, Stage
from audits.management.commands._demo_data import (
    CURRENT_PERIOD,
    DEMO_PASSWORD,
    DEMO_USERS,
    EVIDENCE,
    HUBS,
    JOURNEYS,
    LAMPTON,
    LAMPTON_DRAFT,
    LAMPTON_INVITATION,
    LAMPTON_VALIDATION,
    PERIODS,
    SUPPORT,
    load_demo_plan,
)
from audits.models import Audit, Rating, Validation, ValidationRating
from audits.services.validation import (
    PeerAnswer,
    validation_accept,
    validation_complete,
    validation_invite,
    validation_save_category,
)
from communities.models import Hub, HubMembership, Partner, Partnership, School, SupportAgreement
from communities.partnerships import partnership_save
from communities.support import support_accept, support_propose


def add_once(related, user) -> None:
    """Adds a leader or coordinator unless already there: an `add` of someone already
    there would still write a history row."""
    if not related.filter(pk=user.pk).exists():
        related.add(user)


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and the demo accounts admin, leader, coordinator."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to create demo accounts with the published demo password while "
                "DEBUG is off. Run with DEBUG=true on a development machine."
            )
        with transaction.atomic():
            before = self.counts()
            self.load()
            after = self.counts()
        created = {name: after[name] - before[name] for name in after}
        summary = ", ".join(f"{count} {name}" for name, count in created.items() if count)
        self.stdout.write(f"Demo data loaded ({summary or 'nothing new: already loaded'}).")
        self.stdout.write(f"Demo accounts: {', '.join(DEMO_USERS)}; password {DEMO_PASSWORD}")

    def counts(self) -> dict[str, int]:
        models = {"schools": School, "hubs": Hub, "memberships": HubMembership}
        models |= {"partnerships": Partnership, "audits": Audit, "ratings": Rating}
        models |= {"validations": Validation, "agreed support": SupportAgreement}
        return {name: model.objects.count() for name, model in models.items()}

    def load(self) -> None:
        users = {username: self.user(username, **fields) for username, fields in DEMO_USERS.items()}
        hubs = {spec["slug"]: self.load_hub(spec, users) for spec in HUBS}
        for school in School.objects.filter(urn__in=JOURNEYS):
            self.load_journey(school, JOURNEYS[school.urn], users["admin"])
        self.load_hub_audit(hubs["london-west"], users["coordinator"])
        self.load_lampton_draft(users["leader"])
        self.load_validations(users)
        self.load_support(hubs[SUPPORT["hub"]], users)
        load_demo_plan(users["leader"])

    def user(self, username: str, **fields):
        user, created = get_user_model().objects.get_or_create(username=username, defaults=fields)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def school(self, data: dict, local_authority: str) -> School:
        school, _ = School.objects.get_or_create(
            urn=data["urn"],
            defaults={
                "name": data["name"],
                "phase": data["phase"],
                "local_authority": local_authority,
                "establishment_type": "Academy converter"
                if data["phase"] == "Secondary"
                else "Community school",
            },
        )
        return school

    def load_hub(self, spec: dict, users: dict) -> Hub:
        """One hub of HUBS: its schools and their leaders, coordinator, memberships and
        partnerships, each created only when missing."""
        area = spec["local_authority"]
        lead = self.school(spec["lead"], area)
        add_once(lead.leaders, users[spec["leader"]])
        hub, _ = Hub.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "goal": spec["goal"],
                "lead_school": lead,
                "founded_on": spec["founded_on"],
            },
        )
        add_once(hub.coordinators, users[spec["coordinator"]])
        for data, role, joined in spec["members"]:
            school = self.school(data, area)
            self.member(hub, school, role, joined)
            if "leader" in data:
                add_once(school.leaders, users[data["leader"]])
        if spec["partnerships_of"] == "lead":
            owner, keeper = {"school": lead}, users[spec["leader"]]
        else:
            owner, keeper = {"hub": hub}, users[spec["coordinator"]]
        for activity in spec["partnerships"]:
            self.partnership(activity, keeper, **owner)
        return hub

    def member(self, hub: Hub, school: School, role: str, joined: datetime.date) -> None:
        if not HubMembership.objects.filter(hub=hub, school=school).exists():
            HubMembership.objects.create(hub=hub, school=school, role=role, joined_on=joined)

    def partnership(self, activity: tuple, by, *, school=None, hub=None) -> None:
        """Saves a partnership with the cells it feeds, as its keeper `by` would: when it is
        missing, or still "to review" (cells converted from the old flags)."""
        name, partner_name, kind, cells, phase, year = activity
        found = Partnership.objects.filter(school=school, hub=hub, activity=name).first()
        if found is not None and not found.to_review:
            return
        if found is None:
            partner, _ = Partner.objects.get_or_create(name=partner_name, defaults={"kind": kind})
            found = Partnership(
                school=school,
                hub=hub,
                activity=name,
                partner=partner,
                learning_phase=phase,
                started_on=datetime.date(year, 9, 1),
            )
        partnership_save(partnership=found, categories=cells, by=by)

    def load_journey(self, school: School, journey: list, by) -> None:
        periods = PERIODS[-len(journey) :]
        for period, stages in zip(periods, journey, strict=True):
            self.submitted_audit(period, stages, by, school=school)

    def submitted_audit(self, period: str, stages: str, by, **subject) -> None:
        if Audit.objects.filter(period=period, **subject).exists():
            return
        year = int(period[:4]) + 1
        audit = Audit.objects.create(
            period=period,
            audit_date=datetime.date(year, 3, 15),
            status=Audit.Status.DRAFT,
            created_by=by,
            reflection_coherence="Knowledge sharing is planned through the hub calendar.",
            **subject,
        )
        bulk_create_with_history(
            [
                Rating(audit=audit, category=c.number, stage=stage, evidence=EVIDENCE[Stage(stage)])
                for c, stage in zip(CATEGORIES, map(int, stages), strict=True)
            ],
            Rating,
        )
        audit.status = Audit.Status.SUBMITTED
        audit.submitted_by = by
        audit.submitted_at = timezone.make_aware(datetime.datetime(year, 3, 31, 12))
        audit.save()

    def load_hub_audit(self, hub: Hub, by) -> None:
        self.submitted_audit("2025/26", "344344434", by, hub=hub)

    def load_lampton_draft(self, by) -> None:
        lampton = School.objects.get(urn=LAMPTON["urn"])
        if Audit.objects.filter(school=lampton, period=CURRENT_PERIOD).exists():
            return
        draft = Audit.objects.create(
            school=lampton,
            period=CURRENT_PERIOD,
            audit_date=timezone.localdate(),
            created_by=by,
            updated_by=by,
        )
        bulk_create_with_history(
            [
                Rating(audit=draft, category=number, stage=stage, evidence=evidence)
                for number, (stage, evidence) in LAMPTON_DRAFT.items()
            ],
            Rating,
        )

    def load_validations(self, users: dict) -> None:
        """Peer judgement of Lampton's latest demo audit: one validation completed, one
        invitation not answered, each made once (whatever became of it since)."""
        period = LAMPTON_VALIDATION["period"]
        audit = Audit.objects.submitted().filter(school__urn=LAMPTON["urn"], period=period).first()
        if audit is None:  # reopened since: nothing to validate
            return
        validated = set(Validation.objects.filter(audit=audit).values_list("validator", flat=True))
        peer, invitee = (users[v["validator"]] for v in (LAMPTON_VALIDATION, LAMPTON_INVITATION))
        if peer.pk not in validated:
            self.completed_validation(audit, peer, users["leader"])
        if invitee.pk not in validated:
            message = LAMPTON_INVITATION["message"]
            validation_invite(audit=audit, validator=invitee, by=users["leader"], message=message)

    def completed_validation(self, audit: Audit, peer, leader) -> None:
        """Invited by the leader; the peer accepts, answers the nine categories (agreeing
        but where LAMPTON_VALIDATION disagrees) and completes."""
        message = LAMPTON_VALIDATION["message"]
        validation = validation_invite(audit=audit, validator=peer, by=leader, message=message)
        validation = validation_accept(validation=validation, by=peer)
        for rating in ValidationRating.objects.filter(validation=validation):
            stage, comment = LAMPTON_VALIDATION["disagree"].get(
                rating.category, (rating.school_stage, "")
            )
            answer = PeerAnswer(stage=stage, comment=comment, version=rating.version)
            validation = validation_save_category(
                validation=validation, category=rating.category, answer=answer, by=peer
            )
        validation_complete(validation=validation, by=peer, version=validation.version)

    def load_support(self, hub: Hub, users: dict) -> None:
        """The agreed support of SUPPORT, made once: proposed by the hub's coordinator and
        accepted by both schools' leaders, which gives each its partnership with the
        other."""
        supporting = School.objects.get(urn=SUPPORT["supporting"])
        supported = School.objects.get(urn=SUPPORT["supported"])
        pair = {"supporting_school": supporting, "supported_school": supported}
        if SupportAgreement.objects.filter(hub=hub, category=SUPPORT["category"], **pair).exists():
            return
        agreement = support_propose(
            hub=hub,
            supporting=supporting,
            supported=supported,
            category=SUPPORT["category"],
            goal=SUPPORT["goal"],
            started_on=SUPPORT["started_on"],
            by=users["coordinator"],
        )
        for username in SUPPORT["accepted_by"]:
            agreement = support_accept(agreement=agreement, by=users[username])
