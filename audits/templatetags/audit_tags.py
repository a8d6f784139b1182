"""Small filters for showing stages: a class for the colour, and the name written out."""

from django import template

from audits.instrument import Stage

register = template.Library()


def _stage(value) -> Stage | None:
    return None if value in (None, "") else Stage(int(value))


@register.filter
def stage_class(value) -> str:
    """The colour class of a stage (stage-1 … stage-4), or stage-none when unrated."""
    stage = _stage(value)
    return f"stage-{int(stage)}" if stage else "stage-none"


@register.filter
def stage_label(value) -> str:
    """The name of a stage, or "Not rated"."""
    stage = _stage(value)
    return stage.label if stage else "Not rated"
