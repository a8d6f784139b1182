"""The improvement plan's pages: a school's plan, an action from a gap, its page and its edit."""

from django.http import Http404


def school_plan(request, **kwargs):  # replaced by the page's own view
    raise Http404


def action_new(request, **kwargs):  # replaced by the page's own view
    raise Http404


def action_detail(request, **kwargs):  # replaced by the page's own view
    raise Http404


def action_edit(request, **kwargs):  # replaced by the page's own view
    raise Http404
