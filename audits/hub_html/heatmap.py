"""The heatmap's header and rows, built as HTML strings.

The heatmap of a 500-school hub has 4,500 cells. Its rows are built here as strings, each
distinct cell (a stage, "Not rated") escaped and formatted once, so that the template
outputs one safe string instead of looping over 4,500 cells tag by tag. `html.escape` is
what Django's `escape` runs, without its lazy-string wrapper, which costs more than the
escaping on 500 rows.
"""

import functools
import html
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from audits.exports.heatmap import heatmap_columns
from audits.instrument import AREAS, CATEGORIES, STAGES
from audits.labels import INCOMPLETE, NO_AUDIT, NOT_RATED, category_label, stage_label
from audits.selectors.member_rows import HubFilters, MemberRow
from communities.gias.published import phase_label
from communities.models import HubMembership


@dataclass(frozen=True)
class Cells:
    """The cells and words of the heatmap in one language, formatted and escaped once."""

    stage: dict
    overall: dict
    virtuous: dict
    role: dict
    same_phase: str
    propose: str
    peer: dict


@functools.lru_cache(maxsize=len(settings.LANGUAGES))
def _cells_in(language: str) -> Cells:
    stage = {
        s.value: format_html('<td class="stage-cell stage-{}">{}</td>', s.value, stage_label(s))
        for s in STAGES
    }
    stage[None] = format_html('<td class="stage-cell stage-none">{}</td>', NOT_RATED)
    # The overall and Virtuous cells carry classes of their own: on a phone (hub.css) each
    # row becomes a card, these two closing it under the 3×3 grid of the categories.
    overall = {
        s: format_html(
            '<td class="stage-cell overall-col stage-{}" data-label="{}">{}</td>',
            s.value,
            _("Overall"),
            stage_label(s),
        )
        for s in STAGES
    }
    overall[None] = format_html(
        '<td class="stage-cell overall-col stage-none" data-label="{}">{}</td>',
        _("Overall"),
        INCOMPLETE,
    )
    virtuous = {
        True: format_html(
            '<td class="virtuous-col"><span class="badge virtuous-badge">{}</span></td>',
            _("Virtuous"),
        ),
        False: format_html(
            '<td class="virtuous-col" data-label="{}">{}</td>', _("Virtuous"), _("No")
        ),
    }
    roles = {value: html.escape(str(label)) for value, label in HubMembership.Role.choices}
    peer = {
        value: format_html(
            '<td class="peer-col" data-label="{}">{}</td>', _("Peer validated"), text
        )
        for value, text in ((True, _("Yes")), (False, _("No")))
    }
    return Cells(
        stage,
        overall,
        virtuous,
        roles,
        html.escape(_(" (same phase)")),
        html.escape(_("Propose support")),
        peer,
    )


def cells() -> Cells:
    """The heatmap's cells in the active language."""
    return _cells_in(get_language())


def url_pattern(name: str) -> str:
    return reverse(name, args=[2147483647]).replace("2147483647", "{}")


def _sort_query(filters: HubFilters, code: str, kept: dict) -> str:
    """The escaped query string that sorts by `code` (reversing the order if already
    sorted by it), keeping the rest of the page's choices (`kept`: the pairing filters)."""
    descending = filters.sort == code and not filters.descending
    return html.escape(filters.query(sort=code, dir="desc" if descending else "", **kept))


def _sort_link(
    filters: HubFilters, code: str, label: str, kept: dict, title: str = ""
) -> tuple[str, str]:
    """A sortable column heading's contents and attributes: a link that sorts by `code`
    and aria-sort on the sorted one."""
    active = filters.sort == code
    query = _sort_query(filters, code, kept)
    aria = ""
    if active:
        aria = f' aria-sort="{"descending" if filters.descending else "ascending"}"'
    title_attr = (
        f' title="{html.escape(_("Sort by %(column)s") % {"column": title})}"' if title else ""
    )
    return aria, f'<a href="?{query}"{title_attr}>{html.escape(label)}</a>'


def heatmap_head_html(filters: HubFilters, kept: dict | None = None) -> SafeString:
    """The heatmap's two header rows: the three areas over their categories, each headed
    by its number in the 3×3 grid (its area and source in its accessible name and in the
    legend above the table), every category, the school name and the overall stage
    sortable, keeping the rest of the page's choices (`kept`, the pairing filters). The
    titles are the exports' columns (`heatmap_columns`)."""
    kept = kept or {}
    titles = {column.title: column for column in heatmap_columns(evidence=False)}
    name_aria, name_link = _sort_link(filters, "name", _("School"), kept)
    overall_aria, overall_link = _sort_link(filters, "overall", _("Overall stage"), kept)
    areas = "".join(
        f'<th scope="colgroup" colspan="3" class="area-head">{html.escape(_(area.label))}</th>'
        for area in AREAS
    )
    numbers = []
    for c in CATEGORIES:
        column = titles[category_label(c)]
        aria, link = _category_link(filters, c.code, column.short, column.title, kept)
        numbers.append(f'<th scope="col" class="category-head"{aria}>{link}</th>')
    meta = html.escape(_("%(role)s · %(phase)s") % {"role": _("Role"), "phase": _("Phase")})
    audit, virtuous = html.escape(_("Audit")), html.escape(_("Virtuous"))
    peer = html.escape(_("Peer validated"))
    return mark_safe(  # every text above is escaped
        f'<tr><th scope="col" rowspan="2" class="school-col"{name_aria}>{name_link}'
        f'<span class="school-meta">{meta}</span></th>'
        f'<th scope="col" rowspan="2">{audit}</th>{areas}'
        f'<th scope="col" rowspan="2" class="overall-col"{overall_aria}>{overall_link}</th>'
        f'<th scope="col" rowspan="2" class="virtuous-col">{virtuous}</th>'
        f'<th scope="col" rowspan="2" class="peer-col">{peer}</th></tr>'
        f'<tr class="source-row">{"".join(numbers)}</tr>'
    )


def _category_link(
    filters: HubFilters, code: str, number: str, name: str, kept: dict
) -> tuple[str, str]:
    """A category's heading: its number, and its name for screen readers (its accessible
    name is "1 Teaching and learning × Relevant research"), a link that sorts by it."""
    active = filters.sort == code
    query = _sort_query(filters, code, kept)
    aria = ""
    if active:
        aria = f' aria-sort="{"descending" if filters.descending else "ascending"}"'
    title = html.escape(_("Sort by %(column)s") % {"column": name})
    return aria, (
        f'<a href="?{query}" title="{title}">{html.escape(number)}'
        f'<span class="visually-hidden"> {html.escape(name)}</span></a>'
    )


def heatmap_body_html(rows: list[MemberRow], filters: HubFilters) -> SafeString:
    """The heatmap's table rows as one safe string. Every cell string comes from the tables
    above, formatted once at import; names are escaped here, and phases and periods (few
    distinct values) once each."""
    school_url = url_pattern("audits:school_journey")
    audit_url = url_pattern("audits:audit_report")
    words = cells()
    no_audit = format_html(
        '<td colspan="{}" class="stage-none no-audit">{}</td>',
        len(CATEGORIES) + 4,
        _("No submitted audit at or before %(period)s") % {"period": filters.as_of}
        if filters.as_of
        else NO_AUDIT,
    )
    numbers = [c.number for c in CATEGORIES]
    escaped: dict[str, str] = {}
    metas: dict[tuple, str] = {}
    lines = []
    for row in rows:
        meta = metas.get((row.role, row.phase))
        if meta is None:
            meta = metas[row.role, row.phase] = _school_meta(words, row)
        head = (
            f'<tr><th scope="row"><a href="{school_url.format(row.school_id)}">'
            f"{html.escape(row.name)}</a>{meta}</th>"
        )
        if not row.has_audit:
            lines.append(f"{head}{no_audit}</tr>")
            continue
        period = escaped.get(row.period) or escaped.setdefault(row.period, html.escape(row.period))
        stages = row.stages
        stage_cells = "".join([words.stage[stages.get(n)] for n in numbers])
        lines.append(
            f'{head}<td><a href="{audit_url.format(row.audit_id)}">{period}</a></td>'
            f"{stage_cells}{words.overall[row.overall]}{words.virtuous[row.is_virtuous]}"
            f"{words.peer[row.peer_validated]}</tr>"
        )
    return mark_safe("\n".join(lines))  # every part above is escaped


def _school_meta(words: Cells, row: MemberRow) -> str:
    """The school's role and phase, on a line under its name ("Lead school · Primary")."""
    role = words.role.get(row.role, "")
    parts = " · ".join(part for part in (role, html.escape(phase_label(row.phase))) if part)
    return f'<span class="school-meta">{parts}</span>'
