"""The forms of agreed support: proposing it, and ending it with what it achieved."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import SupportAgreement
from communities.models.dates import plausible_date

GOAL_MAX = 2000


class SupportProposalForm(forms.ModelForm):
    """What the two schools are to work on, and from when."""

    goal = forms.CharField(
        label=_("What is the support for?"),
        max_length=GOAL_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences: what the supported school wants to be able to do."),
    )
    started_on = forms.DateField(
        label=_("Starting on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = SupportAgreement
        fields = ["goal", "started_on"]


class SupportEndForm(forms.Form):
    ended_on = forms.DateField(
        label=_("Ended on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
        validators=[plausible_date],
    )
    impact = forms.CharField(
        label=_("What did it achieve?"),
        required=False,
        max_length=GOAL_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A short note: what changed for the supported school."),
    )
