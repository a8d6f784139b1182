"""The project's own middleware, in the order settings.MIDDLEWARE runs them: the body's
size is checked before anything reads it, a malformed body or Content-Type is a 400
before anything parses it, and every signed-in page is kept out of shared caches."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import Resolver404, resolve

from clc_audit import errors

# Body types Django parses into request.POST; anything else is left for the view to read.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RequestBodyLimitMiddleware:
    """Refuses a request body longer than its URL allows, or sent without a length
    (chunked), with a 413 page, before the body is read.

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not uploaded files, and a
    body read in full first ties up a worker. The default (REQUEST_MAX_BYTES) is small;
    a URL name in settings.REQUEST_MAX_BYTES_BY_URL (the register import, evidence
    uploads) gets its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("POST", "PUT", "PATCH"):
            limit = self.limit_for(request.path_info)
            if _is_chunked(request) or _content_length(request) > limit:
                return errors.request_too_large(request, limit=limit)
        return self.get_response(request)

    @staticmethod
    def limit_for(path: str) -> int:
        try:
            match = resolve(path)
        except Resolver404:
            return settings.REQUEST_MAX_BYTES
        return settings.REQUEST_MAX_BYTES_BY_URL.get(match.view_name, settings.REQUEST_MAX_BYTES)


def _is_chunked(request: HttpRequest) -> bool:
    return "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 2**63  # a length that is not a number is too long for anything


class MalformedRequestMiddleware:
    """A 400 page for a request whose Content-Type cannot be read, or whose form body
    cannot be parsed (a charset other than UTF-8, a broken multipart body), for signed-in
    and anonymous requests alike. Parsing here, once, means that nothing later (the CSRF
    check, Django's own error views) meets the same error and turns it into a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(request, "malformed_content_type", False):
            return errors.bad_request(request)
        if request.method == "POST" and request.content_type in FORM_TYPES:
            try:
                request.POST  # noqa: B018 (parsed now, or refused now)
            except RequestDataTooBig:
                return errors.request_too_large(request, limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
            except (BadRequest, MultiPartParserError, SuspiciousOperation, ValueError, LookupError):
                return errors.bad_request(request)
        return self.get_response(request)


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's, asking the view first: a page open to anonymous visitors (such as
    /healthz) never loads the session or the user, so it answers even when the database
    that holds them does not."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class PrivatePagesMiddleware:
    """Pages for a signed-in person are never kept by a shared cache or a browser's back
    button after logout: `Cache-Control: private, no-store`, unless the view said
    otherwise."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and getattr(request, "_cached_user", None) is not None
        if signed_in and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header; Django has no setting for it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RejectNulCharactersMiddleware:
    """A 400 page for a request whose query string holds a NUL character, or whose form
    posted to the admin does: nobody types one, and PostgreSQL can neither store nor
    compare one (a filter such as `?phase=%00` would otherwise end in a 500).

    The site's own forms get a NUL in a field through: each form refuses it with an
    error on that field (Django's text fields do), and the page keeps what was typed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        posted = request.method == "POST" and request.content_type in FORM_TYPES
        if _holds_nul(request.GET) or (
            posted
            and (_nul_in_keys(request.POST) or _is_admin(request))
            and _holds_nul(request.POST)
        ):
            return errors.bad_request(request)
        return self.get_response(request)


def _is_admin(request: HttpRequest) -> bool:
    return request.path_info.startswith("/admin/")


def _nul_in_keys(data) -> bool:
    return any("\x00" in key for key in data)


def _holds_nul(data) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in data.lists()
    )


class RememberLanguageMiddleware:
    """Keeps a language chosen for this browser: the one a person chose on the switcher
    or, at login, the one kept in their profile (`request.remember_language`, set by
    `communities.language`). LocaleMiddleware reads the cookie on every later request,
    so a page costs no query to know its language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        language = getattr(request, "remember_language", None)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
