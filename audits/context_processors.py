"""What every template may read from the instrument: the stages, and how many
categories there are, so that no template types a stage's name or "9"."""

from audits.instrument import CATEGORIES, STAGES


def instrument(request) -> dict:
    return {"STAGES": STAGES, "CATEGORY_COUNT": len(CATEGORIES)}
