"""Import from England's register (GIAS) in the Django admin: an upload page linked from
the School changelist, which stores the files and hands them to the task worker, a page
per import with its progress and result (`RegisterImportAdmin`), and an action that
carries a closed school's hub memberships to its successor. `SchoolAdmin` inherits the
mixin; the mixin adds the upload page and the action itself."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from communities.gias import GiasImportResult
from communities.models import RegisterImport
from communities.services import CarryOverError, school_carry_to_successor
from communities.tasks import enqueue_register_import

CARRY_ACTION = "carry_memberships_to_successor"


class GiasImportForm(forms.Form):
    register = forms.FileField(
        label=gettext_lazy("Register file"),
        help_text=gettext_lazy(
            "The “all establishment data” CSV from GIAS, as downloaded "
            "(edubasealldataYYYYMMDD.csv)."
        ),
    )
    links = forms.FileField(
        label=gettext_lazy("Links file"),
        required=False,
        help_text=gettext_lazy(
            "Optional: the links CSV (links_edubasealldataYYYYMMDD.csv), "
            "for predecessors and successors."
        ),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: report what would change and write nothing"),
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
        if posted and form.is_valid():
            record = self._store_import(request, form.cleaned_data)
            return redirect(record.get_absolute_url())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import schools from GIAS"),
            "form": form,
            "recent": RegisterImport.objects.select_related("requested_by")[:5],
        }
        return TemplateResponse(request, self.gias_import_template, context)

    @staticmethod
    def _store_import(request, data) -> RegisterImport:
        """Stores the uploaded files (Django's storage) and queues the import."""
        with transaction.atomic():
            record = RegisterImport.objects.create(
                register=data["register"],
                links=data["links"] or "",
                dry_run=data["dry_run"],
                requested_by=request.user,
            )
            enqueue_register_import(record)
        return record

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


@admin.register(RegisterImport)
class RegisterImportAdmin(admin.ModelAdmin):
    """Past and running imports: each one's page shows how far it has got (reload it, or
    leave and come back) and its result, or the row that refused it. A refused import
    can be run again."""

    list_display = ["requested_at", "requested_by", "dry_run", "status", "rows_read"]
    list_filter = ["status", "dry_run"]
    actions = ["run_again"]
    change_form_template = "admin/communities/registerimport/progress.html"

    def has_add_permission(self, request) -> bool:
        return False  # imports are asked for on the Schools page

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("communities.add_school") and request.user.has_perm(
            "communities.change_school"
        )

    def has_run_again_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The import's own page: progress while it runs, then its result."""
        record = self.get_object(request, object_id)
        if record is None or not self.has_view_permission(request, record):
            raise Http404
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(record),
            "record": record,
            "result": GiasImportResult.from_json(record.result) if record.result else None,
            "may_run_again": self.has_run_again_permission(request),
        }
        return TemplateResponse(request, self.change_form_template, context)

    @admin.action(
        permissions=["run_again"],
        description=gettext_lazy("Run the selected refused imports again"),
    )
    def run_again(self, request, queryset) -> None:
        failed = list(queryset.filter(status=RegisterImport.Status.FAILED))
        for record in failed:
            enqueue_register_import(record)
        self.message_user(
            request,
            ngettext(
                "%(count)d refused import queued again.",
                "%(count)d refused imports queued again.",
                len(failed),
            )
            % {"count": len(failed)},
            messages.SUCCESS,
        )
