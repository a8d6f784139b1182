"""Demo data drawn from the seeds: the London West Challenge Partners hub led by Lampton
School with its twelve collaborative activities, and the Camden Learning Oracy Hub.

Idempotent: everything is looked up by a natural key (URN, slug, name, username, school
and period) and created only when missing; existing audits, drafts included, are never
touched, so running it again never overwrites what someone wrote.

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
from audits.models import Audit, Rating
from communities.models import Hub, HubMembership, Partner, Partnership, School

DEMO_PASSWORD = "clc-demo-password"

LAMPTON = {"urn": "900001", "name": "Lampton School", "phase": "Secondary"}
LONDON_WEST_MEMBERS = [
    {"urn": "900002", "name": "Heston Park Academy", "phase": "Secondary"},
    {"urn": "900003", "name": "Osterley Primary School", "phase": "Primary"},
    {"urn": "900004", "name": "Brentside Community College", "phase": "Secondary"},
    {"urn": "900005", "name": "Cranford Green Primary", "phase": "Primary"},
    {"urn": "900006", "name": "Isleworth Riverside School", "phase": "Secondary"},
]
TORRIANO = {"urn": "900101", "name": "Torriano School", "phase": "Primary"}
ORACY_LEADS = [
    {"urn": "900102", "name": "Kentish Town Primary Academy", "phase": "Primary"},
    {"urn": "900103", "name": "Fleet Road Primary", "phase": "Primary"},
    {"urn": "900104", "name": "Regent's Park Secondary", "phase": "Secondary"},
]
ORACY_MEMBERS = [
    {"urn": "900105", "name": "Belsize Primary School", "phase": "Primary"},
    {"urn": "900106", "name": "Somers Town Primary", "phase": "Primary"},
    {"urn": "900107", "name": "Gospel Oak Secondary", "phase": "Secondary"},
    {"urn": "900108", "name": "Holborn Primary", "phase": "Primary"},
]

# Lampton's twelve collaborative activities (seed 000), each classified by the areas and
# sources of knowledge it feeds and its phase of learning activity.
LAMPTON_ACTIVITIES = [
    ("Initial Teacher Training", "University ITT partner", "university",
     ["teaching"], ["research", "practice"], "coaching", 2005),
    ("Future Leaders", "Future Leaders Trust", "programme",
     ["leadership"], ["innovation"], "coaching", 2006),
    ("Teach First", "Teach First", "charity",
     ["teaching"], ["innovation", "practice"], "coaching", 2005),
    ("Researchers in Schools", "Researchers in Schools", "programme",
     ["teaching"], ["research", "innovation"], "experience", 2012),
    ("The Brilliant Club mentoring", "The Brilliant Club", "charity",
     ["teaching"], ["research"], "coaching", 2011),
    ("Specialist Schools Trust", "Specialist Schools Trust", "network",
     ["leadership", "collaborative"], ["practice"], "information", 2005),
    ("The Sports Trust", "The Sports Trust", "charity",
     ["teaching"], ["practice"], "experience", 2007),
    ("Olevi Doc regional centre", "Olevi", "programme",
     ["teaching", "collaborative"], ["innovation"], "coaching", 2008),
    ("Teaching School Alliance", "Teaching School Alliance", "network",
     ["teaching", "leadership", "collaborative"], ["practice", "innovation"], "coaching", 2011),
    ("National Support School and National Leader in Education",
     "National College for School Leadership", "public_body",
     ["leadership", "collaborative"], ["practice"], "coaching", 2006),
    ("Advanced Skills Teachers and Specialist Leaders in Education",
     "Specialist Leaders in Education", "programme",
     ["teaching", "leadership"], ["practice"], "coaching", 2007),
    ("Challenge Partners hub", "Challenge Partners", "network",
     ["teaching", "leadership", "collaborative"], ["practice", "innovation"], "coaching", 2011),
]  # fmt: skip

ORACY_PARTNERS = [
    ("Oracy Skills Framework and evaluation", "Oracy Cambridge", "university",
     ["teaching"], ["research"], "information", 2017),
    ("Oracy charity support", "Voice 21", "charity",
     ["teaching", "collaborative"], ["innovation"], "coaching", 2017),
    ("Talk through theatre", "Unicorn Theatre", "charity",
     ["teaching"], ["practice"], "experience", 2017),
    ("Commissioned learning hub", "Camden Learning", "network",
     ["leadership", "collaborative"], ["practice", "innovation"], "coaching", 2017),
]  # fmt: skip

# The two hubs of the seeds: London West (seed 000), whose partnerships are Lampton's own,
# and Camden's oracy hub (seed 004), whose partnerships are the hub's.
HUBS = [
    {
        "slug": "london-west",
        "name": "London West Challenge Partners hub",
        "goal": (
            "Provide for all our students an education that represents the wisdom of the "
            "global education community, by learning from and with each other."
        ),
        "founded_on": datetime.date(2011, 9, 1),
        "local_authority": "Hounslow",
        "lead": LAMPTON,
        "leader": "leader",
        "coordinator": "coordinator",
        "members": [
            (LAMPTON, HubMembership.Role.LEAD, datetime.date(2011, 9, 1)),
            *(
                (s, HubMembership.Role.MEMBER, datetime.date(2012, 9, 1))
                for s in LONDON_WEST_MEMBERS
            ),
        ],
        "partnerships_of": "lead",
        "partnerships": LAMPTON_ACTIVITIES,
    },
    {
        "slug": "camden-oracy",
        "name": "Camden Learning Oracy Hub",
        "goal": (
            "Elevate the status of oracy in every school and give it equal status with "
            "reading, writing and mathematics."
        ),
        "founded_on": datetime.date(2017, 9, 1),
        "local_authority": "Camden",
        "lead": TORRIANO,
        "leader": "camden_leader",
        "coordinator": "camden_coordinator",
        "members": [
            *(
                (s, HubMembership.Role.LEAD, datetime.date(2017, 9, 1))
                for s in [TORRIANO, *ORACY_LEADS]
            ),
            *((s, HubMembership.Role.MEMBER, datetime.date(2018, 1, 8)) for s in ORACY_MEMBERS),
        ],
        "partnerships_of": "hub",
        "partnerships": ORACY_PARTNERS,
    },
]

PERIODS = ["2023/24", "2024/25", "2025/26"]
CURRENT_PERIOD = "2026/27"

# Stages per period for each school: nine digits, one per category in instrument order
# (1 Isolation, 2 Initiation, 3 Engagement, 4 Integration).
JOURNEYS = {
    "900001": [  # Lampton: strongest in emerging innovation, Virtuous by 2025/26
        "334344334",
        "444344434",
        "444444444",
    ],
    "900002": ["233232122", "333233232", "343333333"],
    "900003": ["121121111", "222122212", "232232223"],
    "900004": ["332332232", "343333333", "443443343"],
    "900005": ["111121111", "121121211"],
    "900006": ["232232222", "232332232", "333333233"],
    "900101": ["344334444", "444444434"],
    "900102": ["334333344", "344344444"],
    "900103": ["333233334", "434334344"],
    "900104": ["233232333", "334333343"],
    "900105": ["122112122", "223222232"],
    "900106": ["112111212", "222122222"],
    "900107": ["222232222", "233232332"],
    "900108": ["111111111", "212121121"],
}  # fmt: skip

LAMPTON_DRAFT = {
    1: (Stage.INTEGRATION, "Every department's schemes draw on EEF guidance."),
    2: (Stage.INTEGRATION, ""),
    5: (Stage.ENGAGEMENT, ""),
}

EVIDENCE = {
    Stage.ISOLATION: "Knowledge stays with individual teachers; little is shared.",
    Stage.INITIATION: "First links beyond the school: visits and shared resources.",
    Stage.ENGAGEMENT: "Regular joint practice with partner schools, planned each term.",
    Stage.INTEGRATION: "Part of the hub's shared programme with universities and partners.",
}


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
        self.stdout.write(
            "Demo accounts: admin, leader, coordinator, camden_leader, camden_coordinator; "
            f"password {DEMO_PASSWORD}"
        )

    def counts(self) -> dict[str, int]:
        models = {"schools": School, "hubs": Hub, "memberships": HubMembership}
        models |= {"partnerships": Partnership, "audits": Audit, "ratings": Rating}
        return {name: model.objects.count() for name, model in models.items()}

    def load(self) -> None:
        users = self.load_users()
        hubs = {spec["slug"]: self.load_hub(spec, users) for spec in HUBS}
        for school in School.objects.filter(urn__in=JOURNEYS):
            self.load_journey(school, JOURNEYS[school.urn], users["admin"])
        self.load_hub_audit(hubs["london-west"], users["coordinator"])
        self.load_lampton_draft(users["leader"])

    def user(self, username: str, **fields):
        user, created = get_user_model().objects.get_or_create(username=username, defaults=fields)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def load_users(self) -> dict:
        # leader and coordinator are Lampton's and London West's; the camden_ accounts
        # are another school's leader and another hub's coordinator, to try who sees what.
        return {
            "admin": self.user("admin", is_staff=True, is_superuser=True, first_name="Ada"),
            "leader": self.user("leader", first_name="Sue", last_name="John"),
            "coordinator": self.user("coordinator", first_name="Esther", last_name="Arnott"),
            "camden_leader": self.user("camden_leader", first_name="Helen"),
            "camden_coordinator": self.user("camden_coordinator", first_name="Kathy"),
        }

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
        """One hub of HUBS: its schools, lead school's leader, coordinator, memberships and
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
            if not HubMembership.objects.filter(hub=hub, school=school).exists():
                HubMembership.objects.create(hub=hub, school=school, role=role, joined_on=joined)
        owner = {"school": lead} if spec["partnerships_of"] == "lead" else {"hub": hub}
        for activity in spec["partnerships"]:
            self.partnership(activity, **owner)
        return hub

    def partnership(self, activity: tuple, *, school=None, hub=None) -> None:
        name, partner_name, kind, areas, sources, phase, year = activity
        partner, _ = Partner.objects.get_or_create(name=partner_name, defaults={"kind": kind})
        Partnership.objects.get_or_create(
            school=school,
            hub=hub,
            activity=name,
            defaults={
                "partner": partner,
                "learning_phase": phase,
                "started_on": datetime.date(year, 9, 1),
                **{f"area_{area}": True for area in areas},
                **{f"source_{source}": True for source in sources},
            },
        )

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
