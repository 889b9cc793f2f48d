"""What every part of a demo household is drawn with: the run's seeded generator and setting
(`Draw`: rows stamped like the app's, random moments and days), the rows gathered by table
(`Rows`), and what later rows of one household need to know about the earlier ones
(`HouseholdContext`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from mediadesk.domain.ids import new_id
from mediadesk.services.demo.pools import Random

HISTORY_DAYS = 730
Rows = dict[str, list[dict[str, Any]]]


@dataclass
class HouseholdContext:
    """What later rows of one household need to know about the earlier ones."""

    hh_id: uuid.UUID
    holder_id: uuid.UUID
    title: str
    last_name: str
    first_day: date
    language: str
    suppliers: list[str] = field(default_factory=list)
    amounts: list[int] = field(default_factory=list)
    plan_months: list[int] = field(default_factory=list)
    consents: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)


class Draw:
    """One run's random generator and setting: who writes (``stamp``), the sites, the
    partners by kind, and the day of the run."""

    def __init__(self, rng: Random, stamp: dict[str, Any], sites: list[Any],
                 partners: dict[str, list[Any]], today: date) -> None:
        self.rng, self.stamp = rng, stamp
        self.sites, self.partners, self.today = sites, partners, today
        self.user = stamp["created_by"]

    def row(self, when: datetime, /, **fields: Any) -> dict[str, Any]:
        """A new row stamped like the app's, created and updated ``when``."""
        return {**self.stamp, "id": new_id(), "created_at": when, "updated_at": when, **fields}

    def moment(self, day: date) -> datetime:
        """A random time of ``day`` during opening hours."""
        minutes = 7 * 60 + self.rng.below(10 * 60)  # 08:00-18:00 in Paris, roughly
        return datetime(day.year, day.month, day.day, minutes // 60, minutes % 60,
                        self.rng.below(60), tzinfo=UTC)

    def day_after(self, start: date, max_days: int) -> date:
        """A day up to ``max_days`` after ``start``, never after the day of the run."""
        return min(start + timedelta(days=self.rng.below(max_days + 1)), self.today)

    def digits(self, n: int) -> str:
        """``n`` random digits, the first not zero."""
        return str(self.rng.between(10 ** (n - 1), 10**n))
