"""The language a person reads the site in: chosen on the switcher (before login too) and
kept in their profile, brought back when they log in on another browser."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from communities.models import Profile


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else "/"


@login_not_required
@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """Switches to the language posted (one of LANGUAGES; anything else is ignored) and
    goes back to the page the person was on."""
    language = request.POST.get("language", "")
    response = redirect(_safe_next(request))
    if language in dict(settings.LANGUAGES):
        request.remember_language = language
        if request.user.is_authenticated:
            Profile.objects.update_or_create(user=request.user, defaults={"language": language})
    return response


def bring_back_language(sender, request, user, **kwargs) -> None:
    """At login, the language kept in the person's profile, if they chose one."""
    language = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    if request is not None and language in dict(settings.LANGUAGES):
        translation.activate(language)
        request.LANGUAGE_CODE = language
        request.remember_language = language
