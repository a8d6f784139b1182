"""Password reset by email, with Django's own views, two changes:

- the form looks nobody up in the request: it hands the address to the task worker,
  which finds the accounts and emails them (communities.tasks.send_password_reset), so
  the answer is the same, and as quick, for an address with an account and one without;
- a rate limit per address and per client (its address as the login lockout counts it),
  counted in the database so that it holds across app servers; past it, a page (429)
  that says when to try again.
"""

import datetime
import math

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clc_audit.client_ip import client_ip
from clc_audit.error_summary import error_summary_links
from communities.models.messages import PasswordResetRequest

WINDOW = datetime.timedelta(hours=1)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's form, whose save hands the address to the worker."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")
        self.fields["email"].error_messages = {
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.org."),
        }

    def save(self, **kwargs) -> None:
        from communities.tasks import send_password_reset

        send_password_reset.enqueue(self.cleaned_data["email"])


def retry_after(request: HttpRequest, email: str, now: datetime.datetime, counting=None) -> int:
    """Seconds until this address and this client may ask again: 0 when they may now.
    `counting`: a request just recorded, counted with the others (one over the limit)."""
    since = now - WINDOW
    recent = PasswordResetRequest.objects.since(since)
    extra = 1 if counting is not None else 0
    waits = [0.0]
    for scope, limit in (
        (recent.filter(email=email.lower()), settings.PASSWORD_RESET_PER_ADDRESS),
        (recent.filter(client=client_ip(request) or ""), settings.PASSWORD_RESET_PER_CLIENT),
    ):
        times = scope.order_by("-created_at").values_list("created_at", flat=True)
        times = list(times[: limit + extra])
        if len(times) >= limit + extra:
            waits.append(max(1.0, (times[-1] + WINDOW - now).total_seconds()))
    return math.ceil(max(waits))


def _limited(request: HttpRequest, seconds: int) -> HttpResponse:
    minutes = max(1, math.ceil(seconds / 60))
    response = render(
        request, "registration/password_reset_limited.html", {"minutes": minutes}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response


class ResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["error_links"] = error_summary_links(context["form"], form_anchor="id_email")
        return context


_reset_view = ResetView.as_view()


@login_not_required
def password_reset(request: HttpRequest) -> HttpResponse:
    """Django's PasswordResetView behind the rate limits, which count each valid request
    (whether or not the address has an account)."""
    if request.method == "POST":
        form = QueuedPasswordResetForm(request.POST)
        if form.is_valid():
            wait = counted(request, form.cleaned_data["email"])
            if wait > 0:
                return _limited(request, wait)
    return _reset_view(request)


def counted(request: HttpRequest, email: str) -> int:
    """Counts the request, or returns the seconds to wait when it is over a limit. The
    request is recorded (committed) before it is counted, so that requests made at the
    same moment see each other: at most the limit of them pass."""
    wait = retry_after(request, email, timezone.now())
    if wait > 0:
        return wait
    mine = PasswordResetRequest.objects.create(email=email.lower(), client=client_ip(request) or "")
    wait = retry_after(request, email, timezone.now(), counting=mine)
    if wait > 0:
        mine.delete()  # refused: it does not count
    return wait


class ConfirmView(auth_views.PasswordResetConfirmView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context["error_links"] = (
            error_summary_links(form, form_anchor="id_new_password1") if form else []
        )
        return context
