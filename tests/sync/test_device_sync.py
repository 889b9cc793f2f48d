"""Laptops (real SQLCipher stores) syncing through the real server code, on SQLite and
PostgreSQL: convergence, conflicts with who/where/when, deletes, resume, team loss, revocation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from mediadesk.sync.errors import DeviceRevoked
from mediadesk.sync.server import admin
from tests.sync.laptops import Laptop
from tests.sync.server.fixtures import Server, backend, pg_url, serving

__all__ = ["backend", "pg_url"]


@pytest.fixture
def team_server(backend: str) -> Iterator[Server]:
    with serving(backend) as server:
        server.team("Lyon Est", ("awa@pimms.test", "mediator"), ("paul@pimms.test", "team_lead"))
        yield server


@pytest.fixture
def laptops(team_server: Server, tmp_path: Path) -> Iterator[tuple[Laptop, Laptop]]:
    a, b = Laptop.pair(team_server, tmp_path, ("awa", "awa@pimms.test"),
                       ("paul", "paul@pimms.test"))
    yield a, b
    for laptop in (a, b):
        laptop.close()


def test_a_household_created_offline_reaches_the_other_laptop(
        laptops: tuple[Laptop, Laptop]) -> None:
    a, b = laptops
    row = a.new_household("Famille Martin", "Vénissieux")
    sent = a.sync()
    assert sent.sent > 0 and sent.rejected == 0
    got = b.sync()
    assert got.received >= sent.sent
    assert b.value(row, "name") == "Famille Martin"
    assert b.value(row, "city") == "Vénissieux"
    a.sync()
    assert a.dump() == b.dump()
    assert a.service.pending() == b.service.pending() == 0


def test_concurrent_edits_converge_with_a_conflict_naming_both_authors(
        laptops: tuple[Laptop, Laptop]) -> None:
    a, b = laptops
    row = a.new_household("Famille Durand")
    a.sync(), b.sync()
    a.edit(row, city="Bron")
    b.edit(row, city="Villeurbanne")
    a.sync(), b.sync(), a.sync()
    assert a.value(row, "city") == b.value(row, "city")
    assert a.dump() == b.dump()
    conflicts = a.open_conflicts()
    assert conflicts == b.open_conflicts()
    [(conflict_row, field, detail)] = conflicts
    assert (conflict_row, field) == (row, "city")
    candidates = json.loads(detail)["candidates"]
    assert {c["value"] for c in candidates} == {"Bron", "Villeurbanne"}
    assert {c["device"] for c in candidates} == {a.service.device.device,
                                                  b.service.device.device}
    assert json.loads(detail)["base"] == "Lyon"


def test_equal_concurrent_values_never_conflict(laptops: tuple[Laptop, Laptop]) -> None:
    a, b = laptops
    row = a.new_household("Famille Petit")
    a.sync(), b.sync()
    a.edit(row, city="Bron")
    b.edit(row, city="Bron")
    a.sync(), b.sync(), a.sync()
    assert a.open_conflicts() == b.open_conflicts() == []
    assert a.value(row, "city") == b.value(row, "city") == "Bron"


def test_a_low_stakes_field_merges_silently(laptops: tuple[Laptop, Laptop]) -> None:
    a, b = laptops
    row = a.new_household("Famille Roux")
    a.sync(), b.sync()
    a.edit(row, interpreter_needed=True)
    b.edit(row, interpreter_needed=False)
    a.sync(), b.sync(), a.sync()
    assert a.value(row, "interpreter_needed") == b.value(row, "interpreter_needed")
    assert a.open_conflicts() == []


def test_a_delete_concurrent_with_an_edit_keeps_both_and_opens_a_conflict(
        laptops: tuple[Laptop, Laptop]) -> None:
    a, b = laptops
    row = a.new_household("Famille Blanc")
    a.sync(), b.sync()
    a.delete(row)
    b.edit(row, city="Givors")
    a.sync(), b.sync(), a.sync()
    assert a.dump() == b.dump()
    assert b.value(row, "city") == "Givors"  # the edit is kept under the tombstone
    [(_, field, detail)] = a.open_conflicts()
    assert field == "_row"
    kinds = {c["kind"] for c in json.loads(detail)["candidates"]}
    assert kinds == {"delete", "set"}
    b.undelete(row)  # the team decides to keep the dossier
    b.sync(), a.sync()
    assert a.value(row, "deleted_at") is None
    assert a.open_conflicts() == []


def test_an_interrupted_pull_resumes_without_gaps_or_duplicates(
        laptops: tuple[Laptop, Laptop]) -> None:
    a, b = laptops
    rows = [a.new_household(f"Famille {n}") for n in range(30)]
    a.sync()
    calls = 0

    def stop_after_two() -> bool:
        nonlocal calls
        calls += 1
        return calls > 2

    with pytest.raises(Exception, match="interrompue"):
        b.sync(page_size=50, cancelled=stop_after_two)
    b.sync(page_size=50)
    assert a.dump() == b.dump()
    assert {b.value(r, "name") for r in rows} == {f"Famille {n}" for n in range(30)}
    with b.workspace.opened.engine.connect() as conn:
        seqs = [r[0] for r in conn.execute(text(
            "SELECT seq FROM sync_history WHERE seq IS NOT NULL ORDER BY seq"))]
    assert seqs == list(range(1, len(seqs) + 1))


def test_a_lost_response_is_not_applied_twice(laptops: tuple[Laptop, Laptop],
                                              team_server: Server) -> None:
    a, b = laptops
    a.new_household("Famille Garnier")
    changesets = a.service.device.changesets()
    device = a.service.device.device
    client = team_server.client()
    secret = a.service._setting("sync.device_secret")
    assert secret is not None
    token = client.token(device, secret).access_token
    from mediadesk.sync.protocol import SyncRequest

    client.sync(token, SyncRequest(changesets=changesets))  # the answer is "lost"
    a.sync()  # resends the same changeset: the stored receipt comes back
    b.sync()
    with team_server.engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM op")).scalar_one()
        distinct = conn.execute(text("SELECT count(DISTINCT op_id) FROM op")).scalar_one()
    assert total == distinct
    assert a.dump() == b.dump()


def test_losing_the_team_removes_its_dossiers(laptops: tuple[Laptop, Laptop],
                                              team_server: Server) -> None:
    a, b = laptops
    row = a.new_household("Famille Lemoine")
    a.sync(), b.sync()
    assert b.value(row, "name") == "Famille Lemoine"
    admin.remove_member(team_server.engine, "paul@pimms.test", "Lyon Est")
    report = b.sync()
    assert report.teams_removed == ["Lyon Est"]
    assert b.value(row, "name") is None


def test_a_revoked_laptop_wipes_its_store(laptops: tuple[Laptop, Laptop],
                                          team_server: Server) -> None:
    a, b = laptops
    a.new_household("Famille Colin")
    a.sync(), b.sync()
    admin.revoke(team_server.engine, b.service.device.device, team_server.clock())
    with pytest.raises(DeviceRevoked):
        b.sync()
    assert not b.path.exists()
    assert not b.path.with_name(b.path.name + ".keys").exists()


def _every_value(laptop: Laptop) -> str:
    """Every value of every table of the laptop's store (sync bookkeeping included), as text."""
    parts: list[str] = []
    with laptop.workspace.opened.engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).all()
        for (name,) in names:
            for row in conn.execute(text(f'SELECT * FROM "{name}"')):
                parts += [str(value) for value in row if value is not None]
    return "\n".join(parts)


def test_an_anonymisation_purges_every_laptop_history(laptops: tuple[Laptop, Laptop]) -> None:
    import uuid

    from mediadesk.services.retention import AnonymiseDenied, retention_service

    a, b = laptops
    row = a.new_household("Famille Quennehen", "Saint-Priest-Vauclair")
    a.edit(row, street="17 impasse des Glycines")
    a.edit(row, street="19 impasse des Glycines")
    a.sync(), b.sync()
    assert "Quennehen" in _every_value(b)
    with pytest.raises(AnonymiseDenied):  # Awa is a mediator of the team, Paul its lead
        retention_service(a.workspace).anonymise(uuid.UUID(hex=row), confirmed=True)
    retention_service(b.workspace).anonymise(uuid.UUID(hex=row), confirmed=True)
    b.sync(), a.sync()
    for laptop in (a, b):
        values = _every_value(laptop)
        for word in ("Quennehen", "Glycines", "Vauclair"):
            assert word not in values, (laptop.name, word)
    assert a.dump() == b.dump()
