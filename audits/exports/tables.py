"""The other downloads: the admin's audits (streamed CSV) and the hub's partnership map."""

import csv
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from audits import rules
from audits.exports.formulas import neutralise_formula
from audits.exports.heatmap import yes_no
from audits.exports.writing import (
    BOM,
    CSV_TYPE,
    Column,
    columns_sheet,
    csv_response,
    dated_filename,
    download,
    export_filename,
    export_heading,
    table_sheet,
    xlsx_response,
)
from audits.instrument import CATEGORIES
from audits.labels import category_label, overall_label, stage_label
from audits.models import Audit
from communities.models import Hub

EXPORT_CHUNK_SIZE = 2000

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
        yes_no(rules.is_virtuous(stages)),
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


def partnership_map_columns() -> list[Column]:
    return [
        Column(_("Partner"), _("The organisation the member schools work with."), width=40),
        Column(_("Kind"), _("What kind of organisation it is."), width=14),
        Column(
            _("Member schools served"),
            _("How many member schools have a current partnership with it."),
            width=12,
        ),
        *(
            Column(
                category_label(c),
                _("How many of those partnerships feed category %(number)s.")
                % {"number": c.number},
                width=14,
                short=str(c.number),
            )
            for c in CATEGORIES
        ),
    ]


def partnership_map_header() -> list[str]:
    return [c.title for c in partnership_map_columns()]


def partnership_map_records(partner_map) -> Iterable[list]:
    """One list per partner, matching `partnership_map_columns`, then a last row naming
    the categories no partnership of any member feeds."""
    for row in partner_map.rows:
        yield [row.name, row.kind_label, row.schools, *row.cells()]
    if partner_map.unfed:
        unfed = "; ".join(category_label(c) for c in partner_map.unfed)
        yield [_("No partnership of any member feeds"), unfed]


def partnership_map_csv_response(hub: Hub, partner_map) -> HttpResponse:
    filename = export_filename(hub.slug, "partnerships", "csv")
    return csv_response(filename, partnership_map_columns(), partnership_map_records(partner_map))


def partnership_map_xlsx_response(hub: Hub, partner_map) -> HttpResponse:
    columns = partnership_map_columns()
    title = _("Partnership map")
    main = table_sheet(
        title,
        columns,
        partnership_map_records(partner_map),
        heading=export_heading(title, hub.name),
    )
    filename = export_filename(hub.slug, "partnerships", "xlsx")
    return xlsx_response(filename, [main, columns_sheet(columns)])
