"""Compacting a team's log below the horizon: superseded values go, checksums still agree."""

from __future__ import annotations

import uuid
from functools import reduce

from sqlalchemy import select

from mediadesk.sync.protocol import EMPTY_CHECKSUM, ScopePage, WireOp, fold_checksum
from mediadesk.sync.server import compact, db
from mediadesk.sync.server.cli import main
from tests.sync.server.fixtures import START_MS, Device, Server

DAY_S = 24 * 3600


def _set(team: str, row: str, field: str, value: object, base: int) -> WireOp:
    return WireOp.model_validate({
        "e": "household", "r": row, "f": field, "k": "set", "v": value, "b": base,
        "t": f"{START_MS:015d}:000000:ab", "s": team,
    })  # fmt: skip


def _values(server: Server) -> list[tuple[str, str]]:
    with server.engine.connect() as conn:
        return [(r.field, r.value) for r in conn.execute(select(db.op).order_by(db.op.c.seq))]


def _pull_all(device: Device, team: str, cursor: int, checksum: str) -> tuple[int, str, bool]:
    """Pull pages of 2 ops from ``cursor``; (cursor, checksum, every page agreed)."""
    agreed = True
    while True:
        page: ScopePage = device.pull({team: cursor}, page_size=2).pages[0]
        if cursor == 0:
            checksum = page.floor_checksum
        checksum = reduce(fold_checksum, (op.i for op in page.ops), checksum)
        agreed = agreed and checksum == page.checksum
        cursor = page.cursor
        if not page.more:
            return cursor, checksum, agreed


def _history(server: Server) -> tuple[str, Device, str, str]:
    team = server.team("Nord")
    server.member("awa@exemple.fr", "Nord")
    device = server.device("awa@exemple.fr")
    row, other = uuid.uuid4().hex, uuid.uuid4().hex
    device.push([_set(team, row, "name", "Famille Un", 0), _set(team, row, "city", "Lyon", 0)])
    device.push([_set(team, row, "name", "Famille Deux", 1), _set(team, other, "name", "X", 0)])
    device.push([_set(team, row, "name", "Famille Trois", 2)])
    server.clock.advance_s(200 * DAY_S)
    device.token = device.client.token(device.id, device.secret).access_token
    device.push([_set(team, row, "name", "Famille Quatre", 3)])
    return team, device, row, other


def test_compaction_drops_superseded_values_and_keeps_each_fields_latest(server: Server) -> None:
    team, device, _, _ = _history(server)
    head_before = device.pull({team: 0}).pages[0]

    [result] = compact.compact(server.engine, server.clock(), horizon_days=180)

    assert (result.team_id, result.floor, result.dropped) == (team, 5, 2)
    assert _values(server) == [
        ("city", '"Lyon"'), ("name", '"X"'), ("name", '"Famille Trois"'),
        ("name", '"Famille Quatre"'),
    ]  # fmt: skip
    after = device.pull({team: head_before.cursor}).pages[0]
    assert (after.ops, after.checksum) == ([], head_before.checksum)
    assert compact.compact(server.engine, server.clock(), horizon_days=180)[0].dropped == 0


def test_a_device_past_the_floor_goes_on_and_a_new_one_agrees_page_after_page(
    server: Server,
) -> None:
    team, device, row, _ = _history(server)
    synced = device.pull({team: 0}).pages[0]
    compact.compact(server.engine, server.clock(), horizon_days=180)
    device.push([_set(team, row, "city", "Bron", 1)])

    cursor, checksum, agreed = _pull_all(device, team, synced.cursor, synced.checksum)
    assert agreed and cursor == 7

    cursor, fresh, agreed = _pull_all(device, team, 0, EMPTY_CHECKSUM)
    assert agreed and (cursor, fresh) == (7, checksum)


def test_a_device_behind_the_floor_no_longer_agrees_and_is_told_the_floor(
    server: Server,
) -> None:
    team, device, _, _ = _history(server)
    early = device.pull({team: 0}, page_size=2).pages[0]  # ops 1 and 2, then offline
    compact.compact(server.engine, server.clock(), horizon_days=180)

    page = device.pull({team: early.cursor}).pages[0]

    assert page.floor == 5 and early.cursor < page.floor
    folded = reduce(fold_checksum, (op.i for op in page.ops), early.checksum)
    assert folded != page.checksum


def test_the_compact_command_uses_the_configured_horizon(server: Server) -> None:
    _history(server)
    url = server.settings.db_url
    assert main(["compact", "--db", url, "--horizon-days", "100000"]) == 0
    assert len(_values(server)) == 6  # nothing is that old
    assert main(["compact", "--db", url, "--horizon-days", "0"]) == 1


def test_the_horizon_is_read_from_the_environment() -> None:
    from mediadesk.sync.server.settings import ServerSettings

    assert ServerSettings.from_env({"MEDIADESK_LOG_HORIZON_DAYS": "30"}).log_horizon_days == 30
    assert ServerSettings.from_env({}).log_horizon_days == 180
