"""The hub page's sort, filters and "as of" period, from its query string."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.instrument import CATEGORIES
from audits.labels import category_label
from audits.selectors.member_rows import SORTS, HubFilters
from communities.gias.published import phase_label
from communities.models import Hub, HubMembership


def _sort_choices() -> list[tuple[str, str]]:
    labels = {"name": _("School name"), "overall": _("Overall stage")}
    labels |= {c.code: category_label(c) for c in CATEGORIES}
    return [(code, labels[code]) for code in SORTS]


class HubFiltersForm(forms.Form):
    """The query string of the hub page and its exports, and the filter form the page
    renders. A value that does not validate is ignored (its default is used), so junk
    never reaches a query, a cache key or a 500. `phases` are the member schools' phases
    a filter may name; `periods` are offered under "As of"."""

    sort = forms.ChoiceField(label=gettext_lazy("Sort by"), choices=_sort_choices, required=False)
    dir = forms.ChoiceField(
        label=gettext_lazy("Order"),
        choices=[("asc", gettext_lazy("Ascending")), ("desc", gettext_lazy("Descending"))],
        required=False,
    )
    phase = forms.ChoiceField(label=gettext_lazy("Phase"), required=False)
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=[("", gettext_lazy("Lead and member schools")), *HubMembership.Role.choices],
        required=False,
    )
    as_of = forms.RegexField(
        label=gettext_lazy("As of"),
        regex=r"^[0-9]{4}/[0-9]{2}\Z",
        max_length=7,
        required=False,
        widget=forms.Select,
    )
    evidence = forms.BooleanField(required=False, widget=forms.HiddenInput)  # exports only

    def __init__(self, *args, phases=(), periods=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [
            ("", _("All phases")),
            *((p, phase_label(p)) for p in phases),
        ]
        self.fields["as_of"].widget.choices = [("", _("Latest")), *((p, p) for p in periods)]
        for name in ("sort", "dir", "phase", "role", "as_of"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    @classmethod
    def showing(cls, filters: HubFilters, **choices) -> "HubFiltersForm":
        """The unbound form that shows these (validated) filters as chosen."""
        initial = {
            "sort": filters.sort,
            "dir": "desc" if filters.descending else "asc",
            "phase": filters.phase,
            "role": filters.role,
            "as_of": filters.as_of,
        }
        return cls(initial=initial, **choices)

    def filters(self) -> HubFilters:
        """The valid filters asked for; each invalid or missing one at its default."""
        self.is_valid()
        data = self.cleaned_data
        return HubFilters(
            sort=data.get("sort") or "name",
            descending=data.get("dir") == "desc",
            phase=data.get("phase") or "",
            role=data.get("role") or "",
            as_of=data.get("as_of") or "",
        )

    def wants_evidence(self) -> bool:
        self.is_valid()
        return bool(self.cleaned_data.get("evidence"))


class HubSharingForm(forms.ModelForm):
    """What a hub's member schools see of each other on their reports: who can help them
    (names), or only how many schools are at each stage (counts, the default)."""

    names_in_suggestions = forms.TypedChoiceField(
        label=gettext_lazy("What do member schools see of who can help them?"),
        choices=[
            (False, gettext_lazy("How many member schools are at each stage, not which")),
            (True, gettext_lazy("The names of the member schools further along")),
        ],
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Shown on a member school's report, for each category it could grow in."
        ),
    )

    class Meta:
        model = Hub
        fields = ["names_in_suggestions"]
