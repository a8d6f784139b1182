"""The admin of audits and ratings.

Every change an admin saves goes through the same version check as the audit pages
(`audits.services`): a field or a rating that someone else changed since the admin opened
the page is refused with who changed it and when, never overwritten. A submitted audit is
read-only; submitting is done by the school, and the one way back is "reopen", which asks
for a reason, needs its own permission and is recorded in history.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.actions import delete_selected as delete_with_confirmation
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from audits import services
from audits.admin_forms import REFLECTION_FIELDS, AuditAdminForm, RatingForm, ReopenForm
from audits.exports import audits_csv_response
from audits.instrument import CATEGORY_BY_NUMBER
from audits.labels import category_label, overall_label
from audits.models import Audit, EvidenceFile, EvidenceLink, Rating
from clc_audit.admin_history import HistoryAdmin
from communities.models import Hub, HubMembership


class RatingInline(admin.TabularInline):
    model = Rating
    form = RatingForm
    extra = 0
    max_num = 9
    fields = ["category", "stage", "evidence", "loaded"]
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


def reopen_message(reopened: int, skipped: int) -> str:
    """What the reopen action did, with the selected drafts it left alone."""
    message = ngettext("Reopened %(count)d audit.", "Reopened %(count)d audits.", reopened) % {
        "count": reopened
    }
    if skipped:
        message += " " + ngettext(
            "%(count)d selected audit was already a draft and was left as it is.",
            "%(count)d selected audits were already drafts and were left as they are.",
            skipped,
        ) % {"count": skipped}
    return message


@admin.register(Audit)
class AuditAdmin(HistoryAdmin):
    list_display = ["subject_name", "period", "status", "overall_stage_label", "virtuous"]
    list_select_related = ["school", "hub"]
    list_filter = ["status", "period", AuditHubFilter]
    search_fields = ["school__name", "=school__urn", "hub__name", "period"]
    autocomplete_fields = ["school", "hub"]
    form = AuditAdminForm
    inlines = [RatingInline]
    actions = ["delete_selected", "export_csv", "reopen"]
    # A revert would get round "a submitted audit is final" and the recorded reopen.
    allow_revert = False
    # Submitting is the school's: it goes through the submit service (every category
    # rated, who and when recorded), never through a status field here.
    readonly_fields = [
        "status",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
        "submitted_by",
        "submitted_at",
        "version",
    ]
    fields = [
        "school",
        "hub",
        "period",
        "audit_date",
        *REFLECTION_FIELDS,
        "loaded",
        *readonly_fields,
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_ratings()

    def has_change_permission(self, request, obj=None) -> bool:
        # A submitted audit is final: admins see it read-only and may only reopen it.
        return super().has_change_permission(request, obj) and not (obj and obj.is_submitted)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and obj.is_submitted)

    def has_reopen_permission(self, request: HttpRequest) -> bool:
        """Reopening is its own permission (audits.reopen_audit)."""
        return request.user.has_perm("audits.reopen_audit")

    def get_deleted_objects(self, objs, request: HttpRequest):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Ratings and their files and links go with their draft audit: their admins refuse
        # deleting one on its own, which must not stop deleting the audit.
        for model in (Rating, EvidenceFile, EvidenceLink):
            if request.user.has_perm(f"audits.delete_{model._meta.model_name}"):
                perms_needed.discard(model._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def save_model(self, request, obj: Audit, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        if change:
            obj.version += 1
            if any(name in form.mine() for name in REFLECTION_FIELDS):
                obj.reflections_version += 1
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change: bool) -> None:
        """Ratings changed here move their own version (the audit's moved in save_model),
        as on the pages."""
        changed = {f.instance.pk for f in formset.forms if f.instance.pk and f.mine()}
        for rating in formset.save(commit=False):
            if rating.pk in changed:
                rating.version += 1
            rating.save()
        for rating in formset.deleted_objects:
            rating.delete()

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
        audits = queryset.select_related("school", "hub").with_evidence_counts()
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
        description=gettext_lazy(
            "Reopen selected submitted audits (asks why; recorded in history)"
        ),
    )
    def reopen(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        """Asks for the reason first; then returns each selected submitted audit to draft
        through the reopen service, recording who and why."""
        selected = list(queryset.select_related("school", "hub"))
        form = ReopenForm(request.POST if "reason" in request.POST else None)
        if not form.is_bound or not form.is_valid():
            return self._reopen_confirmation(request, selected, form)
        reason = form.cleaned_data["reason"]
        reopened = [
            audit
            for audit in selected
            if services.audit_reopen(audit=audit, by=request.user, reason=reason)
        ]
        self.message_user(
            request, reopen_message(len(reopened), len(selected) - len(reopened)), messages.SUCCESS
        )
        return None

    def _reopen_confirmation(self, request, selected: list[Audit], form) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Reopen submitted audits"),
            "submitted": [audit for audit in selected if audit.is_submitted],
            "drafts": [audit for audit in selected if not audit.is_submitted],
            "selected": selected,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/audits/audit/reopen_confirmation.html", context)


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


class _EvidenceAdmin(HistoryAdmin):
    """Read-only: files and links are added and removed on the audit's pages, where the
    file's type and size are checked and the draft's version moves. Here for their
    history."""

    allow_revert = False
    list_select_related = ["rating__audit__school", "rating__audit__hub"]
    search_fields = ["rating__audit__school__name", "rating__audit__hub__name"]

    @admin.display(description=gettext_lazy("audit"))
    def audit(self, evidence) -> str:
        return str(evidence.rating.audit)

    @admin.display(description=gettext_lazy("category"))
    def category(self, evidence) -> str:
        return category_label(CATEGORY_BY_NUMBER[evidence.rating.category])

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(EvidenceFile)
class EvidenceFileAdmin(_EvidenceAdmin):
    list_display = ["name", "audit", "category", "size", "added_at"]
    search_fields = [*_EvidenceAdmin.search_fields, "name"]
    fields = ["download", "audit", "category", "content_type", "size", "added_by", "added_at"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("file"))
    def download(self, evidence: EvidenceFile) -> str:
        url = reverse("audits:evidence_file", args=[evidence.rating.audit_id, evidence.pk])
        return format_html('<a href="{}">{}</a>', url, evidence.name)


@admin.register(EvidenceLink)
class EvidenceLinkAdmin(_EvidenceAdmin):
    list_display = ["__str__", "audit", "category", "added_at"]
    search_fields = [*_EvidenceAdmin.search_fields, "url", "title"]
    fields = ["url", "title", "audit", "category", "added_by", "added_at"]
    readonly_fields = fields


from audits import admin_plans, admin_validation  # noqa: E402, F401  (their admin pages)
