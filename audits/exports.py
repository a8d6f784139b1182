"""Spreadsheet downloads: the hub's heatmap and pairings, and the admin's audits.

Writing is shared: `neutralise_formula` makes text a spreadsheet would run as a formula
inert, `xlsx_cell` also drops the control characters XLSX cannot hold, `download` sets
the headers of every download, and `BOM` starts every CSV (so that Excel reads UTF-8).
CSV text is otherwise written as it is.
"""

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from io import BytesIO

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from audits import rules
from audits.instrument import CATEGORIES
from audits.instrument_texts import descriptor
from audits.labels import NO_AUDIT, category_label, overall_label, pairing_reason, stage_label
from audits.models import Audit
from audits.rules import Pairing
from audits.selectors.member_rows import MemberRow
from communities.models import Hub, HubMembership

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"
EXPORT_CHUNK_SIZE = 2000

# A cell a spreadsheet could run as a formula: text starting with a tab or a carriage
# return, or whose first character after any whitespace, control or zero-width characters
# (which a spreadsheet may drop) is = + - or @, or their full-width and small forms
# (" =cmd", "\n=1+1", "\u200b=1", "＝1"). OWASP: make it text.
_FORMULA = re.compile(
    r"[\t\r]|[\s\x00-\x1f\x7f\u200b-\u200d\u2060\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b]"
)


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and _FORMULA.match(value) is not None


def neutralise_formula(value: object) -> object:
    """For CSV: text a spreadsheet would run as a formula, made inert with a leading
    quote. Only text: a number (-3 as an int) is a value, never a formula, and is kept."""
    return "'" + value if is_formula_like(value) else value


def xlsx_cell(sheet, value: str):
    """A value for an XLSX row: text without the control characters XML cannot hold
    (which openpyxl refuses, "\\x07" say). Text a spreadsheet would run as a formula
    becomes a string cell marked as text (Excel's quote prefix), so that nothing is added
    to what the person wrote and it is never run, not even when the cell is edited."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not is_formula_like(value):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def download(response: HttpResponse, filename: str) -> HttpResponse:
    """A response made a download: an attachment named `filename`, never cached."""
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def dated_filename(stem: str, extension: str) -> str:
    """E.g. "london-west-heatmap-2026-03-01.csv": what, then today's date."""
    return f"{stem}-{timezone.localdate().isoformat()}.{extension}"


def _csv_response(filename: str, header: list[str], records: Iterable[list]) -> HttpResponse:
    response = download(HttpResponse(content_type=CSV_TYPE), filename)
    response.write(BOM)
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(records)
    return response


# -- the hub's heatmap -------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def heatmap_header(*, evidence: bool) -> list[str]:
    """The column titles, in the page's order, in the reader's language."""
    columns = [_("School"), _("URN"), _("Role"), _("Phase"), _("Period")]
    for c in CATEGORIES:
        columns.append(category_label(c))
        if evidence:
            columns.append(_("%(category)s — evidence") % {"category": category_label(c)})
            columns.append(_("%(category)s — files and links") % {"category": category_label(c)})
    return [*columns, _("Overall stage"), _("Virtuous"), _("Peer validated")]


def heatmap_records(
    rows: Iterable[MemberRow], *, evidence: bool, cell: Callable = neutralise_formula
) -> Iterable[list[str]]:
    """One list of strings per row, matching `heatmap_header`, each passed through
    `cell` (by default neutralised, for CSV)."""
    roles = {value: str(label) for value, label in HubMembership.Role.choices}
    for row in rows:
        record = [row.name, row.urn, roles.get(row.role, row.role), row.phase]
        if not row.has_audit:
            record.append(str(NO_AUDIT))
            record.extend([""] * (len(CATEGORIES) * (3 if evidence else 1) + 3))
            yield [cell(value) for value in record]
            continue
        record.append(row.period)
        for c in CATEGORIES:
            record.append(stage_label(row.stages.get(c.number)))
            if evidence:
                record.append(row.evidence.get(c.number, ""))
                record.append(str(row.attached.get(c.number, 0)))
        record.append(overall_label(row.overall))
        record.append(_yes_no(row.is_virtuous))
        record.append(_yes_no(row.peer_validated))
        yield [cell(value) for value in record]


def heatmap_filename(hub: Hub, extension: str, *, evidence: bool) -> str:
    """The heatmap's file name; "-with-evidence" tells the two downloads apart."""
    what = "heatmap-with-evidence" if evidence else "heatmap"
    return dated_filename(f"{hub.slug}-{what}", extension)


def heatmap_csv_response(hub: Hub, rows: list[MemberRow], *, evidence: bool) -> HttpResponse:
    """The heatmap as a CSV download."""
    return _csv_response(
        heatmap_filename(hub, "csv", evidence=evidence),
        heatmap_header(evidence=evidence),
        heatmap_records(rows, evidence=evidence),
    )


def heatmap_xlsx_response(hub: Hub, rows: list[MemberRow], *, evidence: bool) -> HttpResponse:
    """The heatmap as an XLSX download: one sheet, the header row frozen."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Heatmap"))
    sheet.freeze_panes = "B2"
    sheet.append(heatmap_header(evidence=evidence))
    for record in heatmap_records(rows, evidence=evidence, cell=lambda v: xlsx_cell(sheet, v)):
        sheet.append(record)
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    return download(response, heatmap_filename(hub, "xlsx", evidence=evidence))


# -- the hub's pairings ------------------------------------------------------------------


def pairings_header() -> list[str]:
    return [
        _("School"),
        _("Category"),
        _("Stage"),
        _("What the next stage looks like"),
        _("Can help"),
        _("Why"),
        _("Same phase"),
    ]


def pairings_csv_response(hub: Hub, pairings: list[Pairing]) -> HttpResponse:
    """Every pairing suggestion of the hub as a CSV download."""
    records = (
        [
            neutralise_formula(value)
            for value in (
                p.learner.name,
                category_label(p.category),
                stage_label(p.learner_stage),
                _(descriptor(p.category, p.learner_stage.next)),
                p.helper.name,
                pairing_reason(p),
                _yes_no(p.same_phase),
            )
        ]
        for p in pairings
    )
    filename = dated_filename(f"{hub.slug}-pairings", "csv")
    return _csv_response(filename, pairings_header(), records)


# -- audits, from the admin --------------------------------------------------------------


def audit_columns() -> list[str]:
    """The admin export's column titles, in the reader's language."""
    return [
        _("School"),
        _("URN"),
        _("Hub"),
        _("Period"),
        _("Status"),
        *(category_label(c) for c in CATEGORIES),
        _("Overall stage"),
        _("Virtuous"),
        _("Categories at Integration"),
        _("Evidence files"),
        _("Evidence links"),
    ]


def audit_row(audit: Audit) -> list:
    """One audit as the values of `audit_columns()`, in the hub export's words; from a
    queryset `.with_evidence_counts()`."""
    stages = audit.stages
    school = audit.school
    return [
        school.name if school else "",
        (school.urn or "") if school else "",
        audit.hub.name if audit.hub_id else "",
        audit.period,
        audit.get_status_display(),
        *(stage_label(rules.stage_of(stages, c)) for c in CATEGORIES),
        overall_label(rules.overall_stage(stages)),
        _yes_no(rules.is_virtuous(stages)),
        rules.integration_count(stages),
        audit.file_count,
        audit.link_count,
    ]


class _Echo:
    """A file-like object whose `write` returns the line, for streaming a csv.writer."""

    def write(self, line: str) -> str:
        return line


def _audit_csv_lines(audits: Iterable[Audit]) -> Iterator[str]:
    """The byte-order mark, the header, then one line an audit."""
    writer = csv.writer(_Echo())
    yield BOM
    yield writer.writerow(audit_columns())
    if isinstance(audits, QuerySet):
        audits = audits.iterator(chunk_size=EXPORT_CHUNK_SIZE)
    for audit in audits:
        yield writer.writerow([neutralise_formula(cell) for cell in audit_row(audit)])


def audits_csv_response(audits: Iterable[Audit], filename_stem: str) -> StreamingHttpResponse:
    """A streamed CSV download of audits, one row each, formula-safe."""
    response = StreamingHttpResponse(_audit_csv_lines(audits), content_type=CSV_TYPE)
    return download(response, dated_filename(filename_stem, "csv"))


# -- the hub's partnership map -------------------------------------------------------------


def partnership_map_header() -> list[str]:
    return [
        _("Partner"),
        _("Kind"),
        _("Member schools served"),
        *(category_label(c) for c in CATEGORIES),
    ]


def partnership_map_records(partner_map, cell: Callable = neutralise_formula) -> Iterable[list]:
    """One list per partner, matching `partnership_map_header`, then a last row naming
    the categories no partnership of any member feeds."""
    for row in partner_map.rows:
        yield [cell(row.name), cell(row.kind_label), row.schools, *row.cells()]
    if partner_map.unfed:
        unfed = "; ".join(category_label(c) for c in partner_map.unfed)
        yield [cell(_("No partnership of any member feeds")), cell(unfed)]


def partnership_map_csv_response(hub: Hub, partner_map) -> HttpResponse:
    filename = dated_filename(f"{hub.slug}-partnerships", "csv")
    return _csv_response(filename, partnership_map_header(), partnership_map_records(partner_map))


def partnership_map_xlsx_response(hub: Hub, partner_map) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Partnership map"))
    sheet.freeze_panes = "B2"
    sheet.append(partnership_map_header())
    for record in partnership_map_records(partner_map, cell=lambda v: xlsx_cell(sheet, v)):
        sheet.append(record)
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    return download(response, dated_filename(f"{hub.slug}-partnerships", "xlsx"))
