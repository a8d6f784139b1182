"""The admin's "Export selected audits as CSV": a streamed, Excel-friendly file (UTF-8 with
a byte-order mark) in the hub export's words, formula-safe, in a fixed number of queries."""

import csv
import io

import pytest
from django.urls import reverse

from audits.instrument import CATEGORIES
from tests.factories import HubFactory, SchoolFactory, make_audit

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:audits_audit_changelist")


def export(admin_client, audits):
    response = admin_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [a.pk for a in audits]}
    )
    assert response.status_code == 200
    return response


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def test_export_starts_with_a_byte_order_mark_and_keeps_accents(admin_client):
    school = SchoolFactory(name="École Saint-Exupéry")
    audit = make_audit(school, stages=4)

    data = body(export(admin_client, [audit]))

    assert data.startswith(b"\xef\xbb\xbf")
    assert "École Saint-Exupéry" in data.decode("utf-8-sig")
    assert "Teaching and learning × Relevant research" in data.decode("utf-8-sig")


def test_export_has_the_hub_exports_headings(admin_client):
    audit = make_audit(SchoolFactory(), stages=4)

    header = rows_of(export(admin_client, [audit]))[0]

    assert header[:5] == ["School", "URN", "Hub", "Period", "Status"]
    assert header[5:14] == [c.label for c in CATEGORIES]
    assert header[14:] == [
        "Overall stage",
        "Virtuous",
        "Categories at Integration",
        "Evidence files",
        "Evidence links",
    ]


def test_export_rows_of_a_school_and_of_a_hub(admin_client):
    school = SchoolFactory(name="Lampton School", urn="900001")
    of_school = make_audit(school, stages=[1, 4, 4, 4, 4, 4, 4, 4, None], period="2024/25")
    of_hub = make_audit(hub=HubFactory(name="London West"), stages=4, submitted=False)

    rows = rows_of(export(admin_client, [of_school, of_hub]))[1:]

    by_period = {row[3]: row for row in rows}
    assert by_period["2024/25"][:6] == [
        "Lampton School",
        "900001",
        "",
        "2024/25",
        "Submitted",
        "Isolation",
    ]
    assert by_period["2024/25"][13:] == ["Not rated", "Incomplete", "No", "7", "0", "0"]
    assert by_period["2025/26"][:5] == ["", "", "London West", "2025/26", "Draft"]
    assert by_period["2025/26"][13:] == ["Integration", "Integration", "Yes", "9", "0", "0"]


@pytest.mark.parametrize("name", ["=HYPERLINK(evil)", " =cmd", "\n=1+1", "-2+3", "@SUM(A1)"])
def test_export_neutralises_formulas(admin_client, name):
    audit = make_audit(SchoolFactory(name=name), stages=4)

    row = rows_of(export(admin_client, [audit]))[1]

    assert row[0] == "'" + name


def test_export_is_streamed_with_a_dated_name(admin_client, fixed_today):
    audit = make_audit(SchoolFactory(), stages=2)

    response = export(admin_client, [audit])

    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    today = fixed_today.isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="audits-{today}.csv"'


@pytest.mark.parametrize("count", [2, 30])
def test_export_queries_do_not_grow_with_audits(admin_client, count, django_assert_num_queries):
    audits = [make_audit(SchoolFactory(), stages=3) for _ in range(count)]
    response = export(admin_client, audits)

    with django_assert_num_queries(2):
        rows = rows_of(response)

    assert len(rows) == count + 1
