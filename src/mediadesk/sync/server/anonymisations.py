"""Recognising the anonymisations a pushed changeset logs, and whether the pushing team may.

An anonymisation is logged by an audit event (entity :data:`~mediadesk.sync.ops.AUDIT_ENTITY`)
whose ``action`` is :data:`~mediadesk.sync.ops.ANONYMISE_ACTION` and whose ``household_id``
names the dossier. Both fields may arrive in different changesets (an older client split a
row's insert across changesets): a part missing from the changeset is read from the log.

A team may only anonymise a dossier its own log holds now: the household has ops in that
team's log (or in the same push) and has not moved away from it. Another team's event is
refused (``sync.server.log``), so it neither purges nor freezes a dossier it does not hold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from mediadesk.sync.ops import ANONYMISE_ACTION, AUDIT_ENTITY, OpKind, decode_value
from mediadesk.sync.protocol import WireOp
from mediadesk.sync.server import db

_FIELDS = ("action", "household_id")


@dataclass(frozen=True)
class Anonymisation:
    """One anonymisation event among a changeset's ops (of one team)."""

    household: str
    indexes: tuple[int, ...]  # the changeset's ops of the event row
    since: int  # the lowest client_seq of this device holding a part of the event


def client_seq_of(op_id: str, device_id: str) -> int | None:
    """The client sequence of ``device_id``'s op id ``device:seq:index`` (None: another's)."""
    parts = op_id.split(":")
    if len(parts) != 3 or parts[0] != device_id or not parts[1].isdigit():
        return None
    return int(parts[1])


def anonymisations(
    conn: Connection, ops: Sequence[tuple[int, WireOp]], device_id: str, client_seq: int
) -> list[Anonymisation]:
    """The anonymisations logged by ``ops`` (index, op), completed from the log when a part of
    the event came in an earlier changeset (sorted by household)."""
    fields: dict[str, dict[str, Any]] = defaultdict(dict)
    indexes: dict[str, list[int]] = defaultdict(list)
    for index, wire in ops:
        if wire.e == AUDIT_ENTITY:
            indexes[wire.r].append(index)
            if wire.f in _FIELDS and wire.k is OpKind.SET:
                fields[wire.r][wire.f] = wire.v
    since = dict.fromkeys(fields, client_seq)
    partial = sorted(r for r, found in fields.items() if len(found) < len(_FIELDS))
    if partial:
        o = db.op
        stored = conn.execute(
            select(o.c.row_id, o.c.field, o.c.value, o.c.op_id).where(
                o.c.row_id.in_(partial),
                o.c.entity == AUDIT_ENTITY,
                o.c.field.in_(_FIELDS),
                o.c.kind == OpKind.SET.value,
            )
        )
        for row in stored:
            event = fields[str(row.row_id)]
            if row.field not in event:
                event[str(row.field)] = decode_value(row.value)
                earlier = client_seq_of(str(row.op_id), device_id)
                if earlier is not None:
                    since[str(row.row_id)] = min(since[str(row.row_id)], earlier)
    found = [
        Anonymisation(str(event["household_id"]), tuple(indexes[row_id]), since[row_id])
        for row_id, event in fields.items()
        if event.get("action") == ANONYMISE_ACTION and isinstance(event.get("household_id"), str)
    ]
    return sorted(found, key=lambda a: a.household)


def held_by(conn: Connection, team_id: str, household: str, pushed: Sequence[WireOp]) -> bool:
    """Whether ``team_id``'s log holds the household now: it has ops there (or in this push
    to that team) and has not moved away from it."""
    m, o = db.moved_row, db.op
    gone = conn.execute(
        select(m.c.row_id).where(m.c.team_id == team_id, m.c.row_id == household)
    ).first()
    if gone is not None:
        return False
    if any(wire.r == household and wire.e != AUDIT_ENTITY for wire in pushed):
        return True
    return (
        conn.execute(
            select(o.c.seq).where(o.c.team_id == team_id, o.c.row_id == household).limit(1)
        ).first()
        is not None
    )
