"""What every download shares: its columns, its file name and headers, and the two
writers (CSV and XLSX) that take the same columns and rows.

A table is a list of `Column`s and rows of raw values (text, numbers, dates); each writer makes
text a spreadsheet would run as a formula inert in its own way (`formulas`). The CSV's
first row is its header; the XLSX has a title row above it (what, hub, as-of period,
date), the header bold, frozen and filtered, the columns sized, stage cells coloured as
on the page, and a sheet explaining the columns.
"""

import csv
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audits.exports.formulas import neutralise_formula
from audits.exports.xlsx import STAGE_STYLE, XlsxSheet, xlsx_bytes
from audits.instrument import STAGES
from audits.labels import INCOMPLETE, NO_AUDIT, NOT_RATED, stage_label

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"


@dataclass(frozen=True)
class Column:
    """One column of a table, for every place it is shown: its title (the CSV and XLSX
    header, the accessible name of the page's heading), `short` (the page's compact
    heading, when there is one), what it holds (the XLSX's third sheet), its width in
    characters in the XLSX, and whether its cells are stages (coloured as on the page)."""

    title: str
    about: str = ""
    width: float = 12
    stage: bool = False
    short: str = ""


def stage_styles() -> dict[str, int]:
    """The XLSX style of each stage's text in the active language."""
    styles = {str(stage_label(s)): STAGE_STYLE[s.value] for s in STAGES}
    for text in (NOT_RATED, INCOMPLETE, NO_AUDIT):
        styles[str(text)] = STAGE_STYLE[None]
    return styles


# -- names and headers ---------------------------------------------------------------------


def download(response: HttpResponse, filename: str) -> HttpResponse:
    """A response made a download: an attachment named `filename`, never cached."""
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def dated_filename(stem: str, extension: str) -> str:
    """E.g. "london-west-heatmap-2026-03-01.csv": what, then today's date."""
    return f"{stem}-{timezone.localdate().isoformat()}.{extension}"


def export_filename(slug: str, what: str, extension: str, *, as_of: str = "") -> str:
    """E.g. "london-west-heatmap-as-of-2024-25-2026-03-01.xlsx": the hub, what, the
    as-of period (its "/" replaced) when one is chosen, and today's date."""
    period = f"-as-of-{slugify(as_of.replace('/', '-'))}" if as_of else ""
    return dated_filename(f"{slug}-{what}{period}", extension)


def export_heading(what: str, hub_name: str, *, as_of: str = "") -> str:
    """The XLSX title row: what, the hub, the period and the date of the download."""
    values = {"what": what, "hub": hub_name, "date": timezone.localdate().isoformat()}
    if as_of:
        return _("%(what)s — %(hub)s — as of %(period)s — downloaded %(date)s") % (
            values | {"period": as_of}
        )
    return _("%(what)s — %(hub)s — downloaded %(date)s") % values


# -- the writers ---------------------------------------------------------------------------


def csv_response(filename: str, columns: list[Column], rows: Iterable[list]) -> HttpResponse:
    """A CSV download: the header, then the rows, every text formula-safe."""
    response = download(HttpResponse(content_type=CSV_TYPE), filename)
    response.write(BOM)
    writer = csv.writer(response)
    writer.writerow([c.title for c in columns])
    writer.writerows([neutralise_formula(_csv_text(v)) for v in row] for row in rows)
    return response


def _csv_text(value):
    """A date as 2026-06-30, a date and time as 2026-06-30 14:05 in the site's time zone
    (as the XLSX shows them); any other value as it is."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def table_sheet(
    title: str, columns: list[Column], rows: Iterable[list], *, heading: str = ""
) -> XlsxSheet:
    """The main sheet of a download: title row, styled header, the rows, stage colours."""
    styles = stage_styles()
    pick: Callable = styles.get
    return XlsxSheet(
        title=title,
        header=[c.title for c in columns],
        rows=rows,
        widths=[c.width for c in columns],
        styles=[pick if c.stage else None for c in columns],
        heading=heading,
    )


def columns_sheet(columns: list[Column]) -> XlsxSheet:
    """The sheet that says what each column holds."""
    return XlsxSheet(
        title=_("About the columns"),
        header=[_("Column"), _("What it holds")],
        rows=([c.title, c.about] for c in columns),
        widths=[40, 90],
        freeze_columns=0,
    )


def xlsx_response(filename: str, sheets: list[XlsxSheet]) -> HttpResponse:
    """An XLSX download of these sheets."""
    return download(HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE), filename)
