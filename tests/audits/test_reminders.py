"""`manage.py send_reminders`: the right messages to the right people, once (not again
the same day), nobody who turned reminders off, and a planning cost that does not grow
with the number of schools."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from audits.models import ImprovementAction, Validation
from audits.reminders import digest_due, reminders_for
from communities.models import HubDeadline, Profile, SentMessage
from tests.factories import HubMembershipFactory, SchoolFactory, UserFactory, make_audit

MONDAY = datetime.date(2026, 3, 2)
TUESDAY = MONDAY + datetime.timedelta(days=1)
Kind = SentMessage.Kind


def run(day: datetime.date, capture) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("send_reminders", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    return lambda day: run(day, django_capture_on_commit_callbacks)


def action(school, by, due_on, description="Visit the maths hub"):
    audit = school.audits.filter(status="submitted").first() or make_audit(school, stages=2)
    return ImprovementAction.objects.create(
        school=school,
        audit=audit,
        category=1,
        description=description,
        owner=by,
        due_on=due_on,
        created_by=by,
        updated_by=by,
    )


def sent(kind=None):
    rows = SentMessage.objects.all() if kind is None else SentMessage.objects.filter(kind=kind)
    return sorted((m.kind, m.to_email) for m in rows)


def test_leaders_get_their_actions_due_and_overdue_once_a_day(send, school, leader, coordinator):
    action(school, leader, MONDAY + datetime.timedelta(days=5), "Due soon")
    action(school, leader, MONDAY - datetime.timedelta(days=2), "Overdue <b>now</b>")
    action(school, leader, MONDAY + datetime.timedelta(days=20), "Far away")

    out = send(TUESDAY)

    assert sent(Kind.ACTION_DUE) == [("action_due", "leader_a@example.org")]
    message = mail.outbox[0]
    assert "Due soon" in message.body and "Overdue <b>now</b>" in message.body
    assert "Far away" not in message.body
    html = message.alternatives[0][0]
    assert "Overdue &lt;b&gt;now&lt;/b&gt;" in html and "/actions/" in html
    assert "CLC Audit" in message.subject and "/accounts/settings/" in message.body
    assert "actions_due: 1" in out
    send(TUESDAY)
    assert len(mail.outbox) == 1  # not again the same day


def test_an_unchanged_list_repeats_weekly_and_a_changed_one_at_once(send, school, leader):
    soon = action(school, leader, TUESDAY + datetime.timedelta(days=3))
    send(TUESDAY)
    send(TUESDAY + datetime.timedelta(days=1))
    assert len(mail.outbox) == 1  # the same list
    send(soon.due_on + datetime.timedelta(days=1))  # now overdue: a changed list
    assert len(mail.outbox) == 2
    send(soon.due_on + datetime.timedelta(days=3))
    assert len(mail.outbox) == 2
    send(soon.due_on + datetime.timedelta(days=8))
    assert len(mail.outbox) == 3  # a week later, still overdue


def test_no_actions_no_message_and_outsiders_get_none(send, school, leader, outsider):
    action(school, leader, MONDAY + datetime.timedelta(days=30))
    send(MONDAY)
    assert sent(Kind.ACTION_DUE) == []


def test_opted_out_inactive_and_addressless_people_get_nothing(send, school, leader):
    Profile.objects.for_user(leader).__class__.objects.filter(user=leader).update(
        email_reminders=False
    )
    quiet = UserFactory(username="quiet", is_active=False)
    nameless = UserFactory(username="nameless", email="")
    school.leaders.add(quiet, nameless)
    action(school, leader, TUESDAY)
    send(TUESDAY)
    assert mail.outbox == []


def deadline(hub, coordinator, due_on, period="2025/26"):
    return HubDeadline.objects.create(hub=hub, period=period, due_on=due_on, set_by=coordinator)


def test_the_deadline_reminder_goes_two_weeks_before_once(
    send, hub, school, leader, member_school, member_leader, coordinator
):
    due = datetime.date(2026, 3, 20)
    deadline(hub, coordinator, due)
    make_audit(member_school, stages=2, period="2025/26")  # submitted: no reminder
    send(due - datetime.timedelta(days=15))
    assert sent(Kind.DEADLINE) == []
    send(due - datetime.timedelta(days=13))  # a missed day: the first run after
    assert sent(Kind.DEADLINE) == [("deadline", "leader_a@example.org")]
    assert "2025/26" in mail.outbox[0].subject
    send(due - datetime.timedelta(days=12))
    send(due)
    assert len(sent(Kind.DEADLINE)) == 1


def test_once_after_the_deadline_passes_without_a_submission(
    send, hub, school, leader, coordinator
):
    due = datetime.date(2026, 3, 20)
    deadline(hub, coordinator, due)
    send(due + datetime.timedelta(days=1))
    send(due + datetime.timedelta(days=2))
    send(due + datetime.timedelta(days=9))
    assert sent(Kind.DEADLINE) == [("deadline", "leader_a@example.org")]
    assert "passed" in mail.outbox[0].subject


def test_a_submitted_school_gets_no_passed_reminder(send, hub, school, leader, coordinator):
    deadline(hub, coordinator, MONDAY - datetime.timedelta(days=1))
    make_audit(school, stages=3, period="2025/26")
    send(MONDAY)
    assert sent(Kind.DEADLINE) == []


def test_digest_days():
    assert digest_due(None, MONDAY) and not digest_due(None, TUESDAY)
    assert not digest_due(MONDAY, MONDAY + datetime.timedelta(days=6))
    assert digest_due(MONDAY, MONDAY + datetime.timedelta(days=8))  # a Monday was missed


def test_coordinators_get_a_weekly_digest_on_mondays(
    send, hub, school, member_school, coordinator, other_coordinator, leader
):
    make_audit(member_school, stages=2, period="2025/26", submitted=False)
    send(TUESDAY)
    assert sent(Kind.DIGEST) == []
    send(MONDAY)
    assert sent(Kind.DIGEST) == [
        ("digest", "coordinator_a@example.org"),
        ("digest", "coordinator_b@example.org"),
    ]
    digest = next(m for m in mail.outbox if m.to == ["coordinator_a@example.org"])
    assert "London West" in digest.subject
    assert "/follow-up/" in digest.body and member_school.name in digest.body
    send(MONDAY)
    send(MONDAY + datetime.timedelta(days=3))
    assert len(sent(Kind.DIGEST)) == 2
    send(MONDAY + datetime.timedelta(days=7))
    assert len(sent(Kind.DIGEST)) == 4


def test_a_validator_is_reminded_after_three_days_then_weekly(send, school, leader, member_leader):
    audit = make_audit(school, stages=3)
    invitation = Validation.objects.create(
        audit=audit, validator=member_leader, invited_by=leader, audit_version=audit.version
    )
    invited = datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)
    Validation.objects.filter(pk=invitation.pk).update(invited_at=invited)
    send(MONDAY + datetime.timedelta(days=2))
    assert sent(Kind.VALIDATION_INVITATION) == []
    send(MONDAY + datetime.timedelta(days=3))
    assert sent(Kind.VALIDATION_INVITATION) == [("validation_invitation", member_leader.email)]
    assert f"/validations/{invitation.pk}/" in mail.outbox[0].body
    send(MONDAY + datetime.timedelta(days=6))
    assert len(sent(Kind.VALIDATION_INVITATION)) == 1
    send(MONDAY + datetime.timedelta(days=10))
    assert len(sent(Kind.VALIDATION_INVITATION)) == 2
    Validation.objects.filter(pk=invitation.pk).update(status=Validation.Status.DECLINED)
    send(MONDAY + datetime.timedelta(days=17))
    assert len(sent(Kind.VALIDATION_INVITATION)) == 2


def test_a_bad_date_is_a_clear_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--date"):
        call_command("send_reminders", "--date", "02/03/2026")


def _world(hub, coordinator, count: int) -> None:
    deadline(hub, coordinator, TUESDAY + datetime.timedelta(days=5), period="2026/27")
    for n in range(count):
        school = SchoolFactory()
        HubMembershipFactory(hub=hub, school=school)
        person = UserFactory(username=f"lead{n}")
        school.leaders.add(person)
        action(school, person, TUESDAY + datetime.timedelta(days=2))


@pytest.mark.parametrize("count", [2, 6])
def test_planning_the_day_costs_the_same_queries_whatever_the_number_of_schools(
    hub, coordinator, count, django_assert_num_queries
):
    _world(hub, coordinator, count)
    with django_assert_num_queries(13):
        planned = reminders_for(TUESDAY)
    assert len(planned) == 2 * count
