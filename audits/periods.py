"""Periods: the academic year an audit describes, written "2026/27".

The academic year starts on the first of SCHOOL_YEAR_START_MONTH (September in England,
July in Quebec); "the current period" is the year today falls in, in the site's time zone.
"""

import datetime
import re

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

PERIOD_PATTERN = re.compile(r"^(\d{4})/(\d{2})$")
FIRST_PERIOD_START = 2000  # 2000/01: the earliest academic year an audit may describe


def academic_year_start(on: datetime.date | None = None) -> int:
    """The calendar year in which the academic year of a day began."""
    on = on or timezone.localdate()
    return on.year if on.month >= settings.SCHOOL_YEAR_START_MONTH else on.year - 1


def period_for(start: int) -> str:
    """The period of the academic year starting in `start`, such as "2026/27"."""
    return f"{start}/{(start + 1) % 100:02d}"


def academic_year(on: datetime.date | None = None) -> str:
    """The academic year a day falls in, such as "2026/27"."""
    return period_for(academic_year_start(on))


def period_error(period: str, today: datetime.date | None = None) -> str | None:
    """Why `period` cannot be the period of a new audit, or None when it can: two
    consecutive years, from 2000/01 up to this school year (an audit describes a year
    that has begun; a later one would become a school's "latest" for years)."""
    match = PERIOD_PATTERN.match(period)
    if not match or period_for(int(match[1])) != period:
        return _(
            "The period must be an academic year written as two consecutive years, "
            "such as 2025/26 (not 2025/27)."
        )
    latest = academic_year_start(today)
    if not FIRST_PERIOD_START <= int(match[1]) <= latest:
        return _(
            "The period must be between %(first)s and %(last)s (this school year): an audit "
            "describes a school year that has begun."
        ) % {"first": period_for(FIRST_PERIOD_START), "last": period_for(latest)}
    return None


def period_dates(period: str) -> tuple[datetime.date, datetime.date]:
    """The first and last days of a period: from the first of SCHOOL_YEAR_START_MONTH to
    the day before it a year later ("2025/26": 1 September 2025 to 31 August 2026)."""
    start = datetime.date(int(period[:4]), settings.SCHOOL_YEAR_START_MONTH, 1)
    return start, start.replace(year=start.year + 1) - datetime.timedelta(days=1)
