"""A school's (or a hub's) partnerships, kept in the app by its leaders (or coordinators):
list, add (find or add the partner, then the details), edit, end. There is no delete:
an ended partnership stays listed, dated.

Who: `get_school_for` / `get_hub_for` for the list (a hub's coordinators read its
member schools' lists; superusers read all), the school's leaders or the hub's own
coordinators to add, and `get_partnership_for(write=True)` to edit or end. Superusers
keep partnerships in the admin.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from audits.instrument import CATEGORIES, Category
from clc_audit.error_summary import error_summary_links
from communities import partnerships as services
from communities.forms import (
    SEARCH_LIMIT,
    EndPartnershipForm,
    NewPartnerForm,
    PartnerSearchForm,
    PartnershipForm,
)
from communities.models import (
    Hub,
    Partner,
    Partnership,
    School,
    get_hub_for,
    get_partnership_for,
    get_school_for,
)

SAFE_OR_POST = ["GET", "HEAD", "POST"]


@dataclass
class Listed:
    """A partnership on the list, with the categories it feeds and the grid's nine
    cells (category, fed?)."""

    partnership: Partnership
    categories: list[Category]

    @property
    def cells(self) -> list[tuple[Category, bool]]:
        return [(c, c in self.categories) for c in CATEGORIES]


def list_url(subject: School | Hub) -> str:
    if isinstance(subject, School):
        return reverse("communities:school_partnerships", args=[subject.pk])
    return reverse("communities:hub_partnerships", args=[subject.slug])


def new_url(subject: School | Hub) -> str:
    if isinstance(subject, School):
        return reverse("communities:school_partnership_new", args=[subject.pk])
    return reverse("communities:hub_partnership_new", args=[subject.slug])


@require_safe
def school_partnerships(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_school_for(request.user, school_id)
    keeps = School.objects.led_by(request.user).filter(pk=school.pk).exists()
    return _render_list(request, school, keeps)


@require_safe
def hub_partnerships(request: HttpRequest, slug: str) -> HttpResponse:
    hub = get_hub_for(request.user, slug, need="rows").hub
    keeps = Hub.objects.coordinated_by(request.user).filter(pk=hub.pk).exists()
    return _render_list(request, hub, keeps)


def _render_list(request: HttpRequest, subject: School | Hub, keeps: bool) -> HttpResponse:
    """Current partnerships first, then ended ones (the latest ended first). Two queries
    however many there are."""
    today = timezone.localdate()
    found = Partnership.objects.of(subject).with_cells().select_related("partner__school")
    listed = [Listed(p, p.categories) for p in found]
    current = [row for row in listed if row.partnership.is_current(today)]
    ended = [row for row in listed if not row.partnership.is_current(today)]
    ended.sort(key=lambda row: row.partnership.ended_on, reverse=True)
    context = {
        "subject": subject,
        "is_hub": isinstance(subject, Hub),
        "keeps": keeps,
        "current": current,
        "ended": ended,
        "to_review": sum(1 for row in listed if row.partnership.to_review),
        "new_url": new_url(subject),
    }
    return render(request, "communities/partnership_list.html", context)


@require_http_methods(SAFE_OR_POST)
def school_partnership_new(request: HttpRequest, school_id: int) -> HttpResponse:
    return _new(request, get_school_for(request.user, school_id, lead=True))


@require_http_methods(SAFE_OR_POST)
def hub_partnership_new(request: HttpRequest, slug: str) -> HttpResponse:
    return _new(request, get_hub_for(request.user, slug, need="coordinate").hub)


def _new(request: HttpRequest, subject: School | Hub) -> HttpResponse:
    """The partner step (no `partner` or `new` in the query string), then the details:
    of a chosen partner (`?partner=<id>`) or of a partner added with them (`?new=1`)."""
    if "partner" not in request.GET and "new" not in request.GET:
        return _choose_partner(request, subject)
    data = request.POST if request.method == "POST" else None
    partner, new_partner = None, None
    if "partner" in request.GET:
        partner = _partner_or_404(request.GET["partner"], subject)
    else:
        new_partner = NewPartnerForm(data, subject=subject, prefix="partner")
    subject_field = "school" if isinstance(subject, School) else "hub"
    form = PartnershipForm(data, instance=Partnership(partner=partner, **{subject_field: subject}))
    if data is not None and _save(request, form, new_partner):
        return redirect(list_url(subject))
    return _render_form(request, subject, form, new_partner=new_partner)


def _partner_or_404(value: str, subject: School | Hub) -> Partner:
    """The partner chosen on the partner step (not the school itself)."""
    found = Partner.objects.select_related("school")
    if isinstance(subject, School):
        found = found.exclude(school=subject)
    is_id = value.isascii() and value.isdigit() and len(value) <= 18  # fits a bigint
    partner = found.filter(pk=int(value)).first() if is_id else None
    if partner is None:
        raise Http404("No such partner.")
    return partner


def _choose_partner(request: HttpRequest, subject: School | Hub) -> HttpResponse:
    own = subject if isinstance(subject, School) else None
    search = PartnerSearchForm(request.GET, exclude_school=own)
    matches = search.matches()
    context = {
        "subject": subject,
        "search": search,
        "matches": None if matches is None else matches[:SEARCH_LIMIT],
        "more": matches is not None and len(matches) > SEARCH_LIMIT,
        "limit": SEARCH_LIMIT,
        "new_url": new_url(subject),
        "list_url": list_url(subject),
    }
    return render(request, "communities/partner_choose.html", context)


@require_http_methods(SAFE_OR_POST)
def partnership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk, write=True)
    data = request.POST if request.method == "POST" else None
    form = PartnershipForm(data, instance=partnership)
    if data is not None and _save(request, form, None):
        return redirect(list_url(partnership.subject))
    return _render_form(request, partnership.subject, form, new_partner=None)


def _save(request: HttpRequest, form: PartnershipForm, new_partner: NewPartnerForm | None) -> bool:
    """Saves the partnership (and the partner added with it) when every form is valid,
    all or nothing; the service's refusals become the form's errors, and a change saved
    meanwhile by someone else is shown, never overwritten."""
    forms_valid = [f.is_valid() for f in (new_partner, form) if f is not None]
    if not all(forms_valid):
        return False
    try:
        with transaction.atomic():
            if new_partner is not None:
                form.instance.partner = new_partner.save()
            services.partnership_save(
                partnership=form.instance,
                categories=form.cleaned_data["categories"],
                by=request.user,
                version=form.cleaned_data["loaded_version"],
            )
    except services.PartnershipChanged as changed:
        form.show_saved(changed.current)
        form.add_error(None, _changed_message(changed.current))
        return False
    except ValidationError as error:
        if new_partner is not None:
            form.instance.partner = None  # rolled back with the partnership
        _add_errors(form, error)
        return False
    messages.success(
        request,
        _("The partnership with %(partner)s is saved.") % {"partner": form.instance.partner},
    )
    return True


def _changed_message(current: Partnership) -> str:
    last = current.history.select_related("history_user").first()
    who = last.history_user if last else None
    return _(
        "%(who)s changed this partnership on %(when)s, after you opened this page: nothing "
        "was saved. What is saved now is shown below; your changes are still in the form. "
        "Check them and save again."
    ) % {
        "who": (who.get_full_name() or who.get_username()) if who else _("Someone"),
        "when": date_format(
            timezone.localtime(last.history_date) if last else timezone.now(), "DATETIME_FORMAT"
        ),
    }


def _add_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _render_form(request, subject, form: PartnershipForm, *, new_partner) -> HttpResponse:
    context = {
        "subject": subject,
        "form": form,
        "partner": form.instance.partner if form.instance.partner_id else None,
        "new_partner": new_partner,
        "editing": form.instance.pk is not None,
        "saved_now": (
            Listed(form.saved_now, form.saved_now.categories) if form.saved_now else None
        ),
        "change_url": new_url(subject),
        "list_url": list_url(subject),
        "error_links": error_summary_links(new_partner, form, form_anchor="partnership-form"),
    }
    return render(request, "communities/partnership_form.html", context)


@require_http_methods(SAFE_OR_POST)
def partnership_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks for the day it ended (today by default), then ends it: kept, dated."""
    partnership = get_partnership_for(request.user, pk, write=True)
    if not partnership.is_current(timezone.localdate()):
        messages.info(request, _("This partnership has ended already."))
        return redirect(list_url(partnership.subject))
    data = request.POST if request.method == "POST" else None
    form = EndPartnershipForm(data, partnership=partnership)
    if data is not None and form.is_valid():
        try:
            services.partnership_end(
                partnership=partnership, on=form.cleaned_data["ended_on"], by=request.user
            )
        except services.PartnershipChanged:
            messages.info(request, _("This partnership has ended already."))
            return redirect(list_url(partnership.subject))
        except ValidationError as error:
            form.add_error("ended_on", error.messages)
        else:
            messages.success(
                request,
                _("The partnership with %(partner)s has ended.") % {"partner": partnership.partner},
            )
            return redirect(list_url(partnership.subject))
    context = {
        "partnership": partnership,
        "form": form,
        "list_url": list_url(partnership.subject),
        "error_links": error_summary_links(form, form_anchor="end-form"),
    }
    return render(request, "communities/partnership_end.html", context)
