"""A sync that would overwrite or delete an unusual share of a team's dossiers stops before
applying anything and asks; confirmed, it applies. Laptops (real SQLCipher stores) through the
real server code, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from mediadesk.services.sync import MassChangeRefused
from mediadesk.store.models import Household
from mediadesk.sync.device import MassChangePolicy
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


def _households(laptop: Laptop, count: int, city: str = "Lyon", *, email: bool = True
                ) -> list[str]:
    """``count`` new dossiers written on ``laptop`` in one transaction (an import)."""
    with laptop.workspace.opened.sessions.begin() as session:
        rows = [Household(name=f"Famille Test {n}", city=city,
                          email=f"famille{n}@example.test" if email else None)
                for n in range(count)]
        session.add_all(rows)
        session.flush()
        return [row.id.hex for row in rows]


def _edit_all(laptop: Laptop, rows: list[str], **values: str) -> None:
    with laptop.workspace.opened.sessions.begin() as session:
        for row in rows:
            household = session.get(Household, uuid.UUID(hex=row))
            assert household is not None
            for key, value in values.items():
                setattr(household, key, value)


@pytest.fixture
def shared(laptops: tuple[Laptop, Laptop]) -> list[str]:
    """100 dossiers written on awa's laptop and received on paul's."""
    a, b = laptops
    rows = _households(a, 100)
    a.sync()
    b.sync()
    assert b.value(rows[0], "city") == "Lyon"
    return rows


def test_a_colleague_overwriting_most_dossiers_stops_the_sync_before_applying_anything(
        laptops: tuple[Laptop, Laptop], shared: list[str]) -> None:
    a, b = laptops
    _edit_all(a, shared[:80], city="Perpignan")
    a.sync()
    cursors = b.service.device.cursors()

    with pytest.raises(MassChangeRefused) as refused:
        b.sync()

    assert refused.value.overwritten == 80 and refused.value.live == 100
    message = str(refused.value)
    assert "80 dossiers sur 100" in message and "déjà connues" in message
    assert refused.value.author_name == "awa" and "venant de awa" in message
    assert "(poste « portable-awa »)" in message  # the device by name, as conflicts show it
    assert all(b.value(row, "city") == "Lyon" for row in shared)
    assert b.service.device.cursors() == cursors
    with pytest.raises(MassChangeRefused):  # nothing was lost: the next sync asks again
        b.sync()


def test_a_confirmed_mass_overwrite_is_applied(laptops: tuple[Laptop, Laptop],
                                               shared: list[str]) -> None:
    a, b = laptops
    _edit_all(a, shared[:80], city="Perpignan")
    a.sync()
    with pytest.raises(MassChangeRefused):
        b.sync()

    b.sync(confirm_mass_change=True)

    assert [b.value(row, "city") for row in shared].count("Perpignan") == 80
    a.sync()
    assert a.dump() == b.dump()
    b.sync()  # confirmed once: the next sync has nothing left to ask about


def test_a_colleague_editing_a_few_dozen_dossiers_syncs_without_question(
        laptops: tuple[Laptop, Laptop], shared: list[str]) -> None:
    a, b = laptops
    _edit_all(a, shared[:10], city="Bron")
    _edit_all(a, shared[10:40], street="1 rue de la Paix")
    a.sync()

    b.sync()

    assert [b.value(row, "city") for row in shared].count("Bron") == 10


def test_a_bootstrap_or_an_import_of_new_dossiers_never_asks(
        laptops: tuple[Laptop, Laptop], shared: list[str], team_server: Server,
        tmp_path: Path) -> None:
    a, b = laptops
    imported = _households(a, 500, "Villeurbanne")  # 5 times the team: new rows only
    a.sync()
    b.sync()
    assert b.value(imported[-1], "city") == "Villeurbanne"
    team_server.member("lea@pimms.test", "Lyon Est")
    fresh = Laptop.enrolled(team_server, tmp_path, "lea", "lea@pimms.test")
    try:
        fresh.sync(page_size=100)  # a paged bootstrap of 600 dossiers
        assert fresh.dump()["household"] == b.dump()["household"]
    finally:
        fresh.close()


def test_a_laptops_own_mass_edit_coming_back_from_the_server_never_asks(
        laptops: tuple[Laptop, Laptop], shared: list[str]) -> None:
    _a, b = laptops
    _edit_all(b, shared, city="Perpignan")  # a team lead's deliberate correction, on b

    b.sync()
    b.sync()

    assert all(b.value(row, "city") == "Perpignan" for row in shared)


def test_filling_empty_fields_is_not_an_overwrite(laptops: tuple[Laptop, Laptop]) -> None:
    a, b = laptops
    rows = _households(a, 100, email=False)
    a.sync()
    b.sync()
    _edit_all(a, rows[:90], email="contact@example.test")
    a.sync()

    b.sync()

    assert b.value(rows[0], "email") == "contact@example.test"


def test_an_overwrite_arriving_over_several_pages_is_counted_across_them(
        laptops: tuple[Laptop, Laptop], shared: list[str]) -> None:
    a, b = laptops
    _edit_all(a, shared[:80], city="Perpignan")
    a.sync()

    with pytest.raises(MassChangeRefused) as refused:
        b.sync(page_size=20)  # 4 pages of 20 overwrites, each far under the bar

    applied = [b.value(row, "city") for row in shared].count("Perpignan")
    assert refused.value.overwritten > 50 and applied <= 50
    with pytest.raises(MassChangeRefused):  # the count survives: the next sync asks again
        b.sync(page_size=20)
    assert [b.value(row, "city") for row in shared].count("Perpignan") == applied
    b.sync(page_size=20, confirm_mass_change=True)
    assert [b.value(row, "city") for row in shared].count("Perpignan") == 80


def test_a_mass_deletion_still_stops_and_asks(laptops: tuple[Laptop, Laptop],
                                              shared: list[str]) -> None:
    a, b = laptops
    for row in shared[:30]:
        a.delete(row)
    a.sync()

    with pytest.raises(MassChangeRefused) as refused:
        b.sync()

    assert refused.value.deleted == 30 and refused.value.overwritten == 0
    assert str(refused.value).startswith("La synchronisation supprimerait 30 dossiers")
    assert b.value(shared[0], "deleted_at") is None
    b.sync(confirm_mass_change=True)
    assert b.value(shared[0], "deleted_at") is not None


@pytest.mark.parametrize(("overwritten", "live", "stops"), [
    (10, 100, False), (50, 100, False), (51, 100, True), (80, 100, True),
    (40, 40, False), (60, 300, False), (76, 300, True), (240, 1000, False),
    (251, 1000, True),
])
def test_the_overwrite_bar_is_a_quarter_of_the_team_and_more_than_fifty(
        overwritten: int, live: int, stops: bool) -> None:
    assert MassChangePolicy().overwrites_too_many(overwritten, live) is stops
