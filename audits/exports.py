"""Spreadsheet-safe export of audits."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone

from audits import rules
from audits.instrument import CATEGORIES
from audits.models import Audit

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: object) -> object:
    """Text a spreadsheet would run as a formula, made inert with a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


AUDIT_COLUMNS = [
    "subject",
    "URN",
    "period",
    "status",
    "overall stage",
    "Virtuous",
    "categories at Integration",
    *(c.label for c in CATEGORIES),
]


def audit_row(audit: Audit) -> list:
    stages = audit.stages
    overall = rules.overall_stage(stages)
    stage_labels = [(rules.stage_of(stages, c) or None) for c in CATEGORIES]
    return [
        str(audit.subject.name),
        audit.school.urn if audit.school and audit.school.urn else "",
        audit.period,
        audit.get_status_display(),
        overall.label if overall else "Incomplete",
        "yes" if rules.is_virtuous(stages) else "no",
        rules.integration_count(stages),
        *(stage.label if stage else "" for stage in stage_labels),
    ]


def audits_csv_response(audits: Iterable[Audit], filename_stem: str) -> HttpResponse:
    """A CSV download of audits, one row each, formula-safe."""
    filename = f"{filename_stem}-{timezone.localdate().isoformat()}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(AUDIT_COLUMNS)
    for audit in audits:
        writer.writerow([neutralise_formula(cell) for cell in audit_row(audit)])
    return response
