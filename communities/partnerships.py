"""Writes of partnerships, each atomic, with keyword-only arguments: saving one with the
cells of the grid it feeds, and ending one (dated, kept). The app's pages, agreed
support and the admin's own forms go through the model's checks (`full_clean`). A
change carries the version it was made from: one saved meanwhile by someone else (an
edit, or the partnership ended) is never overwritten."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audits.instrument import CATEGORY_BY_NUMBER
from communities.models import Partnership, PartnershipCategory


class PartnershipChanged(Exception):
    """Someone saved the partnership after the change began: nothing was saved."""

    def __init__(self, current: Partnership):
        super().__init__("The partnership changed meanwhile.")
        self.current = current


def lock_unchanged(partnership: Partnership, version: int | None) -> Partnership:
    """The saved partnership, locked until the commit; raises PartnershipChanged when
    its version is no longer `version` (None: the caller read it in this transaction)."""
    current = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if version is not None and current.version != version:
        raise PartnershipChanged(current)
    return current


@transaction.atomic
def partnership_save(
    *, partnership: Partnership, categories, by, version: int | None = None
) -> Partnership:
    """Saves a new or changed partnership and sets the categories it feeds (numbers) to
    exactly `categories`, recording `by` in the history of each row it writes. Clears
    "to review": its keeper has now said which cells it feeds. `version` is the version
    the change was made from. Raises PartnershipChanged when it was saved since,
    ValidationError (nothing saved) for what the model refuses, or a category the
    instrument lacks."""
    if partnership.pk is not None:
        partnership.version = lock_unchanged(partnership, version).version
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
    PartnershipChanged when it has ended meanwhile, ValidationError when the date is
    before it started."""
    current = lock_unchanged(partnership, None)
    if not current.is_current(timezone.localdate()):
        raise PartnershipChanged(current)
    current.ended_on = on or timezone.localdate()
    current.updated_by = by
    current.full_clean()
    current._history_user = by
    current.save()
    return current
