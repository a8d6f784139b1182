"""How the instrument's stages and categories are written on pages, charts and exports.

The instrument (`audits.instrument`) holds the names; this module chooses the words for
what is not a stage ("Not rated", "Incomplete") and the short forms, once, for every
page, chart, export and admin column.
"""

from audits.instrument import Category, Stage

NOT_RATED = "Not rated"
INCOMPLETE = "Incomplete"  # an overall stage while any category is unrated
NO_AUDIT = "No submitted audit"

_SHORT_AREA = {"teaching": "Teaching", "leadership": "Leadership", "collaborative": "Collab."}


def stage_label(value: Stage | int | None, *, missing: str = NOT_RATED) -> str:
    """The name of a stage (a Stage or its value), or `missing` when there is none."""
    if value is None or value == "":
        return missing
    return Stage(int(value)).label


def overall_label(value: Stage | int | None) -> str:
    """The name of an overall stage, or "Incomplete" while any category is unrated."""
    return stage_label(value, missing=INCOMPLETE)


def category_short_label(category: Category) -> str:
    """A label that fits a chart's margin: "4. Leadership practice"."""
    source = category.source.label.split()[-1].lower()
    return f"{category.number}. {_SHORT_AREA[category.area.value]} {source}"
