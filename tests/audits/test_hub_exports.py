"""The heatmap as CSV and XLSX: the page's columns, optional evidence, file names, text
that a spreadsheet could run as a formula neutralised, and control characters (which
XLSX cannot hold) dropped from the XLSX only."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from audits.exports import heatmap_header, neutralise_formula, xlsx_cell
from audits.instrument import CATEGORIES, CATEGORY_BY_NUMBER, Stage
from audits.instrument_texts import descriptor
from tests.factories import HubMembershipFactory, SchoolFactory, make_audit


def csv_rows(response):
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell if cell is not None else "" for cell in row] for row in sheet.values]


def export(client_for, user, hub, kind="csv", query=""):
    name = f"audits:hub_export_{kind}"
    response = client_for(user).get(reverse(name, args=[hub.slug]) + "?" + query)
    assert response.status_code == 200
    return response


@pytest.fixture
def members(hub, school):
    make_audit(school, stages=[1, 2, 3, 4, 4, 4, 4, 4, None], evidence="We meet weekly")
    other = SchoolFactory(name="Abbey Primary", phase="Primary", urn="900002")
    HubMembershipFactory(hub=hub, school=other)
    return [school, other]


def test_neutralise_prefixes_formula_starts():
    for text in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]:
        assert neutralise_formula(text) == "'" + text
    assert neutralise_formula("Plain = fine") == "Plain = fine"
    assert neutralise_formula("") == ""


@pytest.mark.parametrize(
    "text", [" =cmd", "\n=1+1", "  -2+3", "\u00a0@SUM(A1)", "\n\n+1", "\t hello", "\r\nplain"]
)
def test_neutralise_looks_past_leading_whitespace(text):
    assert neutralise_formula(text) == "'" + text
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["Plain = fine", " plain", "\nTwo lines", "a-b", "x@y.org"])
def test_neutralise_leaves_other_text_alone(text):
    assert neutralise_formula(text) == text


def test_neutralise_formula_keeps_numbers_and_checks_text():
    assert neutralise_formula(-3) == -3
    assert neutralise_formula(None) is None
    assert neutralise_formula("-3") == "'-3"


@pytest.mark.parametrize("text", ["\u200b=1+1", "\ufeff@SUM(A1)", "＝1+1", "＋2", "﹦cmd"])
def test_zero_width_and_full_width_formula_starts_are_neutralised(text):
    assert neutralise_formula(text) == "'" + text


def test_xlsx_cell_drops_control_characters_and_marks_formulas_as_text():
    sheet = Workbook(write_only=True).create_sheet()
    assert xlsx_cell(sheet, "Bell\x07 and NUL\x00 gone") == "Bell and NUL gone"
    assert xlsx_cell(sheet, "Tab\tand\nnewline kept") == "Tab\tand\nnewline kept"
    cell = xlsx_cell(sheet, "\x07=1+1")
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)


def test_csv_has_the_page_columns(client_for, coordinator, hub, members):
    rows = csv_rows(export(client_for, coordinator, hub))

    assert rows[0] == heatmap_header(evidence=False)
    assert rows[0][:5] == ["School", "URN", "Role", "Phase", "Period"]
    assert rows[0][5:14] == [c.label for c in CATEGORIES]
    assert rows[0][-3:] == ["Overall stage", "Virtuous", "Peer validated"]
    assert (
        rows[1]
        == ["Abbey Primary", "900002", "Member school", "Primary", "No submitted audit"] + [""] * 12
    )
    assert rows[2][:6] == [
        "Lampton School",
        "900001",
        "Lead school",
        "Secondary",
        "2025/26",
        "Isolation",
    ]
    assert rows[2][13:] == ["Not rated", "Incomplete", "No", "No"]


def test_csv_evidence_is_optional(client_for, coordinator, hub, members):
    plain = csv_rows(export(client_for, coordinator, hub))
    with_evidence = csv_rows(export(client_for, coordinator, hub, query="evidence=on"))

    assert "We meet weekly" not in str(plain)
    assert with_evidence[0] == heatmap_header(evidence=True)
    assert with_evidence[2][5:7] == ["Isolation", "We meet weekly"]
    assert len(with_evidence[1]) == len(with_evidence[0])


def test_export_follows_the_page_filters_and_sort(client_for, coordinator, hub, members):
    rows = csv_rows(export(client_for, coordinator, hub, query="phase=Secondary&sort=overall"))

    assert [row[0] for row in rows[1:]] == ["Lampton School"]


def test_file_names_carry_the_hub_slug_and_date(client_for, coordinator, hub, members, fixed_today):
    today = fixed_today.isoformat()

    as_csv = export(client_for, coordinator, hub, "csv")
    as_xlsx = export(client_for, coordinator, hub, "xlsx")
    pairings = export(client_for, coordinator, hub, "pairings_csv")

    assert as_csv["Content-Disposition"] == (
        f'attachment; filename="london-west-heatmap-{today}.csv"'
    )
    assert as_csv["Content-Type"].startswith("text/csv")
    assert as_xlsx["Content-Disposition"] == (
        f'attachment; filename="london-west-heatmap-{today}.xlsx"'
    )
    assert "spreadsheetml" in as_xlsx["Content-Type"]
    assert f"london-west-pairings-{today}.csv" in pairings["Content-Disposition"]


def test_evidence_downloads_are_named_apart(client_for, coordinator, hub, members, fixed_today):
    today = fixed_today.isoformat()

    for kind in ["csv", "xlsx"]:
        response = export(client_for, coordinator, hub, kind, "evidence=on")
        assert response["Content-Disposition"] == (
            f'attachment; filename="london-west-heatmap-with-evidence-{today}.{kind}"'
        )


def test_xlsx_has_the_same_rows_as_csv(client_for, coordinator, hub, members):
    for query in ["", "evidence=on"]:
        as_csv = csv_rows(export(client_for, coordinator, hub, "csv", query))
        as_xlsx = xlsx_rows(export(client_for, coordinator, hub, "xlsx", query))
        assert as_xlsx == as_csv


DANGEROUS = [
    '=HYPERLINK("http://x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    " =cmd",
    "\n=1+1",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_formulas_are_neutralised_in_csv_and_xlsx(client_for, coordinator, hub, text):
    school = SchoolFactory(name=text, phase=text)
    HubMembershipFactory(hub=hub, school=school)
    make_audit(school, stages=1, evidence=text)

    as_csv = csv_rows(export(client_for, coordinator, hub, "csv", "evidence=on"))
    workbook = load_workbook(
        io.BytesIO(export(client_for, coordinator, hub, "xlsx", "evidence=on").content)
    )

    row = next(r for r in as_csv if text in r[0])
    assert row[0] == "'" + text
    assert row[3] == "'" + text
    assert row[6] == "'" + text
    # In XLSX the text stays as written (the XML file keeps a carriage return as a line
    # break), in a cell that is text, never a formula: the name, the phase and the
    # evidence of each of the nine categories.
    written = text.replace("\r", "\n")
    cells = [c for r in workbook.active.iter_rows() for c in r if c.value in (text, written)]
    assert len(cells) == 11
    for cell in cells:
        assert (cell.data_type, cell.quotePrefix) == ("s", True)
    assert not any(cell.data_type == "f" for r in workbook.active.iter_rows() for cell in r)


# No NUL: PostgreSQL cannot store it (the GIAS import refuses it).
CONTROL = "Bell\x07 start of heading\x01 escape\x1b form feed\x0c end"


def test_control_characters_are_dropped_from_xlsx_only(client_for, coordinator, hub):
    school = SchoolFactory(name="Ding\x07 School", phase="Primary\x0b")
    HubMembershipFactory(hub=hub, school=school)
    make_audit(school, stages=2, evidence=CONTROL)

    as_xlsx = xlsx_rows(export(client_for, coordinator, hub, "xlsx", "evidence=on"))
    as_csv = csv_rows(export(client_for, coordinator, hub, "csv", "evidence=on"))

    row = next(r for r in as_xlsx if r[0].startswith("Ding"))
    assert row[0] == "Ding School"
    assert row[3] == "Primary"
    assert row[6] == "Bell start of heading escape form feed end"
    row = next(r for r in as_csv if r[0].startswith("Ding"))
    assert (row[0], row[3], row[6]) == ("Ding\x07 School", "Primary\x0b", CONTROL)


def test_control_character_before_a_formula_is_neutralised(client_for, coordinator, hub):
    school = SchoolFactory(name="\x07=1+1")
    HubMembershipFactory(hub=hub, school=school)

    as_xlsx = xlsx_rows(export(client_for, coordinator, hub, "xlsx"))
    as_csv = csv_rows(export(client_for, coordinator, hub, "csv"))

    assert "=1+1" in [r[0] for r in as_xlsx]  # a text cell, nothing added
    assert "'\x07=1+1" in [r[0] for r in as_csv]


def test_pairings_csv_lists_every_suggestion(client_for, coordinator, hub, school):
    make_audit(school, stages=[1, 4, 4, 4, 4, 4, 4, 4, 4])
    helper = SchoolFactory(name="=Helper")
    HubMembershipFactory(hub=hub, school=helper)
    make_audit(helper, stages=4)

    rows = csv_rows(export(client_for, coordinator, hub, "pairings_csv"))

    assert rows[0] == [
        "School",
        "Category",
        "Stage",
        "What the next stage looks like",
        "Can help",
        "Why",
        "Same phase",
    ]
    assert rows[1] == [
        "Lampton School",
        "Teaching and learning × Relevant research",
        "Isolation",
        descriptor(CATEGORY_BY_NUMBER[1], Stage.INITIATION),
        "'=Helper",
        "Integration in Teaching and learning × Relevant research",
        "Yes",
    ]


def test_superuser_can_export_any_hub(client_for, admin_user, other_hub):
    assert export(client_for, admin_user, other_hub).status_code == 200


def test_the_evidence_export_counts_files_and_links(client_for, coordinator, hub, school):
    from audits.models import Audit, EvidenceLink, Rating

    audit = make_audit(school, stages=3, period="2024/25", submitted=False)
    rating = Rating.objects.get(audit=audit, category=2)
    EvidenceLink.objects.create(rating=rating, url="https://example.org/a")
    EvidenceLink.objects.create(rating=rating, url="https://example.org/b")
    Audit.objects.filter(pk=audit.pk).update(status="submitted", submitted_at=audit.created_at)

    rows = csv_rows(export(client_for, coordinator, hub, "csv", "evidence=on"))

    header, lampton = rows[0], next(row for row in rows if row[0] == "Lampton School")
    column = header.index("Teaching and learning × Best practice — files and links")
    assert lampton[column] == "2"
    assert lampton[header.index("Leadership × Best practice — files and links")] == "0"
