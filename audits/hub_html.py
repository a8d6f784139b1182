"""The heatmap and pairings tables of the hub page, built as HTML strings.

The heatmap of a 500-school hub has 4,500 cells. Its rows are built here as strings, each
distinct cell (a stage, "Not rated") escaped and formatted once, so that the template
outputs one safe string instead of looping over 4,500 cells tag by tag. `html.escape` is
what Django's `escape` runs, without its lazy-string wrapper, which costs more than the
escaping on 500 rows. Everything else on the page is an ordinary template.
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

from audits.instrument import AREAS, CATEGORIES, STAGES
from audits.labels import (
    INCOMPLETE,
    NO_AUDIT,
    NOT_RATED,
    category_label,
    pairing_reason,
    stage_label,
)
from audits.selectors.member_rows import HubFilters, MemberRow
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
    # The overall and Virtuous cells (and headings) carry classes of their own: hub.css
    # keeps those two columns in view at the right of a wide heatmap, as the school's name
    # is at its left, in the same order as the exports.
    overall = {
        s: format_html(
            '<td class="stage-cell overall-col stage-{}">{}</td>', s.value, stage_label(s)
        )
        for s in STAGES
    }
    overall[None] = format_html('<td class="stage-cell overall-col stage-none">{}</td>', INCOMPLETE)
    virtuous = {
        True: format_html(
            '<td class="virtuous-col"><span class="badge virtuous-badge">{}</span></td>',
            _("Virtuous"),
        ),
        False: format_html('<td class="virtuous-col">{}</td>', _("No")),
    }
    roles = {value: html.escape(str(label)) for value, label in HubMembership.Role.choices}
    peer = {
        True: format_html('<td class="peer-col">{}</td>', _("Yes")),
        False: format_html('<td class="peer-col">{}</td>', _("No")),
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


def _url_pattern(name: str) -> str:
    return reverse(name, args=[2147483647]).replace("2147483647", "{}")


def _sort_link(filters: HubFilters, code: str, label: str, title: str = "") -> tuple[str, str]:
    """A sortable column heading's contents and attributes: a link that sorts by `code`
    (reversing the order if already sorted by it) and aria-sort on the sorted one."""
    active = filters.sort == code
    descending = active and not filters.descending
    query = html.escape(filters.query(sort=code, dir="desc" if descending else ""))
    aria = ""
    if active:
        aria = f' aria-sort="{"descending" if filters.descending else "ascending"}"'
    title_attr = (
        f' title="{html.escape(_("Sort by %(column)s") % {"column": title})}"' if title else ""
    )
    return aria, f'<a href="?{query}"{title_attr}>{html.escape(label)}</a>'


def heatmap_head_html(filters: HubFilters) -> SafeString:
    """The heatmap's two header rows: areas over their three sources, every category, the
    school name and the overall stage sortable."""
    name_aria, name_link = _sort_link(filters, "name", _("School"))
    overall_aria, overall_link = _sort_link(filters, "overall", _("Overall stage"))
    areas = "".join(
        f'<th scope="colgroup" colspan="3">{html.escape(_(area.label))}</th>' for area in AREAS
    )
    sources = []
    for c in CATEGORIES:
        aria, link = _sort_link(filters, c.code, _(c.source.label), category_label(c))
        sources.append(f'<th scope="col"{aria}>{link}</th>')
    role, phase, audit = html.escape(_("Role")), html.escape(_("Phase")), html.escape(_("Audit"))
    virtuous, peer = html.escape(_("Virtuous")), html.escape(_("Peer validated"))
    return mark_safe(  # every text above is escaped
        f'<tr><th scope="col" rowspan="2" class="school-col"{name_aria}>{name_link}</th>'
        f'<th scope="col" rowspan="2">{role}</th><th scope="col" rowspan="2">{phase}</th>'
        f'<th scope="col" rowspan="2">{audit}</th>{areas}'
        f'<th scope="col" rowspan="2" class="overall-col"{overall_aria}>{overall_link}</th>'
        f'<th scope="col" rowspan="2" class="virtuous-col">{virtuous}</th>'
        f'<th scope="col" rowspan="2" class="peer-col">{peer}</th></tr>'
        f'<tr class="source-row">{"".join(sources)}</tr>'
    )


def heatmap_body_html(rows: list[MemberRow], filters: HubFilters) -> SafeString:
    """The heatmap's table rows as one safe string. Every cell string comes from the tables
    above, formatted once at import; names are escaped here, and phases and periods (few
    distinct values) once each."""
    school_url = _url_pattern("audits:school_journey")
    audit_url = _url_pattern("audits:audit_report")
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
    lines = []
    for row in rows:
        phase = escaped.get(row.phase) or escaped.setdefault(row.phase, html.escape(row.phase))
        head = (
            f'<tr><th scope="row"><a href="{school_url.format(row.school_id)}">'
            f"{html.escape(row.name)}</a></th>"
            f'<td class="role-col">{words.role.get(row.role, "")}</td><td>{phase}</td>'
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


def pairings_body_html(pairings, hub_slug: str) -> SafeString:
    """The pairings table rows: one per school and category in need, with its helpers,
    each with a link to propose that support. Built like the heatmap's rows: escaped with
    `html.escape`, one string per row."""
    school_url = _url_pattern("audits:school_journey")
    propose_url = html.escape(
        reverse("communities:support_new", args=[hub_slug])
        + "?supporting={}&supported={}&category={}"
    )
    words = cells()
    grouped: dict[tuple, list] = {}
    for pairing in pairings:
        grouped.setdefault((pairing.learner.key, pairing.category.number), []).append(pairing)
    # A helper appears under many learners: its link is built and escaped once.
    helper_links: dict[int, str] = {}
    lines = []
    for group in grouped.values():
        first = group[0]
        helpers = "".join(
            f"<li>{_helper_link(helper_links, school_url, p.helper)}"
            f" — {html.escape(pairing_reason(p))}{words.same_phase if p.same_phase else ''}"
            f' <a class="propose-support" href="'
            f'{propose_url.format(p.helper.key, first.learner.key, first.category.number)}">'
            f'{words.propose}<span class="visually-hidden"> {html.escape(p.helper.name)}'
            f" → {html.escape(first.learner.name)}</span></a></li>"
            for p in group
        )
        lines.append(
            f'<tr><th scope="row"><a href="{school_url.format(first.learner.key)}">'
            f"{html.escape(first.learner.name)}</a></th>"
            f"<td>{html.escape(category_label(first.category))}</td>"
            f"{words.stage[first.learner_stage.value]}"
            f'<td><ul class="list-unstyled mb-0">{helpers}</ul></td></tr>'
        )
    return mark_safe("\n".join(lines))  # every part above is escaped


def _helper_link(cache: dict[int, str], school_url: str, helper) -> str:
    link = cache.get(helper.key)
    if link is None:
        link = cache[helper.key] = (
            f'<a href="{school_url.format(helper.key)}">{html.escape(helper.name)}</a>'
        )
    return link
