"""Calendar arithmetic shared by the rules and the payment plans (pure, no clock)."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """Return ``day`` moved by ``months`` calendar months, clamped to the end of the month.

    31 January + 1 month is 28 February (29 in a leap year); 29 February + 12 months is
    28 February. ``months`` may be negative. Always computed from ``day`` itself, so a monthly
    series built as ``add_months(start, i)`` never drifts (31 Jan, 29 Feb, 31 Mar, 30 Apr...).
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_day_in_year(year: int, month_day: tuple[int, int]) -> date:
    """The (month, day) pair in ``year``, clamped to the end of the month (29 Feb -> 28 Feb)."""
    month, day = month_day
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))
