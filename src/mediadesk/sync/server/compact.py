"""Compacting a team's op log below a horizon (issue 6): superseded values are dropped.

The log only grows; a field edited a thousand times holds a thousand ops. Ops received before
``now - horizon`` are compacted: for every register (a field, or a row's deletion state) the ops
of its top version are kept (its current value, or its open conflict's candidates) with the
last writer of the version below (an open conflict's base value); older versions go. Appended
and set-element ops are kept. Every kept op keeps its sequence number, id and value, so every
device derives the same state from the compacted log as from the full one (minus the record of
conflicts resolved long ago).

Checksums (see ``protocol.fold_checksum``): the running checksum of every op above the floor is
unchanged, so a device whose cursor is at or above the floor notices nothing. Below the floor,
the kept ops' checksums are rewritten as ``floor_checksum`` (the fold of every dropped op id)
folded with the kept ops up to them, which meets the old value at the floor. A device pulling
from 0 starts from ``floor_checksum`` (sent on every page) and agrees page after page; a device
whose cursor is below the floor and that missed dropped ops finds its checksum no longer
matches, pulls the team again from 0 (``sync.device.CompactedPast``), having pushed its own
changes first in the same request.

Each team is compacted in its own transaction, holding the team's log lock (pushes to it wait).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, select, update
from sqlalchemy.engine import Connection, Engine

from mediadesk.sync.hlc import Timestamp
from mediadesk.sync.merge import candidate_of
from mediadesk.sync.ops import Candidate, Op, OpKind, decode_value
from mediadesk.sync.protocol import fold_checksum
from mediadesk.sync.server import db

DAY_MS = 24 * 3600 * 1000
_REGISTER_KINDS = frozenset({OpKind.SET.value, OpKind.DELETE.value, OpKind.UNDELETE.value})
_BATCH = 1_000


@dataclass(frozen=True)
class Compacted:
    """What compacting one team did: its new floor and how many ops were dropped."""

    team_id: str
    floor: int
    dropped: int


def compact(engine: Engine, now_ms: int, horizon_days: int) -> list[Compacted]:
    """Compact every team's log below ``now_ms - horizon_days``; one transaction per team."""
    with engine.connect() as conn:
        teams = [str(t) for (t,) in conn.execute(select(db.team_log.c.team_id))]
    cutoff = now_ms - horizon_days * DAY_MS
    results: list[Compacted] = []
    for team_id in sorted(teams):
        with engine.begin() as conn:
            results.append(compact_team(conn, team_id, cutoff))
    return results


def compact_team(conn: Connection, team_id: str, before_ms: int) -> Compacted:
    """Compact the ops of ``team_id`` received before ``before_ms`` (caller's transaction)."""
    log, o = db.team_log, db.op
    locked = conn.execute(
        select(log.c.floor_seq).where(log.c.team_id == team_id).with_for_update()
    ).one()
    old_floor = int(locked.floor_seq)
    floor = conn.execute(
        select(func.max(o.c.seq)).where(o.c.team_id == team_id, o.c.received_at < before_ms)
    ).scalar()
    if floor is None or int(floor) <= old_floor:
        return Compacted(team_id, old_floor, 0)
    floor = int(floor)
    at_floor: str = conn.execute(
        select(o.c.checksum).where(o.c.team_id == team_id, o.c.seq == floor)
    ).scalar_one()  # above the old floor nothing was dropped: the op is there
    dropped = superseded(conn, team_id, floor)
    for start in range(0, len(dropped), _BATCH):
        conn.execute(
            delete(o).where(o.c.team_id == team_id, o.c.seq.in_(dropped[start : start + _BATCH]))
        )
    floor_checksum = _rewrite_checksums(conn, team_id, floor, str(at_floor))
    conn.execute(
        update(log)
        .where(log.c.team_id == team_id)
        .values(floor_seq=floor, floor_checksum=floor_checksum)
    )
    return Compacted(team_id, floor, len(dropped))


def superseded(conn: Connection, team_id: str, floor: int) -> list[int]:
    """Sequences of the ops at or below ``floor`` that no device needs any more."""
    o = db.op
    rows = conn.execute(
        select(o.c.seq, o.c.op_id, o.c.entity, o.c.row_id, o.c.field, o.c.kind, o.c.value,
               o.c.base, o.c.hlc, o.c.device, o.c.author)
        .where(o.c.team_id == team_id, o.c.kind.in_(_REGISTER_KINDS))
        .order_by(o.c.entity, o.c.row_id, o.c.field, o.c.seq)
    )  # fmt: skip
    drop: list[int] = []
    for _key, group in groupby(rows, key=lambda r: (r.entity, r.row_id, r.field)):
        drop += superseded_among(list(group), floor)
    return sorted(drop)


def superseded_among(entries: Sequence[Any], floor: int | None = None) -> list[int]:
    """Of one field's ops (rows of ``op``): keep the top version's and the last writer of the
    version below; the sequences of the rest (at or below ``floor`` when given) are returned.
    Appended and set-element ops are never superseded."""
    entries = [e for e in entries if e.kind in _REGISTER_KINDS]
    if len(entries) < 2:
        return []
    candidates = [(_candidate(e), int(e.seq)) for e in entries]
    top = max(c.version for c, _ in candidates)
    below = [(c, seq) for c, seq in candidates if c.version < top]
    keep = {seq for c, seq in candidates if c.version == top}
    if below:
        keep.add(max(below)[1])
    return [seq for _, seq in candidates if (floor is None or seq <= floor) and seq not in keep]


def _candidate(entry: Any) -> Candidate:
    return candidate_of(
        Op(
            op_id=entry.op_id, entity=entry.entity, row_id=entry.row_id, field=entry.field,
            kind=OpKind(entry.kind), value=decode_value(entry.value), base_version=int(entry.base),
            hlc=Timestamp.decode(entry.hlc), author=entry.author or "", device=entry.device,
        )
    )  # fmt: skip


def _rewrite_checksums(conn: Connection, team_id: str, floor: int, at_floor: str) -> str:
    """Give the kept ops at or below ``floor`` their checksum in the compacted log; returns the
    floor checksum (what a pull from 0 starts from)."""
    o = db.op
    kept = conn.execute(
        select(o.c.seq, o.c.op_id).where(o.c.team_id == team_id, o.c.seq <= floor).order_by(o.c.seq)
    ).all()
    floor_checksum = _fold(at_floor, (str(r.op_id) for r in kept))  # XOR: folding undoes
    running = floor_checksum
    changes: list[dict[str, Any]] = []
    for row in kept:
        running = fold_checksum(running, str(row.op_id))
        changes.append({"q": int(row.seq), "c": running})
    for start in range(0, len(changes), _BATCH):
        conn.execute(
            update(o)
            .where(and_(o.c.team_id == team_id, o.c.seq == bindparam("q")))
            .values(checksum=bindparam("c")),
            changes[start : start + _BATCH],
        )
    return floor_checksum


def _fold(checksum: str, op_ids: Iterable[str]) -> str:
    for op_id in op_ids:
        checksum = fold_checksum(checksum, op_id)
    return checksum
