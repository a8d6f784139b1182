"""The audit form (the 3 × 3 grid, evidence and reflections) and the form that opens one.

The forms accept only their own fields: a posted school, status or submitted_by is
ignored, because no field carries it.
"""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.html import format_html

from audits import rules
from audits.instrument import CATEGORIES, REFLECTION_QUESTIONS, STAGES, Category
from audits.models import Audit
from audits.services import AuditAnswers

PERIOD_PATTERN = re.compile(r"^(\d{4})/(\d{2})$")
OUT_OF_DATE = "This page is out of date. Copy anything you typed, then reload the page."


def academic_year(on=None) -> str:
    """The academic year (September to August) a date falls in, such as "2026/27"."""
    on = on or timezone.localdate()
    start = on.year if on.month >= 9 else on.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def stage_field_name(category: Category) -> str:
    return f"stage_{category.number}"


def evidence_field_name(category: Category) -> str:
    return f"evidence_{category.number}"


def _stage_choices() -> list[tuple[int, str]]:
    return [
        (
            stage.value,
            format_html(
                '<span class="stage-name">{}</span> <span class="stage-descriptor">{}</span>',
                stage.label,
                stage.descriptor,
            ),
        )
        for stage in STAGES
    ]


def _stage_field(category: Category) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label="Stage",
        choices=_stage_choices(),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": f"Choose one of the four stages for {category.label}.",
        },
    )


class AuditForm(forms.Form):
    """Nine stages with their evidence, then the reflections; any subset may be saved."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages=dict.fromkeys(("required", "invalid", "min_value"), OUT_OF_DATE),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for category in CATEGORIES:
            self.fields[stage_field_name(category)] = _stage_field(category)
            self.fields[evidence_field_name(category)] = forms.CharField(
                label="How do we know?",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        for question in REFLECTION_QUESTIONS:
            self.fields[question.field] = forms.CharField(
                label=question.question, required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
        self.helper = self._helper()

    @classmethod
    def initial_for(cls, audit: Audit) -> dict:
        """The saved answers of an audit as the form's initial data."""
        initial = {"version": audit.version}
        for rating in audit.ratings.all():
            initial[f"stage_{rating.category}"] = rating.stage
            initial[f"evidence_{rating.category}"] = rating.evidence
        for question in REFLECTION_QUESTIONS:
            initial[question.field] = getattr(audit, question.field)
        return initial

    def _helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        categories = [
            Fieldset(
                category.label,
                stage_field_name(category),
                evidence_field_name(category),
                css_id=f"category-{category.number}",
                css_class="category-fieldset",
            )
            for category in CATEGORIES
        ]
        reflections = Fieldset(
            "Reflections", *[q.field for q in REFLECTION_QUESTIONS], css_id="reflections"
        )
        heading = HTML('<h2 class="h4 mt-4">The nine categories</h2>')
        helper.layout = Layout("version", heading, *categories, reflections)
        return helper

    def answers(self) -> AuditAnswers:
        data = self.cleaned_data
        return AuditAnswers(
            stages={c.number: data.get(stage_field_name(c)) for c in CATEGORIES},
            evidence={c.number: data.get(evidence_field_name(c), "") for c in CATEGORIES},
            reflections={q.field: data.get(q.field, "") for q in REFLECTION_QUESTIONS},
        )

    def require_all_rated(self) -> list[Category]:
        """Adds an error to each unrated category; returns them (empty when complete)."""
        missing = rules.missing_categories(self.answers().stages)
        for category in missing:
            self.add_error(
                stage_field_name(category),
                f"Choose a stage for {category.label} before submitting.",
            )
        return missing

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor id, message) for the error summary, in the order of the page."""
        links = []
        for name, errors in self.errors.items():
            anchor, context = self._anchor(name), self._context(name)
            links.extend((anchor, f"{context}{message}") for message in errors)
        return links

    def _context(self, name: str) -> str:
        """What the summary says before a message that does not name its field."""
        if name.startswith("evidence_"):
            number = int(name.removeprefix("evidence_"))
            return f"{CATEGORIES[number - 1].label}, how do we know: "
        if name.startswith("reflection_"):
            return f"{self.fields[name].label} "
        return ""

    def _anchor(self, name: str) -> str:
        if name == "__all__" or name == "version":
            return "audit-form"
        bound = self[name]
        if isinstance(bound.field.widget, forms.RadioSelect):
            return f"{bound.auto_id}_0"
        return bound.auto_id


class AuditStartForm(forms.Form):
    """Opens the audit of a school or a hub for a period, optionally copying forward."""

    period = forms.CharField(
        label="Period (academic year)",
        max_length=7,
        help_text="The academic year the audit describes, such as 2026/27.",
    )
    copy_forward = forms.BooleanField(
        label="Start from the ratings and evidence of the last submitted audit",
        required=False,
        initial=True,
    )

    def __init__(self, *args, subject, **kwargs):
        kwargs.setdefault("initial", {"period": academic_year()})
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_period(self) -> str:
        period = self.cleaned_data["period"].strip()
        match = PERIOD_PATTERN.match(period)
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            raise forms.ValidationError(
                "Enter an academic year as two consecutive years, such as 2026/27."
            )
        if self.subject.audits.filter(period=period).exists():
            raise forms.ValidationError(
                f"{self.subject.name} already has an audit for {period}. "
                "Open it from the list instead."
            )
        return period
