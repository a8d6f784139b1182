"""The error summary of a page's forms (the GOV.UK pattern): each error linked to its
field. Used by the forms of every app, so it lives with the project."""

from django import forms
from django.utils.html import strip_tags
from django.utils.translation import gettext as _


def field_anchor(field: forms.BoundField) -> str:
    """The id an error links to: the field, or the first of its radio buttons or
    checkboxes (a group of them has no element of its own to land on)."""
    if isinstance(field.field.widget, forms.RadioSelect):  # CheckboxSelectMultiple is one
        return f"{field.auto_id}_0"
    return field.auto_id


def error_summary_links(*forms_: forms.Form | None, form_anchor: str) -> list[tuple[str, str]]:
    """(anchor id, message) for the error summary of a page's forms, in their order and
    each in its fields' order: each field's errors link to the field, with its label; a
    form's own errors to `form_anchor`. A message that carries a link of its own (as the
    start form's does) is shown as plain text here: the summary's items are links already,
    and the field's own message keeps its link."""
    links = []
    for form in filter(None, forms_):
        names = [name for name in form.fields if name in form.errors]
        for name in names + [name for name in form.errors if name not in names]:
            errors = form.errors[name]
            if name in form.fields and not form[name].is_hidden:
                field = form[name]
                label = strip_tags(str(field.label))
                links.extend(
                    (
                        field_anchor(field),
                        _("%(field)s: %(error)s") % {"field": label, "error": strip_tags(e)},
                    )
                    for e in errors
                )
            else:
                links.extend((form_anchor, strip_tags(error)) for error in errors)
    return links
