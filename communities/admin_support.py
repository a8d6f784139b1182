"""The admin of agreed support: read-only, with its history. Proposing, answering and
ending support are done on the app's pages, where who may do what is checked
(`communities.support`)."""

from django.contrib import admin

from clc_audit.admin_history import HistoryAdmin
from communities.models import SupportAgreement


@admin.register(SupportAgreement)
class SupportAgreementAdmin(HistoryAdmin):
    allow_revert = False
    list_display = [
        "supporting_school",
        "supported_school",
        "category",
        "hub",
        "status",
        "started_on",
        "ended_on",
    ]
    list_select_related = ["supporting_school", "supported_school", "hub"]
    list_filter = ["status", "hub"]
    search_fields = ["supporting_school__name", "supported_school__name", "hub__name", "goal"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in SupportAgreement._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
