"""The pages people land on by mistake: 400, 403, 404, 413 and 500, in the site's layout
with a way home, saying nothing about what exists.

None of them is CSRF-checked (Django's own are, which parses a POST body again: a body
that could not be parsed the first time would then end in a 500), and the 500 page uses
no request context, so that it renders whatever broke.
"""

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _


def _page(request: HttpRequest, status: int, title: str, message: str, **extra) -> HttpResponse:
    context = {"status": status, "title": title, "message": message, **extra}
    response = TemplateResponse(request, "errors/error.html", context, status=status)
    return response.render()


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return _page(
        request,
        400,
        _("The request could not be read"),
        _(
            "Your browser sent something this site cannot read. Go back, reload the "
            "page and try again."
        ),
    )


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return _page(
        request,
        403,
        _("You cannot do that"),
        _("This account may not do what was asked. If you think it should, ask an administrator."),
    )


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return _page(
        request,
        404,
        _("Page not found"),
        _(
            "There is no page here, or it is not one this account may see. If you typed the "
            "address, check it; if you followed a link, it may be out of date."
        ),
    )


def request_too_large(request: HttpRequest, *, limit: int) -> HttpResponse:
    megabytes = number_format(limit / (1024 * 1024), decimal_pos=0, force_grouping=True)
    return _page(
        request,
        413,
        _("What you sent is too large"),
        _("This page accepts up to %(size)s MB. Nothing was saved. Go back and send less.")
        % {"size": megabytes},
    )


def server_error(request: HttpRequest) -> HttpResponse:
    template = loader.get_template("errors/error.html")
    context = {
        "status": 500,
        "title": _("Something went wrong"),
        "message": _(
            "The site could not finish what you asked. Nothing you had not saved before was "
            "saved. Try again in a moment."
        ),
        "bare": True,  # no request: nothing that needs a session or a CSRF token
    }
    return HttpResponse(template.render(context), status=500)
