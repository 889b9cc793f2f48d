"""Queries about households and their dossier. Functions take a Session and never commit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, and_, select
from sqlalchemy.orm import Session

from mediadesk.store import search
from mediadesk.store.live import live_row
from mediadesk.store.models import (
    Action,
    ContactAttempt,
    Debt,
    EnergyContract,
    FollowUp,
    Household,
    Incident,
    Interview,
    Note,
    NoteRevision,
    Orientation,
    Phone,
)


def get(session: Session, household_id: uuid.UUID) -> Household:
    return live_row(session, Household, household_id)


def find_ids(session: Session, text: str, limit: int = 50) -> list[uuid.UUID]:
    return search.search(session.connection(), text, limit)


def hits(session: Session, ids: Sequence[uuid.UUID]) -> list[tuple[Any, list[str]]]:
    """Rows (id, name, street, postal_code, city, status) with their phone numbers, in
    the order of ``ids``."""
    if not ids:
        return []
    h, p = cast(Table, Household.__table__), cast(Table, Phone.__table__)
    # One statement (households left-joined to their live phones): every result list of the
    # type-ahead goes through here, and a second round trip cost as much as the join.
    joined = (
        select(h.c.id, h.c.name, h.c.street, h.c.postal_code, h.c.city, h.c.status,
               p.c.number)
        .select_from(h.outerjoin(p, and_(p.c.household_id == h.c.id, p.c.deleted_at.is_(None))))
        .where(h.c.id.in_(ids))
        .order_by(h.c.id, p.c.position)
    )
    rows: dict[uuid.UUID, Any] = {}
    phones: dict[uuid.UUID, list[str]] = {}
    for row in session.execute(joined):
        rows.setdefault(row.id, row)
        numbers = phones.setdefault(row.id, [])
        if row.number is not None:
            numbers.append(row.number)
    return [(rows[i], phones[i]) for i in ids if i in rows]


def _live(model: Any, household_id: uuid.UUID) -> Any:
    return select(model).where(model.household_id == household_id, model.deleted_at.is_(None))


def contracts(session: Session, household_id: uuid.UUID) -> Sequence[EnergyContract]:
    return session.scalars(_live(EnergyContract, household_id).order_by(EnergyContract.created_at)
                           ).all()


def debts(session: Session, household_id: uuid.UUID) -> Sequence[Debt]:
    return session.scalars(_live(Debt, household_id).order_by(Debt.created_at)).all()


def timeline_rows(session: Session, household_id: uuid.UUID) -> dict[str, Sequence[Any]]:
    """Everything dated in a dossier, by kind (the service merges and sorts)."""
    notes = session.execute(
        select(Note.id, Note.at, NoteRevision.body, NoteRevision.created_at)
        .join(NoteRevision, NoteRevision.note_id == Note.id)
        .where(Note.household_id == household_id, Note.deleted_at.is_(None))
        .order_by(Note.id, NoteRevision.created_at)
    ).all()
    latest: dict[uuid.UUID, Any] = {}
    for row in notes:
        latest[row.id] = row  # ordered by revision time: the last one wins
    return {
        "interview": session.scalars(_live(Interview, household_id)).all(),
        "contact": session.scalars(_live(ContactAttempt, household_id)).all(),
        "note": list(latest.values()),
        "action": session.scalars(_live(Action, household_id)).all(),
        "orientation": session.scalars(_live(Orientation, household_id)).all(),
        "incident": session.scalars(_live(Incident, household_id)).all(),
        "follow_up": session.scalars(_live(FollowUp, household_id)).all(),
    }
