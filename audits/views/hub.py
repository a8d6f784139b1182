"""The hub pages: the coordinator's heatmap, summary, pairings and exports, and the
summary that leaders of member schools see.

Who sees what is decided by `get_hub_for`: coordinators (and superusers) see every
member's row, leaders of member schools see the summary counts only, everyone else gets
a 404. The hub page's content is cached (`audits.hub_cache`) under keys that change with
that hub's data, so that reloading or re-sorting an unchanged hub costs four small
queries; the heatmap and pairings tables are built as strings (`audits.hub_html`), and
the rest of the page below the hub's name is rendered once per version and cached.
"""

import functools
from collections import Counter
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from audits import exports
from audits.charts import stacked_bars
from audits.forms import HubFiltersForm, HubSharingForm
from audits.forms.errors import error_summary_links
from audits.hub_cache import HubPageCache
from audits.hub_html import heatmap_body_html, heatmap_head_html, pairings_panel
from audits.instrument import CATEGORIES, STAGES
from audits.labels import INCOMPLETE, category_short_label
from audits.selectors.hub_actions import hub_actions
from audits.selectors.hub_summary import (
    hub_latest_audit,
    stage_counts_by_category,
    stage_distribution_by_period,
)
from audits.selectors.member_rows import (
    HubFilters,
    MemberRow,
    current_member_rows,
    fill_latest_audits,
    heatmap_rows,
    member_phases,
)
from audits.selectors.pairings import (
    PairingFilters,
    hub_pairings,
    pairing_filters,
    pairing_school_ids,
)
from audits.selectors.partnership_map import partnership_map
from audits.selectors.support import hub_support_rows
from communities.models import Hub, get_hub_for


@dataclass
class Heatmap:
    """The heatmap as asked for by a query string: its filters, the phases offered, its
    rows, and whether their evidence was read."""

    filters: HubFilters
    phases: list[str]
    rows: list[MemberRow]
    evidence: bool


def _heatmap(hub: Hub, query, *, evidence_allowed=False) -> Heatmap:
    rows = current_member_rows(hub)
    phases = member_phases(rows)
    form = HubFiltersForm(query, phases=phases)
    filters, evidence = form.filters(), form.wants_evidence() and evidence_allowed
    return Heatmap(filters, phases, heatmap_rows(rows, filters, evidence=evidence), evidence)


@require_safe
def hub_detail(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_hub_for(request.user, slug)
    if not access.sees_rows:
        return redirect("audits:hub_summary", slug=access.hub.slug)
    hub, parts = access.hub, HubPageCache(access.hub)
    members = functools.cache(lambda: current_member_rows(hub))
    phases, school_ids = parts.get_or_build(
        ("choices",), lambda: (member_phases(members()), pairing_school_ids(members()))
    )
    filters = HubFiltersForm(request.GET, phases=phases).filters()
    pairing = pairing_filters(request.GET, school_ids)
    page = parts.get_or_build(
        ("page", hub.slug, filters, pairing),
        lambda: _rendered_hub_page(request, hub, members(), filters, phases, pairing),
    )
    coordinates = _coordinates(request.user, hub)
    return render(
        request, "audits/hub_detail.html", page | {"hub": hub, "coordinates": coordinates}
    )


def _coordinates(user, hub: Hub) -> bool:
    """Whether someone who sees the hub's rows coordinates it: anyone but a superuser
    does (no query), a superuser only if named."""
    return not user.is_superuser or hub.coordinators.filter(pk=user.pk).exists()


# What the cached page keeps besides its HTML: small values that tests and the template
# around it may read, never the large strings it was rendered from.
KEPT_WITH_PAGE = (
    "filters",
    "periods",
    "member_count",
    "audited_count",
    "unaudited_count",
    "virtuous_count",
)


def _rendered_hub_page(
    request, hub: Hub, members, filters: HubFilters, phases, pairing: PairingFilters
) -> dict:
    """The page below the hub's name and goal (which are read fresh on every request),
    rendered, with a few of the values it was rendered from."""
    context = _hub_page_context(hub, members, filters, pairing)
    context["filter_form"] = HubFiltersForm.showing(
        filters, phases=phases, periods=context["periods"]
    )
    content = render_to_string("audits/_hub_page.html", context | {"hub": hub}, request)
    return {name: context[name] for name in KEPT_WITH_PAGE} | {"content": content}


def _hub_page_context(
    hub: Hub, members: list[MemberRow], filters: HubFilters, pairing: PairingFilters
) -> dict:
    """Everything the hub page shows but the hub itself (read fresh on every request):
    heatmap, summary, pairings."""
    rows = heatmap_rows(list(members), filters)
    return _summary_context(hub, rows, filters) | {
        "heatmap_head": heatmap_head_html(filters, dict(pairing.items())),
        "heatmap_body": heatmap_body_html(rows, filters),
        "pairings": pairings_panel(rows, pairing, filters, hub.slug),
        "export_query": filters.query(),
        "sees_rows": True,
        "support_rows": hub_support_rows(hub),
        "partnership_map": partnership_map(hub),
        "hub_actions": hub_actions(hub),
        "categories": CATEGORIES,
    }


@require_safe
def hub_summary(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_hub_for(request.user, slug)
    rows = current_member_rows(access.hub)
    filters = HubFilters(as_of=HubFiltersForm(request.GET).filters().as_of)
    fill_latest_audits(rows, filters.as_of)
    context = _summary_context(access.hub, rows, filters)
    context |= {
        "hub": access.hub,
        "sees_rows": access.sees_rows,
        "filter_form": HubFiltersForm.showing(filters, periods=context["periods"]),
    }
    return render(request, "audits/hub_summary.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def hub_sharing(request: HttpRequest, slug: str) -> HttpResponse:
    """What the hub's member schools see of who can help them: the coordinator's choice."""
    hub = get_hub_for(request.user, slug, need="rows").hub
    form = HubSharingForm(request.POST or None, instance=hub)
    if request.method == "POST" and form.is_valid():
        hub._history_user = request.user
        form.save()
        messages.success(request, _("What member schools see is saved."))
        return redirect("audits:hub_detail", slug=hub.slug)
    errors = error_summary_links(form, form_anchor="sharing-form")
    return render(
        request, "audits/hub_sharing.html", {"hub": hub, "form": form, "error_links": errors}
    )


@require_safe
def hub_export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    hub = get_hub_for(request.user, slug, need="rows").hub
    heatmap = _heatmap(hub, request.GET, evidence_allowed=True)
    return exports.heatmap_csv_response(
        hub, heatmap.rows, evidence=heatmap.evidence, as_of=heatmap.filters.as_of
    )


@require_safe
def hub_export_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    hub = get_hub_for(request.user, slug, need="rows").hub
    heatmap = _heatmap(hub, request.GET, evidence_allowed=True)
    return exports.heatmap_xlsx_response(
        hub, heatmap.rows, evidence=heatmap.evidence, as_of=heatmap.filters.as_of
    )


@require_safe
def hub_export_pairings_csv(request: HttpRequest, slug: str) -> HttpResponse:
    hub = get_hub_for(request.user, slug, need="rows").hub
    heatmap = _heatmap(hub, request.GET)
    pairings = hub_pairings(heatmap.rows, learners=heatmap.rows)
    return exports.pairings_csv_response(hub, pairings, as_of=heatmap.filters.as_of)


def _summary_context(hub: Hub, rows: list[MemberRow], filters: HubFilters) -> dict:
    """The summary: stages by category, the hub's own audit, and over time."""
    counts = stage_counts_by_category(rows)
    history = stage_distribution_by_period([row.school_id for row in rows])
    shown_history = [d for d in history if not filters.as_of or d.period <= filters.as_of]
    audited = sum(1 for row in rows if row.has_audit)
    return {
        "filters": filters,
        "periods": [d.period for d in history],
        "member_count": len(rows),
        "audited_count": audited,
        "unaudited_count": len(rows) - audited,
        "virtuous_count": sum(1 for row in rows if row.is_virtuous),
        "category_counts": [
            (c, [counts[c.number][stage] for stage in [*STAGES, None]]) for c in CATEGORIES
        ],
        "category_chart": stacked_bars(
            [(category_short_label(c), counts[c.number]) for c in CATEGORIES],
            len(rows),
            chart_id="category-chart",
            title=_("Schools at each stage, by category"),
            desc=_(
                "One bar per category; each segment is the number of schools at a stage. "
                "The table beside it gives the same numbers."
            ),
        ),
        "history": shown_history,
        "history_chart": stacked_bars(
            [(d.period, Counter(d.by_overall)) for d in shown_history],
            max((d.audits for d in shown_history), default=0),
            chart_id="history-chart",
            title=_("Member schools' overall stage, by period"),
            desc=_(
                "One bar per period; each segment is the number of audits at an overall "
                "stage. The table beside it gives the same numbers."
            ),
            none_label=str(INCOMPLETE),
        ),
        "hub_audit": hub_latest_audit(hub, filters.as_of),
    }


@require_safe
def hub_export_partnerships_csv(request: HttpRequest, slug: str) -> HttpResponse:
    hub = get_hub_for(request.user, slug, need="rows").hub
    return exports.partnership_map_csv_response(hub, partnership_map(hub))


@require_safe
def hub_export_partnerships_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    hub = get_hub_for(request.user, slug, need="rows").hub
    return exports.partnership_map_xlsx_response(hub, partnership_map(hub))
