"""Plain, frozen objects of the contact campaign (no ORM, no Qt)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

#: Entry statuses (ReferralEntry.status). The first two are still to reach.
TO_CONTACT: Final = "to_contact"
IN_PROGRESS: Final = "in_progress"
REACHED: Final = "reached"
REFUSED: Final = "refused"
OPEN_STATUSES: Final[tuple[str, ...]] = (TO_CONTACT, IN_PROGRESS)

#: Outcome codes of the return file sent back to the partner.
RETURN_REACHED: Final = "reached"
RETURN_UNREACHABLE: Final = "unreachable"
RETURN_PLAN: Final = "plan_negotiated"
RETURN_HANDED_OVER: Final = "handed_over"
RETURN_PENDING: Final = "pending"


@dataclass(frozen=True)
class AttemptView:
    id: uuid.UUID
    at: datetime
    channel: str  # ContactChannel value
    outcome: str  # ContactOutcome value
    phone: str  # the number called ("" when none)
    next_attempt_on: date | None
    comment: str


@dataclass(frozen=True)
class PhoneChoice:
    id: uuid.UUID
    number: str  # display form
    status: str  # PhoneStatus value


@dataclass(frozen=True)
class CampaignEntry:
    """One listed customer to reach. ``next_phone`` is never a wrong number; ``phones`` lists
    every number that may still be called (best first). ``suggestion`` is French UI text ("" when
    nothing special: call the next phone)."""

    id: uuid.UUID
    list_id: uuid.UUID
    partner: str
    line_no: int
    customer_ref: str
    household_id: uuid.UUID | None
    household_name: str
    status: str
    assignee_id: uuid.UUID | None
    assignee_name: str
    next_phone: PhoneChoice | None
    phones: tuple[PhoneChoice, ...]
    attempts: tuple[AttemptView, ...]
    failed_calls: int
    next_attempt_on: date | None
    suggestion: str


@dataclass(frozen=True)
class MediatorChoice:
    id: uuid.UUID
    name: str
    languages: tuple[str, ...]
    reason: str  # French: why suggested
