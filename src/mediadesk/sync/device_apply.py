"""Apply one pulled page of a team's log on the device, inside the caller's transaction.

The page's checksum is checked first: a page that does not match is refused
(:class:`ChecksumMismatch`) and the caller restarts that team from zero, which is harmless (ops
are keyed by id). A pull from zero starts from the page's ``floor_checksum``; a mismatch below
the server's compaction floor is :class:`CompactedPast`. Then the touched rows are re-derived
(:mod:`.device_derive`), the ops join the history, the clock advances, pulled anonymisations
are purged and ``move`` ops handled (:mod:`.device_departures`), and the cursor moves on.

Mass changes stop and ask (:class:`MassChange`, unless confirmed): a page deleting an unusual
share of the dossiers, or a catch-up in which ONE other device (and author) replaces values
this device already knew in an unusual share of the team's live dossiers. Overwrites are
counted per catch-up, not per page: a buggy or hostile device rewriting 1,000 dossiers arrives
over several pages, each under the bar. The tally (distinct dossiers per device and author)
is kept in the store with the cursor, in the page's transaction, until the team's log is read
to its head; so a refused or interrupted catch-up asks again on the next sync, and at most the
threshold's worth of dossiers is applied before the question (a smaller page changes nothing
to that). New rows (a bootstrap, a colleague's import), filled-in empty fields, deletions
(counted apart) and this device's own ops never count. A slow trickle of overwrites over many
syncs is not what this guards against: it sees sudden ones.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, text

from mediadesk.store.local_settings import delete_setting, get_setting, set_setting
from mediadesk.sync.device_departures import move_out, purge_anonymised, split_moves
from mediadesk.sync.device_derive import Raw, derive_rows
from mediadesk.sync.device_store import KEY_HLC, chunks, count, encode
from mediadesk.sync.protocol import EMPTY_CHECKSUM, PulledOp, ScopePage, fold_checksum

KEY_OVERWRITES = "sync.overwrites."
"""Local setting (+ team id) holding the overwrites counted in an unfinished catch-up."""


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
    """A sync would delete, or overwrite, an unusual share of this device's dossiers: a person
    must confirm. ``deleted`` dossiers of ``live`` would be deleted; or ``overwritten`` of
    ``live`` would get other values from the device ``device`` (hex id) used by ``author``
    (user id hex, "" if unknown)."""

    def __init__(
        self,
        scope: str,
        deleted: int,
        live: int,
        *,
        overwritten: int = 0,
        device: str = "",
        author: str = "",
    ) -> None:
        what = f"{overwritten} overwritten by {device}" if overwritten else f"{deleted} deleted"
        super().__init__(f"{scope}: {what} of {live}")
        self.scope, self.deleted, self.live = scope, deleted, live
        self.overwritten, self.device, self.author = overwritten, device, author


@dataclass
class PageResult:
    applied: int = 0
    rows_written: int = 0
    conflicts_opened: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MassChangePolicy:
    """When a sync stops and asks.

    Deletions: a page deleting more than ``share`` of the live dossiers and at least
    ``minimum`` (deleting is rare in daily work, so the bar is low).

    Overwrites: one other device (and author) replacing already-known values of more than
    ``overwrite_share`` of the team's live dossiers and more than ``overwrite_minimum``, within
    one catch-up. Editing is daily work: a mediator or a team lead correcting a few dozen
    dossiers after a campaign must pass quietly, hence an absolute floor of 50 dossiers; a
    device rewriting a field across the team (a bad script, a restored old copy, a mistaken
    bulk edit) touches most dossiers, far above a quarter. Small teams (under 200 dossiers)
    are guarded by the floor alone: changing a quarter of them is ordinary work."""

    share: float = 0.25
    minimum: int = 20
    overwrite_share: float = 0.25
    overwrite_minimum: int = 50

    def overwrites_too_many(self, overwritten: int, live: int) -> bool:
        return overwritten > max(self.overwrite_minimum, self.overwrite_share * live)


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
    tally: dict[str, dict[str, Any]] | None = None
    if ops:
        encoded = [encode(op.v) for op in ops]
        live = _live(conn, page.scope)  # before the page: its new rows are no yardstick
        # the derivation reads the history, then the page joins it
        overwrites = _derive(
            conn, ops, encoded, result, confirm, page.scope, device, tables, mass_change
        )
        if overwrites and not confirm:
            tally = _count_overwrites(conn, page.scope, overwrites, live, mass_change)
        _record(conn, page.scope, ops, encoded)
        _advance_clock(conn, ops)
        purge_anonymised(conn, ops)  # the purge reaches this device's history too
    if moves:
        move_out(conn, moves, tables)
    _keep_tally(conn, page.scope, tally, finished=confirm or not page.more)
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
    current = get_setting(conn, KEY_HLC)
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
) -> list[tuple[str, str, str]]:
    """Re-derive the page's rows; raise :class:`MassChange` for a mass deletion (unless
    ``confirm``); return the overwrites seen (household, device, author)."""
    page: dict[str, dict[str, dict[str, dict[str, Raw]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(dict))
    )  # entity -> row -> field -> op id -> candidate
    decoded: dict[str, Any] = {}
    for op, value in zip(ops, encoded, strict=True):
        if op.e in tables:
            page[op.e][op.r][op.f][op.i] = (op.i, op.k.value, value, op.b, op.t, op.d, op.a)
            decoded[op.i] = op.v
    deleted_now = 0
    overwrites: list[tuple[str, str, str]] = []
    for entity, rows in page.items():
        table = tables[entity]
        for chunk in chunks(sorted(rows)):
            derived = derive_rows(conn, table, chunk, rows, decoded, scope=scope, device=device)
            result.rows_written += derived.rows_written
            result.conflicts_opened += derived.conflicts_opened
            deleted_now += derived.households_deleted
            overwrites += derived.overwritten
    if deleted_now and not confirm:
        live = count(conn, "SELECT count(*) FROM household WHERE deleted_at IS NULL")
        policy = mass_change
        if deleted_now >= policy.minimum and deleted_now > policy.share * (live + deleted_now):
            raise MassChange(scope, deleted_now, live + deleted_now)
    return overwrites


def _live(conn: Connection, scope: str) -> int:
    value: Any = conn.execute(
        text("SELECT count(*) FROM household WHERE deleted_at IS NULL AND scope_id = :s"),
        {"s": scope},
    ).scalar_one()
    return int(value)


def _tally(conn: Connection, scope: str) -> dict[str, dict[str, Any]]:
    """The overwrites counted so far in this catch-up of ``scope``: by "device/author", the
    device, the author and the distinct households."""
    stored = get_setting(conn, KEY_OVERWRITES + scope)
    return {} if stored is None else dict(json.loads(stored))


def _count_overwrites(
    conn: Connection,
    scope: str,
    overwrites: Sequence[tuple[str, str, str]],
    live: int,
    policy: MassChangePolicy,
) -> dict[str, dict[str, Any]]:
    """The catch-up's tally with the page's overwrites added; raises :class:`MassChange`
    when one device's passes the policy's bar."""
    tally = _tally(conn, scope)
    for household, by_device, author in overwrites:
        entry = tally.setdefault(
            f"{by_device}/{author}", {"device": by_device, "author": author, "rows": []}
        )
        entry["rows"] = sorted({*entry["rows"], household})
    worst = max(tally.values(), key=lambda e: len(e["rows"]))
    if policy.overwrites_too_many(len(worst["rows"]), live):
        raise MassChange(
            scope,
            0,
            live,
            overwritten=len(worst["rows"]),
            device=str(worst["device"]),
            author=str(worst["author"]),
        )
    return tally


def _keep_tally(
    conn: Connection, scope: str, tally: dict[str, dict[str, Any]] | None, *, finished: bool
) -> None:
    """Store the catch-up's tally (None: unchanged) with the cursor while the team's log has
    more pages to read; forget it at the head, or once a person confirmed."""
    key = KEY_OVERWRITES + scope
    if finished:
        delete_setting(conn, key)
    elif tally is not None:
        set_setting(conn, key, json.dumps(tally, sort_keys=True))


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
