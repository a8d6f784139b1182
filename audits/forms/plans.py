"""The form of an improvement action, on its pages and in the admin: what will be done,
for which of the audit's gaps, who owns it (a leader of the school, or a typed name),
when it is due, its status and, once done, what changed; the partnership or agreed
support it goes through, and its aim ("the next stage looks like…").

Bad input is an error on the field it concerns; the service (`audits.services.plans`)
checks the same rules again and its refusals come back on the same fields.
"""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.forms.audit import OUT_OF_DATE
from audits.instrument import CATEGORIES, CATEGORY_BY_NUMBER
from audits.labels import category_label
from audits.models import ImprovementAction
from communities.models import Partnership, School, SupportAgreement
from communities.models.dates import plausible_date

SOMEONE_ELSE = "other"
TEXT_MAX = 4000
Status = ImprovementAction.Status


def person_name(user) -> str:
    return user.get_full_name() or user.get_username()


class PartnershipChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Partnership) -> str:
        return _("%(activity)s with %(partner)s") % {
            "activity": obj.activity,
            "partner": obj.partner.name,
        }


class SupportChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: SupportAgreement) -> str:
        return _("%(supporting)s supports %(supported)s in %(category)s") % {
            "supporting": obj.supporting_school.name,
            "supported": obj.supported_school.name,
            "category": category_label(CATEGORY_BY_NUMBER[obj.category]),
        }


def _next_end_of_june() -> datetime.date:
    """An example due date still to come: the next end of a school year's summer term."""
    today = timezone.localdate()
    this_year = datetime.date(today.year, 6, 30)
    return this_year if this_year >= today else this_year.replace(year=today.year + 1)


def _text(label, *, required=False, help_text="", rows=3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ActionForm(forms.Form):
    """An action of `school`'s plan. `categories` are the numbers it may be for (the
    audit's gaps); `action` is the one being changed (None for a new one)."""

    category = forms.TypedChoiceField(
        label=gettext_lazy("Category"),
        coerce=int,
        error_messages={
            "required": gettext_lazy("Choose the category the action is for."),
            "invalid_choice": gettext_lazy("Choose one of the audit's gaps."),
        },
    )
    description = _text(gettext_lazy("What will be done"), required=True)
    aim = _text(
        gettext_lazy("Aim: what the next stage looks like (optional)"),
        help_text=gettext_lazy("In the school's own words. It starts as the instrument's text."),
        rows=4,
    )
    owner = forms.ChoiceField(
        label=gettext_lazy("Who owns it"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose who owns the action."),
            "invalid_choice": gettext_lazy("Choose a leader of the school, or someone else."),
        },
    )
    owner_name = forms.CharField(
        label=gettext_lazy("Their name, for someone else"),
        required=False,
        max_length=200,
    )
    due_on = forms.DateField(
        label=gettext_lazy("Due on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[plausible_date],
        error_messages={
            "required": gettext_lazy("Enter the date it is due."),
            "invalid": gettext_lazy("Enter a real date, in the form 2026-06-30."),
        },
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=Status.choices,
        initial=Status.PLANNED,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the status of the action.")},
    )
    outcome = _text(
        gettext_lazy("What changed"),
        help_text=gettext_lazy("Needed once the action is done."),
    )
    partnership = PartnershipChoice(
        label=gettext_lazy("Through a partnership (optional)"),
        queryset=Partnership.objects.none(),
        required=False,
        empty_label=gettext_lazy("None of them"),
        error_messages={"invalid_choice": gettext_lazy("Choose one of the school's partnerships.")},
    )
    support = SupportChoice(
        label=gettext_lazy("Through agreed support (optional)"),
        queryset=SupportAgreement.objects.none(),
        required=False,
        empty_label=gettext_lazy("None of them"),
        error_messages={"invalid_choice": gettext_lazy("Choose support the school takes part in.")},
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        required=False,
        error_messages=dict.fromkeys(("invalid", "min_value"), OUT_OF_DATE),
    )

    def __init__(self, *args, school: School, categories, action=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        if action is not None:
            kwargs.setdefault("initial", self.initial_for(action))
        super().__init__(*args, **kwargs)
        self.school, self.action = school, action
        self.leaders = {str(u.pk): u for u in school.leaders.order_by("last_name", "username")}
        self.fields["category"].choices = self._category_choices(categories)
        self.fields["owner"].choices = [
            *((pk, person_name(u)) for pk, u in self.leaders.items()),
            (SOMEONE_ELSE, _("Someone else: type their name below")),
        ]
        self._ways(school, action)
        self.fields["due_on"].help_text = _("For example %(date)s.") % {
            "date": _next_end_of_june().isoformat()
        }
        if action is None:
            del self.fields["version"]

    @staticmethod
    def _category_choices(numbers) -> list:
        chosen = [c for c in CATEGORIES if c.number in set(numbers)]
        return [
            ("", _("Choose a category")),
            *((c.number, f"{c.number}. {category_label(c)}") for c in chosen),
        ]

    def _ways(self, school: School, action) -> None:
        """The school's current partnerships and open support, and those the action
        already names (kept, even once ended)."""
        named = Q(pk=action.partnership_id) if action and action.partnership_id else Q(pk=None)
        current = Partnership.objects.of(school).current().values("pk")
        self.fields["partnership"].queryset = (
            Partnership.objects.filter(named | Q(pk__in=current))
            .select_related("partner")
            .order_by("activity", "pk")
        )
        named = Q(pk=action.support_id) if action and action.support_id else Q(pk=None)
        open_support = SupportAgreement.objects.involving(school).open().values("pk")
        self.fields["support"].queryset = (
            SupportAgreement.objects.filter(named | Q(pk__in=open_support))
            .select_related("supporting_school", "supported_school")
            .order_by("pk")
        )

    @staticmethod
    def initial_for(action: ImprovementAction) -> dict:
        return {
            "category": action.category,
            "description": action.description,
            "aim": action.aim,
            "owner": str(action.owner_id) if action.owner_id else SOMEONE_ELSE,
            "owner_name": action.owner_name,
            "due_on": action.due_on,
            "status": action.status,
            "outcome": action.outcome,
            "partnership": action.partnership_id,
            "support": action.support_id,
            "version": action.version,
        }

    def clean(self) -> dict:
        data = super().clean()
        if data.get("owner") == SOMEONE_ELSE and not data.get("owner_name", "").strip():
            self.add_error("owner_name", _("Type the name of who owns the action."))
        if data.get("status") == Status.DONE and not data.get("outcome", "").strip():
            self.add_error("outcome", _("Say what changed, now that it is done."))
        if self.action is not None and data.get("version") is None and "version" not in self.errors:
            self.add_error(None, OUT_OF_DATE)
        return data

    def fields_for_service(self) -> dict:
        """What the service sets, from the cleaned data."""
        data = self.cleaned_data
        owner = self.leaders.get(data["owner"])
        return {
            "category": data["category"],
            "description": data["description"].strip(),
            "aim": data["aim"].strip(),
            "owner": owner,
            "owner_name": "" if owner else data["owner_name"].strip(),
            "due_on": data["due_on"],
            "status": data["status"],
            "outcome": data["outcome"].strip(),
            "partnership": data["partnership"],
            "support": data["support"],
        }

    def add_service_errors(self, error) -> None:
        """The service's refusals, on the fields they concern."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)
