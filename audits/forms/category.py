"""The pages of a draft, one at a time: a category (its stage, with what each stage looks
like in that category, its evidence, a file or a link), the reflections, and the
confirmation that submits.

Each form carries the version of its part as loaded and a digest of what it held, like
the one-page form (`audits.forms.audit`): saving gives the services only what changed.
"""

from django import forms
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.evidence_files import (
    ALLOWED_EXTENSIONS,
    allowed_list,
    checked_kind,
    limit_in_megabytes,
)
from audits.forms.audit import (
    EVIDENCE_MAX,
    OUT_OF_DATE,
    REFLECTION_MAX,
    digest,
    hidden_digest,
    hidden_version,
    long_text,
    stage_field,
)
from audits.instrument import REFLECTION_QUESTIONS, STAGES, Category
from audits.instrument_texts import descriptor
from audits.labels import category_label, stage_label
from audits.services import CategoryAnswer, ReflectionsAnswer


def _stage_choices(category: Category, version: int) -> list[tuple[int, str]]:
    """Each stage with what it looks like in this category (in the texts the audit is
    rated against)."""
    return [
        (
            stage.value,
            format_html(
                '<span class="stage-name">{}</span> <span class="stage-descriptor">{}</span>',
                stage_label(stage),
                _(descriptor(category, stage, version)),
            ),
        )
        for stage in STAGES
    ]


class CategoryForm(forms.Form):
    """One category of a draft. Saving with nothing changed writes nothing."""

    version = hidden_version()
    loaded = hidden_digest()
    attach = forms.FileField(
        label=gettext_lazy("Attach a file (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )
    link_url = forms.URLField(
        label=gettext_lazy("Add a link (optional)"),
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text=gettext_lazy(
            "The address of a page or document online, such as a shared folder."
        ),
    )
    link_title = forms.CharField(
        label=gettext_lazy("What the link is (optional)"), required=False, max_length=200
    )

    def __init__(self, *args, category: Category, texts_version: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        self.fields["stage"] = stage_field(
            category,
            label=_("Where is %(category)s now?") % {"category": category_label(category)},
            choices=_stage_choices(category, texts_version),
        )
        self.fields["evidence"] = long_text(
            _("How do we know?"),
            EVIDENCE_MAX,
            _("The evidence for %(category)s") % {"category": category_label(category)},
        )
        self.fields["attach"].help_text = _(
            "%(kinds)s; up to %(size)s MB. Not SVG, HTML or files with macros."
        ) % {"kinds": allowed_list(), "size": limit_in_megabytes()}
        # The browser says a file is too large before sending it (static/js/file-size.js):
        # a body far over the limit is refused before it is read, with what was typed.
        self.fields["attach"].widget.attrs.update(
            {
                "data-max-bytes": settings.EVIDENCE_FILE_MAX_BYTES,
                "data-too-large": _("This file is larger than %(size)s MB: choose a smaller file.")
                % {"size": limit_in_megabytes()},
            }
        )
        self.order_fields(["stage", "evidence", "attach", "link_url", "link_title"])

    @staticmethod
    def initial_for(rating) -> dict:
        return {
            "stage": rating.stage,
            "evidence": rating.evidence,
            "version": rating.version,
            "loaded": digest(rating.stage, rating.evidence),
        }

    def clean_attach(self):
        upload = self.cleaned_data.get("attach")
        if upload:
            checked_kind(upload)
        return upload

    def clean(self):
        data = super().clean()
        if data.get("link_title") and not data.get("link_url"):
            self.add_error("link_url", _("Give the link's address, or leave both empty."))
        return data

    def answer(self, *, confirming=False) -> CategoryAnswer | None:
        """The category as this person left it, or None when they changed nothing (or the
        post carried no evidence field at all, as a page always sends: a half-sent post
        never clears what is saved). `confirming` a rating copied from the last audit,
        unchanged is an answer too: saving it as it is confirms it."""
        if "evidence" not in self.data:
            return None
        stage, evidence = self.cleaned_data.get("stage"), self.cleaned_data.get("evidence", "")
        if digest(stage, evidence) == self.cleaned_data.get("loaded") and not confirming:
            return None
        return CategoryAnswer(stage, evidence, self.cleaned_data["version"])


class ReflectionsForm(forms.Form):
    """The four reflection questions of the journey."""

    version = hidden_version()
    loaded = hidden_digest()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in REFLECTION_QUESTIONS:
            text = _(question.question)
            self.fields[question.field] = long_text(
                text, REFLECTION_MAX, _("The answer to “%(question)s”") % {"question": text}
            )

    @staticmethod
    def initial_for(audit) -> dict:
        texts = {q.field: getattr(audit, q.field) for q in REFLECTION_QUESTIONS}
        return texts | {"version": audit.reflections_version, "loaded": digest(*texts.values())}

    def answer(self) -> ReflectionsAnswer | None:
        texts = {q.field: self.cleaned_data.get(q.field, "") for q in REFLECTION_QUESTIONS}
        if digest(*texts.values()) == self.cleaned_data.get("loaded"):
            return None
        return ReflectionsAnswer(texts, self.cleaned_data["version"])


class SubmitForm(forms.Form):
    """Submitting, on the check-your-answers page: the draft as checked, and a yes."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages=dict.fromkeys(("required", "invalid", "min_value"), OUT_OF_DATE),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I have checked these answers. Submit the audit: once submitted, it cannot be changed."
        ),
        error_messages={
            "required": gettext_lazy("Tick the box to confirm that the audit is to be submitted.")
        },
    )
