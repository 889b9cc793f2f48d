"""The per-team op log: storing a pushed changeset exactly once, and reading pages of it.

Sequence numbers are allocated under a per-team lock held until commit (PostgreSQL: the team's
``team_log`` row ``FOR UPDATE``, teams in sorted order; SQLite: the whole database, taken by
``BEGIN IMMEDIATE``), so commit order equals sequence order and a reader never sees seq n+1
before seq n. Each op row keeps the team's running checksum up to it, so any page end can be
answered with its checksum. Functions take an open connection; the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, insert, select, update
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
    ScopePage,
    WireOp,
    fold_checksum,
    op_id_of,
)
from mediadesk.sync.server import db
from mediadesk.sync.server.errors import ServiceError

SCOPE_FORBIDDEN = "scope_forbidden"


def _receipts_around(conn: Connection, device_id: str, client_seq: int) -> dict[int, str]:
    """The stored receipts ``client_seq`` and ``client_seq - 1`` of the device (one query)."""
    r = db.receipt
    rows = conn.execute(
        select(r.c.client_seq, r.c.body).where(
            r.c.device_id == device_id, r.c.client_seq.in_((client_seq, client_seq - 1))
        )
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
) -> Receipt:
    """Store ``changeset`` once and return its receipt (the stored one for a replay).

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
    by_team: dict[str, list[tuple[int, WireOp]]] = {}
    rejected: list[Rejection] = []
    for index, wire in enumerate(changeset.ops):
        if wire.s in teams:
            by_team.setdefault(wire.s, []).append((index, wire))
        else:
            rejected.append(_forbidden(index, wire.s))
    for team_id in sorted(by_team):
        _append(
            conn, team_id, device_id, changeset.client_seq, by_team[team_id], now_ms, horizon_ms
        )
    receipt = Receipt(
        client_seq=changeset.client_seq,
        accepted=len(changeset.ops) - len(rejected),
        rejected=rejected,
    )
    conn.execute(
        insert(db.receipt).values(
            device_id=device_id, client_seq=changeset.client_seq, body=receipt.model_dump_json()
        )
    )
    return receipt


def _forbidden(index: int, scope: str) -> Rejection:
    return Rejection(
        index=index,
        code=SCOPE_FORBIDDEN,
        message=f"Modification refusée : cet appareil n'appartient pas à l'équipe {scope}.",
    )


def _append(
    conn: Connection,
    team_id: str,
    device_id: str,
    client_seq: int,
    ops: Sequence[tuple[int, WireOp]],
    now_ms: int,
    horizon_ms: int,
) -> None:
    log = db.team_log
    locked = conn.execute(
        select(log.c.head_seq, log.c.checksum).where(log.c.team_id == team_id).with_for_update()
    ).one()
    head, checksum = int(locked.head_seq), str(locked.checksum)
    rows: list[dict[str, Any]] = []
    for index, wire in ops:
        head += 1
        op_id = op_id_of(device_id, client_seq, index)
        checksum = fold_checksum(checksum, op_id)
        rows.append(_row(team_id, head, op_id, wire, device_id, now_ms, horizon_ms, checksum))
    conn.execute(insert(db.op), rows)
    conn.execute(
        update(log).where(log.c.team_id == team_id).values(head_seq=head, checksum=checksum)
    )


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
    log_row = conn.execute(
        select(db.team_log.c.head_seq, db.team_log.c.checksum).where(
            db.team_log.c.team_id == team_id
        )
    ).one()
    head, head_checksum = int(log_row.head_seq), str(log_row.checksum)
    rows: list[Any] = []
    if budget > 0 and cursor < head:
        rows = list(
            conn.execute(
                select(db.op)
                .where(db.op.c.team_id == team_id, db.op.c.seq > cursor, db.op.c.seq <= head)
                .order_by(db.op.c.seq)
                .limit(budget)
            )
        )
    if rows:
        end, checksum = int(rows[-1].seq), str(rows[-1].checksum)
    else:
        end, checksum = cursor, _checksum_at(conn, team_id, cursor, head, head_checksum)
    return ScopePage(
        scope=team_id,
        ops=[_pulled(row) for row in rows],
        cursor=end,
        checksum=checksum,
        head=head,
        more=end < head,
    )


def _checksum_at(conn: Connection, team_id: str, cursor: int, head: int, at_head: str) -> str:
    if cursor <= 0:
        return EMPTY_CHECKSUM
    if cursor >= head:
        return at_head
    value = conn.execute(
        select(db.op.c.checksum).where(db.op.c.team_id == team_id, db.op.c.seq == cursor)
    ).scalar()
    return EMPTY_CHECKSUM if value is None else str(value)


def _pulled(row: Any) -> PulledOp:
    # Rows were validated on the way in: constructing without re-validation halves pull cost.
    return PulledOp.model_construct(
        q=row.seq, i=row.op_id, d=row.device, e=row.entity, r=row.row_id, f=row.field,
        k=OpKind(row.kind), v=decode_value(row.value), b=row.base, t=row.hlc, a=row.author,
    )  # fmt: skip
