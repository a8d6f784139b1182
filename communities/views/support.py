"""Agreed support: proposing it from a pairing suggestion, answering, withdrawing and
ending it. Who may do what is `communities.support`; who may see it, `get_support_for`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from audits.instrument import CATEGORY_BY_NUMBER
from clc_audit.error_summary import error_summary_links
from communities import support
from communities.models import School, get_hub_for, get_support_for
from communities.support_forms import SupportEndForm, SupportProposalForm


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _proposal_subjects(request: HttpRequest, slug: str):
    """The hub, the two schools and the category a proposal is about, from the query
    string, if this person may propose it; otherwise 404 (naming nothing)."""
    hub = get_hub_for(request.user, slug).hub
    ids = [_int(request.GET.get(name)) for name in ("supporting", "supported")]
    category = CATEGORY_BY_NUMBER.get(_int(request.GET.get("category")))
    schools = {school.pk: school for school in School.objects.filter(pk__in=ids)}
    if category is None or None in ids or len(schools) != 2:
        raise Http404
    supporting, supported = schools[ids[0]], schools[ids[1]]
    if not support.may_propose(request.user, hub, supporting, supported):
        raise Http404
    return hub, supporting, supported, category


@require_http_methods(["GET", "HEAD", "POST"])
def support_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Proposes support between two members of a hub in one category."""
    hub, supporting, supported, category = _proposal_subjects(request, slug)
    form = SupportProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = support.support_propose(
                hub=hub,
                supporting=supporting,
                supported=supported,
                category=category.number,
                goal=form.cleaned_data["goal"],
                started_on=form.cleaned_data["started_on"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The support is proposed."))
            return redirect("communities:support_detail", pk=agreement.pk)
    context = {
        "hub": hub,
        "supporting": supporting,
        "supported": supported,
        "category": category,
        "form": form,
        "error_links": error_summary_links(form, form_anchor="support-form"),
    }
    return render(request, "communities/support_new.html", context)


ACTIONS = ("accept", "decline", "withdraw", "end")


@require_http_methods(["GET", "HEAD", "POST"])
def support_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The support, for its two schools' leaders and the hub's coordinators, with what
    this person may do with it."""
    agreement = get_support_for(request.user, pk)
    end_form = SupportEndForm(request.POST if request.POST.get("action") == "end" else None)
    if request.method == "POST":
        done = _act(request, agreement, request.POST.get("action"), end_form)
        if done:
            return redirect("communities:support_detail", pk=pk)
        agreement = get_support_for(request.user, pk)
    context = {
        "agreement": agreement,
        "sides_to_answer": support.sides_to_answer(agreement, request.user),
        "may_withdraw": agreement.status == agreement.Status.PROPOSED
        and (
            agreement.proposed_by_id == request.user.pk
            or agreement.hub.coordinators.filter(pk=request.user.pk).exists()
        ),
        "may_end": support.may_end(agreement, request.user),
        "end_form": end_form,
        "error_links": error_summary_links(end_form, form_anchor="end-form")
        if end_form.is_bound
        else [],
    }
    return render(request, "communities/support_detail.html", context)


def _act(request: HttpRequest, agreement, action: str | None, end_form) -> bool:
    """Does what was asked; True when it was done (a message says what), False when the
    page is to be shown again with an error."""
    if action not in ACTIONS:
        raise Http404
    try:
        if action == "end":
            if not end_form.is_valid():
                return False
            support.support_end(
                agreement=agreement,
                on=end_form.cleaned_data["ended_on"],
                impact=end_form.cleaned_data["impact"],
                by=request.user,
            )
        else:
            getattr(support, f"support_{action}")(agreement=agreement, by=request.user)
    except PermissionDenied:
        raise Http404 from None
    except support.SupportNotOpen:
        messages.info(request, _("This support was answered or changed meanwhile."))
        return True
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            end_form.add_error(field if field in end_form.fields else None, errors)
        return False
    messages.success(request, _(DONE[action]))
    return True


DONE = {
    "accept": gettext_noop("Accepted."),
    "decline": gettext_noop("Declined."),
    "withdraw": gettext_noop("The proposal is withdrawn."),
    "end": gettext_noop("The support has ended; what it achieved is kept."),
}
