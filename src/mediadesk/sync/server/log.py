"""The per-team op log: storing a pushed changeset exactly once, and reading pages of it.

Sequence numbers are allocated under a per-team lock held until commit (PostgreSQL: the team's
``team_log`` row ``FOR UPDATE``, teams in sorted order; SQLite: the whole database, taken by
``BEGIN IMMEDIATE``), so commit order equals sequence order and a reader never sees seq n+1
before seq n. Each op row keeps the team's running checksum up to it, so any page end can be
answered with its checksum. Functions take an open connection; the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import bindparam, exists, func, insert, select, true, update
from sqlalchemy.engine import Connection

from mediadesk.sync.hlc import Timestamp, clamp
from mediadesk.sync.ops import OpKind, decode_value, encode_value
from mediadesk.sync.protocol import (
    EMPTY_CHECKSUM,
    Changeset,
    ErrorCode,
    PulledOp,
    Receipt,
    Rejection,
    RejectionCode,
    ScopePage,
    WireOp,
    fold_checksum,
    op_id_of,
)
from mediadesk.sync.server import db, move, purge
from mediadesk.sync.server.anonymisations import Anonymisation, anonymisations, held_by
from mediadesk.sync.server.errors import ServiceError

SCOPE_FORBIDDEN = RejectionCode.SCOPE_FORBIDDEN
DOSSIER_MOVED = RejectionCode.DOSSIER_MOVED
MOVE_FORBIDDEN = RejectionCode.MOVE_FORBIDDEN
DOSSIER_ANONYMISED = RejectionCode.DOSSIER_ANONYMISED


# The statements every push and pull runs are built once: SQLAlchemy then reuses their cache
# key and compiled form instead of building them again for each request.
_RECEIPTS_AROUND = select(db.receipt.c.client_seq, db.receipt.c.body).where(
    db.receipt.c.device_id == bindparam("device_id"),
    db.receipt.c.client_seq.between(bindparam("low"), bindparam("high")),
)
_LOCK = (
    select(db.team_log.c.team_id, db.team_log.c.head_seq, db.team_log.c.checksum)
    .where(db.team_log.c.team_id.in_(bindparam("teams", expanding=True)))
    .order_by(db.team_log.c.team_id)
)
_LOCK_FOR_UPDATE = _LOCK.with_for_update()
_EVER_MOVED_OR_PURGED = select(
    exists(select(db.moved_row.c.row_id)).label("moved"),
    exists(select(db.purged_row.c.row_id)).label("purged"),
)
_SET_HEAD = (
    update(db.team_log)
    .where(db.team_log.c.team_id == bindparam("b_team"))
    .values(head_seq=bindparam("b_head"), checksum=bindparam("b_checksum"))
)
_INSERT_RECEIPT = insert(db.receipt)


def _receipts_around(conn: Connection, device_id: str, client_seq: int) -> dict[int, str]:
    """The stored receipts ``client_seq`` and ``client_seq - 1`` of the device (one query)."""
    rows = conn.execute(
        _RECEIPTS_AROUND, {"device_id": device_id, "low": client_seq - 1, "high": client_seq}
    )
    return {int(row.client_seq): str(row.body) for row in rows}


def expected_seq(conn: Connection, device_id: str) -> int:
    last = conn.execute(
        select(func.max(db.receipt.c.client_seq)).where(db.receipt.c.device_id == device_id)
    ).scalar()
    return int(last or 0) + 1


def store_changeset(
    conn: Connection,
    device_id: str,
    teams: frozenset[str],
    changeset: Changeset,
    now_ms: int,
    horizon_ms: int,
    cursors: Mapping[str, int] | None = None,
) -> Receipt:
    """Store ``changeset`` once and return its receipt (the stored one for a replay).

    ``cursors`` (the request's, per team) tell which anonymisations the device had pulled: its
    writes into a dossier anonymised since are refused (see ``purge.late_ops``; None: no check).

    Raises ``ServiceError`` (409, SEQUENCE_GAP, expected=next) when ``client_seq`` skips ahead.
    """
    # Client sequences are gapless, so seeing ``n - 1`` stored and ``n`` not proves ``n`` is
    # next. Two racing copies of ``n`` both pass here; the loser hits the receipt's (or an op
    # id's) unique key at insert and the caller retries, finding the winner's receipt.
    seq = changeset.client_seq
    stored = _receipts_around(conn, device_id, seq)
    if seq in stored:
        return Receipt.model_validate_json(stored[seq])
    if seq > 1 and seq - 1 not in stored:
        expected = expected_seq(conn, device_id)
        raise ServiceError(
            409,
            ErrorCode.SEQUENCE_GAP,
            f"Lot de modifications hors séquence : {changeset.client_seq} reçu, "
            f"{expected} attendu. Renvoyez à partir du lot {expected}.",
            expected=expected,
        )
    # The teams' log locks first (sorted, as moves and other pushes take them): a move
    # committing meanwhile is then seen by the redirections below, or waits for this push.
    heads = lock_logs(conn, teams | {wire.s for wire in changeset.ops})
    by_team: dict[str, list[tuple[int, WireOp]]] = {}
    rejected: list[Rejection] = []
    ever_moved, ever_purged = _ever_moved_or_purged(conn)  # after the locks: a fresh snapshot
    moved: dict[tuple[str, str], str] = {}
    if ever_moved:  # else nothing to redirect, and no moved row for a new row to follow
        moved = move.redirections(conn, {(wire.s, wire.r) for wire in changeset.ops})
        moved = move.follow_links(conn, changeset.ops, moved, teams)
    late: set[int] = set()
    if cursors is not None and ever_purged:
        late = purge.late_ops(conn, device_id, changeset.ops, cursors)
    for index, wire in enumerate(changeset.ops):
        scope = moved.get((wire.s, wire.r), wire.s)  # an edit made before a move follows it
        if wire.k is OpKind.MOVE:
            rejected.append(_refused(index))
        elif index in late:
            rejected.append(_purged(index))
        elif scope in teams:
            by_team.setdefault(scope, []).append((index, wire))
        else:
            rejected.append(_forbidden(index, scope, moved=scope != wire.s))
    purges: dict[str, list[Anonymisation]] = {}
    for team_id, entries in by_team.items():
        pushed = [wire for _, wire in entries]
        for event in anonymisations(conn, entries, device_id, changeset.client_seq):
            if held_by(conn, team_id, event.household, pushed):
                purges.setdefault(team_id, []).append(event)
            else:  # another team's dossier, or one moved away: neither purged nor frozen
                refused = set(event.indexes)
                by_team[team_id] = [(i, w) for i, w in by_team[team_id] if i not in refused]
                rejected += [_not_held(i, team_id, event.household, conn) for i in sorted(refused)]
    for team_id in sorted(by_team):
        if not by_team[team_id]:
            continue
        head = _append(
            conn, team_id, heads[team_id], device_id, changeset.client_seq, by_team[team_id],
            now_ms, horizon_ms,
        )  # fmt: skip
        events = purges.get(team_id, [])
        if events:  # the purge commits with the event
            purge.purge_anonymised(
                conn, sorted({e.household for e in events}), team_id=team_id, seq=head,
                device=device_id,
                changesets=(min(e.since for e in events), changeset.client_seq),
            )  # fmt: skip
    rejected.sort(key=lambda r: r.index)
    receipt = Receipt(
        client_seq=changeset.client_seq,
        accepted=len(changeset.ops) - len(rejected),
        rejected=rejected,
    )
    conn.execute(
        _INSERT_RECEIPT,
        {"device_id": device_id, "client_seq": changeset.client_seq,
         "body": receipt.model_dump_json()},
    )  # fmt: skip
    return receipt


def _forbidden(index: int, scope: str, *, moved: bool = False) -> Rejection:
    if moved:
        return Rejection(
            index=index,
            code=DOSSIER_MOVED,
            message="Modification refusée : ce dossier a été transféré à une équipe dont cet "
            "appareil ne fait pas partie.",
        )
    return Rejection(
        index=index,
        code=SCOPE_FORBIDDEN,
        message=f"Modification refusée : cet appareil n'appartient pas à l'équipe {scope}.",
    )


def _not_held(index: int, team_id: str, household: str, conn: Connection) -> Rejection:
    m = db.moved_row
    gone = conn.execute(
        select(m.c.row_id).where(m.c.team_id == team_id, m.c.row_id == household)
    ).first()
    if gone is not None:
        return _forbidden(index, team_id, moved=True)
    return Rejection(
        index=index,
        code=SCOPE_FORBIDDEN,
        message="Anonymisation refusée : ce dossier n'appartient pas à l'équipe de cet appareil.",
    )


def lock_logs(conn: Connection, teams: Iterable[str]) -> dict[str, tuple[int, str]]:
    """Take these teams' log locks until commit, in sorted order (PostgreSQL: their
    ``team_log`` rows ``FOR UPDATE``; SQLite: the transaction already holds the database), and
    return each existing team's head sequence and checksum, read under the lock."""
    query = _LOCK if db.is_sqlite(conn) else _LOCK_FOR_UPDATE
    rows = conn.execute(query, {"teams": sorted(teams)})
    return {str(r.team_id): (int(r.head_seq), str(r.checksum)) for r in rows}


def _ever_moved_or_purged(conn: Connection) -> tuple[bool, bool]:
    """Whether any dossier row was ever moved, and any ever purged (one round trip): most
    pushes then skip both lookups. Read after the locks, so a move or purge that committed
    while this push waited for them is seen."""
    moved, purged = conn.execute(_EVER_MOVED_OR_PURGED).one()
    return bool(moved), bool(purged)


def _purged(index: int) -> Rejection:
    return Rejection(
        index=index,
        code=DOSSIER_ANONYMISED,
        message="Modification refusée : ce dossier a été anonymisé depuis qu'elle a été faite.",
    )


def _refused(index: int) -> Rejection:
    return Rejection(
        index=index,
        code=MOVE_FORBIDDEN,
        message="Modification refusée : seul le serveur transfère un dossier d'une équipe à "
        "une autre.",
    )


def _append(
    conn: Connection,
    team_id: str,
    locked: tuple[int, str],
    device_id: str,
    client_seq: int,
    ops: Sequence[tuple[int, WireOp]],
    now_ms: int,
    horizon_ms: int,
) -> int:
    """Append the ops to the team's log, whose head and checksum were ``locked`` (read by
    :func:`lock_logs` in this transaction); returns its new head."""
    head, checksum = locked
    rows: list[dict[str, Any]] = []
    for index, wire in ops:
        head += 1
        op_id = op_id_of(device_id, client_seq, index)
        checksum = fold_checksum(checksum, op_id)
        rows.append(_row(team_id, head, op_id, wire, device_id, now_ms, horizon_ms, checksum))
    conn.execute(insert(db.op), rows)
    conn.execute(_SET_HEAD, {"b_team": team_id, "b_head": head, "b_checksum": checksum})
    return head


def _row(
    team_id: str,
    seq: int,
    op_id: str,
    wire: WireOp,
    device_id: str,
    now_ms: int,
    horizon_ms: int,
    checksum: str,
) -> dict[str, Any]:
    hlc = clamp(Timestamp.decode(wire.t), now_ms, horizon_ms).encode()
    return {
        "team_id": team_id, "seq": seq, "op_id": op_id, "entity": wire.e, "row_id": wire.r,
        "field": wire.f, "kind": wire.k.value, "value": encode_value(wire.v), "base": wire.b,
        "hlc": hlc, "author": wire.a, "device": device_id, "received_at": now_ms,
        "checksum": checksum,
    }  # fmt: skip


def read_pages(
    conn: Connection, teams: Sequence[str], cursors: Mapping[str, int], page_size: int
) -> list[ScopePage]:
    """One page per team (sorted), ``page_size`` ops in total, each team after its cursor."""
    budget = page_size
    pages: list[ScopePage] = []
    for team_id in sorted(teams):
        page = _page(conn, team_id, cursors.get(team_id, 0), budget)
        budget -= len(page.ops)
        pages.append(page)
    return pages


def _page(conn: Connection, team_id: str, cursor: int, budget: int) -> ScopePage:
    log_row, ops = _log_and_ops(conn, team_id, cursor, budget)
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
    db.op.c[name]
    for name in ("seq", "op_id", "device", "entity", "row_id", "field", "kind", "value", "base",
                 "hlc", "author", "checksum")
]  # fmt: skip
_HEAD_COLUMNS = (
    db.team_log.c.head_seq, db.team_log.c.checksum.label("head_checksum"),
    db.team_log.c.floor_seq, db.team_log.c.floor_checksum,
)  # fmt: skip
_LOG_ROW = select(*_HEAD_COLUMNS).where(db.team_log.c.team_id == bindparam("team"))
_OPS_AFTER = (
    select(*_OP_COLUMNS)
    .where(db.op.c.team_id == bindparam("team"), db.op.c.seq > bindparam("after"))
    .where(db.op.c.seq <= bindparam("head"))
    .order_by(db.op.c.seq)
    .limit(bindparam("budget"))
)
_LATERAL_OPS = (
    select(*_OP_COLUMNS)
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
        for q, i, d, e, r, f, k, v, b, t, a, _checksum in rows
    ])  # fmt: skip
