"""The hub's follow-up list and its deadline: who sees them, what a row says (a draft as
counts only), the deadline form's errors and version check, and a constant query count."""

import datetime

import pytest
from django.urls import reverse

from audits.models import Audit, ImprovementAction, Validation
from audits.periods import academic_year
from audits.selectors.follow_up import DRAFT, NOT_STARTED, SUBMITTED, follow_up
from communities import members as services
from communities.models import HubDeadline
from tests.factories import HubMembershipFactory, SchoolFactory, make_audit

PERIOD = academic_year()


def follow_up_url(hub, period=PERIOD):
    return reverse("audits:hub_follow_up", args=[hub.slug]) + f"?period={period}"


def deadline_url(hub, period=PERIOD):
    return reverse("audits:hub_deadline", args=[hub.slug]) + f"?period={period}"


def rows_by_name(result):
    return {row.school.name: row for row in result.rows}


def test_rows_say_submitted_draft_and_not_started(hub, school, member_school, coordinator):
    make_audit(school, stages=3, period=PERIOD)
    make_audit(member_school, stages=[2, 3, None, None, 1, None, None, None, None],
               period=PERIOD, submitted=False)  # fmt: skip
    quiet = SchoolFactory(name="Quiet School")
    HubMembershipFactory(hub=hub, school=quiet)

    rows = rows_by_name(follow_up(hub, PERIOD))

    assert rows["Lampton School"].state == SUBMITTED
    assert rows["Lampton School"].submitted_at is not None
    assert rows["Brentside Community College"].state == DRAFT
    assert rows["Brentside Community College"].rated == 3
    assert rows["Brentside Community College"].last_saved is not None
    assert rows["Quiet School"].state == NOT_STARTED


def test_another_periods_audit_does_not_count(hub, school):
    make_audit(school, stages=3, period="2020/21")

    assert follow_up(hub, PERIOD).rows[0].state == NOT_STARTED


def test_former_members_and_other_hubs_schools_are_not_rows(hub, other_hub, school):
    leaver = SchoolFactory(name="Leaver")
    HubMembershipFactory(hub=hub, school=leaver, left_on=datetime.date(2021, 1, 1))

    names = [row.school.name for row in follow_up(hub, PERIOD).rows]

    assert names == ["Lampton School"]


def test_waiting_validations_are_counted(hub, school, member_leader, coordinator):
    audit = make_audit(school, stages=3, period=PERIOD)
    Validation.objects.create(
        audit=audit, validator=member_leader, invited_by=coordinator, audit_version=1
    )

    result = follow_up(hub, PERIOD)
    assert rows_by_name(result)["Lampton School"].validations_waiting == 1
    assert rows_by_name(result)["Brentside Community College"].validations_waiting == 0
    assert result.waiting_count == 1


def test_validations_under_way_and_completed_are_said_too(
    client_for, hub, school, member_leader, coordinator, outsider
):
    audit = make_audit(school, stages=3, period=PERIOD)
    for validator, status in [
        (member_leader, Validation.Status.COMPLETED),
        (outsider, Validation.Status.ACCEPTED),
        (coordinator, Validation.Status.DECLINED),
    ]:
        Validation.objects.create(
            audit=audit, validator=validator, invited_by=coordinator, audit_version=1, status=status
        )

    row = rows_by_name(follow_up(hub, PERIOD))["Lampton School"]
    page = client_for(coordinator).get(reverse("audits:hub_follow_up", args=[hub.slug]))

    assert (row.validations_waiting, row.validations_under_way, row.validations_completed) == (
        0,
        1,
        1,
    )
    text = " ".join(page.content.decode().split())
    assert "Validated by 1 peer" in text and "1 validation under way" in text
    assert "invitation waits" not in text


def test_the_deadline_is_part_of_the_follow_up(hub, coordinator):
    HubDeadline.objects.create(
        hub=hub, period=PERIOD, due_on=datetime.date(2026, 6, 30), set_by=coordinator
    )

    assert follow_up(hub, PERIOD).deadline.due_on == datetime.date(2026, 6, 30)
    assert follow_up(hub, "2020/21").deadline is None


def test_page_shows_draft_counts_never_its_ratings_or_evidence(
    client_for, coordinator, hub, member_school
):
    audit = make_audit(member_school, stages=[2] + [None] * 8, period=PERIOD, submitted=False)
    audit.ratings.filter(category=1).update(evidence="SECRET-EVIDENCE-TEXT")

    content = client_for(coordinator).get(follow_up_url(hub)).content.decode()

    assert "1 of 9 categories rated" in content
    assert "SECRET-EVIDENCE-TEXT" not in content
    assert "Initiation" not in content


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),
        ("leader", 404),
        ("member_leader", 404),
        ("outsider", 404),
        ("other_coordinator", 404),
        ("coordinator", 200),
        ("admin_user", 200),
    ],
)
def test_who_sees_the_follow_up_list(request, client_for, hub, who, status):
    user = request.getfixturevalue(who) if who else None

    assert client_for(user).get(follow_up_url(hub)).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),
        ("leader", 404),
        ("member_leader", 404),
        ("other_coordinator", 404),
        ("admin_user", 404),
        ("coordinator", 200),
    ],
)
def test_only_the_hubs_coordinators_set_its_deadline(request, client_for, hub, who, status):
    user = request.getfixturevalue(who) if who else None
    client = client_for(user)

    assert client.get(deadline_url(hub)).status_code == status
    response = client.post(deadline_url(hub), {"due_on": "2026-06-30", "seen": ""})
    assert response.status_code == (302 if status == 200 else status)
    assert HubDeadline.objects.exists() == (status == 200)


def test_a_bad_period_in_the_query_falls_back_to_this_year(client_for, coordinator, hub):
    response = client_for(coordinator).get(follow_up_url(hub, "junk'<"))

    assert response.status_code == 200
    assert response.context["follow_up"].period == PERIOD


def test_setting_then_moving_the_deadline(client_for, coordinator, hub):
    client = client_for(coordinator)
    response = client.post(deadline_url(hub), {"due_on": "2026-06-30", "seen": ""})
    assert response.status_code == 302
    deadline = HubDeadline.objects.get()
    assert deadline.set_by == coordinator

    seen = services.deadline_version(deadline)
    client.post(deadline_url(hub), {"due_on": "2026-07-15", "seen": seen})

    deadline.refresh_from_db()
    assert deadline.due_on == datetime.date(2026, 7, 15)
    assert deadline.history.count() == 2
    assert "15 July 2026" in client.get(follow_up_url(hub)).content.decode()


def test_a_deadline_already_passed_is_saved_with_a_warning(client_for, coordinator, hub):
    client = client_for(coordinator)
    response = client.post(deadline_url(hub), {"due_on": "2020-06-30", "seen": ""}, follow=True)

    said = [str(m) for m in response.context["messages"]]
    assert any("That date has passed" in m for m in said)
    assert HubDeadline.objects.get().due_on == datetime.date(2020, 6, 30)
    seen = services.deadline_version(HubDeadline.objects.get())
    later = client.post(deadline_url(hub), {"due_on": "2030-06-30", "seen": seen}, follow=True)
    said = [str(m) for m in later.context["messages"]]
    assert any("by 30 June 2030" in m for m in said)
    assert not any("That date has passed" in m for m in said)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter the date by which schools should submit."),
        ("2026-02-31", "Enter a real date"),
        ("soon", "Enter a real date"),
        ("0001-01-01", "Enter a date between 1900-01-01 and"),
        ("9999-12-31", "Enter a date between 1900-01-01 and"),
    ],
)
def test_a_bad_date_is_a_field_error_in_the_summary(client_for, coordinator, hub, value, message):
    response = client_for(coordinator).post(deadline_url(hub), {"due_on": value, "seen": ""})

    assert response.status_code == 200
    links = response.context["error_links"]
    assert links[0][0] == "id_due_on"
    assert message in links[0][1]
    assert not HubDeadline.objects.exists()


def test_a_deadline_changed_meanwhile_is_never_overwritten(client_for, coordinator, hub):
    other = HubDeadline.objects.create(
        hub=hub, period=PERIOD, due_on=datetime.date(2026, 5, 1), set_by=coordinator
    )

    response = client_for(coordinator).post(deadline_url(hub), {"due_on": "2026-06-30", "seen": ""})

    assert response.status_code == 200
    assert "changed the deadline meanwhile, to 2026-05-01" in response.context["error_links"][0][1]
    other.refresh_from_db()
    assert other.due_on == datetime.date(2026, 5, 1)
    # the form now carries what is shown: saving again works
    assert response.context["form"]["seen"].value() == services.deadline_version(other)


def test_hub_page_links_to_the_follow_up_list(client_for, coordinator, hub):
    content = client_for(coordinator).get(reverse("audits:hub_detail", args=[hub.slug]))

    assert reverse("audits:hub_follow_up", args=[hub.slug]) in content.content.decode()
    assert reverse("communities:hub_members", args=[hub.slug]) in content.content.decode()


def build(hub, size, coordinator, peer):
    for index in range(size):
        school = SchoolFactory(name=f"Member {index:02d}")
        HubMembershipFactory(hub=hub, school=school)
        if index % 3 == 0:
            audit = make_audit(school, stages=3, period=PERIOD)
            Validation.objects.create(
                audit=audit, validator=peer, invited_by=coordinator, audit_version=1
            )
        elif index % 3 == 1:
            make_audit(school, stages=[1, None] * 4 + [None], period=PERIOD, submitted=False)


FOLLOW_UP_QUERIES = 3  # the deadline, the members, their audits of the period


@pytest.mark.parametrize("size", [3, 30])
def test_follow_up_query_count_is_constant(
    django_assert_num_queries, hub, coordinator, member_leader, size
):
    build(hub, size, coordinator, member_leader)

    with django_assert_num_queries(FOLLOW_UP_QUERIES):
        result = follow_up(hub, PERIOD)

    assert len(result.rows) == size + 2
    assert result.submitted_count == len(range(0, size, 3))


@pytest.mark.parametrize("size", [3, 30])
def test_follow_up_page_query_count_is_constant(
    client_for, django_assert_num_queries, hub, coordinator, member_leader, size
):
    build(hub, size, coordinator, member_leader)
    client = client_for(coordinator)

    # session, user, hub, then the follow-up's three, then the schools' actions
    with django_assert_num_queries(3 + FOLLOW_UP_QUERIES + 1):
        assert client.get(follow_up_url(hub)).status_code == 200


def test_the_list_shows_each_schools_actions(client_for, hub, school, coordinator, leader):
    audit = make_audit(school, stages=2, period="2025/26")
    today = datetime.date.today()
    for due, status, outcome in (
        (today - datetime.timedelta(days=3), "planned", ""),
        (today + datetime.timedelta(days=30), "in_progress", ""),
        (today, "done", "Lesson study runs each term."),
    ):
        ImprovementAction.objects.create(
            school=school,
            audit=audit,
            category=1,
            description="Lesson study",
            owner=leader,
            due_on=due,
            status=status,
            outcome=outcome,
            created_by=leader,
            updated_by=leader,
        )

    content = client_for(coordinator).get(follow_up_url(hub)).content.decode()

    row = content.split(f'<th scope="row">{school.name}</th>', 1)[1].split("</tr>", 1)[0]
    assert "Open: 2 (overdue: 1); done: 1" in " ".join(row.split())


def test_no_audit_of_a_hub_is_a_row(hub, school):
    make_audit(hub=hub, stages=3, period=PERIOD)

    assert [row.state for row in follow_up(hub, PERIOD).rows] == [NOT_STARTED]
    assert Audit.objects.count() == 1
