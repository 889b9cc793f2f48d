"""The per-team op log: storing a pushed changeset exactly once (reading it: `log_pages`).

Sequence numbers are allocated under a per-team lock held until commit (PostgreSQL: the team's
``team_log`` row ``FOR UPDATE``, teams in sorted order; SQLite: the whole database, taken by
``BEGIN IMMEDIATE``), so commit order equals sequence order and a reader never sees seq n+1
before seq n. Each op row keeps the team's running checksum up to it, so any page end can be
answered with its checksum. Functions take an open connection; the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import bindparam, exists, func, insert, select, update
from sqlalchemy.engine import Connection

from mediadesk.sync.hlc import Timestamp, clamp
from mediadesk.sync.ops import OpKind, encode_value
from mediadesk.sync.protocol import (
    Changeset,
    ErrorCode,
    Receipt,
    Rejection,
    RejectionCode,
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
ANONYMISE_FORBIDDEN = RejectionCode.ANONYMISE_FORBIDDEN


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
    *,
    leads: frozenset[str],
) -> Receipt:
    """Store ``changeset`` once and return its receipt (the stored one for a replay).

    ``cursors`` (the request's, per team) tell which anonymisations the device had pulled: its
    writes into a dossier anonymised since are refused (see ``purge.late_ops``; None: no check).
    ``leads``: the teams the device's user leads; only there may it anonymise a dossier (the
    rule of ``services.team_roles``, which the app applies before asking).

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
            if team_id in leads and held_by(conn, team_id, event.household, pushed):
                purges.setdefault(team_id, []).append(event)
                continue
            # Not a lead of the team, another team's dossier, or one moved away: the event is
            # refused, so the dossier is neither purged nor frozen.
            refused = set(event.indexes)
            by_team[team_id] = [(i, w) for i, w in by_team[team_id] if i not in refused]
            rejected += [
                _not_held(i, team_id, event.household, conn) if team_id in leads
                else _not_lead(i) for i in sorted(refused)
            ]
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


def _not_lead(index: int) -> Rejection:
    return Rejection(
        index=index,
        code=ANONYMISE_FORBIDDEN,
        message="Anonymisation refusée : seul un responsable de l'équipe du dossier peut "
        "l'anonymiser.",
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
