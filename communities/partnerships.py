"""Writes of partnerships, each atomic, with keyword-only arguments: saving one with the
cells of the grid it feeds, and ending one (dated, kept). The app's pages, agreed
support and the admin's own forms go through the model's checks (`full_clean`)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audits.instrument import CATEGORY_BY_NUMBER
from communities.models import Partnership, PartnershipCategory


@transaction.atomic
def partnership_save(*, partnership: Partnership, categories, by) -> Partnership:
    """Saves a new or changed partnership and sets the categories it feeds (numbers) to
    exactly `categories`, recording `by` in the history of each row it writes. Clears
    "to review": its keeper has now said which cells it feeds. Raises ValidationError
    (nothing saved) for what the model refuses, or a category the instrument lacks."""
    numbers = {int(n) for n in categories}
    unknown = numbers - set(CATEGORY_BY_NUMBER)
    if unknown:
        raise ValidationError({"categories": f"Unknown categories: {sorted(unknown)}."})
    partnership.to_review = False
    partnership.updated_by = by
    partnership.full_clean()
    partnership._history_user = by
    partnership.save()
    _set_cells(partnership, numbers, by)
    return partnership


def _set_cells(partnership: Partnership, numbers: set[int], by) -> None:
    saved = PartnershipCategory.objects.filter(partnership=partnership)
    cells = {cell.category: cell for cell in saved}
    for number in sorted(set(cells) - numbers):
        cells[number]._history_user = by
        cells[number].delete()
    for number in sorted(numbers - set(cells)):
        cell = PartnershipCategory(partnership=partnership, category=number)
        cell._history_user = by
        cell.save()


@transaction.atomic
def partnership_end(
    *, partnership: Partnership, on: datetime.date | None = None, by
) -> Partnership:
    """Ends a partnership on a date (today by default), keeping it and its cells. Raises
    ValidationError when the date is before it started."""
    partnership.ended_on = on or timezone.localdate()
    partnership.updated_by = by
    partnership.full_clean()
    partnership._history_user = by
    partnership.save()
    return partnership
