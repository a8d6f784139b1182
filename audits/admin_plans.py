"""The admin of the improvement plan. Saving goes through the plan's service
(`audits.services.plans`), with the same checks as the pages: an owner who leads the
school (or a name), the school's own partnership and support, "what changed" once done,
a submitted school audit to start from, and the version check: a change someone else
saved since the admin opened the page is refused with who and when, never overwritten."""

from django import forms
from django.contrib import admin
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.labels import category_label
from audits.models import ImprovementAction
from audits.services import plans as services
from clc_audit.admin_history import HistoryAdmin


def _who(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else _("Someone")


class ActionAdminForm(forms.ModelForm):
    """The action's fields, and the version the page was loaded with."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ImprovementAction
        fields = ["audit", *services.FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
            self.fields["audit"].disabled = True

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in services.FIELDS}

    def clean(self) -> dict:
        data = super().clean()
        audit = data.get("audit") if not self.instance.pk else self.instance.audit
        if (problem := services.audit_error(audit)) is not None:
            self.add_error("audit" if not self.instance.pk else None, problem)
            return data
        if self.instance.pk:
            self._check_version()
        trial = ImprovementAction(school=audit.school, audit=audit)
        for name, value in self.service_fields().items():
            services.set_field(trial, name, value)
        for field, message in services.action_errors(trial).items():
            self.add_error(field if field in self.fields else None, message)
        return data

    def _check_version(self) -> None:
        """Refuses a change someone saved since the page was loaded; the row stays locked
        until the admin's save is done (the change view is one transaction)."""
        current = ImprovementAction.objects.select_for_update().get(pk=self.instance.pk)
        loaded = self.cleaned_data.get("loaded_version")
        wanted = {name: getattr(v, "pk", v) for name, v in self.service_fields().items()}
        saved = services.saved_values(current, wanted)
        if services.part_is_stale(
            saved_version=current.version, loaded_version=loaded, saved=saved, wanted=wanted
        ):
            raise forms.ValidationError(
                _(
                    "%(who)s changed this action on %(when)s, after you opened this page: "
                    "nothing was saved. Reload the page to see their change."
                )
                % {
                    "who": _who(current.updated_by),
                    "when": date_format(current.updated_at, "DATETIME_FORMAT"),
                }
            )


@admin.register(ImprovementAction)
class ImprovementActionAdmin(HistoryAdmin):
    form = ActionAdminForm
    # A revert would get round the checks and the version of the service.
    allow_revert = False
    list_display = ["__str__", "school", "category_name", "status", "due_on", "owner_label"]
    list_select_related = ["school", "owner"]
    list_filter = ["status", "category", "due_on"]
    search_fields = ["school__name", "=school__urn", "description", "owner_name", "owner__username"]
    raw_id_fields = ["audit", "owner", "partnership", "support"]
    readonly_fields = [
        "school",
        "finished_on",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
        "version",
    ]

    @admin.display(description=gettext_lazy("category"), ordering="category")
    def category_name(self, action: ImprovementAction) -> str:
        return f"{action.category}. {category_label(action.category_obj)}"

    @admin.display(description=gettext_lazy("owner"))
    def owner_label(self, action: ImprovementAction) -> str:
        return action.owner_label

    def has_delete_permission(self, request, obj=None) -> bool:
        # Nothing is deleted to model a change: an action that no longer holds is dropped.
        return False

    def save_model(self, request, obj: ImprovementAction, form, change: bool) -> None:
        fields = form.service_fields()
        if change:
            saved = services.action_update(
                action=obj, by=request.user, version=form.cleaned_data["loaded_version"], **fields
            )
        else:
            saved = services.action_create(
                audit=form.cleaned_data["audit"], by=request.user, **fields
            )
        obj.pk, obj.school, obj.version = saved.pk, saved.school, saved.version
