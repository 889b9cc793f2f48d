"""Re-derive the rows a pulled page touches, from all their candidates, and write them.

Every touched field's value is derived by the pure merge (:mod:`mediadesk.sync.merge` and
:mod:`.rows`) from all its candidates: the history, this device's frozen and unfrozen edits, and
the page's ops. A field with a single candidate (most of a bootstrap) takes its value directly.
Rows are written in bulk (``executemany`` batched by column set); conflicts are stored as
derived, identical on every device. Runs inside the page's transaction, capture paused.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import Column, Connection, Table

from mediadesk.store import capture, search
from mediadesk.sync.device_conflicts import store_conflicts
from mediadesk.sync.device_store import INDEXED, encode, utc_text
from mediadesk.sync.hlc import Timestamp
from mediadesk.sync.merge import FieldState, candidate_of
from mediadesk.sync.ops import (
    CONFLICTING_POLICIES,
    ROW_FIELD,
    Candidate,
    Conflict,
    Op,
    OpKind,
    decode_value,
    policy_for,
)
from mediadesk.sync.protocol import op_id_of
from mediadesk.sync.rows import RowState

Raw = tuple[str, str, str, int, str, str, "str | None"]
"""A candidate as stored: (op id, kind, value JSON, base, hlc, device, author)."""


class Derived(NamedTuple):
    """What re-deriving a chunk of rows did."""

    rows_written: int
    households_deleted: int
    """Households newly deleted (the mass-change check counts them)."""
    conflicts_opened: list[str]
    overwritten: list[tuple[str, str, str]]
    """(household, device, author) for every already-known value of a live row that another
    device's op of the page replaced (the mass-change check counts distinct households)."""


def derive_rows(
    conn: Connection,
    table: Table,
    ids: Sequence[str],
    page: dict[str, dict[str, dict[str, Raw]]],
    decoded: dict[str, Any],
    *,
    scope: str,
    device: str,
) -> Derived:
    """Re-derive every field of the rows ``ids`` of ``table`` from the candidates known
    before (history, unsent edits) and the page's (``page``: row -> field -> op id -> candidate;
    ``decoded``: op id -> value), and write what changed. New rows join team ``scope``."""
    candidates = _candidates(conn, table.name, ids, device)
    for row_id in ids:
        known = candidates[row_id]
        for name, arrived in page.get(row_id, {}).items():
            merged = {entry[0]: entry for entry in known.get(name, ())}
            merged.update(arrived)  # the server's copy of an op wins (its clamped stamp)
            known[name] = list(merged.values())
    columns = {c.name: c for c in capture.captured_columns(table)}
    current = _current(conn, table, ids, list(columns))
    changes: list[tuple[str, dict[str, Any]]] = []
    inserts: list[dict[str, Any]] = []
    versions: list[tuple[str, str, str, int]] = []
    conflicts: list[Conflict] = []
    settled: list[tuple[str, int, bool]] = []
    reindex: set[str] = set()
    deleted_households = 0
    overwritten: list[tuple[str, str, str]] = []
    for row_id in ids:
        by_field = candidates.get(row_id, {})
        values: dict[str, Any] = {}
        states: dict[str, FieldState] = {}
        for name, raw in by_field.items():
            if name == ROW_FIELD or name not in columns:
                continue
            if len(raw) == 1 and raw[0][1] == "set":
                only = raw[0]
                value = decoded[only[0]] if only[0] in decoded else json.loads(only[2])
                values[name] = _column_value(columns[name], value)
                if raw[0][3] + 1 > 1:
                    versions.append((table.name, row_id, name, raw[0][3] + 1))
                continue
            state = FieldState(
                table.name,
                row_id,
                name,
                policy_for(table.name, name),
                frozenset(_candidate(*entry) for entry in raw),
            )
            states[name] = state
            values[name] = _column_value(columns[name], state.value)
            if state.version > 1:
                versions.append((table.name, row_id, name, state.version))
            if state.policy in CONFLICTING_POLICIES:
                conflicts += state.conflicts
        deleted_at: str | None = None
        tombstones = by_field.get(ROW_FIELD)
        if tombstones:
            row = _row_state(table.name, row_id, by_field, states, tombstones)
            deleted_at = _deleted_at(row)
            if row.causal_length:
                versions.append((table.name, row_id, ROW_FIELD, row.causal_length))
            if row.edited_while_deleted is not None:
                conflicts.append(row.edited_while_deleted)
            settled.append((row_id, row.causal_length, row.edited_while_deleted is not None))
        existing = current.get(row_id)
        if existing is None:
            if any(not c.nullable and values.get(n) is None for n, c in columns.items()):
                continue  # a required field has not arrived yet: created with it
            inserts.append({**values, "id": row_id, "scope_id": scope, "deleted_at": deleted_at})
        else:
            changed = {k: v for k, v in values.items() if existing.get(k) != v}
            if (existing["__deleted_at"] is not None) != (deleted_at is not None):
                changed["deleted_at"] = deleted_at
                if deleted_at is not None and table.name == "household":
                    deleted_households += 1
            if not changed:
                continue
            changes.append((row_id, changed))
            overwritten += _overwrites(table.name, row_id, existing, changed, page, device)
        if table.name in INDEXED:
            key = INDEXED[table.name]
            target = row_id if key == "id" else (values.get(key) or (existing or {}).get(key))
            if target:
                reindex.add(str(target))
    _write_inserts(conn, table, inserts)
    _write_updates(conn, table, changes)
    if versions:
        conn.exec_driver_sql(
            "INSERT INTO sync_field_version (entity, row_id, field, version) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (entity, row_id, field) "
            "DO UPDATE SET version = max(version, excluded.version)",
            versions,
        )
    if settled:  # an undelete or a confirming delete closes the earlier row conflicts
        conn.exec_driver_sql(
            "UPDATE sync_conflict SET status = 'resolved' WHERE row_id = ? "
            f"AND field = '{ROW_FIELD}' AND status = 'open' AND (version < ? OR NOT ?)",
            settled,
        )
    opened = store_conflicts(conn, conflicts)
    if reindex:
        search.reindex(conn, [uuid.UUID(hex=h) for h in sorted(reindex)])
    return Derived(len(changes) + len(inserts), deleted_households, opened, overwritten)


def _overwrites(
    entity: str,
    row_id: str,
    existing: dict[str, Any],
    changed: dict[str, Any],
    page: dict[str, dict[str, dict[str, Raw]]],
    device: str,
) -> list[tuple[str, str, str]]:
    """Who replaced a known value of this live row: (household, device, author) per other
    device whose page op touched a changed field that held a value here (filling an empty
    field, a new row, a deletion or a change made by this device's own edits is not an
    overwrite). Rows outside a household (team, users, lists) never count."""
    if existing["__deleted_at"] is not None:
        return []
    household = row_id if entity == "household" else existing.get("household_id")
    if not household:
        return []
    household = str(household).replace("-", "").lower()
    arrived = page.get(row_id, {})
    found: set[tuple[str, str, str]] = set()
    for name in changed:
        if name == "deleted_at" or existing.get(name) in (None, ""):
            continue
        for raw in arrived.get(name, {}).values():
            if raw[5] != device:
                found.add((household, raw[5], raw[6] or ""))
    return sorted(found)


def _row_state(
    entity: str,
    row_id: str,
    by_field: dict[str, list[Raw]],
    states: dict[str, FieldState],
    tombstones: list[Raw],
) -> RowState:
    """The row with its deletion state: every field's state is needed to see what the
    deleters had not seen."""
    fields = dict(states)
    for name, raw in by_field.items():
        if name != ROW_FIELD and name not in fields:
            fields[name] = FieldState(
                entity,
                row_id,
                name,
                policy_for(entity, name),
                frozenset(_candidate(*entry) for entry in raw),
            )
    return RowState(entity, row_id, fields, frozenset(_candidate(*entry) for entry in tombstones))


def _candidates(
    conn: Connection, entity: str, ids: Sequence[str], device: str
) -> dict[str, dict[str, list[Raw]]]:
    """Every candidate of every field of the rows: history, frozen and unfrozen edits, as
    raw tuples (op id, kind, value JSON, base, hlc, device, author)."""
    result: dict[str, dict[str, list[Raw]]] = defaultdict(lambda: defaultdict(list))
    marks = ", ".join("?" * len(ids))
    params = (entity, *ids)
    history: Any = conn.exec_driver_sql(
        f"SELECT op_id, row_id, field, kind, value, base, hlc, device, author "
        f"FROM sync_history WHERE entity = ? AND row_id IN ({marks})",
        params,
    )
    for op_id, row_id, fld, kind, value, base, hlc, author_device, author in history:
        result[row_id][fld].append((op_id, kind, value, base, hlc, author_device, author))
    pending: Any = conn.exec_driver_sql(
        f"SELECT client_seq, idx, row_id, field, kind, value, base, hlc, author "
        f"FROM sync_pending WHERE entity = ? AND row_id IN ({marks})",
        params,
    )
    for seq, idx, row_id, fld, kind, value, base, hlc, author in pending:
        result[row_id][fld].append(
            (op_id_of(device, seq, idx), kind, value, base, hlc, device, author)
        )
    outbox: Any = conn.exec_driver_sql(
        f"SELECT seq, row_id, field, kind, value, base, wall_ms, author "
        f"FROM sync_outbox WHERE entity = ? AND row_id IN ({marks}) "
        f"AND kind <> '{capture.INSERT}'",
        params,
    )
    for seq, row_id, fld, kind, value, base, wall, author in outbox:
        stamp = Timestamp(int(wall), 0, device).encode()
        result[row_id][fld].append(
            (
                f"{device}:local:{seq}",
                kind,
                value or "null",
                base,
                stamp,
                device,
                author,
            )
        )
    return result


def _current(
    conn: Connection, table: Table, ids: Sequence[str], names: list[str]
) -> dict[str, dict[str, Any]]:
    cols = ", ".join(f'"{n}"' for n in names)
    rows = conn.exec_driver_sql(
        f'SELECT id, deleted_at, {cols} FROM "{table.name}" '
        f"WHERE id IN ({', '.join('?' * len(ids))})",
        tuple(ids),
    )
    result: dict[str, dict[str, Any]] = {}
    for row_id, deleted_at, *values in rows:
        entry = dict(zip(names, values, strict=True))
        entry["__deleted_at"] = deleted_at
        result[str(row_id)] = entry
    return result


def _write_inserts(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Create rows first seen here, batched by the set of columns they have."""
    stamp = utc_text(datetime.now(UTC))
    groups: dict[tuple[str, ...], list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        row = {**row, "updated_at": stamp, "version": 1}
        groups[tuple(row)].append(tuple(row.values()))
    for names, batch in groups.items():
        cols = ", ".join(f'"{n}"' for n in names)
        conn.exec_driver_sql(
            f'INSERT INTO "{table.name}" ({cols}) VALUES ({", ".join("?" * len(names))})', batch
        )


def _write_updates(
    conn: Connection, table: Table, changes: list[tuple[str, dict[str, Any]]]
) -> None:
    stamp = utc_text(datetime.now(UTC))
    groups: dict[tuple[str, ...], list[tuple[Any, ...]]] = defaultdict(list)
    for row_id, changed in changes:
        groups[tuple(changed)].append((*changed.values(), stamp, row_id))
    for names, batch in groups.items():
        sets = ", ".join(f'"{n}" = ?' for n in names)
        conn.exec_driver_sql(
            f'UPDATE "{table.name}" SET {sets}, updated_at = ?, version = version + 1 WHERE id = ?',
            batch,
        )


def _candidate(
    op_id: str, kind: str, value: str, base: int, hlc: str, device: str, author: str | None
) -> Candidate:
    return candidate_of(
        Op(
            op_id=op_id,
            entity="",
            row_id="",
            field="",
            kind=OpKind(kind),
            value=decode_value(value),
            base_version=int(base),
            hlc=Timestamp.decode(hlc),
            author=author or "",
            device=device,
        )
    )


def _column_value(column: Column[Any], value: Any) -> Any:
    """A derived JSON value as the store keeps it (the inverse of the capture's encoding)."""
    if capture.is_json(column):
        return None if value is None else encode(value)
    return value


def _deleted_at(row: RowState) -> str | None:
    if not row.deleted:
        return None
    wall = row.tombstones[-1].hlc.wall_ms if row.tombstones else 0
    return utc_text(datetime.fromtimestamp(wall / 1000, UTC))
