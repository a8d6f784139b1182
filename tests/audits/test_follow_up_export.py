"""The follow-up list of a period as CSV and XLSX: the states as on the page, a draft's
progress as counts only, each school's actions, the period in the file's name, text a
spreadsheet would run made inert, for the hub's coordinators only, in constant queries."""

import csv
import io
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audits.periods import academic_year
from tests.audits.test_follow_up import build
from tests.audits.test_hub_actions import add_action
from tests.factories import HubMembershipFactory, SchoolFactory, make_audit

PERIOD = academic_year()


def export_url(hub, kind, period=PERIOD):
    name = f"audits:hub_export_follow_up_{kind}"
    return reverse(name, args=[hub.slug]) + f"?period={period}"


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_says_what_the_page_says(client_for, hub, school, member_school, coordinator):
    make_audit(school, stages=3, period=PERIOD)
    make_audit(member_school, stages=[2, 3, None, None, 1, None, None, None, None],
               period=PERIOD, submitted=False, evidence="Private draft notes")  # fmt: skip
    HubMembershipFactory(hub=hub, school=SchoolFactory(name="Quiet School", urn="900777"))
    add_action(school, coordinator)
    add_action(school, coordinator, due_in=-2)

    response = client_for(coordinator).get(export_url(hub, "csv"))

    assert response.status_code == 200
    rows = csv_rows(response)
    header, by_name = rows[0], {row[0]: row for row in rows[1:]}
    assert header[:4] == ["School", "URN", "State", "Categories rated"]
    assert by_name["Lampton School"][2] == "Submitted"
    assert by_name["Lampton School"][6:9] == ["0", "0", "0"]  # validations
    assert by_name["Lampton School"][9:] == ["2", "1", "0"]
    assert by_name["Brentside Community College"][2:4] == ["Draft", "3"]
    assert by_name["Quiet School"][1:3] == ["900777", "Not started"]
    assert "Private draft notes" not in response.content.decode("utf-8-sig")
    period = PERIOD.replace("/", "-")
    assert f'filename="london-west-follow-up-{period}-' in response["Content-Disposition"]


def test_a_school_name_a_spreadsheet_would_run_is_inert(client_for, hub, coordinator):
    HubMembershipFactory(hub=hub, school=SchoolFactory(name='=HYPERLINK("http://x")'))

    rows = csv_rows(client_for(coordinator).get(export_url(hub, "csv")))

    assert '\'=HYPERLINK("http://x")' in [row[0] for row in rows]


def test_the_xlsx_has_its_title_header_and_about_sheet(client_for, hub, school, coordinator):
    make_audit(school, stages=3, period=PERIOD)

    response = client_for(coordinator).get(export_url(hub, "xlsx"))

    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    main = book.worksheets[0]
    assert main.title == f"Follow-up of {PERIOD}".replace("/", "-")
    assert main["A1"].value.startswith(f"Follow-up of {PERIOD} — London West — downloaded")
    assert main["A2"].value == "School" and main["A2"].font.b
    assert main.auto_filter.ref is not None
    assert [cell.value for cell in main[3]][:3] == ["Lampton School", "900001", "Submitted"]
    assert book.worksheets[1]["A1"].value == "Column"


def test_dates_are_the_spreadsheets_own_and_the_csvs_text(
    client_for, hub, school, member_school, coordinator
):
    import datetime

    from django.utils import timezone

    from audits.models import Audit

    submitted = make_audit(school, stages=3, period=PERIOD, submitted=False)
    moment = timezone.make_aware(datetime.datetime(2026, 3, 4, 14, 5))
    submitting = Audit.objects.filter(pk=submitted.pk)
    submitting.update(status=Audit.Status.SUBMITTED, submitted_at=moment)
    draft = make_audit(member_school, stages=[2] + [None] * 8, period=PERIOD, submitted=False)
    Audit.objects.filter(pk=draft.pk).update(updated_at=moment)
    client = client_for(coordinator)

    main = load_workbook(BytesIO(client.get(export_url(hub, "xlsx")).content)).worksheets[0]
    by_name = {row[0].value: row for row in main.iter_rows(min_row=3)}
    on = by_name["Lampton School"][5]
    last_saved = by_name["Brentside Community College"][4]
    assert on.is_date and on.value.date() == datetime.date(2026, 3, 4)
    assert on.number_format == "yyyy-mm-dd"
    assert last_saved.is_date and last_saved.value == datetime.datetime(2026, 3, 4, 14, 5)
    rows = {row[0]: row for row in csv_rows(client.get(export_url(hub, "csv")))}
    assert rows["Lampton School"][5] == "2026-03-04"
    assert rows["Brentside Community College"][4] == "2026-03-04 14:05"


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
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_who_may_download_it(request, client_for, hub, who, status, kind):
    user = request.getfixturevalue(who) if who else None

    assert client_for(user).get(export_url(hub, kind)).status_code == status


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("size", [3, 30])
def test_export_query_count_is_constant(
    client_for, django_assert_num_queries, hub, coordinator, member_leader, kind, size
):
    build(hub, size, coordinator, member_leader)
    client = client_for(coordinator)

    # session, user, hub, the deadline, the members, their audits, the actions' counts
    with django_assert_num_queries(7):
        response = client.get(export_url(hub, kind))
    assert response.status_code == 200


def test_the_page_links_to_its_downloads(client_for, hub, school, coordinator):
    content = (
        client_for(coordinator)
        .get(reverse("audits:hub_follow_up", args=[hub.slug]) + f"?period={PERIOD}")
        .content.decode()
    )

    assert f'href="{export_url(hub, "csv")}"' in content
    assert f"Download the follow-up of {PERIOD} (Excel)" in content
