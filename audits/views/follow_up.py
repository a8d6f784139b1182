"""The hub's follow-up list for a period (on the page, as CSV and as XLSX), and its audit
deadline.

Who: the follow-up list for those who see the hub's rows (its coordinators, superusers);
the deadline is set by the hub's own coordinators. A draft shows as counts only (rated
categories out of nine, last saved): never its ratings or evidence.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from audits.exports.follow_up import follow_up_csv_response, follow_up_xlsx_response
from audits.periods import academic_year_start, period_for
from audits.selectors.follow_up import follow_up
from audits.selectors.hub_actions import action_counts
from clc_audit.error_summary import error_summary_links
from communities import members as services
from communities.member_forms import DeadlineForm
from communities.models import HubDeadline, get_hub_for

PAST_PERIODS = 5  # how many years back the chooser goes


def period_choices() -> list[str]:
    """Next school year, this one, and the PAST_PERIODS before it, latest first."""
    start = academic_year_start()
    return [period_for(year) for year in range(start + 1, start - PAST_PERIODS - 1, -1)]


class PeriodForm(forms.Form):
    """The period chooser (GET `period`): a value not offered is ignored (this year)."""

    period = forms.ChoiceField(label=gettext_lazy("Period"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p, p) for p in period_choices()]
        self.fields["period"].widget.attrs["class"] = "form-select"

    def chosen(self) -> str:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["period"]
        return period_for(academic_year_start())


def _chosen_period(request: HttpRequest) -> tuple[PeriodForm, str]:
    data = request.GET if "period" in request.GET else None
    chosen = PeriodForm(data).chosen()
    return PeriodForm(initial={"period": chosen}), chosen


@require_safe
def hub_follow_up(request: HttpRequest, slug: str) -> HttpResponse:
    hub = get_hub_for(request.user, slug, need="rows").hub
    period_form, period = _chosen_period(request)
    context = {
        "hub": hub,
        "period_form": period_form,
        "follow_up": _with_actions(follow_up(hub, period), hub),
        "coordinates": _coordinates(request.user, hub),
    }
    return render(request, "audits/hub_follow_up.html", context)


@require_safe
def hub_export_follow_up_csv(request: HttpRequest, slug: str) -> HttpResponse:
    hub = get_hub_for(request.user, slug, need="rows").hub
    _form, period = _chosen_period(request)
    return follow_up_csv_response(follow_up(hub, period), action_counts(hub))


@require_safe
def hub_export_follow_up_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    hub = get_hub_for(request.user, slug, need="rows").hub
    _form, period = _chosen_period(request)
    return follow_up_xlsx_response(follow_up(hub, period), action_counts(hub))


def _with_actions(found, hub):
    """Each row with its school's open, overdue and done actions (`row.actions`)."""
    counts = action_counts(hub)
    for row in found.rows:
        row.actions = counts.get(row.school.pk)
    return found


def _coordinates(user, hub) -> bool:
    """Whether someone who sees the hub's rows coordinates it (a superuser only if named)."""
    return not user.is_superuser or hub.coordinators.filter(pk=user.pk).exists()


def follow_up_url(hub, period: str) -> str:
    return reverse("audits:hub_follow_up", args=[hub.slug]) + f"?period={period}"


@require_http_methods(["GET", "HEAD", "POST"])
def hub_deadline(request: HttpRequest, slug: str) -> HttpResponse:
    """Sets (or moves) the hub's deadline for the chosen period (`?period=`)."""
    hub = get_hub_for(request.user, slug, need="coordinate").hub
    period_form, period = _chosen_period(request)
    current = HubDeadline.objects.filter(hub=hub, period=period).first()
    initial = {"seen": services.deadline_version(current)}
    if current is not None:
        initial["due_on"] = current.due_on
    form = DeadlineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _set(request, hub, period, form):
        return redirect(follow_up_url(hub, period))
    context = {
        "hub": hub,
        "period": period,
        "period_form": period_form,
        "current": current,
        "form": form,
        "follow_up_url": follow_up_url(hub, period),
        "error_links": error_summary_links(form, form_anchor="deadline-form"),
    }
    return render(request, "audits/hub_deadline.html", context)


def _set(request: HttpRequest, hub, period: str, form: DeadlineForm) -> bool:
    data = form.cleaned_data
    try:
        services.hub_deadline_set(
            hub=hub, period=period, due_on=data["due_on"], by=request.user, seen=data["seen"]
        )
    except services.DeadlineChanged as changed:
        form.data = form.data.copy()  # the next save checks against what is shown now
        form.data["seen"] = services.deadline_version(changed.current)
        form.add_error("due_on", _changed_message(changed.current))
        return False
    except ValidationError as error:
        form.add_error("due_on", error.messages)
        return False
    messages.success(
        request,
        _("Schools are asked to submit their %(period)s audit by %(date)s.")
        % {"period": period, "date": date_format(data["due_on"], "j F Y")},
    )
    if data["due_on"] < timezone.localdate():
        messages.warning(
            request,
            _(
                "That date has passed: the follow-up list and the reminders treat the "
                "deadline as passed. Change it if you meant a date to come."
            ),
        )
    return True


def _changed_message(current: HubDeadline | None) -> str:
    if current is None:
        return _("The deadline was removed meanwhile. Check the date and save again.")
    return _(
        "Someone changed the deadline meanwhile, to %(date)s. Check the date and save again."
    ) % {"date": current.due_on.isoformat()}
