"""After a dossier's anonymisation, no earlier value of its rows survives in the server's log.

A device anonymises a household by blanking its personal fields and appending an audit event
whose ``action`` is :data:`~mediadesk.sync.ops.ANONYMISE_ACTION`; every device that pulls that
event scrubs its own copy of the dossier's history (``store.capture.scrub_history``). The server
does the same in the transaction that stores the event (:func:`purge_anonymised`): every ``set``
op of every row of the dossier, in every team's log, takes the anonymisation's own value for the
fields it blanked (an edit concurrent with it, even with a later clock, does not survive it, as
on the devices, which blank their copy again when they pull the event), and the value the merge
derives from all the ops the server holds for the other fields. Nothing else
changes: op ids, sequence numbers, bases, clocks and the running checksums (a fold of op ids
only) stay, so a device past the purge pulls nothing again, a device behind pulls the purged
values, and a new device bootstraps the anonymised dossier; all derive the same state, without
conflicts (equal values never conflict). Only the team whose log holds the dossier may
anonymise it (``sync.server.anonymisations``).

The dossier's rows are remembered (``purged_row``) with the team's sequence once purged: an
edit made offline before the anonymisation and pushed after it by another device (whose cursor
on that team is still below that sequence) would bring a former value back, and is refused
(:func:`late_ops`, a visible rejection).

The server holds no store schema: a dossier's rows are found in the log itself, as the household
row, the rows whose ``household_id`` names it, and the rows one ``*_id`` reference below those
(what ``store.linkage`` calls direct and child tables). Audit events are write-once and never
hold personal data: they are left as they are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection

from mediadesk.sync.hlc import Timestamp
from mediadesk.sync.merge import FieldState, candidate_of
from mediadesk.sync.ops import (
    AUDIT_ENTITY,
    Op,
    OpKind,
    decode_value,
    encode_value,
    policy_for,
)
from mediadesk.sync.protocol import WireOp
from mediadesk.sync.server import db

HOUSEHOLD = "household"
_CHUNK = 500


def purge_anonymised(
    conn: Connection,
    households: Sequence[str],
    *,
    team_id: str,
    seq: int,
    device: str,
    changesets: tuple[int, int] | None = None,
) -> int:
    """Rewrite every earlier value of these households' dossiers in the log (all teams), and
    remember their rows as purged at ``team_id``'s ``seq`` by ``device`` (see
    :func:`late_ops`); returns the number of ops rewritten. Caller's transaction.

    The value a field's ops take is the anonymisation's own: the last value ``device`` set in
    the ``changesets`` (first, last client_seq, inclusive) holding the anonymisation (its
    blanks), so an edit concurrent with it (a later clock) does not survive it; a field the
    anonymisation did not write takes the value the merge derives from all the ops."""
    if not households:
        return 0
    rows = dossier_rows(conn, households)
    rewritten = 0
    for chunk in _chunks(sorted(rows)):
        rewritten += _rewrite(conn, chunk, device, changesets)
        p = db.purged_row
        conn.execute(delete(p).where(p.c.row_id.in_(chunk)))
        conn.execute(
            insert(p),
            [{"row_id": r, "team_id": team_id, "seq": seq, "device": device} for r in chunk],
        )
    return rewritten


def late_ops(
    conn: Connection, device_id: str, ops: Sequence[WireOp], cursors: Mapping[str, int]
) -> set[int]:
    """Indexes of the ``ops`` that write into an anonymised dossier without having seen its
    anonymisation: made on another device whose cursor on the logging team is still below the
    purge (edits made offline before it). Their values are former personal data: the server
    refuses them (audit events aside, which hold none). A new row joins the dossier through
    an ``*_id`` field naming one of its rows. One cheap query when nothing was ever purged."""
    p = db.purged_row
    if not ops or conn.execute(select(p.c.row_id).limit(1)).first() is None:
        return set()
    links: dict[str, set[str]] = defaultdict(set)
    for wire in ops:
        if wire.k is OpKind.SET and wire.f.endswith("_id") and isinstance(wire.v, str):
            links[wire.r].add(wire.v)
    wanted = sorted({wire.r for wire in ops}.union(*links.values()))
    purged: dict[str, Any] = {}
    for chunk in _chunks(wanted):
        for row in conn.execute(select(p).where(p.c.row_id.in_(chunk))):
            purged[str(row.row_id)] = row
    if not purged:
        return set()

    def anchor(row_id: str) -> Any:
        if row_id in purged:
            return purged[row_id]
        return next((purged[t] for t in sorted(links.get(row_id, ())) if t in purged), None)

    late: set[int] = set()
    for index, wire in enumerate(ops):
        found = anchor(wire.r)
        if (
            found is not None
            and wire.e != AUDIT_ENTITY
            and found.device != device_id
            and cursors.get(found.team_id, 0) < found.seq
        ):
            late.add(index)
    return late


def dossier_rows(
    conn: Connection,
    households: Sequence[str],
    *,
    team_id: str | None = None,
    with_audit: bool = False,
) -> set[str]:
    """Ids of the rows of these dossiers, as the log links them (see the module docstring):
    in every team's log, or in ``team_id``'s; audit events only ``with_audit``."""
    found = set(households)
    level = _referencing(conn, households, "household_id", team_id, with_audit)
    found |= level
    found |= _referencing(conn, sorted(level), None, team_id, with_audit)
    return found


def _referencing(
    conn: Connection,
    targets: Sequence[str],
    only_field: str | None,
    team_id: str | None,
    with_audit: bool,
) -> set[str]:
    """Rows holding a ``set`` op whose id field names one of ``targets``."""
    o = db.op
    found: set[str] = set()
    for chunk in _chunks(targets):
        field = o.c.field == only_field if only_field else o.c.field.like("%\\_id", escape="\\")
        values = [encode_value(t) for t in chunk]
        query = select(o.c.row_id).where(
            # ix_op_value_prefix; an id's JSON is shorter than the prefix, so equal prefixes
            # are equal values (a plain ``value IN`` beside it makes SQLite scan the log)
            db.value_prefix.in_(values),
            field,
            o.c.kind == OpKind.SET.value,
        )
        if team_id is not None:
            query = query.where(o.c.team_id == team_id)
        if not with_audit:
            query = query.where(o.c.entity != AUDIT_ENTITY)
        found.update(str(row_id) for (row_id,) in conn.execute(query))
    return found


def _rewrite(
    conn: Connection, row_ids: Sequence[str], device: str, changesets: tuple[int, int] | None
) -> int:
    o = db.op
    ops = conn.execute(
        select(
            o.c.team_id, o.c.seq, o.c.op_id, o.c.entity, o.c.row_id, o.c.field, o.c.value,
            o.c.base, o.c.hlc, o.c.device, o.c.author,
        ).where(o.c.row_id.in_(row_ids), o.c.kind == OpKind.SET.value,
                o.c.entity != AUDIT_ENTITY)
    ).all()  # fmt: skip
    by_field: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for row in ops:
        by_field[(row.entity, row.row_id, row.field)].append(row)
    changes: list[dict[str, Any]] = []
    for (entity, row_id, name), entries in by_field.items():
        blank = _own_last(entries, device, changesets)
        target = (
            blank
            if blank is not None
            else encode_value(derived_value(entity, row_id, name, entries))
        )
        changes += [{"t": e.team_id, "q": e.seq, "v": target} for e in entries if e.value != target]
    if changes:
        conn.execute(
            update(o)
            .where(and_(o.c.team_id == bindparam("t"), o.c.seq == bindparam("q")))
            .values(value=bindparam("v")),
            changes,
        )
    return len(changes)


def _own_last(
    entries: Sequence[Any], device: str, changesets: tuple[int, int] | None
) -> str | None:
    """The encoded value ``device`` last set in these changesets among ``entries``, if any."""
    if changesets is None:
        return None
    first, last = changesets
    own: list[tuple[int, int, str]] = []
    for e in entries:
        parts = str(e.op_id).split(":")  # device:client_seq:index (protocol.op_id_of)
        if (
            e.device == device
            and len(parts) == 3
            and parts[1].isdigit()
            and parts[2].isdigit()
            and first <= int(parts[1]) <= last
        ):
            own.append((int(parts[1]), int(parts[2]), str(e.value)))
    return max(own)[2] if own else None


def derived_value(entity: str, row_id: str, field: str, entries: Sequence[Any]) -> Any:
    """The value every device derives for this field from these ``set`` ops (the merge)."""
    state = FieldState(
        entity,
        row_id,
        field,
        policy_for(entity, field),
        frozenset(
            candidate_of(
                Op(
                    op_id=e.op_id, entity=entity, row_id=row_id, field=field, kind=OpKind.SET,
                    value=decode_value(e.value), base_version=int(e.base),
                    hlc=Timestamp.decode(e.hlc), author=e.author or "", device=e.device,
                )
            )
            for e in entries
        ),
    )  # fmt: skip
    return state.value


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]
