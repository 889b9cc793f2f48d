"""Apply one pulled page of a team's log on the device, inside the caller's transaction.

The page's checksum is checked first: a page that does not match is refused
(:class:`ChecksumMismatch`) and the caller restarts that team from zero, which is harmless (ops
are keyed by id). A pull from zero starts from the page's ``floor_checksum``; a mismatch below
the server's compaction floor is :class:`CompactedPast`. Then the touched rows are re-derived
(:mod:`.device_derive`), the ops join the history, the clock advances, pulled anonymisations
are purged and ``move`` ops handled (:mod:`.device_departures`), and the cursor moves on.
A page deleting an unusual share of the dossiers stops with :class:`MassChange` unless confirmed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, text

from mediadesk.sync.device_departures import move_out, purge_anonymised, split_moves
from mediadesk.sync.device_derive import Raw, derive_rows
from mediadesk.sync.device_store import KEY_HLC, chunks, count, encode, set_setting, setting
from mediadesk.sync.protocol import EMPTY_CHECKSUM, PulledOp, ScopePage, fold_checksum


class ChecksumMismatch(Exception):
    """The team's log here differs from the server's: restart that team from sequence 0."""

    def __init__(self, scope: str) -> None:
        super().__init__(scope)
        self.scope = scope


class CompactedPast(ChecksumMismatch):
    """The server compacted the team's log past this device's cursor (it was offline beyond
    the server's horizon): the ops it missed are partly gone. Restart that team from 0, after
    pushing its own changes (a sync request pushes before it pulls): the compacted log holds
    every field's current value, and this device's unsent edits stay candidates of the merge."""


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


def apply(
    conn: Connection,
    page: ScopePage,
    *,
    device: str,
    tables: dict[str, Table],
    mass_change: MassChangePolicy,
    confirm: bool,
    scope_name: str,
) -> PageResult:
    """Apply ``page`` and record its cursor and checksum (capture must be paused by the caller).

    Raises :class:`ChecksumMismatch` (or :class:`CompactedPast`) and :class:`MassChange`; the
    caller's transaction then rolls back."""
    state = conn.execute(
        text("SELECT cursor, checksum FROM sync_scope WHERE scope = :s"), {"s": page.scope}
    ).first()
    cursor, checksum = _start(page, state)
    ops = [op for op in sorted(page.ops, key=lambda o: o.q) if op.q > cursor]
    for op in ops:
        checksum = fold_checksum(checksum, op.i)
    if checksum != page.checksum:
        raise _mismatch(page, cursor)
    ops, moves = split_moves(ops)
    result = PageResult(applied=len(ops))
    if ops:
        encoded = [encode(op.v) for op in ops]
        # the derivation reads the history, then the page joins it
        _derive(conn, ops, encoded, result, confirm, page.scope, device, tables, mass_change)
        _record(conn, page.scope, ops, encoded)
        _advance_clock(conn, ops)
        purge_anonymised(conn, ops)  # the purge reaches this device's history too
    if moves:
        move_out(conn, moves, tables)
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


def _record(conn: Connection, scope: str, ops: Sequence[PulledOp], encoded: Sequence[str]) -> None:
    """Pulled ops join the history. Our own ops come back too: the server's stamp (clamped
    when our clock ran ahead) replaces ours, so every device orders the same candidates;
    so does its value (the server purges the values an anonymisation blanked)."""
    conn.exec_driver_sql(
        "INSERT INTO sync_history (op_id, entity, row_id, field, kind, value, base, hlc, "
        "device, author, scope, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (op_id) DO UPDATE SET seq = excluded.seq, hlc = excluded.hlc, "
        "value = excluded.value",
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


def _advance_clock(conn: Connection, ops: Sequence[PulledOp]) -> None:
    latest = max(op.t for op in ops)
    current = setting(conn, KEY_HLC)
    if current is None or latest > current:
        set_setting(conn, KEY_HLC, latest)


def _derive(
    conn: Connection,
    ops: Sequence[PulledOp],
    encoded: Sequence[str],
    result: PageResult,
    confirm: bool,
    scope: str,
    device: str,
    tables: dict[str, Table],
    mass_change: MassChangePolicy,
) -> None:
    page: dict[str, dict[str, dict[str, dict[str, Raw]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(dict))
    )  # entity -> row -> field -> op id -> candidate
    decoded: dict[str, Any] = {}
    for op, value in zip(ops, encoded, strict=True):
        if op.e in tables:
            page[op.e][op.r][op.f][op.i] = (op.i, op.k.value, value, op.b, op.t, op.d, op.a)
            decoded[op.i] = op.v
    deleted_now = 0
    for entity, rows in page.items():
        table = tables[entity]
        for chunk in chunks(sorted(rows)):
            derived = derive_rows(conn, table, chunk, rows, decoded, scope=scope, device=device)
            result.rows_written += derived.rows_written
            result.conflicts_opened += derived.conflicts_opened
            deleted_now += derived.households_deleted
    if deleted_now and not confirm:
        live = count(conn, "SELECT count(*) FROM household WHERE deleted_at IS NULL")
        policy = mass_change
        if deleted_now >= policy.minimum and deleted_now > policy.share * (live + deleted_now):
            raise MassChange(scope, deleted_now, live + deleted_now)


def _start(page: ScopePage, state: Any) -> tuple[int, str]:
    """Cursor and checksum this device folds the page from. A pull from 0 starts from the
    server's compaction floor checksum (the fold of the op ids compacted away)."""
    cursor, checksum = (int(state[0]), str(state[1])) if state else (0, EMPTY_CHECKSUM)
    if cursor == 0:
        checksum = page.floor_checksum
    return cursor, checksum


def _mismatch(page: ScopePage, cursor: int) -> ChecksumMismatch:
    if 0 < cursor < page.floor:
        return CompactedPast(page.scope)
    return ChecksumMismatch(page.scope)
