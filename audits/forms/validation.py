"""The forms of peer validation: inviting a peer, the peer's answer to one category, and
completing.

The category form carries the version of the peer's rating as loaded and a digest of what
it held, like the leader's category pages (`audits.forms.category`): saving with nothing
changed writes nothing, and a save over someone else's (another tab's) is refused.
"""

from django import forms
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.forms.audit import (
    EVIDENCE_MAX,
    OUT_OF_DATE,
    digest,
    hidden_digest,
    hidden_version,
    long_text,
)
from audits.instrument import STAGES, Category, Stage
from audits.instrument_texts import descriptor
from audits.labels import category_label, stage_label
from audits.services import PeerAnswer
from audits.services.validation import answer_errors

MESSAGE_MAX = 2_000


class InviteForm(forms.Form):
    """Choosing the peer to invite among those eligible, with an optional message."""

    def __init__(self, *args, peers, **kwargs):
        super().__init__(*args, **kwargs)
        self.peers = {peer.user.pk: peer for peer in peers}
        self.fields["validator"] = forms.TypedChoiceField(
            label=_("Who should validate this audit?"),
            choices=[(pk, peer.label) for pk, peer in self.peers.items()],
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Choose the peer to invite."),
                "invalid_choice": _("Choose one of the peers listed."),
            },
        )
        self.fields["message"] = long_text(
            _("A message to them (optional)"), MESSAGE_MAX, _("The message")
        )

    def chosen(self):
        """The person chosen (a user)."""
        return self.peers[self.cleaned_data["validator"]].user


def _peer_choices(category: Category, school_stage: int | None, version: int) -> list:
    """ "I agree: <the school's stage>" first, then each other stage with what it looks
    like in this category."""

    def choice(stage: Stage, name: str):
        return (
            stage.value,
            format_html(
                '<span class="stage-name">{}</span> <span class="stage-descriptor">{}</span>',
                name,
                _(descriptor(category, stage, version)),
            ),
        )

    choices = []
    if school_stage is not None:
        agreed = Stage(school_stage)
        choices.append(choice(agreed, _("I agree: %(stage)s") % {"stage": stage_label(agreed)}))
    choices.extend(choice(s, stage_label(s)) for s in STAGES if s.value != school_stage)
    return choices


class PeerCategoryForm(forms.Form):
    """The peer's answer to one category: agree with the school's stage, or give another
    with a comment saying why."""

    version = hidden_version()
    loaded = hidden_digest()

    def __init__(self, *args, rating, category: Category, texts_version: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.rating = rating
        self.fields["stage"] = forms.TypedChoiceField(
            label=_("Do you agree with the school's stage for %(category)s?")
            % {"category": category_label(category)},
            choices=_peer_choices(category, rating.school_stage, texts_version),
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            error_messages={
                "invalid_choice": _("Choose whether you agree, or one of the other three stages.")
            },
        )
        self.fields["comment"] = long_text(
            _("Your comment"),
            EVIDENCE_MAX,
            _("The comment on %(category)s") % {"category": category_label(category)},
        )
        self.fields["comment"].help_text = _(
            "Needed when you would give another stage: say what you saw. "
            "Up to %(limit)s characters."
        ) % {"limit": number_format(EVIDENCE_MAX, force_grouping=True)}
        self.order_fields(["stage", "comment"])

    @staticmethod
    def initial_for(rating) -> dict:
        return {
            "stage": rating.stage,
            "comment": rating.comment,
            "version": rating.version,
            "loaded": digest(rating.stage, rating.comment),
        }

    def clean(self):
        data = super().clean()
        if "stage" in data and "comment" in data:
            answer = PeerAnswer(data["stage"], data["comment"], data.get("version") or 1)
            for name, error in answer_errors(self.rating, answer).items():
                self.add_error(name, error)
        return data

    def answer(self) -> PeerAnswer | None:
        """The category as the peer left it, or None when they changed nothing."""
        stage, comment = self.cleaned_data.get("stage"), self.cleaned_data.get("comment", "")
        if digest(stage, comment) == self.cleaned_data.get("loaded"):
            return None
        return PeerAnswer(stage, comment, self.cleaned_data["version"])


class CompleteForm(forms.Form):
    """Completing, on the check page: the validation as checked, and a yes."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages=dict.fromkeys(("required", "invalid", "min_value"), OUT_OF_DATE),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I have checked my answers. Complete the validation: once completed, it cannot "
            "be changed."
        ),
        error_messages={
            "required": gettext_lazy("Tick the box to confirm that the validation is complete.")
        },
    )
