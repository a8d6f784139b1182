"""The hub heatmap (and its pairings) as CSV and XLSX files.

The columns are the page's: school, URN, role, phase, period, the nine categories in
instrument order, overall stage and Virtuous; with evidence, each category is followed by
its evidence. Any text that a spreadsheet could run as a formula is neutralised
(`audits.exports.neutralise_formula`); XLSX cells also lose the control characters the
format cannot hold. CSV text is otherwise written as it is.
"""

import csv
from collections.abc import Callable, Iterable
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from audits.exports import neutralise_formula
from audits.instrument import CATEGORIES, Stage
from audits.rules import Pairing
from communities.models import Hub, HubMembership
from communities.selectors import MemberRow

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROLE_LABELS = dict(HubMembership.Role.choices)


def neutralise(value: str) -> str:
    """Text a spreadsheet would treat as a formula (= + - @ first, after any whitespace,
    or a leading tab or carriage return) gets a leading apostrophe: shown, never run."""
    return neutralise_formula(value)


def xlsx_cell(value: str) -> str:
    """Text for an XLSX cell: without the control characters XML cannot hold (which
    openpyxl refuses, "\\x07" say), then neutralised."""
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))


STAGE_LABELS = {stage.value: stage.label for stage in Stage}


def _stage_label(value: int | Stage | None, empty: str) -> str:
    return empty if value is None else STAGE_LABELS[int(value)]


def heatmap_header(*, evidence: bool) -> list[str]:
    """The column titles, in the page's order."""
    columns = ["School", "URN", "Role", "Phase", "Period"]
    for c in CATEGORIES:
        columns.append(c.label)
        if evidence:
            columns.append(f"{c.label} — evidence")
    return [*columns, "Overall stage", "Virtuous"]


def heatmap_records(
    rows: Iterable[MemberRow], *, evidence: bool, cell: Callable[[str], str] = neutralise
) -> Iterable[list[str]]:
    """One list of strings per row, matching `heatmap_header`, each passed through
    `cell` (by default neutralised, for CSV)."""
    for row in rows:
        record = [row.name, row.urn, ROLE_LABELS.get(row.role, row.role), row.phase]
        if not row.has_audit:
            record.append("No submitted audit")
            record.extend([""] * (len(CATEGORIES) * (2 if evidence else 1) + 2))
            yield [cell(value) for value in record]
            continue
        record.append(row.period)
        for c in CATEGORIES:
            record.append(_stage_label(row.stages.get(c.number), "Not rated"))
            if evidence:
                record.append(row.evidence.get(c.number, ""))
        record.append(_stage_label(row.overall, "Incomplete"))
        record.append("Yes" if row.is_virtuous else "No")
        yield [cell(value) for value in record]


def export_filename(hub: Hub, what: str, extension: str) -> str:
    """E.g. "london-west-heatmap-2026-03-01.csv": the hub's slug, what, today's date."""
    return f"{hub.slug}-{what}-{timezone.localdate().isoformat()}.{extension}"


def heatmap_filename(hub: Hub, extension: str, *, evidence: bool) -> str:
    """The heatmap's file name; "-with-evidence" tells the two downloads apart."""
    return export_filename(hub, "heatmap-with-evidence" if evidence else "heatmap", extension)


def _attachment(content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def heatmap_csv_response(hub: Hub, rows: list[MemberRow], *, evidence: bool) -> HttpResponse:
    """The heatmap as a CSV download (UTF-8 with a byte-order mark, for Excel)."""
    response = _attachment(
        "text/csv; charset=utf-8", heatmap_filename(hub, "csv", evidence=evidence)
    )
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(heatmap_header(evidence=evidence))
    writer.writerows(heatmap_records(rows, evidence=evidence))
    return response


def heatmap_xlsx_response(hub: Hub, rows: list[MemberRow], *, evidence: bool) -> HttpResponse:
    """The heatmap as an XLSX download: one sheet, the header row frozen."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Heatmap")
    sheet.freeze_panes = "B2"
    sheet.append(heatmap_header(evidence=evidence))
    for record in heatmap_records(rows, evidence=evidence, cell=xlsx_cell):
        sheet.append(record)
    buffer = BytesIO()
    workbook.save(buffer)
    response = _attachment(XLSX_TYPE, heatmap_filename(hub, "xlsx", evidence=evidence))
    response.write(buffer.getvalue())
    return response


def pairings_csv_response(hub: Hub, pairings: list[Pairing]) -> HttpResponse:
    """Every pairing suggestion of the hub as a CSV download."""
    response = _attachment("text/csv; charset=utf-8", export_filename(hub, "pairings", "csv"))
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["School", "Category", "Stage", "Can help", "Why", "Same phase"])
    for p in pairings:
        record = [
            p.learner.name,
            p.category.label,
            p.learner_stage.label,
            p.helper.name,
            p.reason,
            "Yes" if p.same_phase else "No",
        ]
        writer.writerow([neutralise(value) for value in record])
    return response
