"""The hub's follow-up list for a period, and its audit deadline."""

from django.http import Http404


def hub_follow_up(request, **kwargs):  # replaced by the page's own view
    raise Http404


def hub_deadline(request, **kwargs):  # replaced by the page's own view
    raise Http404
