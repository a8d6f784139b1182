"""A small XLSX writer for the downloads: styled sheets written straight as XML.

openpyxl (even in write-only mode) spends about 25 µs a cell, and twice that for a
styled one: a hub of 500 schools with its evidence is 17,500 cells, half a second. The
files here need only a few things, so they are written directly: text and numbers, a
handful of fixed styles (bold header, title, the stage colours of the page, text marked
as text, dates), frozen panes, column widths, an autofilter and several sheets. Each distinct
short value (a stage, a phase) is escaped once. Tests read the files back with openpyxl.
"""

import datetime
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from openpyxl.utils import get_column_letter

from audits.exports.formulas import is_formula_like

# The page's stage colours (static/css/site.css: .stage-1 … .stage-4, .stage-none):
# background and text, so that the spreadsheet reads like the heatmap.
STAGE_COLOURS = {
    1: ("F8D7DA", "58151C"),
    2: ("FFF3CD", "664D03"),
    3: ("CFE2FF", "052C65"),
    4: ("D1E7DD", "0A3622"),
    None: ("E9ECEF", "212529"),
}
HEADER_FILL = "DEE2E6"

# Cell style indices (cellXfs) of STYLES_XML.
PLAIN, HEADER, TITLE, AS_TEXT = 0, 1, 2, 3
STAGE_STYLE = {1: 4, 2: 5, 3: 6, 4: 7, None: 8}
DATE, MOMENT = 9, 10  # a date, and a date and time, as a spreadsheet's own dates
DATE_FORMATS = {DATE: (164, "yyyy-mm-dd"), MOMENT: (165, "yyyy-mm-dd hh:mm")}
EPOCH = datetime.datetime(1899, 12, 30)  # day 0 of a spreadsheet's dates


def _styles_xml() -> str:
    colours = list(STAGE_COLOURS.values())
    fonts = (
        '<font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="14"/><name val="Calibri"/></font>'
        + "".join(
            f'<font><b/><sz val="11"/><color rgb="FF{text}"/><name val="Calibri"/></font>'
            for _, text in colours
        )
    )
    solid = '<fill><patternFill patternType="solid"><fgColor rgb="FF{}"/></patternFill></fill>'
    fills = (
        '<fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill>'
        + solid.format(HEADER_FILL)
        + "".join(solid.format(back) for back, _ in colours)
    )
    stage_xfs = "".join(
        f'<xf numFmtId="0" fontId="{3 + i}" fillId="{3 + i}" borderId="0" xfId="0" '
        'applyFont="1" applyFill="1"/>'
        for i in range(len(colours))
    )
    formats = "".join(
        f'<numFmt numFmtId="{number}" formatCode="{code}"/>'
        for number, code in DATE_FORMATS.values()
    )
    date_xfs = "".join(
        f'<xf numFmtId="{number}" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/>'
        for number, _code in DATE_FORMATS.values()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<numFmts count="{len(DATE_FORMATS)}">{formats}</numFmts>'
        f'<fonts count="{3 + len(colours)}">{fonts}</fonts>'
        f'<fills count="{3 + len(colours)}">{fills}</fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        f'<cellXfs count="{4 + len(colours) + len(DATE_FORMATS)}">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" '
        'applyFill="1" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>'
        '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
        f"{stage_xfs}{date_xfs}</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


@dataclass
class XlsxSheet:
    """One sheet: an optional title row, a header (bold, frozen, filtered) and rows.
    `styles` gives, per column, a function from a value to a style index (or None for
    plain); `widths` are in characters."""

    title: str
    header: list[str]
    rows: Iterable[list]
    widths: list[float] = field(default_factory=list)
    styles: list = field(default_factory=list)
    heading: str = ""
    freeze_columns: int = 1


# What XML 1.0 cannot hold: control characters (bar tab and line breaks), lone surrogates
# and the two non-characters U+FFFE and U+FFFF, all of which a form accepts.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    if not value.isprintable():  # a control character, perhaps one XML cannot hold
        value = NOT_IN_XML.sub("", value)
    body = escape(value, {"\r": "&#13;"})
    if value[:1].isspace() or value[-1:].isspace():
        return f'<is><t xml:space="preserve">{body}</t></is>'
    return f"<is><t>{body}</t></is>"


class _CellWriter:
    """Formats cells, each distinct short text formatted once per column style."""

    def __init__(self):
        self.cache: dict[tuple, str] = {}

    def cell(self, ref: str, value, style: int) -> str:
        if value is None or value == "":
            return f'<c r="{ref}" s="{style}"/>' if style else ""
        if isinstance(value, datetime.date):
            return _date_cell(ref, value)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            value = str(value)
        else:
            return f'<c r="{ref}" s="{style}"><v>{value}</v></c>'
        key = (value, style)
        tail = self.cache.get(key) if len(value) < 64 else None
        if tail is None:
            if is_formula_like(value) and style == PLAIN:
                style = AS_TEXT
            tail = f' s="{style}" t="inlineStr">{_text(value)}</c>'
            if len(value) < 64:
                self.cache[key] = tail
        return f'<c r="{ref}"{tail}'


def _date_cell(ref: str, value: datetime.date) -> str:
    """A date (or an aware date and time, in the site's time zone) as a spreadsheet's own:
    days since its epoch, shown as 2026-06-30 (or 2026-06-30 14:05)."""
    if isinstance(value, datetime.datetime):
        moment = timezone.localtime(value).replace(tzinfo=None)
        serial = int((moment - EPOCH).total_seconds()) / 86400  # to the second
        return f'<c r="{ref}" s="{MOMENT}"><v>{serial}</v></c>'
    return f'<c r="{ref}" s="{DATE}"><v>{(value - EPOCH.date()).days}</v></c>'


def _sheet_xml(sheet: XlsxSheet) -> str:
    letters = [get_column_letter(i + 1) for i in range(max(len(sheet.header), 1))]
    writer = _CellWriter()
    lines, row_number = [], 0

    def add(values, style_of) -> None:
        nonlocal row_number
        row_number += 1
        n = str(row_number)
        cells = "".join(
            [writer.cell(letters[i] + n, v, style_of(i, v)) for i, v in enumerate(values)]
        )
        lines.append(f'<row r="{n}">{cells}</row>')

    if sheet.heading:
        add([sheet.heading], lambda i, v: TITLE)
    add(sheet.header, lambda i, v: HEADER)
    header_row = row_number
    styles = sheet.styles

    def style_of(i, value):
        pick = styles[i] if i < len(styles) else None
        return (pick(value) if pick else None) or PLAIN

    for row in sheet.rows:
        add(row, style_of)
    last = letters[len(sheet.header) - 1]
    split_col = get_column_letter(sheet.freeze_columns + 1)
    pane = (
        f'<pane xSplit="{sheet.freeze_columns}" ySplit="{header_row}" '
        f'topLeftCell="{split_col}{header_row + 1}" activePane="bottomRight" state="frozen"/>'
        '<selection pane="bottomRight"/>'
        if sheet.freeze_columns
        else f'<pane ySplit="{header_row}" topLeftCell="A{header_row + 1}" '
        'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/>'
    )
    cols = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{w:.1f}" customWidth="1"/>'
        for i, w in enumerate(sheet.widths)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + "<sheetData>"
        + "".join(lines)
        + "</sheetData>"
        + f'<autoFilter ref="A{header_row}:{last}{max(row_number, header_row)}"/>'
        + "</worksheet>"
    ), f"A{header_row}:{last}{max(row_number, header_row)}"


def _sheet_name(title: str) -> str:
    """A valid sheet name: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "-", title)[:31] or "Sheet"


def xlsx_bytes(sheets: list[XlsxSheet]) -> bytes:
    """The workbook of these sheets, as the bytes of an .xlsx file."""
    names = [escape(_sheet_name(s.title), {'"': "&quot;"}) for s in sheets]
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        filters = []
        for i, sheet in enumerate(sheets, 1):
            xml, ref = _sheet_xml(sheet)
            archive.writestr(f"xl/worksheets/sheet{i}.xml", xml)
            absolute = "$" + ref.replace(":", ":$")
            absolute = re.sub(r"([A-Z]+)(\d+)", r"\1$\2", absolute)
            filters.append(
                f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i - 1}" hidden="1">'
                f"'{names[i - 1]}'!{absolute}</definedName>"
            )
        archive.writestr("[Content_Types].xml", _content_types(len(sheets)))
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _workbook(names, filters))
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        archive.writestr("xl/styles.xml", STYLES_XML)
    return buffer.getvalue()


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)


def _content_types(count: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, count + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        f'officedocument.spreadsheetml.styles+xml"/>{sheets}</Types>'
    )


def _workbook(names: list[str], filters: list[str]) -> str:
    sheets = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(names, 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f"<sheets>{sheets}</sheets><definedNames>{''.join(filters)}</definedNames></workbook>"
    )


def _workbook_rels(count: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, count + 1)
    )
    styles = f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{rels}{styles}</Relationships>"
    )


STYLES_XML = _styles_xml()
