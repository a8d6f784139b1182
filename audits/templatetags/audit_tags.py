"""Small filters for showing stages: a class for the colour, and the name written out
(`audits.labels` chooses the words)."""

from django import template

from audits import labels

register = template.Library()


@register.filter
def stage_class(value) -> str:
    """The colour class of a stage (stage-1 … stage-4), or stage-none when unrated."""
    return "stage-none" if value in (None, "") else f"stage-{int(value)}"


@register.filter
def stage_label(value) -> str:
    """The name of a stage, or "Not rated"."""
    return labels.stage_label(value)


@register.filter
def overall_label(value) -> str:
    """The name of an overall stage, or "Incomplete"."""
    return labels.overall_label(value)


@register.filter
def category_label(category) -> str:
    """ "Leadership × Best practice", in the reader's language."""
    return labels.category_label(category)


@register.filter
def pairing_reason(pairing) -> str:
    """Why a helper is suggested: "Integration in Leadership × Best practice"."""
    return labels.pairing_reason(pairing)
