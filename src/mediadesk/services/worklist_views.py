"""Plain, frozen objects of the follow-up worklist (no ORM, no Qt).

Kept apart from `views.py` so the worklist can grow without touching the dossier's views.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final, Literal

#: Which due dates a worklist shows: before today, today, from today to Sunday, any date.
Window = Literal["overdue", "today", "week", "all_open"]
WINDOWS: Final[tuple[Window, ...]] = ("overdue", "today", "week", "all_open")
#: ``assignee`` filter: None is the whole team's list, ``TEAM`` what nobody has taken yet,
#: a user id what is assigned to that mediator.
TEAM: Final = "team"
Assignee = uuid.UUID | Literal["team"] | None


class WorkKind(StrEnum):
    FOLLOW_UP = "follow_up"  # a scheduled call or visit (FollowUp)
    ORIENTATION_CHECK = "orientation_check"  # did the hand-over to a partner happen?


@dataclass(frozen=True)
class WorklistItem:
    """One thing the team has to do for a household by ``due_on``.

    ``id`` is the follow-up's or the orientation's id (see ``kind``). ``phone`` is the display
    form of the household's first usable number ("" when none). ``channel`` is the stored
    `ContactChannel` value of a follow-up (None for an orientation check); ``partner_kind``
    (a `PartnerKind` value) and ``partner`` (a name, "" when not from the directory) belong to
    an orientation check. ``assignee_id`` is None while the item is the team's as a whole.
    """

    id: uuid.UUID
    kind: WorkKind
    household_id: uuid.UUID
    household_name: str
    phone: str
    due_on: date
    reason: str
    channel: str | None
    partner_kind: str | None
    partner: str
    assignee_id: uuid.UUID | None
    assignee_name: str
    overdue: bool
    days_late: int = 0
    done: bool = False

    @property
    def assignable(self) -> bool:
        """Orientation checks stay with the team (the orientation has no assignee)."""
        return self.kind is WorkKind.FOLLOW_UP


@dataclass(frozen=True)
class WorklistCounts:
    """How many items each window holds, for the same assignee filter."""

    overdue: int
    today: int
    week: int
    all_open: int

    def of(self, window: Window) -> int:
        count: int = getattr(self, window)
        return count


@dataclass(frozen=True)
class Mediator:
    """A member of the team, to filter by or to assign to."""

    id: uuid.UUID
    name: str
