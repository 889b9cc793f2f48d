"""Reading a team's op log: pages after a device's cursors, each ending with the team's running
checksum at that point (`checksum_at`, down to the compaction floor), with the names of the
devices that made their ops (read in the same statement). Functions take an open connection;
the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import bindparam, select, true
from sqlalchemy.engine import Connection

from mediadesk.sync.ops import decode_value
from mediadesk.sync.protocol import EMPTY_CHECKSUM, PulledOp, ScopePage
from mediadesk.sync.server import db


@dataclass(frozen=True)
class PagesRead:
    """The pages of one answer, and the names of the devices whose ops they hold."""

    pages: list[ScopePage]
    devices: dict[str, str]


def read_pages(
    conn: Connection, teams: Sequence[str], cursors: Mapping[str, int], page_size: int
) -> PagesRead:
    """One page per team (sorted), ``page_size`` ops in total, each team after its cursor."""
    budget = page_size
    read = PagesRead([], {})
    for team_id in sorted(teams):
        page = _page(conn, team_id, cursors.get(team_id, 0), budget, read.devices)
        budget -= len(page.ops)
        read.pages.append(page)
    return read


def _page(conn: Connection, team_id: str, cursor: int, budget: int,
          devices: dict[str, str]) -> ScopePage:
    log_row, ops = _log_and_ops(conn, team_id, cursor, budget)
    devices.update((str(op[2]), str(op[-2])) for op in ops if op[-2])  # device, its name
    head, head_checksum = int(log_row.head_seq), str(log_row.head_checksum)
    floor = Floor(int(log_row.floor_seq), str(log_row.floor_checksum))
    if ops:
        end, checksum = int(ops[-1][0]), str(ops[-1][-1])
    else:
        end, checksum = cursor, checksum_at(conn, team_id, cursor, head, head_checksum, floor)
    return ScopePage(
        scope=team_id,
        ops=_pulled(ops),
        cursor=end,
        checksum=checksum,
        head=head,
        more=end < head,
        floor=floor.seq,
        floor_checksum=floor.checksum,
    )


_SEQ_MAX = 2**62  # above any sequence number, inside the databases' 64-bit integers
_OP_COLUMNS = [
    *(db.op.c[name]
      for name in ("seq", "op_id", "device", "entity", "row_id", "field", "kind", "value", "base",
                   "hlc", "author")),
    db.device.c.name.label("device_name"),
    db.op.c.checksum,  # last: a page ends with its last op's checksum
]  # fmt: skip
_OPS_WITH_DEVICE = db.op.outerjoin(db.device, db.device.c.id == db.op.c.device)
_HEAD_COLUMNS = (
    db.team_log.c.head_seq, db.team_log.c.checksum.label("head_checksum"),
    db.team_log.c.floor_seq, db.team_log.c.floor_checksum,
)  # fmt: skip
_LOG_ROW = select(*_HEAD_COLUMNS).where(db.team_log.c.team_id == bindparam("team"))
_OPS_AFTER = (
    select(*_OP_COLUMNS)
    .select_from(_OPS_WITH_DEVICE)
    .where(db.op.c.team_id == bindparam("team"), db.op.c.seq > bindparam("after"))
    .where(db.op.c.seq <= bindparam("head"))
    .order_by(db.op.c.seq)
    .limit(bindparam("budget"))
)
_LATERAL_OPS = (
    select(*_OP_COLUMNS)
    .select_from(_OPS_WITH_DEVICE)
    .where(db.op.c.team_id == bindparam("team"), db.op.c.seq > bindparam("after"))
    .where(db.op.c.seq <= db.team_log.c.head_seq)
    .order_by(db.op.c.seq)
    .limit(bindparam("budget"))
    .lateral("ops")
)
_LOG_AND_OPS = (
    select(*_HEAD_COLUMNS, *_LATERAL_OPS.c)
    .select_from(db.team_log.outerjoin(_LATERAL_OPS, true()))
    .where(db.team_log.c.team_id == bindparam("team"))
    .order_by(_LATERAL_OPS.c.seq)
)  # one row per op, or one with NULL op columns when there is none
_HEAD_WIDTH = len(_HEAD_COLUMNS)


def _log_and_ops(conn: Connection, team_id: str, cursor: int, budget: int) -> tuple[Any, list[Any]]:
    """The team's log row (head, head_checksum, floor_seq, floor_checksum) and its next
    ``budget`` ops after ``cursor`` up to that head (rows of ``_OP_COLUMNS``). PostgreSQL: one
    statement, hence one round trip and one snapshot; SQLite (no round trips to save): the log
    row, then the ops."""
    after = min(cursor, _SEQ_MAX)  # a device's cursor is not bounded by the protocol
    if db.is_sqlite(conn):
        log_row = conn.execute(_LOG_ROW, {"team": team_id}).one()
        head = int(log_row.head_seq)
        if budget <= 0 or cursor >= head:
            return log_row, []
        params = {"team": team_id, "after": after, "head": head, "budget": budget}
        return log_row, list(conn.execute(_OPS_AFTER, params))
    params = {"team": team_id, "after": after, "budget": max(budget, 0)}
    rows = conn.execute(_LOG_AND_OPS, params).all()
    return rows[0], [row[_HEAD_WIDTH:] for row in rows if row.seq is not None]


@dataclass(frozen=True)
class Floor:
    """How far a team's log was compacted, and the checksum a pull from 0 starts from."""

    seq: int = 0
    checksum: str = EMPTY_CHECKSUM


def checksum_at(
    conn: Connection, team_id: str, cursor: int, head: int, at_head: str, floor: Floor
) -> str:
    """The team's running checksum at ``cursor``: that of the last op kept at or below it (ops
    below the floor may have been compacted away), else the floor's."""
    if cursor >= head:
        return at_head
    if cursor <= 0:
        return floor.checksum
    value = conn.execute(
        select(db.op.c.checksum)
        .where(db.op.c.team_id == team_id, db.op.c.seq <= cursor)
        .order_by(db.op.c.seq.desc())
        .limit(1)
    ).scalar()
    return floor.checksum if value is None else str(value)


_PULLED = TypeAdapter(list[PulledOp])


def _pulled(rows: Sequence[Any]) -> list[PulledOp]:
    # Validated in one call to pydantic-core: about 3 times cheaper than constructing each op
    # in Python. Rows were validated on the way in, and the device validates the page again.
    return _PULLED.validate_python([
        {"q": q, "i": i, "d": d, "e": e, "r": r, "f": f, "k": k, "v": decode_value(v), "b": b,
         "t": t, "a": a}
        for q, i, d, e, r, f, k, v, b, t, a, _device_name, _checksum in rows
    ])  # fmt: skip
