"""The audit form (the 3 × 3 grid, evidence and reflections), the forms that open and
discard one, and the hub page's filters.

The forms accept only their own fields: a posted school, status or submitted_by is
ignored, because no field carries it.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html, strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits import rules
from audits.instrument import CATEGORIES, REFLECTION_QUESTIONS, STAGES, Category
from audits.labels import category_label, stage_label
from audits.models import Audit
from audits.periods import (
    FIRST_PERIOD_START,
    academic_year,
    academic_year_start,
    period_error,
    period_for,
)
from audits.selectors.member_rows import SORTS, HubFilters
from audits.services import AuditAnswers
from communities.models import HubMembership

__all__ = [
    "AuditDiscardForm",
    "AuditForm",
    "AuditStartForm",
    "HubFiltersForm",
    "academic_year",
    "error_summary_links",
]

OUT_OF_DATE = gettext_lazy(
    "This page is out of date. Copy anything you typed, then reload the page."
)
EVIDENCE_MAX = 5_000
REFLECTION_MAX = 10_000


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
                stage_label(stage),
                _(stage.descriptor),
            ),
        )
        for stage in STAGES
    ]


def _stage_field(category: Category) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Stage"),
        choices=_stage_choices(),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Choose one of the four stages for %(category)s.")
            % {"category": category_label(category)},
        },
    )


def _long_text(label: str, limit: int, what: str) -> forms.CharField:
    """A text box with a length limit the page shows (and the browser keeps to)."""
    shown = number_format(limit, force_grouping=True)
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        help_text=_("Up to %(limit)s characters.") % {"limit": shown},
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            # %(show_value)d is filled in by Django's length validator.
            "max_length": _(
                "%(what)s is too long: %%(show_value)d characters. "
                "Shorten it to %(limit)s characters or fewer."
            )
            % {"what": what, "limit": shown},
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
            self.fields[evidence_field_name(category)] = _long_text(
                _("How do we know?"),
                EVIDENCE_MAX,
                _("The evidence for %(category)s") % {"category": category_label(category)},
            )
        for question in REFLECTION_QUESTIONS:
            text = _(question.question)
            self.fields[question.field] = _long_text(
                text, REFLECTION_MAX, _("The answer to “%(question)s”") % {"question": text}
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
                category_label(category),
                stage_field_name(category),
                evidence_field_name(category),
                css_id=f"category-{category.number}",
                css_class="category-fieldset",
            )
            for category in CATEGORIES
        ]
        reflections = Fieldset(
            _("Reflections"), *[q.field for q in REFLECTION_QUESTIONS], css_id="reflections"
        )
        heading = HTML(format_html('<h2 class="h4 mt-4">{}</h2>', _("The nine categories")))
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
                _("Choose a stage for %(category)s before submitting.")
                % {"category": category_label(category)},
            )
        return missing

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor id, message) for the error summary, in the order of the page."""
        links = []
        for name, errors in self.errors.as_data().items():
            anchor, context = self._anchor(name), self._context(name)
            for error in errors:
                # A length error names its category or question itself.
                prefix = "" if error.code == "max_length" else context
                links.extend((anchor, f"{prefix}{message}") for message in error)
        return links

    def _context(self, name: str) -> str:
        """What the summary says before a message that does not name its field."""
        if name.startswith("evidence_"):
            number = int(name.removeprefix("evidence_"))
            return _("%(category)s, how do we know: ") % {
                "category": category_label(CATEGORIES[number - 1])
            }
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


def error_summary_links(form: forms.Form, *, form_anchor: str) -> list[tuple[str, str]]:
    """(anchor id, message) for the error summary of a simple form: each field's errors
    link to the field, with its label; the form's own errors to the form. A message that
    carries a link of its own (as the start form's does) is shown as plain text here: the
    summary's items are links already, and the field's own message keeps its link."""
    links = []
    for name, errors in form.errors.items():
        if name in form.fields and not form[name].is_hidden:
            field = form[name]
            links.extend(
                (
                    field.auto_id,
                    _("%(field)s: %(error)s") % {"field": field.label, "error": strip_tags(e)},
                )
                for e in errors
            )
        else:
            links.extend((form_anchor, strip_tags(error)) for error in errors)
    return links


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
        self.fields["period"].help_text = _(
            "The academic year the audit describes, such as 2026/27: from %(first)s to %(last)s."
        ) % {"first": period_for(FIRST_PERIOD_START), "last": period_for(academic_year_start() + 1)}
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
    """The period to offer for a new audit: this academic year if the subject has no audit
    for it, else the next one if free, else none."""
    start = academic_year_start()
    offered = [period_for(start), period_for(start + 1)]
    taken = set(subject.audits.filter(period__in=offered).values_list("period", flat=True))
    return next((period for period in offered if period not in taken), None)


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
        self.fields["phase"].choices = [("", _("All phases")), *((p, p) for p in phases)]
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
