"""The hub's follow-up list for a period as CSV and XLSX, as the follow-up page shows it:
each current member school's state (submitted, draft, not started), a draft's progress as
counts only (never its ratings or evidence), invitations to validate waiting, and its
improvement actions. Written with the shared writer (`audits.exports.writing`)."""

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
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
from audits.selectors.follow_up import FollowUp


def follow_up_columns() -> list[Column]:
    return [
        Column(_("School"), _("The current member school."), 32),
        Column(_("URN"), _("The school's unique reference number."), 9),
        Column(_("State"), _("Submitted, draft or not started, for the period."), 12),
        Column(_("Categories rated"), _("A draft's rated categories, of nine."), 10),
        Column(_("Last saved"), _("When a draft was last saved."), 17),
        Column(_("Submitted on"), _("When the audit of the period was submitted."), 13),
        Column(
            _("Invitations waiting"),
            _("Invitations to validate the submitted audit that wait for an answer."),
            11,
        ),
        Column(
            _("Validations under way"),
            _("Peers who accepted to validate the submitted audit and have not finished."),
            11,
        ),
        Column(
            _("Validations completed"),
            _("Peers who completed their validation of the submitted audit."),
            11,
        ),
        Column(_("Open actions"), _("The school's improvement actions not finished."), 9),
        Column(_("Overdue actions"), _("Of those, the ones past their due date today."), 9),
        Column(_("Done actions"), _("The school's improvement actions done."), 9),
    ]


def follow_up_records(found: FollowUp, actions: dict) -> Iterable[list]:
    """One list of raw values per school, matching `follow_up_columns`; `actions` is
    `action_counts(hub)`."""
    for row in found.rows:
        counts = actions.get(row.school.pk)
        yield [
            row.school.name,
            row.school.urn or "",
            row.state_label,
            row.rated if row.state == "draft" else "",
            row.last_saved,
            timezone.localtime(row.submitted_at).date() if row.submitted_at else "",
            *(
                [row.validations_waiting, row.validations_under_way, row.validations_completed]
                if row.state == "submitted"
                else ["", "", ""]
            ),
            counts.open if counts else 0,
            counts.overdue if counts else 0,
            counts.done if counts else 0,
        ]


def _filename(found: FollowUp, extension: str) -> str:
    return export_filename(found.hub.slug, f"follow-up-{found.period.replace('/', '-')}", extension)


def follow_up_csv_response(found: FollowUp, actions: dict) -> HttpResponse:
    records = follow_up_records(found, actions)
    return csv_response(_filename(found, "csv"), follow_up_columns(), records)


def follow_up_xlsx_response(found: FollowUp, actions: dict) -> HttpResponse:
    columns = follow_up_columns()
    title = _("Follow-up of %(period)s") % {"period": found.period}
    main = table_sheet(
        title,
        columns,
        follow_up_records(found, actions),
        heading=export_heading(title, found.hub.name),
    )
    return xlsx_response(_filename(found, "xlsx"), [main, columns_sheet(columns)])
