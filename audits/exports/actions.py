"""The hub's improvement actions as CSV and XLSX: every action of its current member
schools, whatever its status. Written with the shared writer of `audits.exports` (one
list of columns for both files; text a spreadsheet would run as a formula made inert;
file names with the hub and the date)."""

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.translation import gettext as _

from audits.exports.writing import (
    Column,
    columns_sheet,
    csv_response,
    export_filename,
    export_heading,
    table_sheet,
    xlsx_response,
)
from audits.instrument import CATEGORY_BY_NUMBER
from audits.labels import category_label
from audits.models import ImprovementAction
from communities.models import Hub


def actions_columns() -> list[Column]:
    return [
        Column(_("School"), _("The member school whose action it is."), 32),
        Column(_("URN"), _("The school's unique reference number."), 9),
        Column(_("Category"), _("The category of the audit the action answers."), 30),
        Column(_("What will be done"), _("The action, in the school's words."), 60),
        Column(_("Owner"), _("Who owns the action."), 20),
        Column(_("Due on"), _("When it is due."), 12),
        Column(_("Status"), _("Planned, in progress, done or dropped."), 12),
        Column(_("Overdue"), _("Open and past its due date today."), 9),
        Column(_("Done or dropped on"), _("When it was finished."), 14),
        Column(_("What changed"), _("The outcome, once done."), 60),
    ]


def actions_records(actions: Iterable[ImprovementAction]) -> Iterable[list]:
    """One list of raw values per action, matching `actions_columns`."""
    for action in actions:
        yield [
            action.school.name,
            action.school.urn or "",
            category_label(CATEGORY_BY_NUMBER[action.category]),
            action.description,
            action.owner_label,
            action.due_on,
            str(action.get_status_display()),
            _("Yes") if action.is_overdue() else _("No"),
            action.finished_on or "",
            action.outcome,
        ]


def actions_csv_response(hub: Hub, actions) -> HttpResponse:
    filename = export_filename(hub.slug, "actions", "csv")
    return csv_response(filename, actions_columns(), actions_records(actions))


def actions_xlsx_response(hub: Hub, actions) -> HttpResponse:
    columns, title = actions_columns(), _("Improvement actions")
    main = table_sheet(
        title, columns, actions_records(actions), heading=export_heading(title, hub.name)
    )
    filename = export_filename(hub.slug, "actions", "xlsx")
    return xlsx_response(filename, [main, columns_sheet(columns)])
