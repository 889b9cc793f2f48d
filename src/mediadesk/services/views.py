"""Plain, frozen objects that services return and the UI shows. No ORM, no Qt."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class HouseholdHit:
    """One search result: enough to recognise a household in a list."""

    id: uuid.UUID
    name: str
    address: str
    phones: tuple[str, ...]
    status: str


@dataclass(frozen=True)
class PhoneView:
    id: uuid.UUID
    number: str  # display form ("06 12 34 56 78")
    status: str


@dataclass(frozen=True)
class MemberView:
    id: uuid.UUID
    first_name: str
    last_name: str
    role: str
    birth_year: int | None


@dataclass(frozen=True)
class ContractView:
    id: uuid.UUID
    supplier: str
    energy: str
    customer_ref: str | None
    meter_point: str | None
    linky: bool | None
    energy_voucher_attestation_sent: bool


@dataclass(frozen=True)
class DebtView:
    id: uuid.UUID
    contract_id: uuid.UUID | None
    amount_cents: int
    period_start: date | None
    period_end: date | None
    contested: bool


@dataclass(frozen=True)
class TimelineItem:
    """One dated event of a dossier. ``kind``: interview, contact, note, action, orientation,
    incident, follow_up. ``at`` is timezone-aware UTC."""

    id: uuid.UUID
    at: datetime
    kind: str
    title: str
    detail: str = ""
    all_day: bool = False  # dated to the day only (a due date): show no time of day


@dataclass(frozen=True)
class HouseholdView:
    id: uuid.UUID
    name: str
    street: str
    address_extra: str
    postal_code: str
    city: str
    email: str
    languages: tuple[str, ...]
    interpreter_needed: bool
    status: str
    version: int

    @property
    def address(self) -> str:
        town = " ".join(part for part in (self.postal_code, self.city) if part)
        return ", ".join(part for part in (self.street, self.address_extra, town) if part)


@dataclass(frozen=True)
class Dossier:
    household: HouseholdView
    members: tuple[MemberView, ...]
    phones: tuple[PhoneView, ...]
    contracts: tuple[ContractView, ...]
    debts: tuple[DebtView, ...]
    timeline: tuple[TimelineItem, ...]

    @property
    def total_debt_cents(self) -> int:
        return sum(debt.amount_cents for debt in self.debts)


@dataclass(frozen=True)
class MemberDraft:
    first_name: str
    last_name: str
    role: str = "holder"
    birth_year: int | None = None


@dataclass(frozen=True)
class PhoneDraft:
    number: str  # as typed, any format
    status: str = "unverified"


@dataclass(frozen=True)
class HouseholdDraft:
    """What a person types to create or edit a household's core fields."""

    name: str
    street: str = ""
    address_extra: str = ""
    postal_code: str = ""
    city: str = ""
    email: str = ""
    languages: tuple[str, ...] = ("fr",)
    interpreter_needed: bool = False
    phones: tuple[PhoneDraft, ...] = ()
    members: tuple[MemberDraft, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class InterviewSummary:
    """An interview in a list (e.g. the drafts that can be resumed)."""

    id: uuid.UUID
    household_id: uuid.UUID
    started_at: datetime
    status: str  # draft / done
    current_step: int  # mediadesk.interview.Step value
    place: str


@dataclass(frozen=True)
class InterviewView:
    """An interview with its whole typed state (`mediadesk.interview.InterviewState`)."""

    summary: InterviewSummary
    household_name: str
    state: Any
    finished_at: datetime | None
    autonomy_level: int | None

    @property
    def id(self) -> uuid.UUID:
        return self.summary.id


@dataclass(frozen=True)
class SavedAnswer:
    """Receipt of one autosaved field."""

    interview_id: uuid.UUID
    key: str
    saved_at: datetime
