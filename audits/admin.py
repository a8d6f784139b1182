from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as delete_with_confirmation
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse

from audits.exports import audits_csv_response
from audits.labels import overall_label
from audits.models import Audit, Rating
from clc_audit.admin_history import HistoryAdmin
from communities.models import Hub, HubMembership


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0
    max_num = 9
    fields = ["category", "stage", "evidence"]
    ordering = ["category"]

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not (obj and obj.is_submitted)

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and not (obj and obj.is_submitted)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and obj.is_submitted)


class AuditHubFilter(admin.SimpleListFilter):
    """Audits of a hub as a community and of the schools currently in it."""

    title = "hub"
    parameter_name = "hub"

    def lookups(self, request, model_admin):
        return [(str(hub.pk), hub.name) for hub in Hub.objects.only("pk", "name")]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if not self.value() or not self.value().isdigit():
            return queryset
        members = HubMembership.objects.current().filter(hub_id=self.value())
        return queryset.filter(
            Q(hub_id=self.value()) | Q(school_id__in=members.values("school_id"))
        )


def audits_phrase(count: int) -> str:
    return f"{count} audit" if count == 1 else f"{count} audits"


def reopen_message(reopened: int, skipped: int) -> str:
    """What the reopen action did, with the selected drafts it left alone."""
    message = f"Reopened {audits_phrase(reopened)}."
    if skipped == 1:
        message += " 1 selected audit was already a draft and was left as it is."
    elif skipped:
        message += f" {skipped} selected audits were already drafts and were left as they are."
    return message


@admin.register(Audit)
class AuditAdmin(HistoryAdmin):
    list_display = ["subject_name", "period", "status", "overall_stage_label", "virtuous"]
    list_select_related = ["school", "hub"]
    list_filter = ["status", "period", AuditHubFilter]
    search_fields = ["school__name", "=school__urn", "hub__name", "period"]
    autocomplete_fields = ["school", "hub"]
    inlines = [RatingInline]
    actions = ["delete_selected", "export_csv", "reopen"]
    # A revert would get round "a submitted audit is final" and the recorded reopen.
    allow_revert = False
    readonly_fields = [
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
        "submitted_by",
        "submitted_at",
        "version",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_ratings()

    def has_change_permission(self, request, obj=None) -> bool:
        # A submitted audit is final: admins see it read-only and may only reopen it.
        return super().has_change_permission(request, obj) and not (obj and obj.is_submitted)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and obj.is_submitted)

    def has_reopen_permission(self, request: HttpRequest) -> bool:
        """Reopening changes a submitted audit: it needs the change permission."""
        return self.has_change_permission(request)

    def get_deleted_objects(self, objs, request: HttpRequest):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Ratings go with their draft audit: RatingAdmin refuses deleting one on its own,
        # which must not stop deleting the audit.
        if request.user.has_perm("audits.delete_rating"):
            perms_needed.discard(Rating._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def save_model(self, request, obj: Audit, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="school or hub", ordering="school__name")
    def subject_name(self, audit: Audit) -> str:
        return str(audit.subject)

    @admin.display(description="overall stage")
    def overall_stage_label(self, audit: Audit) -> str:
        return overall_label(audit.overall_stage)

    @admin.display(description="Virtuous", boolean=True)
    def virtuous(self, audit: Audit) -> bool:
        return audit.is_virtuous

    @admin.action(description="Export selected audits as CSV")
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        audits = queryset.select_related("school", "hub")
        return audits_csv_response(audits, "audits")

    @admin.action(
        permissions=["delete"],
        description="Delete selected audits (drafts only)",
    )
    def delete_selected(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        """Django's delete, with its confirmation page, for drafts only. A submitted audit
        is kept (the database refuses it too): the whole selection is refused."""
        submitted = queryset.filter(status=Audit.Status.SUBMITTED).count()
        if not submitted:
            return delete_with_confirmation(self, request, queryset)
        verb = "is" if submitted == 1 else "are"
        self.message_user(
            request,
            f"Nothing was deleted: {submitted} of the selected audits {verb} submitted, "
            "and a submitted audit is kept. To delete one, reopen it first (recorded in "
            "history), then delete the draft.",
            messages.ERROR,
        )
        return None

    @admin.action(
        permissions=["reopen"],
        description="Reopen selected submitted audits (recorded in history)",
    )
    def reopen(self, request: HttpRequest, queryset: QuerySet) -> None:
        selected = queryset.count()
        reopened = 0
        with transaction.atomic():
            for audit in queryset.select_for_update(of=("self",)).filter(
                status=Audit.Status.SUBMITTED
            ):
                audit.status = Audit.Status.DRAFT
                audit.submitted_at = None
                audit.submitted_by = None
                audit.updated_by = request.user
                audit.version += 1
                audit._change_reason = f"Reopened by {request.user.get_username()}"
                audit.save()
                reopened += 1
        self.message_user(request, reopen_message(reopened, selected - reopened), messages.SUCCESS)


@admin.register(Rating)
class RatingAdmin(HistoryAdmin):
    """Read-only: ratings are changed through their audit. Here for their history, who
    changed a stage or evidence and when. Deleting an audit deletes its ratings (see
    AuditAdmin.get_deleted_objects)."""

    allow_revert = False

    list_display = ["audit", "category", "stage"]
    list_select_related = ["audit__school", "audit__hub"]
    list_filter = ["category", "stage"]
    search_fields = ["audit__school__name", "audit__hub__name", "evidence"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
