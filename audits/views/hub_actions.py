"""The hub's improvement actions as CSV and XLSX, for those who see the hub's rows (its
coordinators, superusers): every action of its current member schools."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from audits.exports.actions import actions_csv_response, actions_xlsx_response
from audits.selectors.hub_actions import member_actions
from communities.models import get_hub_for


def _actions(hub):
    """One query: the actions with their schools and owners, by school then due date."""
    return (
        member_actions(hub)
        .select_related("school", "owner")
        .order_by("school__name", "due_on", "pk")
    )


@require_safe
def hub_export_actions_csv(request: HttpRequest, slug: str) -> HttpResponse:
    hub = get_hub_for(request.user, slug, need="rows").hub
    return actions_csv_response(hub, _actions(hub))


@require_safe
def hub_export_actions_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    hub = get_hub_for(request.user, slug, need="rows").hub
    return actions_xlsx_response(hub, _actions(hub))
