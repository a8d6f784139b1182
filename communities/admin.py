"""The admin of schools, hubs, memberships, partners, partnerships and people's settings.

Like Django's own contrib admins, this module may read audits (the layer above) for its
list columns; nothing else in `communities` does.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from audits.instrument import AREAS, CATEGORIES, SOURCES
from audits.labels import stage_label
from audits.models import Audit
from clc_audit.admin_history import HistoryAdmin
from communities.admin_gias import GiasImportAdminMixin
from communities.admin_roles import GuardedUserAdmin, RolesAdminMixin
from communities.models import (
    Hub,
    HubMembership,
    Partner,
    Partnership,
    PartnershipCategory,
    Profile,
    School,
    SchoolLink,
)
from communities.partnerships import PartnershipChanged, lock_unchanged


class KeptWhenReferencedMixin:
    """Deleting something that other rows point to (PROTECT) says so, and what to do
    instead, rather than that a permission is missing: the admin asks for the delete
    permission on those rows too, and a submitted audit's is always refused."""

    kept_hint = ""

    def get_deleted_objects(self, objs, request: HttpRequest):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            # Nothing is deleted while anything is protected, whatever the permissions.
            perms_needed = set()
            messages.warning(request, self.kept_hint)
        return deleted, counts, perms_needed, protected


class PageAnnotatingAdmin(HistoryAdmin):
    """A changelist that hands its page of rows to `annotate_page` once, so that list
    columns drawn from other tables cost a fixed number of queries, whatever the page
    size."""

    def get_changelist(self, request: HttpRequest, **kwargs):
        base = super().get_changelist(request, **kwargs)
        model_admin = self

        class PageChangeList(base):
            def get_results(self, request):
                super().get_results(request)
                # Evaluating the queryset fills its cache: the template renders these
                # same objects with what annotate_page attached.
                model_admin.annotate_page(list(self.result_list))

        return PageChangeList

    def annotate_page(self, rows: list) -> None:
        pass


def attach_latest_audit_to_schools(schools: list[School]) -> None:
    """Sets `latest_audit` on each school: its latest submitted audit, or None."""
    latest = Audit.objects.latest_submitted_by_school_id([school.pk for school in schools])
    for school in schools:
        school.latest_audit = latest.get(school.pk)


class CurrentHubFilter(admin.SimpleListFilter):
    title = "hub (current members)"
    parameter_name = "hub"
    school_path = "pk"

    def lookups(self, request, model_admin):
        return [(str(hub.pk), hub.name) for hub in Hub.objects.only("pk", "name")]

    def queryset(self, request, queryset):
        if not self.value() or not self.value().isdigit():
            return queryset
        members = HubMembership.objects.current().filter(hub_id=self.value())
        return queryset.filter(**{f"{self.school_path}__in": members.values("school_id")})


class HubMembershipInline(admin.TabularInline):
    model = HubMembership
    extra = 0
    autocomplete_fields = ["school", "hub"]
    fields = ["hub", "school", "role", "joined_on", "left_on"]


class SchoolPartnershipInline(admin.TabularInline):
    model = Partnership
    fk_name = "school"
    extra = 0
    autocomplete_fields = ["partner"]
    exclude = ["hub", "description"]


class HubPartnershipInline(SchoolPartnershipInline):
    fk_name = "hub"
    exclude = ["school", "description"]


class SchoolLinkInline(admin.TabularInline):
    model = SchoolLink
    fk_name = "school"
    extra = 0
    fields = ["link_type", "linked_urn", "linked_school", "established_on"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(School)
class SchoolAdmin(
    RolesAdminMixin, KeptWhenReferencedMixin, GiasImportAdminMixin, PageAnnotatingAdmin
):
    role_field = "leaders"
    role_permission = "communities.change_school_leaders"
    kept_hint = (
        "A school with audits, hub memberships, partnerships or links is kept, with its "
        "history: mark the school Closed instead of deleting it."
    )
    list_display = [
        "name",
        "urn",
        "local_authority",
        "phase",
        "status",
        "latest_period",
        "latest_overall_stage",
        "latest_virtuous",
    ]
    list_filter = ["phase", "local_authority", "status", CurrentHubFilter]
    search_fields = ["name", "=urn"]
    filter_horizontal = ["leaders"]
    inlines = [HubMembershipInline, SchoolPartnershipInline, SchoolLinkInline]
    list_per_page = 50

    def annotate_page(self, rows: list[School]) -> None:
        attach_latest_audit_to_schools(rows)

    @admin.display(description="latest audit")
    def latest_period(self, school: School) -> str:
        return school.latest_audit.period if school.latest_audit else "—"

    @admin.display(description="overall stage")
    def latest_overall_stage(self, school: School) -> str:
        stage = school.latest_audit and school.latest_audit.overall_stage
        return stage_label(stage, missing="—")

    @admin.display(description="Virtuous", boolean=True)
    def latest_virtuous(self, school: School) -> bool | None:
        return school.latest_audit.is_virtuous if school.latest_audit else None


@admin.register(Hub)
class HubAdmin(RolesAdminMixin, KeptWhenReferencedMixin, PageAnnotatingAdmin):
    role_field = "coordinators"
    role_permission = "communities.change_hub_coordinators"
    kept_hint = (
        "A hub with members, audits or partnerships is kept, with its history: end its "
        "memberships (set “left on”) instead of deleting it."
    )
    list_display = ["name", "lead_school", "member_count", "virtuous_members", "founded_on"]
    list_select_related = ["lead_school"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["lead_school"]
    filter_horizontal = ["coordinators"]
    inlines = [HubMembershipInline, HubPartnershipInline]

    def annotate_page(self, rows: list[Hub]) -> None:
        memberships = list(
            HubMembership.objects.current()
            .filter(hub__in=[hub.pk for hub in rows])
            .values_list("hub_id", "school_id")
        )
        school_ids = {school_id for _, school_id in memberships}
        latest = Audit.objects.latest_submitted_by_school_id(school_ids)
        for hub in rows:
            members = [school_id for hub_id, school_id in memberships if hub_id == hub.pk]
            hub.member_total = len(members)
            hub.virtuous_total = sum(
                1 for school_id in members if school_id in latest and latest[school_id].is_virtuous
            )

    @admin.display(description="current members")
    def member_count(self, hub: Hub) -> int:
        return hub.member_total

    @admin.display(description="Virtuous members (latest audit)")
    def virtuous_members(self, hub: Hub) -> int:
        return hub.virtuous_total


@admin.register(HubMembership)
class HubMembershipAdmin(HistoryAdmin):
    list_display = ["school", "hub", "role", "joined_on", "left_on"]
    list_select_related = ["school", "hub"]
    list_filter = ["hub", "role"]
    search_fields = ["school__name", "=school__urn", "hub__name"]
    autocomplete_fields = ["school", "hub"]


@admin.register(Partner)
class PartnerAdmin(KeptWhenReferencedMixin, HistoryAdmin):
    kept_hint = (
        "A partner with partnerships is kept, with its history: end its partnerships "
        "(set “ended on”) instead of deleting it."
    )
    list_display = ["name", "kind", "school", "website"]
    list_filter = ["kind"]
    search_fields = ["name", "school__name", "=school__urn"]
    autocomplete_fields = ["school"]
    # A website typed without a scheme is taken as https, Django 6's default.
    formfield_overrides = {
        models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"},
    }


class FeedsFilter(admin.SimpleListFilter):
    """Filter partnerships by the area or source of knowledge they feed (a cell of it)."""

    members: tuple = ()
    prefix = ""

    def lookups(self, request, model_admin):
        return [(member.value, member.label) for member in self.members]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        allowed = {member.value for member in self.members}
        if self.value() in allowed:
            numbers = [
                c.number for c in CATEGORIES if getattr(c, self.prefix).value == self.value()
            ]
            return queryset.filter(cells__category__in=numbers).distinct()
        return queryset


class AreaFilter(FeedsFilter):
    title = "area of knowledge"
    parameter_name = "area"
    members = AREAS
    prefix = "area"


class SourceFilter(FeedsFilter):
    title = "source of knowledge"
    parameter_name = "source"
    members = SOURCES
    prefix = "source"


class PartnershipCategoryInline(admin.TabularInline):
    model = PartnershipCategory
    extra = 0
    max_num = len(CATEGORIES)
    verbose_name = "category it feeds"
    verbose_name_plural = "categories it feeds"


class PartnershipAdminForm(forms.ModelForm):
    """The partnership's fields, and the version the page was loaded with: a change
    someone saved since (on its page or here) is refused, never overwritten."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Partnership
        fields = [
            "school",
            "hub",
            "partner",
            "activity",
            "description",
            "started_on",
            "ended_on",
            "learning_phase",
            "to_review",
            "updated_by",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the saved one's (a revert's form holds an older one)
            saved = Partnership.objects.filter(pk=self.instance.pk).values_list("version")
            self.fields["loaded_version"].initial = saved.get()[0]

    def clean(self) -> dict:
        data = super().clean()
        if self.instance.pk:
            try:  # the row stays locked until the change view's transaction ends
                current = lock_unchanged(self.instance, data.get("loaded_version") or 0)
            except PartnershipChanged:
                raise forms.ValidationError(
                    _(
                        "Someone changed this partnership after you opened this page: "
                        "nothing was saved. Reload the page to see their change."
                    )
                ) from None
            self.instance.version = current.version
        return data


@admin.register(Partnership)
class PartnershipAdmin(HistoryAdmin):
    form = PartnershipAdminForm
    list_display = [
        "activity",
        "partner",
        "subject_name",
        "partner_kind",
        "learning_phase",
        "categories_fed",
        "started_on",
        "ended_on",
        "to_review",
    ]
    list_select_related = ["partner", "school", "hub"]
    inlines = [PartnershipCategoryInline]
    list_filter = ["partner__kind", AreaFilter, SourceFilter, "learning_phase", "to_review"]
    search_fields = ["activity", "partner__name", "school__name", "hub__name"]
    autocomplete_fields = ["school", "hub", "partner"]

    @admin.display(description="school or hub")
    def subject_name(self, partnership: Partnership) -> str:
        return str(partnership.subject)

    @admin.display(description="kind", ordering="partner__kind")
    def partner_kind(self, partnership: Partnership) -> str:
        return partnership.partner.get_kind_display()

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("cells")

    @admin.display(description="categories it feeds")
    def categories_fed(self, partnership: Partnership) -> str:
        return ", ".join(str(c.number) for c in partnership.categories)


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fields = ["language", "email_reminders"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithProfileAdmin(GuardedUserAdmin):
    """Django's user admin, guarded, with the person's own settings beneath."""

    inlines = [ProfileInline]


from communities import admin_members, admin_messages, admin_support  # noqa: E402, F401
