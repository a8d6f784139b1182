"""The dates people enter (when a partnership started, a deadline, an action's due date)
lie between 1900 and ten years from today: a year typed as 0001 or 9999 is a slip, not a
plan, and is refused on the field it was typed in."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

EARLIEST_YEAR = 1900
YEARS_AHEAD = 10


def date_problem(value: datetime.date) -> str | None:
    """Why `value` is not a date someone meant, or None."""
    earliest = datetime.date(EARLIEST_YEAR, 1, 1)
    latest = datetime.date(timezone.localdate().year + YEARS_AHEAD, 12, 31)
    if earliest <= value <= latest:
        return None
    return _("Enter a date between %(earliest)s and %(latest)s.") % {
        "earliest": earliest.isoformat(),
        "latest": latest.isoformat(),
    }


@deconstructible
class PlausibleDate:
    """The validator of the date fields, for the model and its forms (the admin's too)."""

    def __call__(self, value: datetime.date) -> None:
        if problem := date_problem(value):
            raise ValidationError(problem, code="out_of_range")

    def __eq__(self, other) -> bool:
        return isinstance(other, PlausibleDate)


plausible_date = PlausibleDate()
