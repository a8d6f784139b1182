"""The hub pages: the coordinator's heatmap, summary, pairings and exports.

Who sees what is decided by `selectors.hub_visible_to` / `hub_coordinated_by`: coordinators
(and superusers) see every member's row, leaders of member schools see the summary counts
only, everyone else gets a 404.

Speed: the heatmap of a 500-school hub has 4,500 cells. Its rows are built here as HTML
strings, each distinct cell (a stage, "not rated") escaped and formatted once, so that the
template outputs one safe string instead of looping over 4,500 cells tag by tag. The
page's content is then cached under a key built from a one-query version of its data, so
that a coordinator reloading or re-sorting an unchanged hub costs four small queries.
"""

import hashlib
import html
from collections import Counter
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from audits import rules
from audits.instrument import AREAS, CATEGORIES, STAGES
from communities import exports, selectors
from communities.models import HubMembership
from communities.selectors import HubFilters, MemberRow

# Pairings on the page are for this many schools (in heatmap order); the export has all.
PAIRING_SCHOOLS_ON_PAGE = 30
SORTS = ["name", "overall", *(c.code for c in CATEGORIES)]


class HubFiltersForm(forms.Form):
    """The query string of the hub page and exports. A value that does not validate is
    ignored (the default is used), so junk never reaches a query or a 500."""

    sort = forms.ChoiceField(choices=[(s, s) for s in SORTS], required=False)
    dir = forms.ChoiceField(choices=[("asc", "asc"), ("desc", "desc")], required=False)
    phase = forms.CharField(max_length=60, required=False)
    role = forms.ChoiceField(choices=HubMembership.Role.choices, required=False)
    as_of = forms.RegexField(regex=r"^[0-9]{4}/[0-9]{2}$", max_length=7, required=False)
    evidence = forms.BooleanField(required=False)


def parse_filters(query, phases: list[str]) -> tuple[HubFilters, bool]:
    """The filters from a query string (invalid or unknown values ignored), and whether
    evidence was asked for."""
    form = HubFiltersForm(query)
    form.is_valid()
    data = form.cleaned_data
    phase = data.get("phase") or ""
    filters = HubFilters(
        sort=data.get("sort") or "name",
        descending=data.get("dir") == "desc",
        phase=phase if phase in phases else "",
        role=data.get("role") or "",
        as_of=data.get("as_of") or "",
    )
    return filters, bool(data.get("evidence"))


def filters_query(filters: HubFilters, **changes) -> str:
    """The query string for these filters (defaults left out), with `changes` applied."""
    values = {
        "sort": filters.sort,
        "dir": "desc" if filters.descending else "",
        "phase": filters.phase,
        "role": filters.role,
        "as_of": filters.as_of,
        **changes,
    }
    return urlencode({k: v for k, v in values.items() if v and (k, v) != ("sort", "name")})


def _heatmap(hub, query, *, evidence_allowed=False):
    rows = selectors.current_member_rows(hub)
    phases = selectors.member_phases(rows)
    filters, evidence = parse_filters(query, phases)
    rows = selectors.filter_rows(rows, filters)
    selectors.attach_latest_audits(rows, filters.as_of, evidence=evidence and evidence_allowed)
    return filters, phases, selectors.sort_rows(rows, filters), evidence


# -- views ---------------------------------------------------------------------------------


@require_safe
def hub_detail(request: HttpRequest, slug: str) -> HttpResponse:
    hub, sees_rows = selectors.hub_visible_to(request.user, slug)
    if not sees_rows:
        return redirect("communities:hub_summary", slug=hub.slug)
    context = _cached_hub_page_context(hub, request.GET)
    return render(request, "communities/hub_detail.html", context | {"hub": hub})


def _cached_hub_page_context(hub, query) -> dict:
    """The page's content from the cache, or built and cached. Its key changes with the
    data (`_hub_page_cache_key`); HUB_PAGE_CACHE_SECONDS only bounds how long an unused
    entry is kept (0: no cache)."""
    timeout = settings.HUB_PAGE_CACHE_SECONDS
    if not timeout:
        return _hub_page_context(hub, query)
    key = _hub_page_cache_key(hub, query)
    context = cache.get(key)
    if context is None:
        context = _hub_page_context(hub, query)
        cache.set(key, context, timeout)
    return context


def _hub_page_cache_key(hub, query) -> str:
    """The cache key of a hub page's content: the hub, what it shows (see
    `selectors.hub_data_version`), today (memberships start and end by date) and the
    filters asked for. Access is checked before the cache is read, on every request."""
    asked = sorted((name, query.get(name, "")) for name in HubFiltersForm.base_fields)
    version = selectors.hub_data_version()
    digest = hashlib.sha256(repr((version, timezone.localdate(), asked)).encode()).hexdigest()
    return f"hub-page:{hub.pk}:{digest}"


def _hub_page_context(hub, query) -> dict:
    """Everything the hub page shows but the hub itself: heatmap, summary, pairings."""
    filters, phases, rows, _ = _heatmap(hub, query)
    context = _summary_context(hub, rows, filters)
    del context["hub"]  # read fresh on every request; its name is not in the data version
    learners = [row for row in rows if _needs_help(row)]
    shown = learners[:PAIRING_SCHOOLS_ON_PAGE]
    pairings = selectors.hub_pairings(rows, learners=shown)
    return context | {
        "phases": phases,
        "roles": HubMembership.Role.choices,
        "heatmap_head": heatmap_head_html(filters),
        "sort_options": sort_options_html(filters),
        "heatmap_body": heatmap_body_html(rows, filters),
        "pairings_body": pairings_body_html(pairings),
        "pairing_schools_shown": len(shown),
        "pairing_schools_total": len(learners),
        "export_query": filters_query(filters),
        "sees_rows": True,
    }


@require_safe
def hub_summary(request: HttpRequest, slug: str) -> HttpResponse:
    hub, sees_rows = selectors.hub_visible_to(request.user, slug)
    rows = selectors.current_member_rows(hub)
    filters, _ = parse_filters(request.GET, [])
    filters = HubFilters(as_of=filters.as_of)
    selectors.attach_latest_audits(rows, filters.as_of)
    context = _summary_context(hub, rows, filters) | {"sees_rows": sees_rows}
    return render(request, "communities/hub_summary.html", context)


@require_safe
def hub_export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    hub = selectors.hub_coordinated_by(request.user, slug)
    _, _, rows, evidence = _heatmap(hub, request.GET, evidence_allowed=True)
    return exports.heatmap_csv_response(hub, rows, evidence=evidence)


@require_safe
def hub_export_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    hub = selectors.hub_coordinated_by(request.user, slug)
    _, _, rows, evidence = _heatmap(hub, request.GET, evidence_allowed=True)
    return exports.heatmap_xlsx_response(hub, rows, evidence=evidence)


@require_safe
def hub_export_pairings_csv(request: HttpRequest, slug: str) -> HttpResponse:
    hub = selectors.hub_coordinated_by(request.user, slug)
    _, _, rows, _ = _heatmap(hub, request.GET)
    return exports.pairings_csv_response(hub, selectors.hub_pairings(rows, learners=rows))


# -- summary -------------------------------------------------------------------------------


def _summary_context(hub, rows: list[MemberRow], filters: HubFilters) -> dict:
    counts = selectors.stage_counts_by_category(rows)
    history = selectors.stage_distribution_by_period([row.school_id for row in rows])
    shown_history = [d for d in history if not filters.as_of or d.period <= filters.as_of]
    audited = sum(1 for row in rows if row.has_audit)
    return {
        "hub": hub,
        "filters": filters,
        "periods": [d.period for d in history],
        "member_count": len(rows),
        "audited_count": audited,
        "unaudited_count": len(rows) - audited,
        "virtuous_count": sum(1 for row in rows if row.is_virtuous),
        "category_summary": _category_summary(counts, len(rows)),
        "category_chart": stacked_bars(
            [(_short_label(c), counts[c.number]) for c in CATEGORIES],
            len(rows),
            chart_id="category-chart",
            title="Schools at each stage, by category",
            desc="One bar per category; each segment is the number of schools at a stage. "
            "The table beside it gives the same numbers.",
        ),
        "history": _history_rows(shown_history),
        "history_chart": stacked_bars(
            [(d.period, Counter(d.by_overall)) for d in shown_history],
            max((d.audits for d in shown_history), default=0),
            chart_id="history-chart",
            title="Member schools' overall stage, by period",
            desc="One bar per period; each segment is the number of audits at an overall "
            "stage. The table beside it gives the same numbers.",
            none_label="Incomplete",
        ),
        "hub_audit": selectors.hub_latest_audit(hub, filters.as_of),
    }


def _short_label(category) -> str:
    """A chart label that fits: "4. Leadership: practice"."""
    area = category.area.label.split()[0]
    source = category.source.label.split()[-1].lower()
    return f"{category.number}. {area}: {source}"


def _category_summary(counts: dict[int, Counter], total: int) -> SafeString:
    """The body of the "stages by category" table, one row per category."""
    lines = []
    for c in CATEGORIES:
        cells = "".join(f'<td class="num">{counts[c.number][s]}</td>' for s in [*STAGES, None])
        lines.append(f'<tr><th scope="row">{c.number}. {html.escape(c.label)}</th>{cells}</tr>')
    return mark_safe("\n".join(lines))  # numbers and escaped labels only


def _history_rows(history) -> SafeString:
    """The body of the "over time" table, one row per period."""
    lines = []
    for d in history:
        cells = "".join(
            f'<td class="num">{d.by_overall.get(stage, 0)}</td>' for stage in [*STAGES, None]
        )
        lines.append(
            f'<tr><th scope="row">{html.escape(d.period)}</th><td class="num">{d.audits}</td>'
            f'{cells}<td class="num">{d.virtuous}</td></tr>'
        )
    return mark_safe("\n".join(lines))  # numbers and escaped periods only


# Geometry of the stacked bar charts, in SVG user units.
CHART_LABEL_WIDTH = 230
CHART_BAR_WIDTH = 400
CHART_BAR_HEIGHT = 22
CHART_GAP = 8


def stacked_bars(
    bars: list[tuple[str, Counter]],
    total: int,
    *,
    chart_id: str,
    title: str,
    desc: str,
    none_label: str = "Not rated or no audit",
) -> SafeString:
    """A horizontal stacked bar chart as inline SVG: one bar per (label, counts by stage),
    segments in stage order then "none", each as wide as its share of `total`, each with a
    <title> and its count written on it when it fits. Colours come from hub.css classes;
    the chart has a <title> and <desc>, and the page puts a table of the same numbers
    beside it. Built as one string, like the heatmap."""
    step = CHART_BAR_HEIGHT + CHART_GAP
    width = CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 10
    height = max(len(bars) * step, 1)
    parts = [
        f'<svg class="stacked-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{html.escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{html.escape(desc)}</desc>'
    ]
    for index, (label, counts) in enumerate(bars):
        y = index * step
        text_y = y + CHART_BAR_HEIGHT * 0.7
        label = html.escape(label)
        parts.append(f'<g><text x="0" y="{text_y:.1f}" class="chart-label">{label}</text>')
        x = float(CHART_LABEL_WIDTH)
        for stage in [*STAGES, None]:
            count = counts.get(stage, 0)
            if not count or not total:
                continue
            seg = CHART_BAR_WIDTH * count / total
            css = f"seg-{stage.value}" if stage else "seg-none"
            name = stage.label if stage else none_label
            parts.append(
                f'<rect x="{x:.2f}" y="{y}" width="{seg:.2f}" height="{CHART_BAR_HEIGHT}" '
                f'class="{css}"><title>{label}: {count} — {html.escape(name)}</title></rect>'
            )
            if seg >= 18:
                parts.append(
                    f'<text x="{x + seg / 2:.2f}" y="{text_y:.1f}" class="chart-count">'
                    f"{count}</text>"
                )
            x += seg
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


# -- heatmap HTML --------------------------------------------------------------------------

STAGE_CELLS = {
    **{
        stage.value: format_html(
            '<td class="stage-cell stage-{}">{}</td>', stage.value, stage.label
        )
        for stage in STAGES
    },
    None: mark_safe('<td class="stage-cell stage-none">Not rated</td>'),
}
# The overall and Virtuous cells (and headings) carry classes of their own: hub.css keeps
# those two columns in view at the right of a wide heatmap, as the school's name is at its
# left, so that the columns a coordinator most needs never scroll off, in the same order
# as the exports.
OVERALL_CELLS = {
    **{
        stage: format_html(
            '<td class="stage-cell overall-col stage-{}">{}</td>', stage.value, stage.label
        )
        for stage in STAGES
    },
    None: mark_safe('<td class="stage-cell overall-col stage-none">Incomplete</td>'),
}
VIRTUOUS_CELLS = {
    True: mark_safe(
        '<td class="virtuous-col"><span class="badge virtuous-badge">Virtuous</span></td>'
    ),
    False: mark_safe('<td class="virtuous-col">No</td>'),
}
ROLE_LABELS = dict(HubMembership.Role.choices)


def _url_pattern(name: str) -> str:
    return reverse(name, args=[2147483647]).replace("2147483647", "{}")


def _needs_help(row: MemberRow) -> bool:
    return not rules.NEEDS_HELP.isdisjoint(row.stages.values())


def _sort_link(filters: HubFilters, code: str, label: str, title: str = "") -> tuple[str, str]:
    """A sortable column heading's contents and attributes: a link that sorts by `code`
    (reversing the order if already sorted by it) and aria-sort on the sorted one."""
    active = filters.sort == code
    descending = active and not filters.descending
    query = html.escape(filters_query(filters, sort=code, dir="desc" if descending else ""))
    aria = ""
    if active:
        aria = f' aria-sort="{"descending" if filters.descending else "ascending"}"'
    title_attr = f' title="Sort by {html.escape(title)}"' if title else ""
    return aria, f'<a href="?{query}"{title_attr}>{html.escape(label)}</a>'


def heatmap_head_html(filters: HubFilters) -> SafeString:
    """The heatmap's two header rows: areas over their three sources, every category, the
    school name and the overall stage sortable."""
    name_aria, name_link = _sort_link(filters, "name", "School")
    overall_aria, overall_link = _sort_link(filters, "overall", "Overall stage")
    areas = "".join(
        f'<th scope="colgroup" colspan="3">{html.escape(area.label)}</th>' for area in AREAS
    )
    sources = []
    for c in CATEGORIES:
        aria, link = _sort_link(filters, c.code, c.source.label, c.label)
        sources.append(f'<th scope="col"{aria}>{link}</th>')
    return mark_safe(  # every text above is escaped
        f'<tr><th scope="col" rowspan="2" class="school-col"{name_aria}>{name_link}</th>'
        '<th scope="col" rowspan="2">Role</th><th scope="col" rowspan="2">Phase</th>'
        f'<th scope="col" rowspan="2">Audit</th>{areas}'
        f'<th scope="col" rowspan="2" class="overall-col"{overall_aria}>{overall_link}</th>'
        '<th scope="col" rowspan="2" class="virtuous-col">Virtuous</th></tr>'
        f'<tr class="source-row">{"".join(sources)}</tr>'
    )


def sort_options_html(filters: HubFilters) -> SafeString:
    """The options of the "sort by" select."""
    choices = [("name", "School name"), ("overall", "Overall stage")]
    choices += [(c.code, c.label) for c in CATEGORIES]
    return mark_safe(  # codes and labels are ours, escaped anyway
        "".join(
            f'<option value="{code}"{" selected" if filters.sort == code else ""}>'
            f"{html.escape(label)}</option>"
            for code, label in choices
        )
    )


def heatmap_body_html(rows: list[MemberRow], filters: HubFilters) -> SafeString:
    """The heatmap's table rows as one safe string. Every cell string comes from the tables
    above, formatted once at import; names are escaped here, and phases and periods (few
    distinct values) once each. `html.escape` is what Django's `escape` runs, without its
    lazy-string wrapper, which costs more than the escaping on 500 rows."""
    school_url = _url_pattern("audits:school_journey")
    audit_url = _url_pattern("audits:audit_report")
    no_audit = format_html(
        '<td colspan="{}" class="stage-none no-audit">No submitted audit{}</td>',
        len(CATEGORIES) + 3,
        f" at or before {filters.as_of}" if filters.as_of else "",
    )
    numbers = [c.number for c in CATEGORIES]
    escaped: dict[str, str] = {}
    lines = []
    for row in rows:
        phase = escaped.get(row.phase) or escaped.setdefault(row.phase, html.escape(row.phase))
        head = (
            f'<tr><th scope="row"><a href="{school_url.format(row.school_id)}">'
            f"{html.escape(row.name)}</a></th>"
            f'<td class="role-col">{ROLE_LABELS.get(row.role, "")}</td><td>{phase}</td>'
        )
        if not row.has_audit:
            lines.append(f"{head}{no_audit}</tr>")
            continue
        period = escaped.get(row.period) or escaped.setdefault(row.period, html.escape(row.period))
        stages = row.stages
        cells = "".join([STAGE_CELLS[stages.get(n)] for n in numbers])
        lines.append(
            f'{head}<td><a href="{audit_url.format(row.audit_id)}">{period}</a></td>'
            f"{cells}{OVERALL_CELLS[row.overall]}{VIRTUOUS_CELLS[row.is_virtuous]}</tr>"
        )
    return mark_safe("\n".join(lines))  # every part above is escaped


def pairings_body_html(pairings) -> SafeString:
    """The pairings table rows: one per school and category in need, with its helpers.
    Built like the heatmap's rows: escaped with `html.escape`, one string per row."""
    school_url = _url_pattern("audits:school_journey")
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
            f" — {html.escape(p.reason)}{' (same phase)' if p.same_phase else ''}</li>"
            for p in group
        )
        lines.append(
            f'<tr><th scope="row"><a href="{school_url.format(first.learner.key)}">'
            f"{html.escape(first.learner.name)}</a></th>"
            f"<td>{html.escape(first.category.label)}</td>"
            f"{STAGE_CELLS[first.learner_stage.value]}"
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
