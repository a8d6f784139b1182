"""Admin for messages: the record of every email, read-only. The bodies are never shown
(a link in them may let its reader in); they are emptied once a message is sent."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from communities.models import SentMessage


@admin.register(SentMessage)
class SentMessageAdmin(admin.ModelAdmin):
    list_display = ["to_email", "kind", "subject", "status", "created_at", "sent_at", "error_line"]
    list_filter = ["status", "kind", "day"]
    search_fields = ["to_email", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["to_user"]
    fields = [
        "kind",
        "to_email",
        "to_user",
        "subject",
        "about",
        "day",
        "status",
        "created_at",
        "sent_at",
        "error",
    ]
    readonly_fields = fields

    @admin.display(description=_("error"))
    def error_line(self, message: SentMessage) -> str:
        return message.error.splitlines()[0][:120] if message.error else ""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
