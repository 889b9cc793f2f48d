"""The push side of a device: freeze the captured outbox into changesets, renumber them, take
the server's receipts.

Frozen changesets are resent as they are (same ``client_seq``) until a receipt comes; an insert
expands into one op per field. Each op gets a hybrid-logical-clock stamp later than every stamp
this device has seen. Acked ops join the history, rejected ones the visible ``sync_rejected``
inbox. Every function runs inside the caller's transaction.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, text

from mediadesk.store import capture
from mediadesk.store.local_settings import get_setting, set_setting
from mediadesk.sync.device_departures import forget_purged
from mediadesk.sync.device_store import KEY_CLIENT_SEQ, KEY_HLC, chunks, encode
from mediadesk.sync.hlc import Timestamp
from mediadesk.sync.ops import ROW_FIELD, OpKind, decode_value
from mediadesk.sync.protocol import Changeset, Receipt, RejectionCode, WireOp, op_id_of


class Stamper:
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


def frozen(conn: Connection) -> list[Changeset]:
    """The frozen changesets awaiting a receipt, in ``client_seq`` order."""
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


def freeze(
    conn: Connection,
    max_ops: int,
    *,
    device: str,
    tables: dict[str, Table],
    now_ms: Callable[[], int],
) -> None:
    """Freeze up to ``max_ops`` outbox rows into changesets of at most ``max_ops`` ops, cut
    only between outbox rows: a row's insert (one op per field) is never split, so a row that
    expands past ``max_ops`` makes a changeset of its own, and the fields of an audit event
    always travel together."""
    outbox = conn.execute(
        text(
            "SELECT seq, entity, row_id, field, kind, value, base, wall_ms, author, scope "
            "FROM sync_outbox ORDER BY seq LIMIT :n"
        ),
        {"n": max_ops},
    ).all()
    if not outbox:
        return
    present = _present(conn, [r for r in outbox if r.kind == capture.INSERT])
    clock = Stamper(get_setting(conn, KEY_HLC), device)
    ops: list[tuple[str, str, str, str, str, int, str, str | None, str]] = []
    gone: set[str] = set()
    cuts: list[int] = []  # where each outbox row's ops start
    for row in outbox:
        cuts.append(len(ops))
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
                        encode(value),
                        0,
                        stamp,
                        row.author,
                        row.scope,
                    )
                )
            if deleted:
                all_seen = encode({"seen": dict.fromkeys(snapshot, 1)})
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
            seen: dict[str, int] = dict.fromkeys(_fields(tables, row.entity), 1)
            seen.update(json.loads(value).get("seen", {}))
            value = encode({"seen": seen})
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
    set_setting(conn, KEY_HLC, clock.last.encode())
    seq = int(get_setting(conn, KEY_CLIENT_SEQ) or 0)
    for start, end in _batches(cuts, len(ops), max_ops):
        seq += 1
        conn.exec_driver_sql(
            "INSERT INTO sync_changeset (client_seq, created_ms) VALUES (?, ?)",
            (seq, now_ms()),
        )
        conn.exec_driver_sql(
            "INSERT INTO sync_pending (client_seq, idx, entity, row_id, field, kind, value, "
            "base, hlc, author, scope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(seq, i, *op) for i, op in enumerate(ops[start:end])],
        )
    set_setting(conn, KEY_CLIENT_SEQ, str(seq))


def _batches(cuts: Sequence[int], total: int, max_ops: int) -> list[tuple[int, int]]:
    """(start, end) slices of ``total`` ops of at most ``max_ops`` ops each, cut only at
    ``cuts`` (a slice longer than ``max_ops`` only when one row alone is)."""
    bounds = sorted({cut for cut in cuts if 0 < cut < total})
    batches: list[tuple[int, int]] = []
    start = last = 0
    for cut in [*bounds, total]:
        if cut - start > max_ops and last > start:
            batches.append((start, last))
            start = last
        last = cut
    if total > start:
        batches.append((start, total))
    return batches


def _fields(tables: dict[str, Table], entity: str) -> list[str]:
    table = tables.get(entity)
    return [] if table is None else [c.name for c in capture.captured_columns(table)]


def _present(conn: Connection, rows: Sequence[Any]) -> set[tuple[str, str]]:
    """Which of these inserted rows still exist (an undone import erases its rows)."""
    by_table: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_table[row.entity].append(row.row_id)
    found: set[tuple[str, str]] = set()
    for name, ids in by_table.items():
        for chunk in chunks(ids):
            marks = ", ".join(f":i{n}" for n in range(len(chunk)))
            for (row_id,) in conn.execute(
                text(f'SELECT id FROM "{name}" WHERE id IN ({marks})'),
                {f"i{n}": v for n, v in enumerate(chunk)},
            ).all():
                found.add((name, str(row_id)))
    return found


def renumber(conn: Connection, first: int) -> None:
    """Number the frozen changesets from ``first``, keeping their order and content."""
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
    set_setting(conn, KEY_CLIENT_SEQ, str(last))


def acknowledge(
    conn: Connection,
    receipts: Iterable[Receipt],
    *,
    device: str,
    tables: dict[str, Table],
    now_ms: Callable[[], int],
) -> int:
    """Take the server's receipts: acked ops join the history, rejected ones the inbox;
    returns how many ops were acked."""
    moved = 0
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
                    "t": now_ms(),
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
                        "o": op_id_of(device, seq, p.idx),
                        "e": p.entity,
                        "r": p.row_id,
                        "f": p.field,
                        "k": p.kind,
                        "v": p.value,
                        "b": p.base,
                        "t": p.hlc,
                        "d": device,
                        "a": p.author,
                        "s": p.scope,
                    }
                    for p in accepted
                ],
            )
        moved += len(accepted)
        purged = [(p.entity, p.row_id) for p in pending if p.idx in rejected
                  and rejected[p.idx].code == RejectionCode.DOSSIER_ANONYMISED]  # fmt: skip
        conn.execute(text("DELETE FROM sync_pending WHERE client_seq = :q"), {"q": seq})
        conn.execute(text("DELETE FROM sync_changeset WHERE client_seq = :q"), {"q": seq})
        if purged:
            forget_purged(conn, purged, tables)
    return moved
