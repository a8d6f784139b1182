"""The hub's heatmap and pairings as downloads: one column definition (`heatmap_columns`)
for the CSV, the XLSX and the page's heading (`audits.hub_html`)."""

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
from audits.exports.xlsx import XlsxSheet
from audits.instrument import CATEGORIES, STAGES
from audits.instrument_texts import descriptor
from audits.labels import (
    NO_AUDIT,
    NOT_RATED,
    category_label,
    overall_label,
    pairing_reason,
    stage_label,
)
from audits.rules import Pairing
from audits.selectors.hub_summary import stage_counts_by_category
from audits.selectors.member_rows import MemberRow
from communities.models import Hub, HubMembership


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def category_column(c) -> Column:
    """A category's stage column: the page heads it with its number in the 3×3 grid."""
    return Column(
        title=category_label(c),
        short=str(c.number),
        width=15,
        stage=True,
        about=_("Category %(number)s of the 3×3 grid (%(name)s): the stage the school rates it at.")
        % {"number": c.number, "name": category_label(c)},
    )


def heatmap_columns(*, evidence: bool) -> list[Column]:
    """The heatmap's columns, in the page's order, in the reader's language."""
    columns = [
        Column(_("School"), _("The member school's name."), width=36),
        Column(_("URN"), _("The school's unique reference number."), width=10),
        Column(_("Role"), _("Lead school or member of the hub."), width=12),
        Column(_("Phase"), _("The school's phase of education."), width=14),
        Column(_("Period"), _("The period of the school's latest submitted audit."), width=19),
    ]
    for c in CATEGORIES:
        columns.append(category_column(c))
        if evidence:
            name = category_label(c)
            columns.append(
                Column(
                    _("%(category)s — evidence") % {"category": name},
                    _("What the school wrote as evidence for category %(number)s.")
                    % {"number": c.number},
                    width=60,
                )
            )
            columns.append(
                Column(
                    _("%(category)s — files and links") % {"category": name},
                    _(
                        "The evidence files (by name) and links (by address) of category "
                        "%(number)s, one a line."
                    )
                    % {"number": c.number},
                    width=40,
                )
            )
    return [
        *columns,
        Column(
            _("Overall stage"),
            _("The lowest stage of the nine; Incomplete while any is not rated."),
            width=15,
            stage=True,
        ),
        Column(_("Virtuous"), _("Yes when all nine categories are at Integration."), width=10),
        Column(_("Peer validated"), _("Yes when a peer has validated this audit."), width=10),
    ]


def heatmap_header(*, evidence: bool) -> list[str]:
    """The column titles, in the page's order, in the reader's language."""
    return [c.title for c in heatmap_columns(evidence=evidence)]


def heatmap_records(rows: Iterable[MemberRow], *, evidence: bool) -> Iterable[list]:
    """One list of raw values per row, matching `heatmap_columns`."""
    roles = {value: str(label) for value, label in HubMembership.Role.choices}
    stages = {s.value: str(stage_label(s)) for s in STAGES} | {None: str(NOT_RATED)}
    blank = [""] * (len(CATEGORIES) * (3 if evidence else 1) + 3)
    no_audit, yes, no = str(NO_AUDIT), yes_no(True), yes_no(False)
    for row in rows:
        record = [row.name, row.urn, roles.get(row.role, row.role), row.phase]
        if not row.has_audit:
            yield [*record, no_audit, *blank]
            continue
        record.append(row.period)
        for c in CATEGORIES:
            record.append(stages[row.stages.get(c.number)])
            if evidence:
                record.append(row.evidence.get(c.number, ""))
                record.append("\n".join(row.attached.get(c.number, ())))
        record.append(overall_label(row.overall))
        record.append(yes if row.is_virtuous else no)
        record.append(yes if row.peer_validated else no)
        yield record


def heatmap_filename(hub: Hub, extension: str, *, evidence: bool, as_of: str = "") -> str:
    """The heatmap's file name; "-with-evidence" tells the two downloads apart."""
    what = "heatmap-with-evidence" if evidence else "heatmap"
    return export_filename(hub.slug, what, extension, as_of=as_of)


def heatmap_csv_response(
    hub: Hub, rows: list[MemberRow], *, evidence: bool, as_of: str = ""
) -> HttpResponse:
    """The heatmap as a CSV download."""
    return csv_response(
        heatmap_filename(hub, "csv", evidence=evidence, as_of=as_of),
        heatmap_columns(evidence=evidence),
        heatmap_records(rows, evidence=evidence),
    )


def stage_counts_sheet(rows: list[MemberRow]) -> XlsxSheet:
    """The second sheet: per category, how many schools are at each stage."""
    counts = stage_counts_by_category(rows)
    header = [_("Category"), *(str(stage_label(s)) for s in STAGES), _("Not rated or no audit")]
    return XlsxSheet(
        title=_("Stage counts"),
        header=header,
        rows=(
            [category_label(c), *(counts[c.number][s] for s in [*STAGES, None])] for c in CATEGORIES
        ),
        widths=[48, 12, 12, 12, 12, 22],
    )


def heatmap_xlsx_response(
    hub: Hub, rows: list[MemberRow], *, evidence: bool, as_of: str = ""
) -> HttpResponse:
    """The heatmap as an XLSX download: a title row, the heatmap with its stage colours,
    the stage counts per category, and what each column holds."""
    columns = heatmap_columns(evidence=evidence)
    what = _("Heatmap with evidence") if evidence else _("Heatmap")
    main = table_sheet(
        _("Heatmap"),
        columns,
        heatmap_records(rows, evidence=evidence),
        heading=export_heading(what, hub.name, as_of=as_of),
    )
    sheets = [main, stage_counts_sheet(rows), columns_sheet(columns)]
    return xlsx_response(heatmap_filename(hub, "xlsx", evidence=evidence, as_of=as_of), sheets)


# -- the hub's pairings ------------------------------------------------------------------


def pairings_columns() -> list[Column]:
    return [
        Column(_("School"), _("The school that could use help."), width=36),
        Column(_("Category"), _("The category it could use help in."), width=44),
        Column(_("Stage"), _("Its stage in that category."), width=13, stage=True),
        Column(
            _("What the next stage looks like"),
            _("The instrument's description of the next stage in that category."),
            width=70,
        ),
        Column(_("Can help"), _("A member school that could help."), width=36),
        Column(_("Why"), _("Its stage in that category."), width=44),
        Column(_("Same phase"), _("Yes when the two schools share a phase."), width=11),
    ]


def pairings_header() -> list[str]:
    return [c.title for c in pairings_columns()]


def pairings_records(pairings: list[Pairing]) -> Iterable[list]:
    for p in pairings:
        yield [
            p.learner.name,
            category_label(p.category),
            str(stage_label(p.learner_stage)),
            _(descriptor(p.category, p.learner_stage.next)),
            p.helper.name,
            pairing_reason(p),
            yes_no(p.same_phase),
        ]


def pairings_csv_response(hub: Hub, pairings: list[Pairing], *, as_of: str = "") -> HttpResponse:
    """Every pairing suggestion of the hub as a CSV download."""
    filename = export_filename(hub.slug, "pairings", "csv", as_of=as_of)
    return csv_response(filename, pairings_columns(), pairings_records(pairings))
