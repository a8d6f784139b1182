"""The error summary of a form (the GOV.UK pattern): each error linked to its field."""

from django import forms
from django.utils.html import strip_tags
from django.utils.translation import gettext as _


def field_anchor(field: forms.BoundField) -> str:
    """The id an error links to: the field, or the first of its radio buttons (a group of
    them has no element of its own to land on)."""
    if isinstance(field.field.widget, forms.RadioSelect):
        return f"{field.auto_id}_0"
    return field.auto_id


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
                    field_anchor(field),
                    _("%(field)s: %(error)s") % {"field": field.label, "error": strip_tags(e)},
                )
                for e in errors
            )
        else:
            links.extend((form_anchor, strip_tags(error)) for error in errors)
    return links
