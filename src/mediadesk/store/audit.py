"""The audit trail: who viewed or changed which dossier, when, from which device.

One mechanism, installed on the sessionmaker next to stamping: every ORM flush that creates,
updates or (soft-)deletes a row of a household's dossier appends an `AuditEvent` naming the
table, the row and the household. No field value is ever copied into the trail. Views are
recorded by `record_view`. Audit events are append-only: an ORM update or delete of one raises
`AuditLogIsAppendOnly` (pruning past the retention window goes through `prune_before`).

Interviews autosave every field as it is typed: their answers (and the interview's own updates,
such as the current step) are coalesced into one ``update`` event on the interview, at most one
per interview, per user and per `INTERVIEW_WINDOW` (10 minutes). Creating an interview and what
closing it writes into the dossier (actions, orientations, follow-ups) stay separate events.

A listing import writes its rows in bulk (`mediadesk.store.bulk`) and logs one `IMPORT` event
per household it created or completed, naming the imported list (its entries tell which rows
came from it); undoing the import goes through the ORM and is logged row by row as above.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, delete, event, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from mediadesk.store.base import utcnow
from mediadesk.store.errors import StoreError
from mediadesk.store.linkage import HOUSEHOLD, child_links, dossier_table_names
from mediadesk.store.models import AuditEvent
from mediadesk.store.stamping import Actor

_PENDING = "mediadesk.audit.pending"
VIEW, CREATE, UPDATE, DELETE = "view", "create", "update", "delete"
IMPORT = "import"
"""A bulk import (a supplier listing) wrote into the dossier: one event per household and
batch, about the batch (entity ``referral_list``, its id), instead of one per row written."""
INTERVIEW, INTERVIEW_ANSWER = "interview", "interview_answer"
INTERVIEW_WINDOW = timedelta(minutes=10)
Pending = tuple[str, str, uuid.UUID, uuid.UUID | None]


class AuditLogIsAppendOnly(StoreError):
    """An audit event was about to be changed or deleted."""


def record_view(session: Session, household_id: uuid.UUID) -> None:
    """Note that the current user opened this household's dossier (in the caller's transaction)."""
    session.add(AuditEvent(at=utcnow(), action=VIEW, entity=HOUSEHOLD, entity_id=household_id,
                           household_id=household_id))


def record(session: Session, action: str, *, household_id: uuid.UUID | None,
           entity: str = HOUSEHOLD, entity_id: uuid.UUID | None = None) -> None:
    """Append an event for something that is not a row change (an export, an anonymisation)."""
    session.add(AuditEvent(at=utcnow(), action=action, entity=entity,
                           entity_id=entity_id if entity_id is not None else household_id,
                           household_id=household_id))


def prune_before(session: Session, cutoff: datetime) -> int:
    """Delete the audit events older than ``cutoff`` (the retention window); their number."""
    table: Any = AuditEvent.__table__
    result: Any = session.execute(delete(table).where(table.c.at < cutoff))
    return int(result.rowcount or 0)


def install_audit(sessions: sessionmaker[Session], actor: Actor,
                  clock: Callable[[], datetime] | None = None) -> None:
    """Audit every dossier change made through ``sessions`` (see the module docstring);
    ``clock`` (`utcnow` by default) stamps the events and places them in the interview window."""

    @event.listens_for(sessions, "before_flush")
    def _guard(session: Session, _context: Any, _instances: Any) -> None:
        for obj in session.deleted:
            if isinstance(obj, AuditEvent):
                raise AuditLogIsAppendOnly(str(obj.id))
        for obj in session.dirty:
            if isinstance(obj, AuditEvent) and session.is_modified(obj):
                raise AuditLogIsAppendOnly(str(obj.id))
        for obj in session.new:
            if isinstance(obj, AuditEvent):
                obj.user_id = obj.user_id or actor.user_id
                obj.device_id = obj.device_id or actor.device_id

    @event.listens_for(sessions, "after_flush")
    def _collect(session: Session, _context: Any) -> None:
        pending: list[Pending] = session.info.setdefault(_PENDING, [])
        changes = [(CREATE, obj) for obj in session.new]
        changes += [(_update_kind(obj), obj) for obj in session.dirty
                    if session.is_modified(obj, include_collections=False)]
        changes += [(DELETE, obj) for obj in session.deleted]
        with session.no_autoflush:
            for action, obj in changes:
                table = _table_of(obj)
                if table is None or table.name not in dossier_table_names():
                    continue
                household_id = _household_of(session, table, obj)
                if table.name == INTERVIEW_ANSWER:
                    pending.append((UPDATE, INTERVIEW, obj.interview_id, household_id))
                else:
                    pending.append((action, table.name, obj.id, household_id))

    @event.listens_for(sessions, "after_flush_postexec")
    def _append(session: Session, _context: Any) -> None:
        pending: list[Pending] = session.info.pop(_PENDING, [])
        now = clock() if clock is not None else utcnow()
        for action, entity, entity_id, household_id in _coalesce(session, pending, actor, now):
            session.add(AuditEvent(at=now, action=action, entity=entity, entity_id=entity_id,
                                   household_id=household_id, user_id=actor.user_id,
                                   device_id=actor.device_id))

    @event.listens_for(sessions, "after_rollback")
    def _forget(session: Session) -> None:
        session.info.pop(_PENDING, None)


def _coalesce(session: Session, pending: list[Pending], actor: Actor,
              now: datetime) -> list[Pending]:
    """Drop the interview updates already recorded for this user within the window (in this
    flush or in the trail); every other event is kept as it is."""
    kept: list[Pending] = []
    seen: set[uuid.UUID] = set()
    for item in pending:
        action, entity, entity_id, _household = item
        if action == UPDATE and entity == INTERVIEW:
            if entity_id in seen or _recent_interview_update(session, entity_id, actor, now):
                continue
            seen.add(entity_id)
        kept.append(item)
    return kept


def _recent_interview_update(session: Session, interview_id: uuid.UUID, actor: Actor,
                             now: datetime) -> bool:
    with session.no_autoflush:
        found = session.execute(
            select(AuditEvent.id).where(
                AuditEvent.entity == INTERVIEW, AuditEvent.entity_id == interview_id,
                AuditEvent.action == UPDATE, AuditEvent.user_id == actor.user_id,
                AuditEvent.at > now - INTERVIEW_WINDOW, AuditEvent.at <= now)
            .limit(1)).first()
    return found is not None


def _table_of(obj: object) -> Table | None:
    table = getattr(type(obj), "__table__", None)
    return table if isinstance(table, Table) else None


def _update_kind(obj: object) -> str:
    """A soft delete (``deleted_at`` newly set) is a delete; anything else an update."""
    state: Any = inspect(obj)
    if "deleted_at" in state.attrs:
        history = state.attrs.deleted_at.history
        if history.added and history.added[0] is not None:
            return DELETE
    return UPDATE


def _household_of(session: Session, table: Table, obj: Any) -> uuid.UUID | None:
    if table.name == HOUSEHOLD:
        return obj.id  # type: ignore[no-any-return]
    if "household_id" in table.c:
        return obj.household_id  # type: ignore[no-any-return]
    for link in child_links():
        if link.table is table:
            parent_id = getattr(obj, link.column.key, None)
            if parent_id is None:
                return None
            owner = session.execute(select(link.parent.c.household_id)
                                    .where(link.parent.c.id == parent_id)).scalar()
            return owner if isinstance(owner, uuid.UUID) else None
    return None
