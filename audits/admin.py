from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from audits.exports import audits_csv_response
from audits.models import Audit, Rating
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


@admin.register(Audit)
class AuditAdmin(SimpleHistoryAdmin):
    list_display = ["subject_name", "period", "status", "overall_stage_label", "virtuous"]
    list_select_related = ["school", "hub"]
    list_filter = ["status", "period", AuditHubFilter]
    search_fields = ["school__name", "=school__urn", "hub__name", "period"]
    autocomplete_fields = ["school", "hub"]
    inlines = [RatingInline]
    actions = ["export_csv", "reopen"]
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
        stage = audit.overall_stage
        return stage.label if stage else "Incomplete"

    @admin.display(description="Virtuous", boolean=True)
    def virtuous(self, audit: Audit) -> bool:
        return audit.is_virtuous

    @admin.action(description="Export selected audits as CSV")
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        audits = queryset.select_related("school", "hub")
        return audits_csv_response(audits, "audits")

    @admin.action(description="Reopen selected submitted audits (recorded in history)")
    def reopen(self, request: HttpRequest, queryset: QuerySet) -> None:
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
        self.message_user(request, f"Reopened {reopened} audit(s).", messages.SUCCESS)


@admin.register(Rating)
class RatingAdmin(SimpleHistoryAdmin):
    """Read-only: ratings are changed through their audit. Here for their history, who
    changed a stage or evidence and when."""

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
