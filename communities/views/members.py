"""A coordinator's management of the hub's members: add a school, end a membership,
invite a leader; and the invitation's own page."""

from django.http import Http404


def hub_members(request, **kwargs):  # replaced by the page's own view
    raise Http404


def hub_member_add(request, **kwargs):  # replaced by the page's own view
    raise Http404


def membership_end(request, **kwargs):  # replaced by the page's own view
    raise Http404


def leader_invite(request, **kwargs):  # replaced by the page's own view
    raise Http404


def invitation_accept(request, **kwargs):  # replaced by the page's own view
    raise Http404
