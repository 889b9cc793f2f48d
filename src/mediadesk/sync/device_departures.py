"""Rows leaving this device or changing team: moved dossiers, anonymised dossiers, refused rows.

- ``move`` ops (a dossier moved to another team, ``sync.server.move``) never join the history:
  the rows are kept under their new team if this device belongs to it, else removed
  (:func:`move_out`).
- A pulled anonymisation blanks this device's copy and its history (:func:`purge_anonymised`).
- Edits the server refused because their dossier was anonymised leave the inbox, with the rows
  the server never had (:func:`forget_purged`).

Every function runs inside the caller's transaction, with capture paused where it writes rows.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, text
from sqlalchemy.orm import Session

from mediadesk.store import anonymise, capture, search
from mediadesk.sync.device_store import INDEXED, chunks, each_chunk, utc_text
from mediadesk.sync.ops import OpKind, decode_value
from mediadesk.sync.protocol import PulledOp, RejectionCode


def split_moves(ops: list[PulledOp]) -> tuple[list[PulledOp], list[PulledOp]]:
    """The page's ops, and apart the ``move`` ops (rows leaving the team): those never join
    the history nor the merge."""
    moves = [op for op in ops if op.k is OpKind.MOVE]
    if not moves:
        return ops, []
    return [op for op in ops if op.k is not OpKind.MOVE], moves


def move_out(conn: Connection, moves: Sequence[PulledOp], tables: dict[str, Table]) -> None:
    """Rows that left a team (a dossier moved, ``sync.server.move``): a device of the
    target team keeps them under it (that team's log brings the same ops); another removes
    them with their history and conflicts. Its unsent edits stay: pushed, the server
    refuses them visibly (the inbox). Local rows pointing at them (created inside the dossier
    after the move was decided) go with them (the server redirects them the same way)."""
    teams = {str(s) for (s,) in conn.execute(text("SELECT scope FROM sync_scope"))}
    keep: dict[str, list[PulledOp]] = defaultdict(list)
    drop: list[PulledOp] = []
    for op in moves:
        target = op.v.get("to") if isinstance(op.v, dict) else None
        if isinstance(target, str) and target in teams:
            keep[target].append(op)
        elif op.e in tables:
            drop.append(op)
    for target, ops in keep.items():
        dependants = _dependants(conn, {(op.e, op.r) for op in ops if op.e in tables}, tables)
        ops = [*ops, *(_gone(entity, row_id) for entity, row_id in sorted(dependants))]
        for entity, ids in _by_entity(ops, tables).items():
            each_chunk(conn, f'UPDATE "{entity}" SET scope_id = :t WHERE id IN', ids, t=target)
        ids = [op.r for op in ops]
        for bookkeeping in ("sync_history", "sync_outbox"):
            each_chunk(conn, f"UPDATE {bookkeeping} SET scope = :t WHERE row_id IN", ids,
                       t=target)  # fmt: skip
    if drop:
        _remove_rows(conn, drop, tables)


def _remove_rows(conn: Connection, ops: Sequence[PulledOp], tables: dict[str, Table]) -> None:
    """Remove the rows of these ``move`` ops, and the local rows pointing at them (created here
    inside the dossier and unknown to the move: a phone, a note written offline), whose
    unsent edits go to the inbox (``dossier_moved``): never a foreign key left dangling."""
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # until this transaction ends
    dependants = _dependants(conn, {(op.e, op.r) for op in ops if op.e in tables}, tables)
    if dependants:
        _refuse_unsent(conn, sorted(dependants))
        ops = [*ops, *(_gone(entity, row_id) for entity, row_id in sorted(dependants))]
    households = [op.r for op in ops if op.e == "household"]
    if households:  # out of the search index first (it follows deleted households)
        each_chunk(conn, "UPDATE household SET deleted_at = :t WHERE id IN", households,
                   t=utc_text(datetime.now(UTC)))  # fmt: skip
        search.reindex(conn, [uuid.UUID(hex=h) for h in households])
    for entity, ids in _by_entity(ops, tables).items():
        each_chunk(conn, f'DELETE FROM "{entity}" WHERE id IN', ids)
    ids = [op.r for op in ops]
    for bookkeeping in ("sync_history", "sync_conflict", "sync_field_version"):
        each_chunk(conn, f"DELETE FROM {bookkeeping} WHERE row_id IN", ids)


def _dependants(
    conn: Connection, rows: set[tuple[str, str]], tables: dict[str, Table]
) -> set[tuple[str, str]]:
    """Local rows (not among ``rows``) whose foreign keys lead to ``rows``, at any depth."""
    links = [
        (table.name, fk.parent.name, fk.column.table.name)
        for table in tables.values()
        for fk in table.foreign_keys
        if "id" in table.c
    ]
    found: set[tuple[str, str]] = set()
    frontier = set(rows)
    while frontier:
        by_entity: dict[str, list[str]] = defaultdict(list)
        for entity, row_id in frontier:
            by_entity[entity].append(row_id)
        new: set[tuple[str, str]] = set()
        for child, column, parent in links:
            for chunk in chunks(sorted(by_entity.get(parent, ()))):
                marks = ", ".join(f":i{n}" for n in range(len(chunk)))
                for (found_id,) in conn.execute(
                    text(f'SELECT id FROM "{child}" WHERE "{column}" IN ({marks})'),
                    {f"i{n}": v for n, v in enumerate(chunk)},
                ):
                    key = (child, _hex(found_id))
                    if key not in rows and key not in found:
                        new.add(key)
        found |= new
        frontier = new
    return found


def _hex(value: Any) -> str:
    return value.hex if isinstance(value, uuid.UUID) else str(value)


def _gone(entity: str, row_id: str) -> PulledOp:
    return PulledOp.model_construct(e=entity, r=row_id, k=OpKind.MOVE, v=None)


_MOVED_AWAY = (
    "Modification non envoyée : ce dossier a été transféré à une équipe dont cet appareil ne "
    "fait pas partie."
)


def _refuse_unsent(conn: Connection, rows: Sequence[tuple[str, str]]) -> None:
    """The not yet frozen edits of these rows leave the outbox for the inbox (visible)."""
    ids = [row_id for _, row_id in rows]
    now = int(datetime.now(UTC).timestamp() * 1000)
    for chunk in chunks(ids):
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        params: dict[str, Any] = {f"i{n}": v for n, v in enumerate(chunk)}
        conn.execute(
            text(
                "INSERT INTO sync_rejected (client_seq, idx, entity, row_id, field, value, code, "
                "message, at_ms) SELECT 0, seq, entity, row_id, field, COALESCE(value, 'null'), "
                f":c, :m, :t FROM sync_outbox WHERE row_id IN ({marks})"
            ),
            {**params, "c": str(RejectionCode.DOSSIER_MOVED), "m": _MOVED_AWAY, "t": now},
        )
        conn.execute(text(f"DELETE FROM sync_outbox WHERE row_id IN ({marks})"), params)


def _by_entity(ops: Iterable[PulledOp], tables: dict[str, Table]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = defaultdict(list)
    for op in ops:
        if op.e in tables:
            result[op.e].append(op.r)
    return result


def purge_anonymised(conn: Connection, ops: Sequence[PulledOp]) -> None:
    """Scrub this device's copy of the history of every dossier whose anonymisation is among
    ``ops``, and compact the search index so its tokens of the former values are gone too."""
    households = _anonymised(conn, ops)
    for household in households:
        # Blank this device's copy too: a row or an edit made here before the anonymisation and
        # not yet sent would otherwise carry former values (the anonymising device's are blank).
        with Session(bind=conn) as session:
            anonymise.anonymise_household(session, uuid.UUID(hex=household))  # scrubs history
            session.flush()
    if households:
        anonymise.compact_search_index(conn)


def _anonymised(conn: Connection, ops: Sequence[PulledOp]) -> list[str]:
    """Households whose anonymisation is logged by an audit event in these ops; an event whose
    other field came in an earlier page (pages are cut by op count) is completed from the
    history, which holds every op pulled before."""
    events: dict[str, dict[str, Any]] = defaultdict(dict)
    for op in ops:
        if op.e == "audit_event" and op.f in _EVENT_FIELDS:
            events[op.r][op.f] = op.v
    partial = sorted(r for r, found in events.items() if len(found) < len(_EVENT_FIELDS))
    for chunk in chunks(partial):
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        stored = conn.execute(
            text(
                "SELECT row_id, field, value FROM sync_history WHERE entity = 'audit_event' "
                f"AND kind = 'set' AND field IN ('action', 'household_id') AND row_id IN ({marks})"
            ),
            {f"i{n}": v for n, v in enumerate(chunk)},
        )
        for row_id, field, value in stored:
            events[str(row_id)].setdefault(str(field), decode_value(str(value)))
    return sorted(
        {
            str(e["household_id"])
            for e in events.values()
            if e.get("action") == anonymise.ANONYMISE_ACTION and e.get("household_id")
        }
    )


_EVENT_FIELDS = ("action", "household_id")


def forget_purged(
    conn: Connection, rows: Sequence[tuple[str, str]], tables: dict[str, Table]
) -> None:
    """Edits refused because their dossier was anonymised since they were made hold former
    personal values: they leave the inbox, and so does a row the server never had (made
    here before the anonymisation). Rows the server has are blanked when the anonymisation
    is pulled (:func:`purge_anonymised`)."""
    ids = sorted({row_id for _, row_id in rows})
    each_chunk(conn, "DELETE FROM sync_rejected WHERE row_id IN", ids)
    known: set[str] = set()
    for chunk in chunks(ids):
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        known.update(
            str(r)
            for (r,) in conn.execute(
                text(f"SELECT DISTINCT row_id FROM sync_history WHERE row_id IN ({marks})"),
                {f"i{n}": v for n, v in enumerate(chunk)},
            )
        )
    local = sorted({(e, r) for e, r in rows if r not in known and e in tables})
    if not local:
        return
    households: set[str] = set()
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    with capture.capture_paused(conn):
        for entity, row_id in local:
            if entity in INDEXED:  # its search document goes too
                key = INDEXED[entity]
                owner = conn.execute(
                    text(f'SELECT "{key}" FROM "{entity}" WHERE id = :i'), {"i": row_id}
                ).scalar()
                if owner is not None:
                    households.add(str(owner))
            conn.execute(text(f'DELETE FROM "{entity}" WHERE id = :i'), {"i": row_id})
            conn.execute(text("DELETE FROM sync_outbox WHERE row_id = :i"), {"i": row_id})
        if households:
            search.reindex(conn, [uuid.UUID(hex=h) for h in sorted(households)])
