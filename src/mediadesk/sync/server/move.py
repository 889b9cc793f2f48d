"""Moving a dossier from one team to another (issue 6, a team lead's decision).

In one transaction, holding both teams' log locks (in sorted order, as pushes take them):

- the target team's log gets the dossier's current state: of each of its rows, the ops a
  compaction would keep (every field's top version and the base below it; appended ops), with
  their op ids, authors and clocks, so a device of both teams recognises them;
- the source team's log gets one ``move`` op per row (field ``_row``, value ``{"to": team}``):
  a device of the source team only removes the row (``sync.device``), one of the target team
  keeps it under its new team;
- ``moved_row`` remembers where the row went, so an edit pushed later to the source team (made
  offline before the device heard of the move) is redirected to the target team when the device
  belongs to it, and refused visibly (its inbox) otherwise (``sync.server.log``); so is a row
  created offline inside the dossier (:func:`follow_links`).

The dossier's rows are found as the purge finds them (:func:`.purge.dossier_rows`), its audit
events included. Rows outside the dossier it points to (a referral list, a site, a user account)
and that the target team's log lacks are copied there too, not moved: the target team's devices
need them for their foreign keys.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from mediadesk.sync.hlc import Timestamp
from mediadesk.sync.ops import AUDIT_ENTITY, ROW_FIELD, OpKind, decode_value, encode_value
from mediadesk.sync.protocol import WireOp, fold_checksum
from mediadesk.sync.server import db
from mediadesk.sync.server.compact import superseded_among
from mediadesk.sync.server.purge import dossier_rows

SERVER_DEVICE = "0" * 32
"""The ``device`` of ops the server writes itself when no device asked (the admin command)."""


@dataclass(frozen=True)
class Moved:
    """What a move did: the rows moved and the ops copied to the target team."""

    rows: int
    copied: int


def source_team(conn: Connection, household_id: str) -> str | None:
    """The team whose log holds the household now (None: unknown or moved away everywhere)."""
    o, m = db.op, db.moved_row
    teams = {
        str(t)
        for (t,) in conn.execute(select(o.c.team_id).where(o.c.row_id == household_id).distinct())
    }
    gone = {str(t) for (t,) in conn.execute(select(m.c.team_id).where(m.c.row_id == household_id))}
    current = sorted(teams - gone)
    return current[0] if len(current) == 1 else None


def move_dossier(
    conn: Connection,
    household_id: str,
    source: str,
    target: str,
    *,
    device: str,
    author: str | None,
    now_ms: int,
) -> Moved:
    """Move the dossier from ``source`` to ``target`` (caller's transaction)."""
    log = db.team_log
    heads: dict[str, tuple[int, str]] = {}
    for team_id in sorted({source, target}):
        row = conn.execute(
            select(log.c.head_seq, log.c.checksum).where(log.c.team_id == team_id).with_for_update()
        ).one()
        heads[team_id] = (int(row.head_seq), str(row.checksum))
    ids = sorted(dossier_rows(conn, [household_id], team_id=source, with_audit=True))
    keep, entities = _current_state(conn, source, ids)
    referenced = _referenced(conn, source, target, keep, set(ids))
    while referenced:  # rows the dossier points to (a referral list...): copied, not moved
        more, _ = _current_state(conn, source, referenced)
        keep += more
        referenced = _referenced(conn, source, target, more, set(ids) | set(referenced))
    keep.sort(key=lambda r: int(r.seq))
    copies = [{name: getattr(r, name) for name in _COPIED} | {"received_at": now_ms} for r in keep]
    _append(conn, target, heads[target], copies)
    stamp = Timestamp(now_ms, 0, device).encode()
    moves = [
        {
            "op_id": f"move:{heads[source][0] + n + 1}:{row_id}", "entity": entity,
            "row_id": row_id, "field": ROW_FIELD, "kind": OpKind.MOVE.value,
            "value": encode_value({"to": target}), "base": 0, "hlc": stamp, "author": author,
            "device": device, "received_at": now_ms,
        }
        for n, (row_id, entity) in enumerate(sorted(entities.items()))
    ]  # fmt: skip
    _append(conn, source, heads[source], moves)
    _remember(conn, source, target, sorted(entities), heads[source][0])
    return Moved(rows=len(entities), copied=len(copies))


def _current_state(
    conn: Connection, team_id: str, ids: Sequence[str]
) -> tuple[list[Any], dict[str, str]]:
    """The ops of these rows a compaction would keep, and each row's entity."""
    o = db.op
    keep: list[Any] = []
    entities: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        entries = conn.execute(
            select(o)
            .where(o.c.team_id == team_id, o.c.row_id.in_(ids[start : start + 500]))
            .order_by(o.c.entity, o.c.row_id, o.c.field, o.c.seq)
        ).all()
        for (entity, row_id, _field), group in groupby(
            entries, key=lambda r: (r.entity, r.row_id, r.field)
        ):
            ops = [r for r in group if r.kind != OpKind.MOVE.value]
            dropped = set(superseded_among(ops))
            keep += [r for r in ops if r.seq not in dropped]
            entities[row_id] = entity
    return keep, entities


def _referenced(
    conn: Connection, source: str, target: str, ops: Sequence[Any], known: set[str]
) -> list[str]:
    """Rows of the source team that ``ops`` point to (``*_id`` fields) and that the target
    team's log lacks: the target team's devices need them for their foreign keys."""
    wanted: set[str] = set()
    for op in ops:
        if op.kind == OpKind.SET.value and op.field.endswith("_id"):
            value = decode_value(op.value)
            if isinstance(value, str) and _HEX32.match(value) and value not in known:
                wanted.add(value)
    if not wanted:
        return []
    o = db.op
    ids = sorted(wanted)
    found: set[str] = set()
    present: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for team_id, row_id in conn.execute(
            select(o.c.team_id, o.c.row_id)
            .where(o.c.team_id.in_((source, target)), o.c.row_id.in_(chunk))
            .distinct()
        ):
            (found if team_id == source else present).add(str(row_id))
    return sorted(found - present)


_HEX32 = re.compile(r"^[0-9a-f]{32}$")

_COPIED = (
    "op_id", "entity", "row_id", "field", "kind", "value", "base", "hlc", "author", "device",
)  # fmt: skip


def _append(
    conn: Connection, team_id: str, head: tuple[int, str], rows: Sequence[Mapping[str, Any]]
) -> None:
    if not rows:
        return
    seq, checksum = head
    numbered: list[dict[str, Any]] = []
    for row in rows:
        seq += 1
        checksum = fold_checksum(checksum, str(row["op_id"]))
        numbered.append({**row, "team_id": team_id, "seq": seq, "checksum": checksum})
    conn.execute(insert(db.op), numbered)
    conn.execute(
        update(db.team_log)
        .where(db.team_log.c.team_id == team_id)
        .values(head_seq=seq, checksum=checksum)
    )


def _remember(conn: Connection, source: str, target: str, rows: Sequence[str], at: int) -> None:
    m = db.moved_row
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        conn.execute(delete(m).where(m.c.team_id.in_((source, target)), m.c.row_id.in_(chunk)))
        conn.execute(
            insert(m),
            [{"team_id": source, "row_id": r, "to_team": target, "seq": at} for r in chunk],
        )


def redirections(
    conn: Connection, pairs: Collection[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """Of these (team, row id) pairs, those whose row left that team: -> the row's team now
    (chains of moves followed). One cheap query when no dossier was ever moved."""
    m = db.moved_row
    if not pairs or conn.execute(select(m.c.row_id).limit(1)).first() is None:
        return {}
    rows = sorted({row_id for _, row_id in pairs})
    found: dict[tuple[str, str], str] = {}
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        for r in conn.execute(select(m).where(m.c.row_id.in_(chunk))):
            found[(str(r.team_id), str(r.row_id))] = str(r.to_team)
    result: dict[tuple[str, str], str] = {}
    for team_id, row_id in pairs:
        current, hops = team_id, 0
        while (current, row_id) in found and hops < 16:
            current, hops = found[(current, row_id)], hops + 1
        if current != team_id:
            result[(team_id, row_id)] = current
    return result


def follow_links(
    conn: Connection,
    ops: Sequence[WireOp],
    moved: Mapping[tuple[str, str], str],
    teams: Collection[str],
) -> dict[tuple[str, str], str]:
    """``moved`` extended with the new rows of ``ops`` that join a moved dossier: a row
    inserted (base 0) with an ``*_id`` field naming a row that left the op's team (a phone or
    a note written offline before the device heard of the move) follows it, as do new rows
    naming those. They are remembered in ``moved_row`` too, so later edits follow them. An
    audit event (no personal data, no foreign key) follows only into one of the device's
    ``teams``: elsewhere it stays where it was logged rather than fill the inbox."""
    links: dict[tuple[str, str], set[str]] = {}
    entities: dict[tuple[str, str], str] = {}
    for wire in ops:
        if (
            wire.k is OpKind.SET
            and wire.b == 0
            and wire.f.endswith("_id")
            and isinstance(wire.v, str)
            and (wire.s, wire.r) not in moved
        ):
            links.setdefault((wire.s, wire.r), set()).add(wire.v)
            entities[(wire.s, wire.r)] = wire.e
    if not links:
        return dict(moved)
    named = {(team, target) for (team, _), targets in links.items() for target in targets}
    result = dict(moved) | redirections(conn, named)
    joined: dict[tuple[str, str], str] = {}
    changed = True
    while changed:  # new rows naming new rows that follow: they follow too
        changed = False
        for (team, row_id), targets in links.items():
            if (team, row_id) in result:
                continue
            to = next((result[(team, t)] for t in sorted(targets) if (team, t) in result), None)
            if to is not None and (entities.get((team, row_id)) != AUDIT_ENTITY or to in teams):
                result[(team, row_id)] = joined[(team, row_id)] = to
                changed = True
    if joined:
        m = db.moved_row
        for team, row_id in sorted(joined):
            conn.execute(delete(m).where(m.c.team_id == team, m.c.row_id == row_id))
        conn.execute(
            insert(m),
            [{"team_id": t, "row_id": r, "to_team": to, "seq": 0} for (t, r), to in joined.items()],
        )
    return result
