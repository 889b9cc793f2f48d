"""A laptop offline beyond the server's horizon (issue 6): the server compacted the log past its
cursor; on its next sync its own edits go first, then it pulls only that team again, and ends
with the current state, its edits everywhere, and no false conflict. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mediadesk.sync.device import DeviceSync
from mediadesk.sync.server import compact
from tests.sync.laptops import Laptop
from tests.sync.server.fixtures import Server, backend, pg_url, serving

__all__ = ["backend", "pg_url"]

DAY_S = 24 * 3600


@pytest.fixture
def team_server(backend: str) -> Iterator[Server]:
    with serving(backend, log_horizon_days=30) as server:
        server.team("Lyon Est")
        for email in ("awa@pimms.test", "paul@pimms.test", "lina@pimms.test"):
            server.member(email, "Lyon Est")
        yield server


@pytest.fixture
def laptops(team_server: Server, tmp_path: Path) -> Iterator[tuple[Laptop, Laptop]]:
    a = Laptop.enrolled(team_server, tmp_path, "awa", "awa@pimms.test")
    b = Laptop.enrolled(team_server, tmp_path, "paul", "paul@pimms.test")
    a.sync(), b.sync(), a.sync()
    yield a, b
    for laptop in (a, b):
        laptop.close()


def _resets(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    scopes: list[str] = []
    original = DeviceSync.reset_scope

    def spy(self: DeviceSync, scope: str) -> None:
        scopes.append(scope)
        original(self, scope)

    monkeypatch.setattr(DeviceSync, "reset_scope", spy)
    return scopes


def _compact(server: Server) -> int:
    server.clock.advance_s(40 * DAY_S)  # everything so far is beyond the 30-day horizon
    results = compact.compact(server.engine, server.clock(), server.settings.log_horizon_days)
    return sum(r.dropped for r in results)


def test_a_laptop_offline_beyond_the_horizon_sends_its_edits_then_gets_the_current_state(
    laptops: tuple[Laptop, Laptop], team_server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = laptops
    shared = a.new_household("Famille Morel", "Lyon")
    a.sync(), b.sync()  # b goes offline here
    for city in ("Bron", "Caluire", "Décines"):
        a.edit(shared, city=city)
        a.sync()
    b.edit(shared, street="4 rue des Tanneurs")  # pending on b, a field nobody else touched
    mine = b.new_household("Famille Renaud", "Givors")
    assert _compact(team_server) > 0
    a.edit(shared, postal_code="69500")  # after the compaction: above the floor
    a.sync()
    resets = _resets(monkeypatch)

    report = b.sync()

    assert resets == [team.id for team in report.teams]  # that team, once
    assert b.service.pending() == 0
    a.sync()
    assert a.value(mine, "name") == "Famille Renaud"
    assert a.value(shared, "street") == "4 rue des Tanneurs"
    assert b.value(shared, "city") == "Décines" and b.value(shared, "postal_code") == "69500"
    assert a.dump() == b.dump()
    assert a.open_conflicts() == b.open_conflicts() == []
    resets.clear()
    a.sync(), b.sync()
    assert resets == []  # once caught up, nothing is pulled again


def test_a_laptop_synced_before_the_compaction_pulls_nothing_again(
    laptops: tuple[Laptop, Laptop], team_server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = laptops
    row = a.new_household("Famille Petit")
    for city in ("Bron", "Caluire"):
        a.edit(row, city=city)
    a.sync(), b.sync()
    _compact(team_server)
    resets = _resets(monkeypatch)

    report = b.sync()

    assert resets == [] and report.received == 0
    assert a.dump() == b.dump()


def test_a_laptop_bootstrapped_after_the_compaction_has_the_same_state(
    laptops: tuple[Laptop, Laptop], team_server: Server, tmp_path: Path
) -> None:
    a, b = laptops
    row = a.new_household("Famille Faure")
    for city in ("Bron", "Caluire"):
        a.edit(row, city=city)
        a.sync()
    b.sync()
    a.edit(row, city="Meyzieu")
    b.edit(row, city="Rillieux")  # a real conflict stays one, with its base
    a.sync(), b.sync(), a.sync()
    [(_, _, detail)] = a.open_conflicts()
    assert _compact(team_server) > 0
    c = Laptop.enrolled(team_server, tmp_path, "lina", "lina@pimms.test")
    try:
        c.sync(), a.sync(), b.sync(), c.sync()
        assert c.dump() == a.dump() == b.dump()
        assert c.open_conflicts() == a.open_conflicts() == [(row, "city", detail)]
    finally:
        c.close()
