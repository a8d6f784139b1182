"""The admin's forms for audits: each remembers what the page held when it was loaded,
so that saving changes only what this admin changed and refuses what someone else
changed since (the version check of `audits.services`), and the reopen confirmation."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits import services
from audits.forms.audit import digest
from audits.instrument import REFLECTION_QUESTIONS
from audits.labels import category_label
from audits.models import Audit, Rating

REFLECTION_FIELDS = [q.field for q in REFLECTION_QUESTIONS]


def _who_and_when(obj) -> dict:
    """Who last changed an object and when, from its history."""
    record = obj.history.order_by("-history_date", "-history_id").first()
    user = record.history_user if record else None
    return {
        "who": (user.get_full_name() or user.get_username()) if user else _("Someone"),
        "when": date_format(record.history_date, "DATETIME_FORMAT") if record else "",
    }


def _plain(value):
    """A field's value as compared across page loads: an object by its key."""
    return getattr(value, "pk", value)


class VersionCheckedForm(forms.ModelForm):
    """A form that carries a digest of each field as the page was loaded (`loaded`), so
    that on save it can tell what this admin changed from what someone else changed
    since: a field the admin did not touch keeps what is saved now (never the page's old
    value), and a field both changed is refused, under a lock held until the admin's
    save is done (the admin's change view is one transaction)."""

    loaded = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded"].initial = json.dumps(self._digests(self.instance))

    def _watched(self) -> list[str]:
        """The model's own fields on this form."""
        model_fields = {f.name for f in self._meta.model._meta.get_fields()}
        return [name for name in self.fields if name in model_fields]

    def _digests(self, obj) -> dict[str, str]:
        return {
            name: digest(_plain(obj._meta.get_field(name).value_from_object(obj)))
            for name in self._watched()
        }

    def _loaded_digests(self) -> dict[str, str]:
        try:
            loaded = json.loads(self.data.get(self.add_prefix("loaded")) or "{}")
        except ValueError:
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def mine(self) -> list[str]:
        """The fields this admin changed since the page was loaded (all that differ from
        what is saved, when the page carried no digests)."""
        loaded = self._loaded_digests()
        if not loaded:
            return [name for name in self.changed_data if name != "loaded"]
        return [
            name
            for name in self._watched()
            if name in loaded
            and name in self.cleaned_data
            and digest(_plain(self.cleaned_data[name])) != loaded[name]
        ]

    def merge_onto(self, current) -> list[str]:
        """Keeps what is saved now in the fields this admin did not change; returns the
        fields this admin changed that someone else changed too (nothing may be saved)."""
        mine, loaded = self.mine(), self._loaded_digests()
        for name in self._watched():
            if name in loaded and name not in mine and name in self.cleaned_data:
                self.cleaned_data[name] = getattr(current, name)
        saved = self._digests(current)
        return [
            name
            for name in mine
            if loaded.get(name) is not None
            and services.part_is_stale(
                saved_version=saved[name],
                loaded_version=loaded[name],
                saved=saved[name],
                wanted=digest(_plain(self.cleaned_data[name])),
            )
        ]

    def has_changed(self) -> bool:
        return (
            bool(self.mine())
            if self.is_bound and hasattr(self, "cleaned_data")
            else super().has_changed()
        )

    def locked_current(self):
        return type(self.instance).objects.select_for_update().filter(pk=self.instance.pk).first()


class RatingForm(VersionCheckedForm):
    class Meta:
        model = Rating
        fields = ["category", "stage", "evidence"]

    def clean(self):
        data = super().clean()
        if self.instance.pk and self.mine():
            current = self.locked_current()
            if current is not None and self.merge_onto(current):
                raise ValidationError(
                    _(
                        "%(who)s changed %(category)s on %(when)s, after you opened this "
                        "page: nothing was saved. Reload the page to see their change."
                    )
                    % {**_who_and_when(current), "category": category_label(current.category_info)}
                )
        return data


class AuditAdminForm(VersionCheckedForm):
    class Meta:
        model = Audit
        fields = ["school", "hub", "period", "audit_date", *REFLECTION_FIELDS]

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            current = self.locked_current()
            if current is None:
                raise ValidationError(_("This draft was discarded meanwhile: nothing was saved."))
            if current.is_submitted:
                raise ValidationError(_("This audit was submitted meanwhile: it is read-only."))
            stale = self.merge_onto(current)
            if stale:
                names = ", ".join(str(self.fields[name].label) for name in stale)
                raise ValidationError(
                    _(
                        "%(who)s changed %(fields)s on %(when)s, after you opened this page: "
                        "nothing was saved. Reload the page to see their change."
                    )
                    % {**_who_and_when(current), "fields": names}
                )
        return data


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is it reopened?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Kept in the audit's history; the school's leaders are told."),
    )
