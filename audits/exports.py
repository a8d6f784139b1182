"""Spreadsheet-safe export of audits."""

import csv
import re
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from audits import rules
from audits.instrument import CATEGORIES
from audits.models import Audit

# A cell a spreadsheet could run as a formula: text starting with a tab or a carriage
# return, or whose first character after any whitespace (or control characters, which
# an XLSX export drops) is = + - or @ (" =cmd", "\n=1+1"). OWASP: prefix a quote.
_FORMULA = re.compile(r"[\t\r]|[\s\x00-\x1f\x7f]*[=+\-@]")
EXPORT_CHUNK_SIZE = 2000


def neutralise_formula(value: object) -> object:
    """Text a spreadsheet would run as a formula, made inert with a leading quote.
    Only text: a number (-3 as an int) is a value, never a formula, and is kept."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


AUDIT_COLUMNS = [
    "School",
    "URN",
    "Hub",
    "Period",
    "Status",
    *(c.label for c in CATEGORIES),
    "Overall stage",
    "Virtuous",
    "Categories at Integration",
]


def audit_row(audit: Audit) -> list:
    """One audit as the values of `AUDIT_COLUMNS`, in the hub export's words."""
    stages = audit.stages
    overall = rules.overall_stage(stages)
    school = audit.school
    return [
        school.name if school else "",
        (school.urn or "") if school else "",
        audit.hub.name if audit.hub_id else "",
        audit.period,
        audit.get_status_display(),
        *(_stage_label(rules.stage_of(stages, c)) for c in CATEGORIES),
        overall.label if overall else "Incomplete",
        "Yes" if rules.is_virtuous(stages) else "No",
        rules.integration_count(stages),
    ]


def _stage_label(stage) -> str:
    return stage.label if stage else "Not rated"


class _Echo:
    """A file-like object whose `write` returns the line, for streaming a csv.writer."""

    def write(self, line: str) -> str:
        return line


def _csv_lines(audits: Iterable[Audit]) -> Iterator[str]:
    """A byte-order mark (so that Excel reads UTF-8), the header, then one line an audit."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(AUDIT_COLUMNS)
    if isinstance(audits, QuerySet):
        audits = audits.iterator(chunk_size=EXPORT_CHUNK_SIZE)
    for audit in audits:
        yield writer.writerow([neutralise_formula(cell) for cell in audit_row(audit)])


def audits_csv_response(audits: Iterable[Audit], filename_stem: str) -> StreamingHttpResponse:
    """A streamed CSV download of audits, one row each, formula-safe (UTF-8 with a
    byte-order mark, for Excel)."""
    filename = f"{filename_stem}-{timezone.localdate().isoformat()}.csv"
    response = StreamingHttpResponse(_csv_lines(audits), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
