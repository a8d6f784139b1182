"""Admin for what coordinators keep on their pages: hubs' audit deadlines, and
invitations to lead a school (read-only: an invitation is withdrawn, never edited; its
token is never shown, only its digest is kept)."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clc_audit.admin_history import HistoryAdmin
from communities.models import HubDeadline, LeaderInvitation


@admin.register(HubDeadline)
class HubDeadlineAdmin(HistoryAdmin):
    list_display = ["hub", "period", "due_on", "set_by", "updated_at"]
    list_filter = ["period"]
    search_fields = ["hub__name"]
    list_select_related = ["hub", "set_by"]
    autocomplete_fields = ["hub"]
    readonly_fields = ["set_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.set_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(LeaderInvitation)
class LeaderInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "school", "hub", "invited_by", "created_at", "expires_at", "state"]
    list_filter = ["hub"]
    search_fields = ["email", "school__name", "school__urn"]
    list_select_related = ["school", "hub", "invited_by"]
    fields = [
        "hub", "school", "email", "name", "invited_by", "created_at", "expires_at",
        "accepted_at", "user", "withdrawn_at",
    ]  # fmt: skip
    readonly_fields = fields
    actions = ["withdraw"]

    @admin.display(description=_("state"))
    def state(self, invitation: LeaderInvitation) -> str:
        if invitation.accepted_at:
            return _("Accepted")
        if invitation.withdrawn_at:
            return _("Withdrawn")
        if invitation.expires_at <= timezone.now():
            return _("Expired")
        return _("Waiting")

    @admin.action(permissions=["change"], description=_("Withdraw the selected invitations"))
    def withdraw(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.usable().update(withdrawn_at=timezone.now())
        message = ngettext(
            "%(count)d invitation withdrawn.", "%(count)d invitations withdrawn.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
