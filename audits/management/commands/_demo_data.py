"""The data `loaddemo` loads, drawn from the seeds (the command holds how it is loaded).

The leading underscore keeps this module out of Django's list of commands.

Cells are category numbers, row by row as `audits.instrument.CATEGORIES` numbers them:
1-3 teaching and learning, 4-6 leadership, 7-9 collaborative learning; in each row
relevant research, best practice, emerging effective innovation.
"""

import datetime

from django.utils import timezone

from audits.instrument import Stage
from audits.models import Audit, ImprovementAction
from audits.services.plans import action_create
from communities.models import HubMembership, School

DEMO_PASSWORD = "clc-demo-password"

# leader and coordinator are Lampton's and London West's; the camden_ accounts are another
# school's leader and another hub's coordinator, to try who sees what. brentside_leader
# and isleworth_leader lead two London West members: Lampton's peers (one validated its
# latest audit, one is invited to) and the two sides of the hub's agreed support.
DEMO_USERS = {
    "admin": {"is_staff": True, "is_superuser": True, "first_name": "Ada"},
    "leader": {"first_name": "Sue", "last_name": "John"},
    "coordinator": {"first_name": "Esther", "last_name": "Arnott"},
    "camden_leader": {"first_name": "Helen"},
    "camden_coordinator": {"first_name": "Kathy"},
    "brentside_leader": {"first_name": "Priya", "last_name": "Sandhu"},
    "isleworth_leader": {"first_name": "Tom", "last_name": "Okafor"},
}

LAMPTON = {"urn": "900001", "name": "Lampton School", "phase": "Secondary"}
BRENTSIDE = {"urn": "900004", "name": "Brentside Community College", "phase": "Secondary"}
ISLEWORTH = {"urn": "900006", "name": "Isleworth Riverside School", "phase": "Secondary"}
LONDON_WEST_MEMBERS = [
    {"urn": "900002", "name": "Heston Park Academy", "phase": "Secondary"},
    {"urn": "900003", "name": "Osterley Primary School", "phase": "Primary"},
    {**BRENTSIDE, "leader": "brentside_leader"},
    {"urn": "900005", "name": "Cranford Green Primary", "phase": "Primary"},
    {**ISLEWORTH, "leader": "isleworth_leader"},
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

# Lampton's twelve collaborative activities (seed 000): (activity, partner, partner kind,
# cells it feeds, phase of learning activity, year begun). Seed 000 calls most of them
# emerging effective innovation, drawing on research and linking Lampton to schools of
# best practice; it says research was the least within reach then, and none of them brings
# research on leadership or on collaborative learning (cells 4 and 7).
LAMPTON_ACTIVITIES = [
    # New teachers trained with a university (research) in local schools' classrooms (practice).
    ("Initial Teacher Training", "University ITT partner", "university",
     [1, 2], "coaching", 2005),
    # An accelerated programme for future leaders, begun in London, then national.
    ("Future Leaders", "Future Leaders Trust", "charity",
     [6], "coaching", 2006),
    # A new route that trains graduates to teach in schools serving disadvantaged students.
    ("Teach First", "Teach First", "charity",
     [3], "coaching", 2005),
    # Postgraduate researchers become teachers: research in teaching, a route begun here.
    ("Researchers in Schools", "Researchers in Schools", "programme",
     [1, 3], "coaching", 2012),
    # Postgraduates bring their research to students from disadvantaged backgrounds.
    ("The Brilliant Club mentoring", "The Brilliant Club", "charity",
     [1], "coaching", 2011),
    # A national network of schools sharing how they lead and work together.
    ("Specialist Schools Trust", "Specialist Schools Trust", "network",
     [5, 8], "information", 2005),
    # Sports coaches' practice in PE and school sport.
    ("The Sports Trust", "The Sports Trust", "charity",
     [2], "experience", 2007),
    # Olevi's teaching programmes (seed 001's innovation) and its coaching, with other
    # Olevi centres as schools of best practice (seed 000).
    ("Olevi Doc regional centre", "Olevi", "programme",
     [3, 8, 9], "coaching", 2008),
    # Outstanding schools' practice in teaching, leading and school-to-school support.
    ("Teaching School Alliance", "Teaching School Alliance", "network",
     [2, 5, 8], "coaching", 2011),
    # Leaders supporting other schools; Lampton helped define this new approach.
    ("National Support School and National Leader in Education",
     "National College for School Leadership", "public_body",
     [5, 6], "coaching", 2006),
    # Expert teachers (ASTs) and specialist leaders (SLEs) sharing their practice.
    ("Advanced Skills Teachers and Specialist Leaders in Education",
     "Specialist Leaders in Education", "programme",
     [2, 5], "coaching", 2007),
    # Hub schools' best practice in teaching and together, and peer review (QAR), seed
    # 001's example of emerging innovation in collaborative learning.
    ("Challenge Partners hub", "Challenge Partners", "network",
     [2, 8, 9], "coaching", 2011),
]  # fmt: skip

# The oracy hub's partners (seed 004).
ORACY_PARTNERS = [
    # Mercer's Oracy Skills Framework: research on talk in teaching.
    ("Oracy Skills Framework and evaluation", "Oracy Cambridge", "university",
     [1], "information", 2017),
    # Voice 21's oracy programme for teachers, and its network of oracy schools.
    ("Oracy charity support", "Voice 21", "charity",
     [3, 9], "coaching", 2017),
    # The local theatre's practice of talk, brought into lessons.
    ("Talk through theatre", "Unicorn Theatre", "charity",
     [2], "experience", 2017),
    # The commissioned learning hub: leadership from the middle, cross-school coaching.
    ("Commissioned learning hub", "Camden Learning", "network",
     [5, 6, 8, 9], "coaching", 2017),
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

# Peer judgement (seed 001's triangulation) of Lampton's latest audit (2025/26, Virtuous):
# Brentside's leader agrees on eight categories; on Leadership x relevant research, which
# none of Lampton's partnerships feeds, they would give Engagement. Isleworth's leader is
# invited and has not answered.
LAMPTON_VALIDATION = {
    "period": PERIODS[-1],
    "validator": "brentside_leader",
    "message": "Would you validate our 2025/26 audit before the hub's review day?",
    "disagree": {
        4: (
            Stage.ENGAGEMENT,
            "Leaders' programmes are built on practice and new approaches, but I saw no "
            "leadership research the school draws on or shares with the hub yet.",
        ),
    },
}
LAMPTON_INVITATION = {
    "validator": "isleworth_leader",
    "message": "A second view from a hub school would help us triangulate our audit.",
}

# Agreed support as seed 003 pairs schools: in October 2024 (by the 2023/24 audits)
# Isleworth was at Initiation in Teaching and learning x relevant research and Brentside,
# also secondary, at Engagement. Isleworth's 2025/26 audit rates it Engagement: up one.
SUPPORT = {
    "hub": "london-west",
    "supporting": BRENTSIDE["urn"],
    "supported": ISLEWORTH["urn"],
    "category": 1,
    "goal": (
        "Heads of department use EEF guidance when they plan schemes of work, with "
        "Brentside's research lead coaching Isleworth's each half term."
    ),
    "started_on": datetime.date(2024, 10, 1),
    "accepted_by": ["brentside_leader", "isleworth_leader"],  # proposed by the coordinator
}

# Lampton's improvement plan, from the gaps of its 2024/25 audit (Leadership x relevant
# research and Collaborative learning x best practice at Engagement): one action done
# before the 2025/26 audit rated both Integration, one still in progress, due within the
# week (counted from the day the demo is loaded). Written through the plan's service.
LAMPTON_ACTIONS = [
    {
        "period": "2024/25",
        "category": 4,
        "description": (
            "Start a leadership reading group on the EEF's guidance on implementation, "
            "shared with the hub's middle leaders each half term."
        ),
        "aim": "Leaders draw on research with the hub's schools and universities.",
        "owner": "leader",
        "due_on": datetime.date(2025, 6, 30),
        "status": "done",
        "finished_on": datetime.date(2025, 6, 20),
        "outcome": (
            "Six sessions held with four hub schools; two middle leaders now lead "
            "enquiries with the university partner."
        ),
    },
    {
        "period": "2024/25",
        "category": 8,
        "description": (
            "Run a second round of peer reviews with Brentside and Isleworth, and "
            "publish what each review found to the hub."
        ),
        "aim": "Best practice is triangulated with peer judgement across the hub.",
        "owner_name": "Amira Patel, head of peer review",
        "due_in_days": 5,
        "status": "in_progress",
    },
]


def load_demo_plan(leader) -> int:
    """Lampton's actions of LAMPTON_ACTIONS, each made once (looked up by school,
    category and what will be done). Returns how many were added."""
    school = School.objects.get(urn=LAMPTON["urn"])
    added = 0
    for spec in LAMPTON_ACTIONS:
        if ImprovementAction.objects.filter(
            school=school, category=spec["category"], description=spec["description"]
        ).exists():
            continue
        audit = Audit.objects.submitted().filter(school=school, period=spec["period"]).first()
        if audit is None:
            continue
        action_create(audit=audit, by=leader, **_action_fields(spec, leader))
        added += 1
    return added


def _action_fields(spec: dict, leader) -> dict:
    fields = {k: v for k, v in spec.items() if k not in ("period", "owner", "due_in_days")}
    if spec.get("owner") == "leader":
        fields["owner"] = leader
    if "due_in_days" in spec:
        fields["due_on"] = timezone.localdate() + datetime.timedelta(days=spec["due_in_days"])
    return fields
