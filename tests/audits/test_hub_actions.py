"""The hub page's improvement actions: counts per member school and the open ones in
detail for its coordinators only; the cache sees an action change on the next load; the
CSV and XLSX exports (who, what, formula injection); constant query counts."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audits.models import ImprovementAction
from audits.selectors.hub_actions import hub_actions
from tests.factories import HubMembershipFactory, SchoolFactory, make_audit

TODAY = timezone.localdate()


def add_action(school, by, *, status="planned", due_in=10, description="Start a reading club"):
    audit = school.audits.filter(status="submitted").first() or make_audit(school, stages=2)
    return ImprovementAction.objects.create(
        school=school,
        audit=audit,
        category=2,
        description=description,
        owner_name="Ms Patel",
        due_on=TODAY + datetime.timedelta(days=due_in),
        status=status,
        outcome="It worked." if status == "done" else "",
        created_by=by,
        updated_by=by,
    )


def hub_url(hub):
    return reverse("audits:hub_detail", args=[hub.slug])


def test_counts_open_overdue_and_done_per_school(hub, school, member_school, leader):
    add_action(school, leader)
    add_action(school, leader, due_in=-3)
    add_action(school, leader, status="done")
    add_action(school, leader, status="dropped")
    add_action(member_school, leader, status="in_progress", due_in=-1)

    result = hub_actions(hub)

    counts = {row.school.name: (row.open, row.overdue, row.done) for row in result.schools}
    assert counts == {"Brentside Community College": (1, 1, 0), "Lampton School": (2, 1, 1)}
    assert [a.due_on for a in result.open_actions] == sorted(a.due_on for a in result.open_actions)
    assert len(result.open_actions) == 3


def test_only_the_schools_with_actions_are_listed(hub, school, member_school, leader):
    add_action(school, leader)
    add_action(member_school, leader, status="dropped")

    result = hub_actions(hub)

    assert [row.school.name for row in result.schools] == ["Lampton School"]
    assert (result.total_open, result.total_done) == (1, 0)


def test_other_hubs_and_former_members_actions_are_not_counted(hub, other_school, leader):
    add_action(other_school, leader)
    leaver = SchoolFactory(name="Leaver")
    HubMembershipFactory(hub=hub, school=leaver, left_on=datetime.date(2021, 1, 1))
    add_action(leaver, leader)

    assert hub_actions(hub).total_open == 0


def test_coordinator_sees_the_counts_and_the_detail(client_for, coordinator, hub, school, leader):
    action = add_action(school, leader, due_in=-2, description="Visit a partner school")

    content = client_for(coordinator).get(hub_url(hub)).content.decode()

    assert "Improvement actions" in content
    assert "Visit a partner school" in content
    assert reverse("audits:action_detail", args=[action.pk]) in content
    assert "Overdue" in content


def test_member_leaders_see_no_other_schools_actions(
    client_for, member_leader, hub, school, leader
):
    add_action(school, leader, description="Visit a partner school")

    response = client_for(member_leader).get(hub_url(hub), follow=True)
    summary = client_for(member_leader).get(reverse("audits:hub_summary", args=[hub.slug]))

    assert "Visit a partner school" not in response.content.decode()
    assert "Visit a partner school" not in summary.content.decode()


def test_a_changed_action_shows_on_the_next_load(client_for, coordinator, hub, school, leader):
    client = client_for(coordinator)
    action = add_action(school, leader, description="Visit a partner school")
    assert "Visit a partner school" in client.get(hub_url(hub)).content.decode()

    action.description = "Host a research morning"
    action.save()

    content = client.get(hub_url(hub)).content.decode()
    assert "Host a research morning" in content
    assert "Visit a partner school" not in content


def test_a_new_action_changes_the_counts_on_the_next_load(
    client_for, coordinator, hub, school, leader
):
    client = client_for(coordinator)
    client.get(hub_url(hub))
    add_action(school, leader, status="done")

    content = client.get(hub_url(hub)).content.decode()
    assert "0 open actions (0 overdue), 1 done." in content


def export_url(hub, kind):
    return reverse(f"audits:hub_export_actions_{kind}", args=[hub.slug])


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
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
def test_who_may_export_the_actions(request, client_for, hub, kind, who, status):
    user = request.getfixturevalue(who) if who else None

    assert client_for(user).get(export_url(hub, kind)).status_code == status


def test_csv_export_lists_every_action_with_formulas_made_inert(
    client_for, coordinator, hub, school, leader
):
    add_action(school, leader, description='=HYPERLINK("http://evil")')
    add_action(school, leader, status="done")

    response = client_for(coordinator).get(export_url(hub, "csv"))

    text = response.content.decode("utf-8-sig")
    assert 'filename="london-west-actions-' in response["Content-Disposition"]
    assert text.splitlines()[0].startswith("School,URN,Category,What will be done")
    assert "'=HYPERLINK" in text
    assert len(text.strip().splitlines()) == 3


def test_xlsx_export_keeps_formulas_as_text(client_for, coordinator, hub, school, leader):
    add_action(school, leader, description="=1+1")

    response = client_for(coordinator).get(export_url(hub, "xlsx"))

    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[0]]
    record = next(row for row in rows if row[0] == "Lampton School")
    assert record[3] == "=1+1"
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=1+1")
    assert cell.data_type == "s"


def build(hub, size, leader):
    for index in range(size):
        school = SchoolFactory(name=f"Member {index:02d}")
        HubMembershipFactory(hub=hub, school=school)
        add_action(school, leader, due_in=index - size // 2)
        add_action(school, leader, status="done")


@pytest.mark.parametrize("size", [3, 30])
def test_hub_actions_query_count_is_constant(django_assert_num_queries, hub, leader, size):
    build(hub, size, leader)

    with django_assert_num_queries(2):  # the counts, the open actions
        result = hub_actions(hub)

    assert result.total_done == size


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("size", [3, 30])
def test_export_query_count_is_constant(
    client_for, django_assert_num_queries, coordinator, hub, leader, kind, size
):
    build(hub, size, leader)
    client = client_for(coordinator)

    with django_assert_num_queries(4):  # session, user, hub, the actions
        assert client.get(export_url(hub, kind)).status_code == 200
