"""The heatmap as CSV and XLSX: the page's columns, optional evidence, file names, text
that a spreadsheet could run as a formula neutralised, and control characters (which
XLSX cannot hold) dropped from the XLSX only."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from audits.exports import Column, heatmap_header, neutralise_formula, xlsx_cell
from audits.instrument import CATEGORIES, CATEGORY_BY_NUMBER, Stage
from audits.instrument_texts import descriptor
from tests.factories import HubMembershipFactory, SchoolFactory, make_audit


def csv_rows(response):
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def xlsx_rows(response):
    """The heatmap sheet below its title row, every value as the CSV writes it."""
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)[1:]
    return [["" if cell is None else str(cell) for cell in row] for row in rows]


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


def test_characters_xml_cannot_hold_are_dropped_from_xlsx(client_for, coordinator, hub):
    """U+FFFE and U+FFFF arrive through a form (valid UTF-8), but XML cannot hold them:
    a workbook that held them would not open."""
    school = SchoolFactory(name="Odd\ufffe School")
    HubMembershipFactory(hub=hub, school=school)
    make_audit(school, stages=2, evidence="Minutes\uffff of the meeting")

    as_xlsx = xlsx_rows(export(client_for, coordinator, hub, "xlsx", "evidence=on"))

    row = next(r for r in as_xlsx if r[0].startswith("Odd"))
    assert row[0] == "Odd School" and row[6] == "Minutes of the meeting"


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


def test_the_evidence_export_names_files_and_links(client_for, coordinator, hub, school):
    from django.core.files.base import ContentFile

    from audits.models import Audit, EvidenceFile, EvidenceLink, Rating

    audit = make_audit(school, stages=3, period="2024/25", submitted=False)
    rating = Rating.objects.get(audit=audit, category=2)
    EvidenceLink.objects.create(rating=rating, url="https://example.org/a", title="Peer review")
    EvidenceLink.objects.create(rating=rating, url="https://example.org/b")
    EvidenceFile.objects.create(
        rating=rating,
        file=ContentFile(b"%PDF-1.4", name="m.pdf"),
        name="=Minutes.pdf",
        content_type="application/pdf",
        size=8,
    )
    Audit.objects.filter(pk=audit.pk).update(status="submitted", submitted_at=audit.created_at)

    rows = csv_rows(export(client_for, coordinator, hub, "csv", "evidence=on"))

    header, lampton = rows[0], next(row for row in rows if row[0] == "Lampton School")
    column = header.index("Teaching and learning × Best practice — files and links")
    assert lampton[column].splitlines() == [
        "'=Minutes.pdf",  # a name a spreadsheet would run, made inert
        "Peer review: https://example.org/a",
        "https://example.org/b",
    ]
    assert lampton[header.index("Leadership × Best practice — files and links")] == ""
    book = workbook_of(export(client_for, coordinator, hub, "xlsx", "evidence=on"))
    values = [cell.value for cell in book.worksheets[0][3]]
    assert "Peer review: https://example.org/a" in values[header.index(header[column])]


# -- the XLSX people keep: colours, header, widths, filter, sheets, title, names -----------


def workbook_of(response):
    return load_workbook(io.BytesIO(response.content))


def test_xlsx_stage_cells_carry_the_page_colours_and_their_text(
    client_for, coordinator, hub, members
):
    sheet = workbook_of(export(client_for, coordinator, hub, "xlsx")).active
    header = [cell.value for cell in sheet[2]]
    lampton = next(row for row in sheet.iter_rows(min_row=3) if row[0].value == "Lampton School")
    first = header.index("Teaching and learning × Relevant research")

    fills = {cell.value: cell.fill.fgColor.rgb for cell in lampton[first : first + 9]}
    assert fills == {
        "Isolation": "FFF8D7DA",
        "Initiation": "FFFFF3CD",
        "Engagement": "FFCFE2FF",
        "Integration": "FFD1E7DD",
        "Not rated": "FFE9ECEF",
    }
    overall = lampton[header.index("Overall stage")]
    assert (overall.value, overall.fill.fgColor.rgb) == ("Incomplete", "FFE9ECEF")
    assert lampton[0].fill.fill_type is None  # the name is plain


def test_xlsx_header_is_bold_frozen_filtered_and_sized(client_for, coordinator, hub, members):
    sheet = workbook_of(export(client_for, coordinator, hub, "xlsx", "evidence=on")).active

    assert all(cell.font.b for cell in sheet[2])
    assert sheet.freeze_panes == "B3"
    last = sheet.cell(row=2, column=sheet.max_column).column_letter
    assert sheet.auto_filter.ref == f"A2:{last}4"  # header and the two schools
    widths = {c: sheet.column_dimensions[c].width for c in ("A", "B", "G")}
    assert widths["A"] >= 30 and widths["B"] < 15 and widths["G"] >= 50  # G: evidence


def test_xlsx_title_row_names_the_hub_period_and_date(
    client_for, coordinator, hub, members, fixed_today
):
    sheet = workbook_of(export(client_for, coordinator, hub, "xlsx", "as_of=2025/26")).active

    title = sheet["A1"]
    assert title.font.b
    assert title.value == f"Heatmap — {hub.name} — as of 2025/26 — downloaded {fixed_today}"
    # The CSV has no title row: its first row stays its header.
    assert csv_rows(export(client_for, coordinator, hub, "csv"))[0][0] == "School"


def test_xlsx_second_sheet_counts_stages_per_category(client_for, coordinator, hub, members):
    book = workbook_of(export(client_for, coordinator, hub, "xlsx"))

    assert book.sheetnames == ["Heatmap", "Stage counts", "About the columns"]
    counts = list(book["Stage counts"].values)
    assert counts[0] == (
        "Category",
        "Isolation",
        "Initiation",
        "Engagement",
        "Integration",
        "Not rated or no audit",
    )
    assert counts[1] == ("Teaching and learning × Relevant research", 1, 0, 0, 0, 1)
    assert counts[9] == ("Collaborative learning × Emerging effective innovation", 0, 0, 0, 0, 2)
    assert len(counts) == 10


def test_xlsx_third_sheet_explains_every_column(client_for, coordinator, hub, members):
    book = workbook_of(export(client_for, coordinator, hub, "xlsx", "evidence=on"))

    about = list(book["About the columns"].values)
    header = [cell.value for cell in book["Heatmap"][2]]
    assert about[0] == ("Column", "What it holds")
    assert [row[0] for row in about[1:]] == header
    assert all(row[1] for row in about[1:])


def test_file_names_carry_the_as_of_period(client_for, coordinator, hub, members, fixed_today):
    today = fixed_today.isoformat()

    for kind in ["csv", "xlsx"]:
        response = export(client_for, coordinator, hub, kind, "as_of=2024/25&evidence=on")
        assert response["Content-Disposition"] == (
            f'attachment; filename="london-west-heatmap-with-evidence-as-of-2024-25-{today}.{kind}"'
        )


def test_export_filename_is_safe_for_any_period():
    from audits.exports import export_filename

    name = export_filename("hub", "heatmap", "csv", as_of='2024/25"; x')
    assert "/" not in name and '"' not in name and ";" not in name


def test_the_xlsx_of_a_big_hub_is_quick_to_write():
    """17,500 cells (500 schools with evidence) in well under the bench's 300 ms."""
    import time

    from audits.exports.writing import table_sheet
    from audits.exports.xlsx import xlsx_bytes

    row = ["A school", "100001", "Member", "Primary", "2025/26"]
    row += ["Engagement", "x" * 300, 2] * 9 + ["Engagement", "No", "No"]
    columns = [Column(title=str(i)) for i in range(len(row))]
    started = time.perf_counter()
    xlsx_bytes([table_sheet("Heatmap", columns, [row] * 500)])
    assert time.perf_counter() - started < 1.0
