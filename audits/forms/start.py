"""Opening an audit for a period, and the confirmation of discarding a draft."""

from crispy_forms.helper import FormHelper
from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.forms.audit import OUT_OF_DATE
from audits.models import Audit
from audits.periods import (
    FIRST_PERIOD_START,
    academic_year_start,
    period_error,
    period_for,
)


class AuditDiscardForm(forms.Form):
    """The confirmation of discarding a draft: the version the person looked at."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages=dict.fromkeys(("required", "invalid", "min_value"), OUT_OF_DATE),
    )


class AuditStartForm(forms.Form):
    """Opens the audit of a school or a hub for a period, optionally copying forward."""

    period = forms.CharField(
        label=gettext_lazy("Period (academic year)"),
        max_length=20,  # room for spaces around a pasted period; they are stripped
    )
    copy_forward = forms.BooleanField(
        label=gettext_lazy("Start from the ratings and evidence of the last submitted audit"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, subject, user=None, **kwargs):
        kwargs.setdefault("initial", {"period": first_free_period(subject)})
        super().__init__(*args, **kwargs)
        current = period_for(academic_year_start())
        self.fields["period"].help_text = _(
            "The school year the audit describes: this one, %(current)s, or an earlier one "
            "(an audit done on paper, say), back to %(first)s. An audit describes a year "
            "that has begun."
        ) % {"current": current, "first": period_for(FIRST_PERIOD_START)}
        self.subject = subject
        self.user = user
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_period(self) -> str:
        period = self.cleaned_data["period"].strip()
        error = period_error(period)
        if error:
            raise forms.ValidationError(error)
        existing = self.subject.audits.filter(period=period).first()
        if existing:
            raise forms.ValidationError(self._already_exists(existing))
        return period

    def _already_exists(self, audit: Audit) -> str:
        """The error for a period that has an audit, with a link to that audit: its form
        for a draft this person may change, otherwise its report."""
        report = reverse("audits:audit_report", args=[audit.pk])
        period = {"period": audit.period}
        if audit.is_submitted:
            url, text = report, _("read the %(period)s report") % period
        elif self.user and Audit.objects.editable_by(self.user).filter(pk=audit.pk).exists():
            url, text = (
                reverse("audits:audit_edit", args=[audit.pk]),
                _("continue the %(period)s draft") % period,
            )
        else:
            url, text = report, _("see the %(period)s draft") % period
        link = format_html('<a href="{}">{}</a>', url, text)
        return format_html(
            _("{subject} already has an audit for {period}: {link}, or choose another period."),
            subject=self.subject.name,
            period=audit.period,
            link=link,
        )


def first_free_period(subject) -> str | None:
    """The period to offer for a new audit: this school year if the subject has no audit
    for it, else none (a later year is never offered)."""
    current = period_for(academic_year_start())
    return None if subject.audits.filter(period=current).exists() else current
