"""The device side of sync on the encrypted store: freeze the outbox, take receipts, apply pages.

- :meth:`DeviceSync.changesets` returns the frozen changesets awaiting a receipt (resent as they
  are, same ``client_seq``), or freezes the captured outbox into a new one (inserts expanded into
  one op per field). Each op gets a hybrid-logical-clock stamp that is later than every stamp
  this device has seen.
- :meth:`DeviceSync.acknowledge` moves the ops of a receipt into the history (rejected ones into
  the visible ``sync_rejected`` inbox).
- :meth:`DeviceSync.apply_page` applies one page of a team's log in ONE transaction together with
  the new cursor and checksum, without capturing it again: ops join the history, then every
  touched field's value is re-derived by the pure merge (:mod:`mediadesk.sync.merge` and
  :mod:`.rows`) from all its candidates (history + this device's unsent edits) and written to the
  row; conflicts are stored as derived, identical on every device. A page whose checksum does not
  match is refused (:class:`ChecksumMismatch`): the caller restarts that team from zero, which is
  harmless (ops are keyed by id).
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Connection, Engine, Table, text

from mediadesk.store import anonymise, capture, search
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
from mediadesk.sync.protocol import (
    EMPTY_CHECKSUM,
    MAX_OPS_PER_CHANGESET,
    Changeset,
    PulledOp,
    Receipt,
    ScopePage,
    WireOp,
    fold_checksum,
    op_id_of,
)
from mediadesk.sync.rows import RowState

_CHUNK = 400
_INDEXED = {
    "household": "id",
    "person": "household_id",
    "phone": "household_id",
    "energy_contract": "household_id",
}
_KEY_CLIENT_SEQ = "sync.client_seq"
_KEY_HLC = "sync.hlc"


_Raw = tuple[str, str, str, int, str, str, "str | None"]
"""A candidate as stored: (op id, kind, value JSON, base, hlc, device, author)."""


class ChecksumMismatch(Exception):
    """The team's log here differs from the server's: restart that team from sequence 0."""

    def __init__(self, scope: str) -> None:
        super().__init__(scope)
        self.scope = scope


class MassChange(Exception):
    """A page would delete an unusual share of this device's rows: a person must confirm."""

    def __init__(self, scope: str, deleted: int, live: int) -> None:
        super().__init__(f"{scope}: {deleted} of {live}")
        self.scope, self.deleted, self.live = scope, deleted, live


@dataclass
class PageResult:
    applied: int = 0
    rows_written: int = 0
    conflicts_opened: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MassChangePolicy:
    """Stop when a page deletes more than ``share`` of the live rows and at least ``minimum``."""

    share: float = 0.25
    minimum: int = 20


def _tables() -> dict[str, Table]:
    return {t.name: t for t in capture.synced_tables()}


def _now_ms() -> int:
    return int(datetime.now(UTC).timestamp() * 1000)


class DeviceSync:
    """Sync bookkeeping of one open store (``engine``) for the device ``device`` (hex id)."""

    def __init__(
        self,
        engine: Engine,
        device: str,
        *,
        now_ms: Callable[[], int] = _now_ms,
        mass_change: MassChangePolicy | None = None,
    ) -> None:
        self.engine = engine
        self.device = device
        self.now_ms = now_ms
        self.mass_change = mass_change or MassChangePolicy()
        self.tables = _tables()

    # -- state --------------------------------------------------------------------------------
    def cursors(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT scope, cursor FROM sync_scope")).all()
        return {str(row.scope): int(row.cursor) for row in rows}

    def pending_count(self) -> int:
        """Edits not yet acknowledged by the server (outbox rows + frozen ops)."""
        with self.engine.connect() as conn:
            return _count(conn, "SELECT count(*) FROM sync_outbox") + _count(
                conn, "SELECT count(*) FROM sync_pending"
            )

    def reset_scope(self, scope: str) -> None:
        """Forget how far a team was pulled: the next sync pulls it again from the start."""
        with self.engine.begin() as conn:
            conn.execute(
                text("UPDATE sync_scope SET cursor = 0, checksum = :c WHERE scope = :s"),
                {"c": EMPTY_CHECKSUM, "s": scope},
            )

    # -- push ---------------------------------------------------------------------------------
    def changesets(self, max_ops: int = MAX_OPS_PER_CHANGESET) -> list[Changeset]:
        """Frozen changesets awaiting a receipt, else new ones frozen now from up to
        ``max_ops`` outbox rows (an insert expands into one op per field: several changesets of
        at most ``max_ops`` ops may come out; a request carries them together)."""
        with self.engine.begin() as conn:
            frozen = self._frozen(conn)
            if frozen:
                return frozen
            self._freeze(conn, max_ops)
            return self._frozen(conn)

    def renumber(self, first: int) -> None:
        """The server expects ``first`` next (this store was restored from an older backup,
        say): number the frozen changesets from there, keeping their order and content."""
        with self.engine.begin() as conn:
            seqs = [
                int(r.client_seq)
                for r in conn.execute(
                    text("SELECT client_seq FROM sync_changeset ORDER BY client_seq DESC")
                ).all()
            ]
            offset = first - min(seqs) if seqs else 0
            for seq in seqs if offset > 0 else reversed(seqs):
                for table in ("sync_changeset", "sync_pending"):
                    conn.execute(
                        text(f"UPDATE {table} SET client_seq = :n WHERE client_seq = :o"),
                        {"n": seq + offset, "o": seq},
                    )
            last = max(seqs) + offset if seqs else first - 1
            self._set_setting(conn, _KEY_CLIENT_SEQ, str(last))

    def _frozen(self, conn: Connection) -> list[Changeset]:
        by_seq: dict[int, list[WireOp]] = defaultdict(list)
        rows = conn.execute(
            text(
                "SELECT client_seq, entity, row_id, field, kind, value, base, hlc, author, scope "
                "FROM sync_pending ORDER BY client_seq, idx"
            )
        ).all()
        for row in rows:
            by_seq[int(row.client_seq)].append(
                WireOp(
                    e=row.entity,
                    r=row.row_id,
                    f=row.field,
                    k=OpKind(row.kind),
                    v=decode_value(row.value),
                    b=row.base,
                    t=row.hlc,
                    a=row.author,
                    s=row.scope,
                )
            )
        seqs = [
            int(row.client_seq)
            for row in conn.execute(
                text("SELECT client_seq FROM sync_changeset ORDER BY client_seq")
            ).all()
        ]
        return [Changeset(client_seq=s, ops=by_seq.get(s, [])) for s in seqs]

    def _freeze(self, conn: Connection, max_ops: int) -> None:
        outbox = conn.execute(
            text(
                "SELECT seq, entity, row_id, field, kind, value, base, wall_ms, author, scope "
                "FROM sync_outbox ORDER BY seq LIMIT :n"
            ),
            {"n": max_ops},
        ).all()
        if not outbox:
            return
        present = self._present(conn, [r for r in outbox if r.kind == capture.INSERT])
        clock = _Stamper(self._setting(conn, _KEY_HLC), self.device)
        ops: list[tuple[str, str, str, str, str, int, str, str | None, str]] = []
        gone: set[str] = set()
        for row in outbox:
            wall = int(row.wall_ms)
            if row.kind == capture.INSERT:
                if (row.entity, row.row_id) not in present or row.scope is None:
                    gone.add(row.row_id)  # erased before it ever left, or no team: stays here
                    continue
                stamp = clock.stamp(wall)
                snapshot: dict[str, Any] = json.loads(row.value)
                deleted = bool(snapshot.pop("__deleted", False))
                for name, value in snapshot.items():
                    ops.append(
                        (
                            row.entity,
                            row.row_id,
                            name,
                            "set",
                            _encode(value),
                            0,
                            stamp,
                            row.author,
                            row.scope,
                        )
                    )
                if deleted:
                    all_seen = _encode({"seen": dict.fromkeys(snapshot, 1)})
                    ops.append(
                        (
                            row.entity,
                            row.row_id,
                            ROW_FIELD,
                            "delete",
                            all_seen,
                            0,
                            stamp,
                            row.author,
                            row.scope,
                        )
                    )
                continue
            if row.row_id in gone or row.scope is None:
                continue
            value = str(row.value) if row.value is not None else "null"
            if row.kind == "delete":
                seen: dict[str, int] = dict.fromkeys(self._fields(row.entity), 1)
                seen.update(json.loads(value).get("seen", {}))
                value = _encode({"seen": seen})
            ops.append(
                (
                    row.entity,
                    row.row_id,
                    row.field,
                    row.kind,
                    value,
                    int(row.base),
                    clock.stamp(wall),
                    row.author,
                    row.scope,
                )
            )
        conn.execute(text("DELETE FROM sync_outbox WHERE seq <= :s"), {"s": outbox[-1].seq})
        if not ops:
            return
        self._set_setting(conn, _KEY_HLC, clock.last.encode())
        seq = int(self._setting(conn, _KEY_CLIENT_SEQ) or 0)
        for start in range(0, len(ops), max_ops):  # changesets of at most max_ops ops
            seq += 1
            conn.exec_driver_sql(
                "INSERT INTO sync_changeset (client_seq, created_ms) VALUES (?, ?)",
                (seq, self.now_ms()),
            )
            conn.exec_driver_sql(
                "INSERT INTO sync_pending (client_seq, idx, entity, row_id, field, kind, value, "
                "base, hlc, author, scope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(seq, i, *op) for i, op in enumerate(ops[start : start + max_ops])],
            )
        self._set_setting(conn, _KEY_CLIENT_SEQ, str(seq))

    def _fields(self, entity: str) -> list[str]:
        table = self.tables.get(entity)
        return [] if table is None else [c.name for c in capture.captured_columns(table)]

    def _present(self, conn: Connection, rows: Sequence[Any]) -> set[tuple[str, str]]:
        """Which of these inserted rows still exist (an undone import erases its rows)."""
        by_table: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            by_table[row.entity].append(row.row_id)
        found: set[tuple[str, str]] = set()
        for name, ids in by_table.items():
            for chunk in _chunks(ids):
                marks = ", ".join(f":i{n}" for n in range(len(chunk)))
                for (row_id,) in conn.execute(
                    text(f'SELECT id FROM "{name}" WHERE id IN ({marks})'),
                    {f"i{n}": v for n, v in enumerate(chunk)},
                ).all():
                    found.add((name, str(row_id)))
        return found

    def acknowledge(self, receipts: Iterable[Receipt]) -> int:
        """Take the server's receipts: acked ops join the history, rejected ones the inbox."""
        moved = 0
        with self.engine.begin() as conn:
            for receipt in receipts:
                seq = receipt.client_seq
                rejected = {r.index: r for r in receipt.rejected}
                for rejection in receipt.rejected:
                    conn.execute(
                        text(
                            "INSERT INTO sync_rejected (client_seq, idx, entity, row_id, field, "
                            "value, code, message, at_ms) SELECT client_seq, idx, entity, row_id, "
                            "field, value, :c, :m, :t FROM sync_pending "
                            "WHERE client_seq = :q AND idx = :i"
                        ),
                        {
                            "c": rejection.code,
                            "m": rejection.message,
                            "t": self.now_ms(),
                            "q": seq,
                            "i": rejection.index,
                        },
                    )
                pending = conn.execute(
                    text(
                        "SELECT idx, entity, row_id, field, kind, value, base, hlc, author, scope "
                        "FROM sync_pending WHERE client_seq = :q ORDER BY idx"
                    ),
                    {"q": seq},
                ).all()
                accepted = [p for p in pending if p.idx not in rejected]
                if accepted:
                    conn.execute(
                        text(
                            "INSERT INTO sync_history (op_id, entity, row_id, field, kind, "
                            "value, base, hlc, device, author, scope, seq) VALUES (:o, :e, :r, "
                            ":f, :k, :v, :b, :t, :d, :a, :s, NULL) ON CONFLICT (op_id) DO NOTHING"
                        ),
                        [
                            {
                                "o": op_id_of(self.device, seq, p.idx),
                                "e": p.entity,
                                "r": p.row_id,
                                "f": p.field,
                                "k": p.kind,
                                "v": p.value,
                                "b": p.base,
                                "t": p.hlc,
                                "d": self.device,
                                "a": p.author,
                                "s": p.scope,
                            }
                            for p in accepted
                        ],
                    )
                moved += len(accepted)
                conn.execute(text("DELETE FROM sync_pending WHERE client_seq = :q"), {"q": seq})
                conn.execute(text("DELETE FROM sync_changeset WHERE client_seq = :q"), {"q": seq})
        return moved

    # -- pull ---------------------------------------------------------------------------------
    def apply_page(
        self, page: ScopePage, *, confirm_mass_change: bool = False, scope_name: str = ""
    ) -> PageResult:
        """Apply one page with its cursor, in one transaction (see the module docstring)."""
        with self.engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            with capture.capture_paused(conn):
                result = self._apply(conn, page, confirm_mass_change, scope_name)
        return result

    def _apply(
        self, conn: Connection, page: ScopePage, confirm: bool, scope_name: str
    ) -> PageResult:
        state = conn.execute(
            text("SELECT cursor, checksum FROM sync_scope WHERE scope = :s"), {"s": page.scope}
        ).first()
        cursor, checksum = (int(state[0]), str(state[1])) if state else (0, EMPTY_CHECKSUM)
        ops = [op for op in sorted(page.ops, key=lambda o: o.q) if op.q > cursor]
        for op in ops:
            checksum = fold_checksum(checksum, op.i)
        if checksum != page.checksum:
            raise ChecksumMismatch(page.scope)
        result = PageResult(applied=len(ops))
        if ops:
            encoded = [_encode(op.v) for op in ops]
            self._derive(conn, ops, encoded, result, confirm, page.scope)  # reads the history
            self._record(conn, page.scope, ops, encoded)  # then the page joins it
            self._advance_clock(conn, ops)
            for household in _anonymised(ops):  # the purge reaches this device's history too
                capture.scrub_history(conn, anonymise.dossier_rows(conn, household))
        conn.execute(
            text(
                "INSERT INTO sync_scope (scope, name, cursor, checksum, head) "
                "VALUES (:s, :n, :c, :k, :h) ON CONFLICT (scope) DO UPDATE SET cursor = :c, "
                "checksum = :k, head = :h, name = CASE WHEN :n = '' THEN name ELSE :n END"
            ),
            {
                "s": page.scope,
                "n": scope_name,
                "c": max(cursor, page.cursor),
                "k": checksum,
                "h": page.head,
            },
        )
        return result

    def _record(
        self, conn: Connection, scope: str, ops: Sequence[PulledOp], encoded: Sequence[str]
    ) -> None:
        """Pulled ops join the history. Our own ops come back too: the server's stamp (clamped
        when our clock ran ahead) replaces ours, so every device orders the same candidates."""
        conn.exec_driver_sql(
            "INSERT INTO sync_history (op_id, entity, row_id, field, kind, value, base, hlc, "
            "device, author, scope, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (op_id) DO UPDATE SET seq = excluded.seq, hlc = excluded.hlc",
            [
                (
                    op.i,
                    op.e,
                    op.r,
                    op.f,
                    op.k.value,
                    value,
                    op.b,
                    op.t,
                    op.d,
                    op.a,
                    scope,
                    op.q,
                )
                for op, value in zip(ops, encoded, strict=True)
            ],
        )

    def _advance_clock(self, conn: Connection, ops: Sequence[PulledOp]) -> None:
        latest = max(op.t for op in ops)
        current = self._setting(conn, _KEY_HLC)
        if current is None or latest > current:
            self._set_setting(conn, _KEY_HLC, latest)

    def _derive(
        self,
        conn: Connection,
        ops: Sequence[PulledOp],
        encoded: Sequence[str],
        result: PageResult,
        confirm: bool,
        scope: str,
    ) -> None:
        page: dict[str, dict[str, dict[str, dict[str, _Raw]]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(dict))
        )  # entity -> row -> field -> op id -> candidate
        decoded: dict[str, Any] = {}
        for op, value in zip(ops, encoded, strict=True):
            if op.e in self.tables:
                page[op.e][op.r][op.f][op.i] = (op.i, op.k.value, value, op.b, op.t, op.d, op.a)
                decoded[op.i] = op.v
        deleted_now = 0
        for entity, rows in page.items():
            table = self.tables[entity]
            for chunk in _chunks(sorted(rows)):
                written, deleted = self._derive_rows(
                    conn, table, chunk, rows, decoded, result, scope
                )
                result.rows_written += written
                deleted_now += deleted
        if deleted_now and not confirm:
            live = _count(conn, "SELECT count(*) FROM household WHERE deleted_at IS NULL")
            policy = self.mass_change
            if deleted_now >= policy.minimum and deleted_now > policy.share * (live + deleted_now):
                raise MassChange(scope, deleted_now, live + deleted_now)

    def _derive_rows(
        self,
        conn: Connection,
        table: Table,
        ids: Sequence[str],
        page: dict[str, dict[str, dict[str, _Raw]]],
        decoded: dict[str, Any],
        result: PageResult,
        scope: str,
    ) -> tuple[int, int]:
        """Re-derive every field of the rows ``ids`` of ``table`` from the candidates known
        before (history, unsent edits) and the page's; returns (rows written, households newly
        deleted). A field with a single candidate (most of a bootstrap) takes its value
        directly; others go through the merge."""
        candidates = self._candidates(conn, table.name, ids)
        for row_id in ids:
            known = candidates[row_id]
            for name, arrived in page.get(row_id, {}).items():
                merged = {entry[0]: entry for entry in known.get(name, ())}
                merged.update(arrived)  # the server's copy of an op wins (its clamped stamp)
                known[name] = list(merged.values())
        columns = {c.name: c for c in capture.captured_columns(table)}
        current = self._current(conn, table, ids, list(columns))
        changes: list[tuple[str, dict[str, Any]]] = []
        inserts: list[dict[str, Any]] = []
        versions: list[tuple[str, str, str, int]] = []
        conflicts: list[Conflict] = []
        settled: list[tuple[str, int, bool]] = []
        reindex: set[str] = set()
        deleted_households = 0
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
                row = self._row_state(table.name, row_id, by_field, states, tombstones)
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
                inserts.append(
                    {**values, "id": row_id, "scope_id": scope, "deleted_at": deleted_at}
                )
            else:
                changed = {k: v for k, v in values.items() if existing.get(k) != v}
                if (existing["__deleted_at"] is not None) != (deleted_at is not None):
                    changed["deleted_at"] = deleted_at
                    if deleted_at is not None and table.name == "household":
                        deleted_households += 1
                if not changed:
                    continue
                changes.append((row_id, changed))
            if table.name in _INDEXED:
                key = _INDEXED[table.name]
                target = row_id if key == "id" else (values.get(key) or (existing or {}).get(key))
                if target:
                    reindex.add(str(target))
        self._write_inserts(conn, table, inserts)
        self._write_updates(conn, table, changes)
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
        result.conflicts_opened += self._store_conflicts(conn, conflicts)
        if reindex:
            search.reindex(conn, [uuid.UUID(hex=h) for h in sorted(reindex)])
        return len(changes) + len(inserts), deleted_households

    @staticmethod
    def _row_state(
        entity: str,
        row_id: str,
        by_field: dict[str, list[_Raw]],
        states: dict[str, FieldState],
        tombstones: list[_Raw],
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
        return RowState(
            entity, row_id, fields, frozenset(_candidate(*entry) for entry in tombstones)
        )

    def _candidates(
        self, conn: Connection, entity: str, ids: Sequence[str]
    ) -> dict[str, dict[str, list[_Raw]]]:
        """Every candidate of every field of the rows: history, frozen and unfrozen edits, as
        raw tuples (op id, kind, value JSON, base, hlc, device, author)."""
        result: dict[str, dict[str, list[_Raw]]] = defaultdict(lambda: defaultdict(list))
        marks = ", ".join("?" * len(ids))
        params = (entity, *ids)
        history: Any = conn.exec_driver_sql(
            f"SELECT op_id, row_id, field, kind, value, base, hlc, device, author "
            f"FROM sync_history WHERE entity = ? AND row_id IN ({marks})",
            params,
        )
        for op_id, row_id, fld, kind, value, base, hlc, device, author in history:
            result[row_id][fld].append((op_id, kind, value, base, hlc, device, author))
        pending: Any = conn.exec_driver_sql(
            f"SELECT client_seq, idx, row_id, field, kind, value, base, hlc, author "
            f"FROM sync_pending WHERE entity = ? AND row_id IN ({marks})",
            params,
        )
        for seq, idx, row_id, fld, kind, value, base, hlc, author in pending:
            result[row_id][fld].append(
                (op_id_of(self.device, seq, idx), kind, value, base, hlc, self.device, author)
            )
        outbox: Any = conn.exec_driver_sql(
            f"SELECT seq, row_id, field, kind, value, base, wall_ms, author "
            f"FROM sync_outbox WHERE entity = ? AND row_id IN ({marks}) "
            f"AND kind <> '{capture.INSERT}'",
            params,
        )
        for seq, row_id, fld, kind, value, base, wall, author in outbox:
            stamp = Timestamp(int(wall), 0, self.device).encode()
            result[row_id][fld].append(
                (
                    f"{self.device}:local:{seq}",
                    kind,
                    value or "null",
                    base,
                    stamp,
                    self.device,
                    author,
                )
            )
        return result

    def _current(
        self, conn: Connection, table: Table, ids: Sequence[str], names: list[str]
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

    def _write_inserts(self, conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
        """Create rows first seen here, batched by the set of columns they have."""
        stamp = _utc_text(datetime.now(UTC))
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
        self, conn: Connection, table: Table, changes: list[tuple[str, dict[str, Any]]]
    ) -> None:
        stamp = _utc_text(datetime.now(UTC))
        groups: dict[tuple[str, ...], list[tuple[Any, ...]]] = defaultdict(list)
        for row_id, changed in changes:
            groups[tuple(changed)].append((*changed.values(), stamp, row_id))
        for names, batch in groups.items():
            sets = ", ".join(f'"{n}" = ?' for n in names)
            conn.exec_driver_sql(
                f'UPDATE "{table.name}" SET {sets}, updated_at = ?, version = version + 1 '
                f"WHERE id = ?",
                batch,
            )

    def _store_conflicts(self, conn: Connection, conflicts: list[Conflict]) -> list[str]:
        if not conflicts:
            return []
        ids = [str(c.id) for c in conflicts]
        marks = ", ".join(f":i{n}" for n in range(len(ids)))
        known = {
            str(i): str(s)
            for i, s in conn.execute(
                text(f"SELECT id, status FROM sync_conflict WHERE id IN ({marks})"),
                {f"i{n}": v for n, v in enumerate(ids)},
            )
        }
        conn.execute(
            text(
                "INSERT INTO sync_conflict (id, entity, row_id, field, version, policy, status, "
                "detail) VALUES (:i, :e, :r, :f, :v, :p, :s, :d) ON CONFLICT (id) DO UPDATE SET "
                "status = excluded.status, detail = excluded.detail"
            ),
            [
                {
                    "i": str(c.id),
                    "e": c.entity,
                    "r": c.row_id,
                    "f": c.field,
                    "v": c.version,
                    "p": None if c.policy is None else c.policy.value,
                    "s": c.status.value,
                    "d": conflict_detail(c),
                }
                for c in conflicts
            ],
        )
        return [
            str(c.id)
            for c in conflicts
            if c.status.value == "open" and known.get(str(c.id)) != "open"
        ]

    # -- local settings -----------------------------------------------------------------------
    @staticmethod
    def _setting(conn: Connection, key: str) -> str | None:
        value = conn.execute(
            text("SELECT value FROM local_setting WHERE key = :k"), {"k": key}
        ).scalar()
        return None if value is None else str(value)

    @staticmethod
    def _set_setting(conn: Connection, key: str, value: str) -> None:
        conn.execute(
            text(
                "INSERT INTO local_setting (key, value) VALUES (:k, :v) "
                "ON CONFLICT (key) DO UPDATE SET value = :v"
            ),
            {"k": key, "v": value},
        )


class _Stamper:
    """Hybrid-logical-clock stamps for this device's ops: each later than the last one made or
    seen (``last`` is persisted in the local settings)."""

    def __init__(self, last: str | None, device: str) -> None:
        self.last = Timestamp.decode(last) if last else Timestamp(0, 0, device)
        self.device = device

    def stamp(self, wall_ms: int) -> str:
        if wall_ms > self.last.wall_ms:
            self.last = Timestamp(wall_ms, 0, self.device)
        elif self.last.counter < 999_999:
            self.last = Timestamp(self.last.wall_ms, self.last.counter + 1, self.device)
        else:
            self.last = Timestamp(self.last.wall_ms + 1, 0, self.device)
        return self.last.encode()


def conflict_detail(conflict: Conflict) -> str:
    """The conflict as JSON for ``sync_conflict.detail`` (base, candidates, outcome)."""

    def candidate(c: Candidate | None) -> dict[str, Any] | None:
        if c is None:
            return None
        return {
            "op": c.op_id,
            "version": c.version,
            "hlc": c.hlc.encode(),
            "device": c.device,
            "author": c.author,
            "kind": c.kind.value,
            "value": c.value,
        }

    return json.dumps(
        {
            "base": conflict.base_value,
            "candidates": [candidate(c) for c in conflict.candidates],
            "provisional": candidate(conflict.provisional),
            "resolution": candidate(conflict.resolution),
        },
        sort_keys=True,
        ensure_ascii=False,
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


def _encode(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _column_value(column: Column[Any], value: Any) -> Any:
    """A derived JSON value as the store keeps it (the inverse of the capture's encoding)."""
    if capture.is_json(column):
        return None if value is None else _encode(value)
    return value


def _deleted_at(row: RowState) -> str | None:
    if not row.deleted:
        return None
    wall = row.tombstones[-1].hlc.wall_ms if row.tombstones else 0
    return _utc_text(datetime.fromtimestamp(wall / 1000, UTC))


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _anonymised(ops: Sequence[PulledOp]) -> list[str]:
    """Households whose anonymisation is logged by an audit event in these ops."""
    events: dict[str, dict[str, Any]] = defaultdict(dict)
    for op in ops:
        if op.e == "audit_event" and op.f in ("action", "household_id"):
            events[op.r][op.f] = op.v
    return sorted(
        {
            str(e["household_id"])
            for e in events.values()
            if e.get("action") == anonymise.ANONYMISE_ACTION and e.get("household_id")
        }
    )


def _count(conn: Connection, sql: str) -> int:
    value: Any = conn.execute(text(sql)).scalar_one()
    return int(value)


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


__all__ = [
    "ChecksumMismatch",
    "DeviceSync",
    "MassChange",
    "MassChangePolicy",
    "PageResult",
    "conflict_detail",
]
