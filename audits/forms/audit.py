"""The audit form: the nine stages with their evidence, then the reflections.

Besides what the person types, the form carries, for each part of the draft (each
category, the reflections), the version of it the page was loaded with and a digest of
what it then held: a save gives the services only the parts this person changed, with
their versions (see `audits.services`), so that nobody overwrites what they did not
touch.
"""

import hashlib

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.forms.errors import field_anchor
from audits.instrument import CATEGORIES, REFLECTION_QUESTIONS, STAGES, Category
from audits.labels import category_label, stage_label
from audits.models import Audit
from audits.services import CategoryAnswer, ReflectionsAnswer

OUT_OF_DATE = gettext_lazy(
    "This page is out of date. Copy anything you typed, then reload the page."
)
EVIDENCE_MAX = 5_000
REFLECTION_MAX = 10_000


def stage_field_name(category: Category) -> str:
    return f"stage_{category.number}"


def evidence_field_name(category: Category) -> str:
    return f"evidence_{category.number}"


def digest(*values) -> str:
    """A short fingerprint of what a part of the draft held when the page was loaded.
    Text is compared as a form cleans it (a browser sends line breaks as CRLF, and the
    form strips surrounding spaces)."""
    text = "\x1f".join(
        "" if value is None else str(value).replace("\r\n", "\n").strip() for value in values
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def hidden_version(*, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        required=required,
        error_messages=dict.fromkeys(("required", "invalid", "min_value"), OUT_OF_DATE),
    )


def hidden_digest() -> forms.CharField:
    return forms.CharField(widget=forms.HiddenInput, max_length=16, required=False)


REFLECTIONS = "reflections"


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


def stage_field(category: Category, *, label=None, choices=None) -> forms.TypedChoiceField:
    """The four stages of a category as radio buttons (unrated allowed in a draft)."""
    return forms.TypedChoiceField(
        label=label or _("Stage"),
        choices=choices or _stage_choices(),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Choose one of the four stages for %(category)s.")
            % {"category": category_label(category)},
        },
    )


def long_text(label: str, limit: int, what: str) -> forms.CharField:
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

    version = hidden_version()
    # A page that does not carry a part's own version and digest (an older page, a
    # script) falls back to the audit's version for that part: coarser, never silent.
    reflections_version = hidden_version(required=False)
    reflections_loaded = hidden_digest()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for category in CATEGORIES:
            self.fields[f"version_{category.number}"] = hidden_version(required=False)
            self.fields[f"loaded_{category.number}"] = hidden_digest()
            self.fields[stage_field_name(category)] = stage_field(category)
            self.fields[evidence_field_name(category)] = long_text(
                _("How do we know?"),
                EVIDENCE_MAX,
                _("The evidence for %(category)s") % {"category": category_label(category)},
            )
        for question in REFLECTION_QUESTIONS:
            text = _(question.question)
            self.fields[question.field] = long_text(
                text, REFLECTION_MAX, _("The answer to “%(question)s”") % {"question": text}
            )
        self.helper = self._helper()

    @classmethod
    def initial_for(cls, audit: Audit) -> dict:
        """The saved answers of an audit as the form's initial data, with the version and
        digest of each part."""
        initial = {"version": audit.version} | _reflections_state(audit)
        for rating in audit.ratings.all():
            initial |= _category_state(rating)
        return initial

    @classmethod
    def rebased(cls, posted, current: Audit):
        """The posted data again, moved onto the draft as saved now (after a conflict):
        the parts this person had not touched take what is saved now; the parts they
        changed keep what they typed, with today's versions, so that saving again keeps
        their text, knowingly. Everything they typed stays on the page."""
        data = posted.copy()
        data["version"] = str(current.version)
        for rating in current.ratings.all():
            untouched = _posted_digest(posted, rating.category) == posted.get(
                f"loaded_{rating.category}"
            )
            if untouched:
                data[f"stage_{rating.category}"] = "" if rating.stage is None else str(rating.stage)
                data[f"evidence_{rating.category}"] = rating.evidence
            data[f"version_{rating.category}"] = str(rating.version)
            data[f"loaded_{rating.category}"] = digest(rating.stage, rating.evidence)
        untouched = _posted_reflections_digest(posted) == posted.get("reflections_loaded")
        for question in REFLECTION_QUESTIONS:
            if untouched:
                data[question.field] = getattr(current, question.field)
        state = _reflections_state(current)
        data["reflections_version"] = str(state["reflections_version"])
        data["reflections_loaded"] = state["reflections_loaded"]
        return data

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
        hidden = [
            "version",
            "reflections_version",
            "reflections_loaded",
            *(f"{kind}_{c.number}" for c in CATEGORIES for kind in ("version", "loaded")),
        ]
        helper.layout = Layout(*hidden, heading, *categories, reflections)
        return helper

    def stages(self) -> dict[int, int | None]:
        """The stage given to each of the nine, as posted."""
        return {c.number: self.cleaned_data.get(stage_field_name(c)) for c in CATEGORIES}

    def evidence(self) -> dict[int, str]:
        return {c.number: self.cleaned_data.get(evidence_field_name(c), "") for c in CATEGORIES}

    def reflection_texts(self) -> dict[str, str]:
        return {q.field: self.cleaned_data.get(q.field, "") for q in REFLECTION_QUESTIONS}

    def changed_categories(self) -> dict[int, CategoryAnswer]:
        """The categories this person changed since the page was loaded, as they gave
        them, with the version each started from."""
        stages, evidence, data = self.stages(), self.evidence(), self.cleaned_data
        return {
            c.number: CategoryAnswer(
                stages[c.number], evidence[c.number], data.get(f"version_{c.number}")
            )
            for c in CATEGORIES
            if digest(stages[c.number], evidence[c.number]) != data.get(f"loaded_{c.number}")
        }

    def changed_reflections(self) -> ReflectionsAnswer | None:
        """The reflections, if this person changed them since the page was loaded."""
        texts = self.reflection_texts()
        if digest(*texts.values()) == self.cleaned_data.get("reflections_loaded"):
            return None
        return ReflectionsAnswer(texts, self.cleaned_data.get("reflections_version"))

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
        if name == "__all__" or self.fields[name].widget.is_hidden:
            return "audit-form"
        return field_anchor(self[name])


def _category_state(rating) -> dict:
    """A rating's saved answer, its version and the digest of what it holds."""
    n = rating.category
    return {
        f"stage_{n}": rating.stage,
        f"evidence_{n}": rating.evidence,
        f"version_{n}": rating.version,
        f"loaded_{n}": digest(rating.stage, rating.evidence),
    }


def _reflections_state(audit: Audit) -> dict:
    texts = {q.field: getattr(audit, q.field) for q in REFLECTION_QUESTIONS}
    return texts | {
        "reflections_version": audit.reflections_version,
        "reflections_loaded": digest(*texts.values()),
    }


def _posted_digest(posted, number: int) -> str:
    """The digest of what was posted for a category (its stage as the text posted)."""
    stage = posted.get(f"stage_{number}") or None
    return digest(
        int(stage) if stage and stage.isdigit() else stage, posted.get(f"evidence_{number}", "")
    )


def _posted_reflections_digest(posted) -> str:
    return digest(*(posted.get(q.field, "") for q in REFLECTION_QUESTIONS))
