"""The hub's improvement actions as CSV and XLSX."""

from django.http import Http404


def hub_export_actions_csv(request, **kwargs):  # replaced by the page's own view
    raise Http404


def hub_export_actions_xlsx(request, **kwargs):  # replaced by the page's own view
    raise Http404
