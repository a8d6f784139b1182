"""The forms of the hub's member pages: finding a school in the register, the day a
membership ended, inviting a leader, and the hub's audit deadline."""

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.forms import date_field
from communities.members import claimed_schools
from communities.models import HubMembership, School

SCHOOL_SEARCH_LIMIT = 20


class SchoolSearchForm(forms.Form):
    """The register search (GET `q`): schools whose name holds it, or the one with that URN."""

    q = forms.CharField(
        label=gettext_lazy("Find the school"),
        help_text=gettext_lazy("Part of its name, or its six-digit URN."),
        required=False,
        max_length=200,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    @property
    def query(self) -> str:
        return self.cleaned_data.get("q", "").strip() if self.is_valid() else ""

    def matches(self, hub) -> list[School] | None:
        """Up to SCHOOL_SEARCH_LIMIT + 1 schools that are not current members of the hub
        (one more says there are more), or None before anything is searched for. Each says
        whether it is `claimed` (a coordinator cannot add it: see communities.members)."""
        if not self.query:
            return None
        members = HubMembership.objects.filter(hub=hub, left_on__isnull=True)
        found = School.objects.filter(Q(name__icontains=self.query) | Q(urn=self.query))
        found = found.exclude(pk__in=members.values("school_id"))
        found = found.annotate(claimed=Exists(claimed_schools().filter(pk=OuterRef("pk"))))
        return list(found.order_by("name", "pk")[: SCHOOL_SEARCH_LIMIT + 1])


class AddSchoolForm(forms.Form):
    """The school chosen among the search's matches."""

    school = forms.ModelChoiceField(queryset=School.objects.all(), widget=forms.HiddenInput)


class EndMembershipForm(forms.Form):
    """The day a membership ended: today by default, not before it started, not later
    than today."""

    left_on = date_field(  # bounded below by joining and above by today: see clean_left_on
        gettext_lazy("When did the school leave the hub?"), required=True, validators=()
    )

    def __init__(self, *args, membership: HubMembership, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("initial", {"left_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.fields["left_on"].error_messages["required"] = _("Enter the date the school left.")

    def clean_left_on(self):
        left = self.cleaned_data["left_on"]
        if left < self.membership.joined_on:
            raise forms.ValidationError(
                _("It cannot end before the school joined (%(date)s).")
                % {"date": self.membership.joined_on.isoformat()}
            )
        if left > timezone.localdate():
            raise forms.ValidationError(_("Enter today or a date in the past."))
        return left


class LeaderInviteForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Their name (optional)"), required=False, max_length=150
    )
    email = forms.EmailField(
        max_length=254,
        label=gettext_lazy("Their email address"),
        help_text=gettext_lazy("The invitation link is sent there. It works once, for 7 days."),
        error_messages={
            "required": gettext_lazy("Enter the email address of the person to invite."),
            "invalid": gettext_lazy("Enter an email address like name@example.org."),
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DeadlineForm(forms.Form):
    """The date by which the hub's member schools are asked to submit a period's audit.
    `seen` carries when the deadline shown was last changed (the version check)."""

    due_on = date_field(gettext_lazy("Submit by"), required=True)
    seen = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["due_on"].error_messages["required"] = _(
            "Enter the date by which schools should submit."
        )
