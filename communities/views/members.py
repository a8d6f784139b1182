"""A coordinator's management of the hub's members: add a school found in the register,
end a membership (dated, kept), invite a member school's leader; and the invitation's
own page, where the invitee sets a password (or, with an account already, accepts).

Who: the hub's own coordinators (`get_hub_for(..., need="coordinate")`); superusers keep
memberships in the admin. The invitation page is public: its token is the key.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from clc_audit.error_summary import error_summary_links
from communities import members as services
from communities.member_forms import (
    SCHOOL_SEARCH_LIMIT,
    AddSchoolForm,
    EndMembershipForm,
    LeaderInviteForm,
    SchoolSearchForm,
)
from communities.models import Hub, HubMembership, LeaderInvitation, get_hub_for

SAFE_OR_POST = ["GET", "HEAD", "POST"]


def members_url(hub: Hub) -> str:
    return reverse("communities:hub_members", args=[hub.slug])


@require_safe
def hub_members(request: HttpRequest, slug: str) -> HttpResponse:
    """Current members (with their leaders' count and open invitations), then former
    ones, dated. Four queries however many there are."""
    hub = get_hub_for(request.user, slug, need="coordinate").hub
    memberships = list(
        HubMembership.objects.filter(hub=hub)
        .select_related("school")
        .annotate(leader_count=Count("school__leaders", distinct=True))
        .order_by("school__name", "-joined_on")
    )
    invitations = LeaderInvitation.objects.filter(hub=hub).usable().order_by("created_at")
    invited: dict[int, list] = {}
    for invitation in invitations:
        invited.setdefault(invitation.school_id, []).append(invitation)
    context = {
        "hub": hub,
        "current": [m for m in memberships if m.is_current],
        "former": [m for m in memberships if not m.is_current],
        "invited": invited,
    }
    for membership in context["current"]:
        membership.open_invitations = invited.get(membership.school_id, [])
    return render(request, "communities/hub_members.html", context)


@require_http_methods(SAFE_OR_POST)
def hub_member_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Search the register (GET `q`), then add one of the matches (POST `school`)."""
    hub = get_hub_for(request.user, slug, need="coordinate").hub
    search = SchoolSearchForm(request.GET)
    add = AddSchoolForm(request.POST or None)
    if request.method == "POST" and add.is_valid() and _add(request, hub, add):
        return redirect(members_url(hub))
    matches = search.matches(hub)
    context = {
        "hub": hub,
        "search": search,
        "add": add,
        "matches": None if matches is None else matches[:SCHOOL_SEARCH_LIMIT],
        "more": matches is not None and len(matches) > SCHOOL_SEARCH_LIMIT,
        "limit": SCHOOL_SEARCH_LIMIT,
        "error_links": error_summary_links(add, form_anchor="id_q"),
    }
    return render(request, "communities/hub_member_add.html", context)


def _add(request: HttpRequest, hub: Hub, form: AddSchoolForm) -> bool:
    school = form.cleaned_data["school"]
    try:
        services.membership_add(hub=hub, school=school, by=request.user)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return False
    messages.success(
        request, _("%(school)s is now a member of %(hub)s.") % {"school": school, "hub": hub}
    )
    return True


def _membership_or_404(user, pk: int) -> HubMembership:
    """A current membership of a hub the person coordinates."""
    found = (
        HubMembership.objects.current()
        .filter(pk=pk, hub__in=Hub.objects.coordinated_by(user))
        .select_related("hub", "school")
        .first()
    )
    if found is None:
        raise Http404("No such membership.")
    return found


@require_http_methods(SAFE_OR_POST)
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks for the day the school left (today by default), then ends its membership:
    kept, dated; its open support in the hub ends with it."""
    membership = _membership_or_404(request.user, pk)
    form = EndMembershipForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                membership=membership, on=form.cleaned_data["left_on"], by=request.user
            )
        except ValidationError as error:
            form.add_error("left_on", error.messages)
        except services.MembershipEnded:
            messages.info(request, _("This membership has ended already."))
            return redirect(members_url(membership.hub))
        else:
            messages.success(
                request,
                _("%(school)s has left %(hub)s.")
                % {"school": membership.school, "hub": membership.hub},
            )
            return redirect(members_url(membership.hub))
    context = {
        "membership": membership,
        "form": form,
        "members_url": members_url(membership.hub),
        "error_links": error_summary_links(form, form_anchor="end-form"),
    }
    return render(request, "communities/membership_end.html", context)


@require_http_methods(SAFE_OR_POST)
def leader_invite(request: HttpRequest, slug: str, school_id: int) -> HttpResponse:
    """Invites someone by email to lead a current member school of the hub."""
    hub = get_hub_for(request.user, slug, need="coordinate").hub
    membership = services.invitable_membership(hub, school_id)
    if membership is None:
        raise Http404("No such member school.")
    school = membership.school
    form = LeaderInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.leader_invite(hub=hub, school=school, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("email", error.messages)
        else:
            messages.success(
                request,
                _("The invitation to lead %(school)s is on its way to %(email)s.")
                % {"school": school.name, "email": form.cleaned_data["email"]},
            )
            return redirect(members_url(hub))
    context = {
        "hub": hub,
        "school": school,
        "form": form,
        "members_url": members_url(hub),
        "error_links": error_summary_links(form, form_anchor="invite-form"),
    }
    return render(request, "communities/leader_invite.html", context)


@login_not_required
@require_http_methods(SAFE_OR_POST)
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation's link. A usable invitation: a new account sets its password; the
    person with an account with that address logs in, then accepts. Otherwise a page
    that says the link no longer works (404, naming nothing)."""
    invitation = (
        LeaderInvitation.objects.usable()
        .with_token(token)
        .select_related("school", "hub", "invited_by")
        .first()
    )
    if invitation is None:
        return render(request, "communities/invitation_accept.html", {"unusable": True}, status=404)
    if get_user_model().objects.filter(email__iexact=invitation.email).exists():
        return _accept_with_account(request, invitation)
    return _accept_with_password(request, invitation)


def _accept_with_password(request: HttpRequest, invitation: LeaderInvitation) -> HttpResponse:
    user = get_user_model()(username=invitation.email.lower(), email=invitation.email)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["new_password1"]
        response = _accept(request, invitation, password=password)
        if response is not None:
            return response
    context = {
        "invitation": invitation,
        "form": form,
        "error_links": error_summary_links(form, form_anchor="accept-form"),
    }
    return render(request, "communities/invitation_accept.html", context)


def _accept_with_account(request: HttpRequest, invitation: LeaderInvitation) -> HttpResponse:
    """The address has an account: the invitee logs in with it, then accepts here."""
    signed_in = request.user.is_authenticated
    matches = signed_in and request.user.email.lower() == invitation.email.lower()
    if request.method == "POST" and matches:
        response = _accept(request, invitation, user=request.user)
        if response is not None:
            return response
    context = {
        "invitation": invitation,
        "has_account": True,
        "matches": matches,
        "signed_in": signed_in,
        "login_url": reverse("login") + "?next=" + request.path,
    }
    return render(request, "communities/invitation_accept.html", context)


def _accept(request: HttpRequest, invitation: LeaderInvitation, **who) -> HttpResponse | None:
    try:
        user = services.invitation_accept(invitation=invitation, **who)
    except (services.InvitationNotUsable, PermissionDenied):
        context = {"unusable": True}
        return render(request, "communities/invitation_accept.html", context, status=404)
    if not request.user.is_authenticated:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("You now lead %(school)s.") % {"school": invitation.school.name})
    return redirect("home")
