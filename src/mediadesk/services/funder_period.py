"""What a funder report's period holds: `load_period` reads it once, in a few queries, and
every indicator (`funder_indicators`) then reads the `Period` in memory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.orm import Session, aliased

from mediadesk.domain.enums import ContactOutcome, InterviewStatus
from mediadesk.interview import InterviewState
from mediadesk.store.models import (
    CollectiveAction,
    ContactAttempt,
    Household,
    Incident,
    Interview,
    InterviewAnswer,
    Orientation,
)

LOAD_STEPS = 6  # the queries of `load_period`, each followed by a checkpoint
# The only interview answers the report reads: loading these alone keeps a year fast.
_ANSWER_KEYS = ("options.chosen", "supplier.plan_agreed", "supplier.supplier_amount_cents",
                "supplier.negotiated_delay_until", "situation.declared_debt_cents")


@dataclass(frozen=True)
class DoneInterview:
    """A finished interview of the period, with the answers the indicators read."""

    id: str
    household: str
    site: str | None
    mediator: str | None
    registers: frozenset[int]
    state: InterviewState


@dataclass(frozen=True)
class HouseholdEvent:
    """An orientation, a household's unanswered contacts, or an incident of the period."""

    id: str
    household: str
    site: str | None
    mediator: str | None
    kind: str  # partner kind, contact outcome, incident severity


@dataclass(frozen=True)
class Period:
    """What the period holds, loaded once and read by every indicator."""

    interviews: tuple[DoneInterview, ...]
    orientations: tuple[HouseholdEvent, ...]
    contacts: tuple[HouseholdEvent, ...]
    incidents: tuple[HouseholdEvent, ...]
    actions: tuple[tuple[str, str | None, int, str | None], ...]


def raw_id(column: Any) -> Any:
    """An id column read as its stored text: the report only compares ids, and parsing
    hundreds of thousands of UUIDs would cost seconds on a big store."""
    return type_coerce(column, String)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (datetime.combine(start, time(0), tzinfo=UTC),
            datetime.combine(end + timedelta(days=1), time(0), tzinfo=UTC))


def load_period(session: Session, start: date, end: date,
                checkpoint: Callable[[], None] | None = None) -> Period:
    """Everything the indicators of ``start``..``end`` (inclusive) read, in a few queries;
    ``checkpoint()`` is called after each of them (it may raise to stop)."""
    step = checkpoint or (lambda: None)
    low, high = _bounds(start, end)
    home = raw_id(Household.site_id)
    interviews = session.execute(
        select(raw_id(Interview.id).label("id"), raw_id(Interview.household_id).label("household"),
               Interview.registers,
               func.coalesce(raw_id(Interview.site_id), home).label("site"),
               # who ran it: the mediator named, else whoever created it on a laptop
               func.coalesce(raw_id(Interview.mediator_id), raw_id(Interview.created_by))
               .label("mediator"))
        .join(Household, Household.id == Interview.household_id)
        .where(Interview.status == InterviewStatus.DONE, Interview.deleted_at.is_(None),
               Interview.started_at >= low, Interview.started_at < high)
        .order_by(Interview.started_at)).all()
    step()
    states = _states(session, [row.id for row in interviews])
    step()
    done = tuple(DoneInterview(row.id, row.household, row.site, row.mediator,
                               frozenset(int(r) for r in row.registers or ()), states[row.id])
                 for row in interviews)
    orientations = tuple(
        HouseholdEvent(row.id, row.household, row.site, row.mediator, str(row.kind.value))
        for row in session.execute(
            select(raw_id(Orientation.id).label("id"),
                   raw_id(Orientation.household_id).label("household"), home.label("site"),
                   raw_id(Orientation.created_by).label("mediator"),
                   Orientation.partner_kind.label("kind"))
            .join(Household, Household.id == Orientation.household_id)
            .where(Orientation.deleted_at.is_(None), Orientation.oriented_on >= start,
                   Orientation.oriented_on <= end)))
    step()
    # Contacts are many: only the attempts of households never reached nor met in the period
    # are loaded, one row per household and author.
    in_period = (ContactAttempt.deleted_at.is_(None), ContactAttempt.at >= low,
                 ContactAttempt.at < high)
    other = aliased(ContactAttempt)  # not correlated with the outer query
    reached = select(other.household_id).where(
        other.deleted_at.is_(None), other.at >= low, other.at < high,
        other.outcome == ContactOutcome.REACHED)
    met = select(Interview.household_id).where(
        Interview.status == InterviewStatus.DONE, Interview.deleted_at.is_(None),
        Interview.started_at >= low, Interview.started_at < high)
    contacts = tuple(
        HouseholdEvent(row.household, row.household, row.site, row.mediator,
                       ContactOutcome.NO_ANSWER.value)
        for row in session.execute(
            select(raw_id(ContactAttempt.household_id).label("household"), home.label("site"),
                   raw_id(ContactAttempt.created_by).label("mediator"))
            .join(Household, Household.id == ContactAttempt.household_id)
            .where(*in_period, ContactAttempt.household_id.not_in(reached),
                   ContactAttempt.household_id.not_in(met))
            .group_by(ContactAttempt.household_id, ContactAttempt.created_by)))
    step()
    incidents = tuple(
        HouseholdEvent(row.id, row.household, row.site, row.mediator, row.severity)
        for row in session.execute(
            select(raw_id(Incident.id).label("id"),
                   raw_id(Incident.household_id).label("household"),
                   home.label("site"), raw_id(Incident.created_by).label("mediator"),
                   Incident.severity)
            .join(Household, Household.id == Incident.household_id)
            .where(Incident.deleted_at.is_(None), Incident.at >= low, Incident.at < high)))
    step()
    actions = tuple(
        (row.id, row.site, row.attendance or 0, row.mediator)
        for row in session.execute(
            select(raw_id(CollectiveAction.id).label("id"),
                   raw_id(CollectiveAction.site_id).label("site"), CollectiveAction.attendance,
                   raw_id(CollectiveAction.created_by).label("mediator"))
            .where(CollectiveAction.deleted_at.is_(None), CollectiveAction.held_on >= start,
                   CollectiveAction.held_on <= end)))
    step()
    return Period(done, orientations, contacts, incidents, actions)


def _states(session: Session, ids: list[str]) -> dict[str, InterviewState]:
    answers: dict[str, dict[str, object]] = {interview_id: {} for interview_id in ids}
    if ids:
        for chunk in range(0, len(ids), 900):
            rows = session.execute(
                select(raw_id(InterviewAnswer.interview_id), InterviewAnswer.key,
                       InterviewAnswer.value)
                .where(raw_id(InterviewAnswer.interview_id).in_(ids[chunk:chunk + 900]),
                       InterviewAnswer.key.in_(_ANSWER_KEYS),
                       InterviewAnswer.deleted_at.is_(None)))
            for row in rows:
                answers[row[0]][row.key] = row.value
    empty = InterviewState()
    return {interview_id: InterviewState.from_answers(values) if values else empty  # type: ignore[arg-type]
            for interview_id, values in answers.items()}
