"""The admin of peer validations: read-only, with their history. A validation is the
peer's; the school's leader invites and withdraws on the app's pages, where who may do
what is checked (`audits.services.validation`). Reopening an audit supersedes its
validations."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from audits.models import Validation, ValidationRating
from clc_audit.admin_history import HistoryAdmin


class ValidationRatingInline(admin.TabularInline):
    model = ValidationRating
    fields = ["category", "school_stage", "stage", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Validation)
class ValidationAdmin(HistoryAdmin):
    allow_revert = False
    list_display = ["audit", "validator", "status", "invited_at", "completed_at", "superseded"]
    list_select_related = ["audit__school", "audit__hub", "validator"]
    list_filter = ["status"]
    search_fields = ["audit__school__name", "validator__username", "validator__last_name"]
    inlines = [ValidationRatingInline]
    fields = [
        "audit",
        "validator",
        "invited_by",
        "message",
        "status",
        "invited_at",
        "answered_at",
        "completed_at",
        "withdrawn_at",
        "superseded_at",
        "audit_version",
    ]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("superseded"), boolean=True)
    def superseded(self, validation: Validation) -> bool:
        return validation.is_superseded

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
