"""Plain report data: what services build from the store and the documents print.

Frozen dataclasses of already-chosen texts, dates and amounts in cents. No ORM, no Qt: a
document can be rendered (and tested) from these alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class SheetStep:
    """One agreed next step. ``actor``: an `Actor` value (household, mediator, partner)."""

    actor: str
    description: str
    due_on: date | None = None


@dataclass(frozen=True)
class SheetData:
    """The household's next-step sheet, in ``language`` (a key of `sheet_texts.TEXTS`).

    ``steps`` in the agreed order: the first one is stressed. Amounts in cents, None when unknown.
    """

    language: str
    household_name: str
    made_on: date
    steps: tuple[SheetStep, ...]
    supplier: str = ""
    debt_cents: int | None = None
    monthly_cents: int | None = None
    plan_start_on: date | None = None
    delay_until: date | None = None
    follow_up_on: date | None = None
    mediator_name: str = ""
    desk_phone: str = ""


@dataclass(frozen=True)
class Line:
    """A label and its value, both ready to print."""

    label: str
    value: str


@dataclass(frozen=True)
class DebtLine:
    supplier: str
    energy: str
    amount_cents: int
    period_start: date | None
    period_end: date | None
    contested: bool


@dataclass(frozen=True)
class PlanLine:
    """A payment plan or extra time negotiated with a supplier (from an interview)."""

    supplier: str
    monthly_cents: int | None
    start_on: date | None
    delay_until: date | None
    agreed: bool


@dataclass(frozen=True)
class InterviewBlock:
    """One interview's key answers."""

    started_on: date
    done: bool
    autonomy_level: int | None
    answers: tuple[Line, ...]


@dataclass(frozen=True)
class DatedItem:
    """A next step, orientation or follow-up of the dossier."""

    on: date | None
    title: str
    detail: str = ""


@dataclass(frozen=True)
class DossierData:
    """The confidential dossier summary."""

    household_name: str
    printed_on: date
    identity: tuple[Line, ...]
    members: tuple[Line, ...]
    situation: tuple[Line, ...]
    debts: tuple[DebtLine, ...]
    total_debt_cents: int
    plans: tuple[PlanLine, ...]
    interviews: tuple[InterviewBlock, ...]
    next_steps: tuple[DatedItem, ...]
    orientations: tuple[DatedItem, ...]
    follow_ups: tuple[DatedItem, ...]


@dataclass(frozen=True)
class WorklistRow:
    due_on: date
    household_name: str
    phone: str
    kind: str  # "follow_up" or "orientation_check"
    reason: str
    assignee_name: str
    days_late: int = 0


@dataclass(frozen=True)
class WorklistData:
    """The follow-up worklist of a team or one mediator over a date range."""

    team_name: str
    scope: str  # who the list is for ("toute l'équipe" or a mediator's name)
    start: date | None
    end: date | None
    printed_on: date
    rows: tuple[WorklistRow, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Count:
    """One counted indicator, its label ready to print."""

    label: str
    value: int
    money: bool = False  # value in cents


@dataclass(frozen=True)
class Figure:
    """One indicator of the activity report: defined once, its total and its breakdowns.

    ``by_site`` and ``by_mediator`` are (name, value) pairs; a household seen at two sites
    counts once under each, so a breakdown may add up to more than the total."""

    code: str
    label: str
    definition: str
    money: bool
    total: int
    by_site: tuple[tuple[str, int], ...] = ()
    by_mediator: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class FunderData:
    """The funder activity report over a period. Household indicators count each household
    once however many interviews, orientations or contacts it had."""

    team_name: str
    start: date
    end: date
    printed_on: date
    indicators: tuple[Count, ...]
    registers: tuple[Count, ...]  # interviews by intervention register, in register order
    mediators: tuple[Count, ...]  # finished interviews by mediator
    figures: tuple[Figure, ...] = ()  # every chosen indicator, with its definition
    profile: str = ""  # the partner agreement whose indicator selection was used
