"""How the instrument's stages and categories are written on pages, charts, exports and
admin columns, in the reader's language.

The instrument (`audits.instrument`) holds English message ids; this module translates
them when something is rendered, and chooses the words for what is not a stage ("Not
rated", "Incomplete"), the short forms for charts, and the reason a pairing is
suggested. Everything returns text in the active language, so call it at render time.
"""

from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from audits.instrument import Category, Stage

NOT_RATED = gettext_lazy("Not rated")
INCOMPLETE = gettext_lazy("Incomplete")  # an overall stage while any category is unrated
NO_AUDIT = gettext_lazy("No submitted audit")

_SHORT_AREA = {
    "teaching": pgettext_lazy("short area name, on charts", "Teaching"),
    "leadership": pgettext_lazy("short area name, on charts", "Leadership"),
    "collaborative": pgettext_lazy("short area name, on charts", "Collab."),
}
_SHORT_SOURCE = {
    "research": pgettext_lazy("short source name, on charts", "research"),
    "practice": pgettext_lazy("short source name, on charts", "practice"),
    "innovation": pgettext_lazy("short source name, on charts", "innovation"),
}


def stage_label(value: Stage | int | None, *, missing: str = NOT_RATED) -> str:
    """The name of a stage (a Stage or its value), or `missing` when there is none."""
    if value is None or value == "":
        return str(missing)
    return gettext(Stage(int(value)).label)


def overall_label(value: Stage | int | None) -> str:
    """The name of an overall stage, or "Incomplete" while any category is unrated."""
    return stage_label(value, missing=INCOMPLETE)


def category_label(category: Category) -> str:
    """ "Leadership × Best practice": the category's area and source."""
    return gettext("%(area)s × %(source)s") % {
        "area": gettext(category.area.label),
        "source": gettext(category.source.label),
    }


def category_short_label(category: Category) -> str:
    """A label that fits a chart's margin: "4. Leadership practice"."""
    return gettext("%(number)s. %(area)s %(source)s") % {
        "number": category.number,
        "area": _SHORT_AREA[category.area.value],
        "source": _SHORT_SOURCE[category.source.value],
    }


def pairing_reason(pairing) -> str:
    """Why a helper is suggested: "Integration in Leadership × Best practice"."""
    return gettext("%(stage)s in %(category)s") % {
        "stage": stage_label(pairing.helper_stage),
        "category": category_label(pairing.category),
    }
