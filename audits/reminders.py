"""What reminders go to whom on a day (`manage.py send_reminders`, once a day).

- A school's leaders: one message listing its open actions due within 7 days and those
  overdue, on a day there are some. The same list (the same actions, each as due or as
  overdue) is repeated at most weekly; a list that changed (an action came due, one
  became overdue) goes out the next run.
- A school's leaders, for each deadline of a hub the school is a current member of, while
  the school has not submitted its audit of the period: once from two weeks before the
  deadline (the first run on or after that day), and once after it passed (within
  PASSED_WINDOW days). A deadline moved to another date is a new deadline.
- A hub's coordinators: the weekly digest of its follow-up list, on Mondays (or the first
  run seven days after the last one, when a Monday was missed).
- A validator: an invitation to validate still unanswered three days after it was sent,
  then weekly.

Nobody with reminders turned off (My settings), no inactive account, no one without an
address. Each message names what it is `about`; the message record's unique constraint
makes a second run on the same day send nothing.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from audits.models import Audit, ImprovementAction, Validation
from audits.periods import academic_year
from audits.selectors.follow_up import follow_up
from communities.models import Hub, HubDeadline, HubMembership, School, SentMessage

Kind = SentMessage.Kind
DUE_WITHIN = 7
REPEAT_AFTER = 7  # days: the same unchanged reminder
BEFORE_DEADLINE = 14
PASSED_WINDOW = 30
VALIDATION_FIRST = 3


@dataclass
class Reminder:
    kind: str
    to: object  # a user
    template: str
    about: str
    context: dict = field(default_factory=dict)


def wants_reminders(users):
    """Of these users, those who get reminders: active, with an address, not opted out."""
    return users.filter(is_active=True).exclude(email="").exclude(profile__email_reminders=False)


def leaders_by_school(school_ids) -> dict[int, list]:
    """{school id: [leaders who get reminders]}, in one query."""
    through = School.leaders.through
    users = wants_reminders(
        get_user_model().objects.filter(
            pk__in=through.objects.filter(school_id__in=school_ids).values("user_id")
        )
    )
    links = through.objects.filter(school_id__in=school_ids, user__in=users).select_related("user")
    found: dict[int, list] = {}
    for link in links:
        found.setdefault(link.school_id, []).append(link.user)
    return found


def recent_abouts(kinds, day: datetime.date, days: int) -> set[tuple[str, str]]:
    """(address, about) of the messages of these kinds in the `days` days up to `day`."""
    since = day - datetime.timedelta(days=days - 1) if days else datetime.date.min
    rows = (
        SentMessage.objects.filter(kind__in=kinds, day__gte=since, day__lte=day)
        .exclude(about="")
        .exclude(status=SentMessage.Status.FAILED)  # the next run tries again
    )
    return set(rows.values_list("to_email", "about"))


# Actions due and overdue


def action_fingerprint(actions, day: datetime.date) -> str:
    """Short, stable name of a list of actions as due or overdue on `day`."""
    key = ",".join(f"{a.pk}:{'o' if a.due_on < day else 'd'}" for a in actions)
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def actions_by_school(day: datetime.date) -> dict[int, list]:
    due = ImprovementAction.objects.due_within(
        DUE_WITHIN, on=day
    ) | ImprovementAction.objects.overdue(on=day)
    found: dict[int, list] = {}
    for action in due.select_related("school").order_by("due_on", "pk"):
        found.setdefault(action.school_id, []).append(action)
    return found


def action_reminders(day: datetime.date) -> list[Reminder]:
    by_school = actions_by_school(day)
    leaders = leaders_by_school(list(by_school))
    sent = recent_abouts([Kind.ACTION_DUE], day, REPEAT_AFTER)
    today = recent_abouts([Kind.ACTION_DUE], day, 1)
    reminders = []
    for school_id, actions in by_school.items():
        prefix = f"actions:{school_id}:"
        about = prefix + action_fingerprint(actions, day)
        for leader in leaders.get(school_id, []):
            sent_today = any(e == leader.email and a.startswith(prefix) for e, a in today)
            if (leader.email, about) in sent or sent_today:
                continue
            reminders.append(
                Reminder(
                    Kind.ACTION_DUE, leader, "actions_due", about, _actions_context(actions, day)
                )
            )
    return reminders


def _actions_context(actions, day: datetime.date) -> dict:
    school = actions[0].school
    return {
        "school": school,
        "overdue": [a for a in actions if a.due_on < day],
        "due": [a for a in actions if a.due_on >= day],
        "plan_path": reverse("audits:school_plan", args=[school.pk]),
    }


# Hub deadlines


def deadline_phase(deadline: HubDeadline, day: datetime.date) -> str | None:
    """ "before" from two weeks before the deadline to its day, "passed" in the days
    after it, else None."""
    if deadline.due_on - datetime.timedelta(days=BEFORE_DEADLINE) <= day <= deadline.due_on:
        return "before"
    if deadline.due_on < day <= deadline.due_on + datetime.timedelta(days=PASSED_WINDOW):
        return "passed"
    return None


def open_deadlines(day: datetime.date) -> list[tuple[HubDeadline, str]]:
    window = Q(
        due_on__gte=day - datetime.timedelta(days=PASSED_WINDOW),
        due_on__lte=day + datetime.timedelta(days=BEFORE_DEADLINE),
    )
    deadlines = HubDeadline.objects.filter(window).select_related("hub")
    return [(d, deadline_phase(d, day)) for d in deadlines if deadline_phase(d, day)]


def schools_to_remind(deadlines, day: datetime.date) -> dict[int, list[School]]:
    """{deadline id: current member schools without a submitted audit of its period}."""
    hub_ids = {d.hub_id for d, _ in deadlines}
    members = HubMembership.objects.current(day).filter(hub_id__in=hub_ids).select_related("school")
    submitted = set(
        Audit.objects.filter(
            school_id__in=[m.school_id for m in members],
            period__in={d.period for d, _ in deadlines},
            status=Audit.Status.SUBMITTED,
        ).values_list("school_id", "period")
    )
    return {
        d.pk: [
            m.school
            for m in members
            if m.hub_id == d.hub_id and (m.school_id, d.period) not in submitted
        ]
        for d, _ in deadlines
    }


def deadline_reminders(day: datetime.date) -> list[Reminder]:
    deadlines = open_deadlines(day)
    if not deadlines:
        return []
    schools = schools_to_remind(deadlines, day)
    leaders = leaders_by_school({s.pk for found in schools.values() for s in found})
    ever = recent_abouts([Kind.DEADLINE], day, 0)
    reminders = []
    for deadline, phase in deadlines:
        for school in schools[deadline.pk]:
            about = f"deadline:{deadline.pk}:{deadline.due_on:%Y%m%d}:{school.pk}:{phase}"
            context = {
                "deadline": deadline,
                "hub": deadline.hub,
                "school": school,
                "start_path": reverse("audits:school_journey", args=[school.pk]),
            }
            reminders.extend(
                Reminder(Kind.DEADLINE, leader, f"deadline_{phase}", about, context)
                for leader in leaders.get(school.pk, [])
                if (leader.email, about) not in ever
            )
    return reminders


# The coordinators' weekly digest


def digest_due(last: datetime.date | None, day: datetime.date) -> bool:
    """Mondays, or any day seven days after the last digest (a Monday was missed)."""
    if last is None:
        return day.weekday() == 0
    return (day - last).days >= REPEAT_AFTER


def digest_reminders(day: datetime.date) -> list[Reminder]:
    coordinators = Hub.coordinators.through.objects.filter(
        user__in=wants_reminders(get_user_model().objects.all())
    ).select_related("hub", "user")
    last = {}
    recent = SentMessage.objects.filter(
        kind=Kind.DIGEST, day__gt=day - datetime.timedelta(days=REPEAT_AFTER)
    ).exclude(status=SentMessage.Status.FAILED)
    for to, about, sent_on in recent.values_list("to_email", "about", "day"):
        last[(to, about)] = max(sent_on, last.get((to, about), sent_on))
    period, lists, reminders = academic_year(day), {}, []
    for link in coordinators:
        about = f"digest:{link.hub_id}"
        if not digest_due(last.get((link.user.email, about)), day):
            continue
        if link.hub_id not in lists:
            lists[link.hub_id] = follow_up(link.hub, period)
        context = {
            "hub": link.hub,
            "follow_up": lists[link.hub_id],
            "period": period,
            "follow_up_path": reverse("audits:hub_follow_up", args=[link.hub.slug]),
        }
        reminders.append(Reminder(Kind.DIGEST, link.user, "digest", about, context))
    return reminders


# Peer validations waiting


def validation_reminders(day: datetime.date) -> list[Reminder]:
    first = day - datetime.timedelta(days=VALIDATION_FIRST)
    waiting = Validation.objects.filter(
        status=Validation.Status.INVITED,
        superseded_at__isnull=True,
        invited_at__date__lte=first,
        validator__in=wants_reminders(get_user_model().objects.all()),
    ).select_related("validator", "audit__school", "audit__hub")
    sent = recent_abouts([Kind.VALIDATION_INVITATION], day, REPEAT_AFTER)
    reminders = []
    for validation in waiting:
        about = f"validation:{validation.pk}"
        if (validation.validator.email, about) in sent:
            continue
        context = {
            "validation": validation,
            "subject_name": validation.audit.subject.name,
            "validation_path": reverse("audits:validation_tasks", args=[validation.pk]),
        }
        reminders.append(
            Reminder(
                Kind.VALIDATION_INVITATION,
                validation.validator,
                "validation_waiting",
                about,
                context,
            )
        )
    return reminders


def reminders_for(day: datetime.date) -> list[Reminder]:
    """Every reminder due on `day` that has not gone out yet."""
    return [
        *action_reminders(day),
        *deadline_reminders(day),
        *digest_reminders(day),
        *validation_reminders(day),
    ]
