"""Import from England's register (GIAS) in the Django admin: an upload page linked from
the School changelist, and an action that carries a closed school's hub memberships to
its successor. `SchoolAdmin` inherits the mixin; the mixin adds both itself."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path

from communities.gias import GiasImportError, import_gias
from communities.services import CarryOverError, school_carry_to_successor

CARRY_ACTION = "carry_memberships_to_successor"


class GiasImportForm(forms.Form):
    register = forms.FileField(
        label="Register file",
        help_text="The “all establishment data” CSV from GIAS, as downloaded "
        "(edubasealldataYYYYMMDD.csv).",
    )
    links = forms.FileField(
        label="Links file",
        required=False,
        help_text="Optional: the links CSV (links_edubasealldataYYYYMMDD.csv), "
        "for predecessors and successors.",
    )
    dry_run = forms.BooleanField(
        label="Dry run: report what would change and write nothing",
        required=False,
    )


class GiasImportAdminMixin:
    gias_import_template = "admin/communities/school/gias_import.html"

    def get_urls(self):
        urls = [
            path(
                "import-gias/",
                self.admin_site.admin_view(self.gias_import_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_gias_import",
            )
        ]
        return urls + super().get_urls()

    def has_gias_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def gias_import_view(self, request):
        if not self.has_gias_import_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = GiasImportForm(*([request.POST, request.FILES] if posted else []))
        result = error = None
        if posted and form.is_valid():
            data = form.cleaned_data
            try:
                result = import_gias(
                    data["register"],
                    links=data["links"],
                    dry_run=data["dry_run"],
                    user=request.user,
                )
            except GiasImportError as exc:
                error = str(exc)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import schools from GIAS",
            "form": form,
            "result": result,
            "error": error,
        }
        return TemplateResponse(request, self.gias_import_template, context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.actions is None or IS_POPUP_VAR in request.GET:
            return actions
        if self.has_change_permission(request):
            actions.setdefault(CARRY_ACTION, self.get_action(CARRY_ACTION))
        return actions

    @admin.action(
        description="Carry hub memberships to the successor school", permissions=["change"]
    )
    def carry_memberships_to_successor(self, request, queryset):
        for school in queryset:
            try:
                carry = school_carry_to_successor(school=school)
            except CarryOverError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, carry.message(), messages.SUCCESS)
