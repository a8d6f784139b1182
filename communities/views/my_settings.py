"""A person's own settings: reminders by email and language."""

from django.http import Http404


def my_settings(request, **kwargs):  # replaced by the page's own view
    raise Http404
