"""The forms of the partnership pages: finding a partner, adding one, a partnership's
details with the cells of the 3×3 grid it feeds, and the date it ended.

Bad input is a field error on the field it concerns (the error summary links to it):
nothing is saved until every form of the page is valid.
"""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.instrument import AREAS, CATEGORIES, SOURCES, LearningPhase
from communities.models import (
    CATEGORY_NUMBER_CHOICES,
    HubMembership,
    Partner,
    Partnership,
    School,
    urn_validator,
)
from communities.models.dates import plausible_date

SEARCH_LIMIT = 20
DESCRIPTION_MAX = 4000


def _phase_choices() -> list[tuple[str, str]]:
    return [(phase.value, _(phase.label)) for phase in LearningPhase]


def date_field(
    label: str, *, required: bool = False, help_text: str = "", validators=(plausible_date,)
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=list(validators),
        error_messages={
            "invalid": gettext_lazy("Enter a real date, for example 2025-09-01."),
            "required": gettext_lazy("Enter the date it ended."),
        },
    )


class PartnerSearchForm(forms.Form):
    """The partner step's search box (GET `q`): partners whose name holds it, or the
    school partner with that URN."""

    q = forms.CharField(
        label=gettext_lazy("Find the partner organisation"),
        help_text=gettext_lazy("Part of its name, or a school's six-digit URN."),
        required=False,
        max_length=200,
    )

    def __init__(self, *args, exclude_school: School | None = None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.exclude_school = exclude_school

    @property
    def query(self) -> str:
        return self.cleaned_data.get("q", "").strip() if self.is_valid() else ""

    def matches(self) -> list[Partner] | None:
        """Up to SEARCH_LIMIT + 1 partners (one more says there are more), or None
        before anything is searched for."""
        if not self.query:
            return None
        found = Partner.objects.filter(Q(name__icontains=self.query) | Q(school__urn=self.query))
        if self.exclude_school is not None:
            found = found.exclude(school=self.exclude_school)
        return list(found.select_related("school")[: SEARCH_LIMIT + 1])


class NewPartnerForm(forms.Form):
    """A partner organisation that is not listed yet. A school is linked to its record,
    found by its URN or chosen among the schools of the same hubs; `save` then gives the
    partner that is that school (`Partner.of_school`), made the first time."""

    name = forms.CharField(
        label=gettext_lazy("Name of the partner organisation"),
        help_text=gettext_lazy("For a school found by its URN, you may leave this empty."),
        required=False,
        max_length=200,
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of organisation"),
        choices=Partner.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose what kind of organisation it is.")},
    )
    website = forms.URLField(
        label=gettext_lazy("Website (optional)"),
        required=False,
        max_length=200,
        assume_scheme="https",
    )
    urn = forms.CharField(
        label=gettext_lazy("The school's URN (for a school in England)"),
        help_text=gettext_lazy("Six digits, for example 100000. Leave empty outside England."),
        required=False,
        max_length=6,
        validators=[urn_validator],
    )
    school = forms.ModelChoiceField(
        label=gettext_lazy("Or choose the school among those of your hubs"),
        queryset=School.objects.none(),
        required=False,
        empty_label=gettext_lazy("None of them"),
    )

    def __init__(self, *args, subject, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.subject = subject
        schools = self.schools_near(subject)
        if schools.exists():
            self.fields["school"].queryset = schools
        else:
            del self.fields["school"]

    @staticmethod
    def schools_near(subject):
        """The current member schools of the subject's hubs (a hub: its own), but the
        subject itself."""
        current = HubMembership.objects.current()
        if not isinstance(subject, School):
            return School.objects.filter(pk__in=current.filter(hub=subject).values("school_id"))
        hubs = current.filter(school=subject).values("hub_id")
        members = current.filter(hub_id__in=hubs).values("school_id")
        return School.objects.filter(pk__in=members).exclude(pk=subject.pk)

    def clean(self) -> dict:
        data = super().clean()
        linked = self._linked_school(data)
        if linked is not None and linked == self.subject:
            self.add_error("urn" if data.get("urn") else "school", _("This is your own school."))
        data["linked"] = linked
        if not data.get("name") and linked is None and "urn" not in self.errors:
            self.add_error("name", _("Enter the name of the partner organisation."))
        return data

    def _linked_school(self, data: dict) -> School | None:
        urn, chosen = data.get("urn"), data.get("school")
        if data.get("kind") != Partner.Kind.SCHOOL:
            if urn:
                self.add_error("urn", _("Only a partner that is a school has a URN."))
            if chosen:
                self.add_error("school", _("Only a partner of the kind school is a school."))
            return None
        found = School.objects.filter(urn=urn).first() if urn else None
        if urn and found is None:
            self.add_error("urn", _("No school has this URN. Check it, or leave it empty."))
        elif found and chosen and found != chosen:
            self.add_error("school", _("This is not the school with the URN you entered."))
        return found or chosen

    def save(self) -> Partner:
        data = self.cleaned_data
        if data["linked"] is not None:
            return Partner.of_school(data["linked"])
        partner = Partner(name=data["name"], kind=data["kind"], website=data["website"])
        partner.full_clean()
        partner.save()
        return partner


class PartnershipForm(forms.ModelForm):
    """What a partnership is, its dates and phase, and exactly which of the nine
    categories it feeds (`categories`, numbers; the page draws them as the 3×3 grid)."""

    learning_phase = forms.ChoiceField(
        label=gettext_lazy("Phase of learning activity"),
        choices=_phase_choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the phase of learning activity.")},
    )
    categories = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Categories it feeds"),
        choices=CATEGORY_NUMBER_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={
            "required": gettext_lazy("Choose at least one category this partnership feeds."),
            "invalid_choice": gettext_lazy("Choose categories from the grid."),
        },
    )
    description = forms.CharField(
        label=gettext_lazy("More about it (optional)"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    started_on = date_field(
        gettext_lazy("Started on"), help_text=gettext_lazy("Leave empty if you do not know.")
    )
    ended_on = date_field(
        gettext_lazy("Ended on"), help_text=gettext_lazy("Leave empty while it goes on.")
    )
    # The version the page showed: a change saved meanwhile is not overwritten.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    saved_now: Partnership | None = None  # what was saved meanwhile, after a refusal

    class Meta:
        model = Partnership
        fields = ["activity", "description", "started_on", "ended_on", "learning_phase"]
        labels = {"activity": gettext_lazy("What the partnership is")}
        help_texts = {
            "activity": gettext_lazy("For example: initial teacher training, or a peer review."),
        }
        error_messages = {
            "activity": {"required": gettext_lazy("Enter what the partnership is.")},
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["categories"] = [c.number for c in self.instance.categories]
            self.initial["loaded_version"] = self.instance.version

    def show_saved(self, current: Partnership) -> None:
        """After a refused change: the next save is made from `current`, what is saved
        now, keeping what the person typed."""
        self.saved_now = current
        self.data = self.data.copy()
        self.data["loaded_version"] = str(current.version)

    def clean(self) -> dict:
        data = super().clean()
        started, ended = data.get("started_on"), data.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", _("The end date must be on or after the start date."))
        return data

    def grid(self) -> list[tuple]:
        """(area, [(category, its checkbox), …]) for each row of the grid."""
        boxes = {int(box.data["value"]): box for box in self["categories"]}
        return [
            (area, [(c, boxes[c.number]) for c in CATEGORIES if c.area is area]) for area in AREAS
        ]

    @staticmethod
    def sources():
        return SOURCES


class EndPartnershipForm(forms.Form):
    """The day a partnership ended: today by default, not before it started."""

    ended_on = date_field(gettext_lazy("When did it end?"), required=True)

    def __init__(self, *args, partnership: Partnership, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("initial", {"ended_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.partnership = partnership

    def clean_ended_on(self):
        ended = self.cleaned_data["ended_on"]
        started = self.partnership.started_on
        if started and ended < started:
            raise forms.ValidationError(
                _("It cannot end before it started (%(date)s).") % {"date": started.isoformat()}
            )
        return ended
