"""A team lead moves a dossier to another team (issue 6): the target team's laptops get its
current state, the source team's laptops remove it, edits made before the move follow it or
land visibly in the inbox. SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from mediadesk.store.models import Phone
from mediadesk.sync.errors import ProtocolError
from mediadesk.sync.protocol import MoveResponse, SyncRequest
from mediadesk.sync.server.log import DOSSIER_MOVED
from tests.services.dossier_builder import build_full_household
from tests.sync.laptops import LOCAL_ONLY, Laptop
from tests.sync.server.fixtures import Server, backend, pg_url, serving

__all__ = ["backend", "pg_url"]


@pytest.fixture
def team_server(backend: str) -> Iterator[Server]:
    with serving(backend) as server:
        for team in ("Lyon Est", "Lyon Ouest"):
            server.team(team)
            server.member("chef@pimms.test", team, "team_lead")
        server.member("awa@pimms.test", "Lyon Est")
        server.member("zoe@pimms.test", "Lyon Ouest")
        yield server


@pytest.fixture
def laptops(team_server: Server, tmp_path: Path) -> Iterator[tuple[Laptop, Laptop, Laptop]]:
    lead = Laptop.enrolled(team_server, tmp_path, "chef", "chef@pimms.test")
    awa = Laptop.enrolled(team_server, tmp_path, "awa", "awa@pimms.test")
    zoe = Laptop.enrolled(team_server, tmp_path, "zoe", "zoe@pimms.test")
    for laptop in (lead, awa, zoe, lead):
        laptop.sync()
    yield lead, awa, zoe
    for laptop in (lead, awa, zoe):
        laptop.close()


def _move(server: Server, laptop: Laptop, household: str, team: str) -> MoveResponse:
    client = server.client()
    secret = laptop.service._setting("sync.device_secret")
    assert secret is not None
    token = client.token(laptop.service.device.device, secret).access_token
    return client.move_dossier(token, household, team)


def _team(laptop: Laptop, name: str) -> str:
    [team] = [t.id for t in laptop.sync().teams if t.name == name]
    return team


def _rows(laptop: Laptop, household: str) -> dict[str, tuple[object, ...]]:
    """The dossier's household, people and phones as this laptop holds them."""
    with laptop.workspace.opened.engine.connect() as conn:
        found = {}
        for table, key in (("household", "id"), ("person", "household_id"),
                           ("phone", "household_id")):  # fmt: skip
            for row in conn.execute(
                text(f'SELECT * FROM "{table}" WHERE "{key}" = :h ORDER BY id'), {"h": household}
            ).mappings():
                found[f"{table}:{row['id']}"] = tuple(
                    v for k, v in row.items() if k not in LOCAL_ONLY
                )
    return found


def test_a_moved_dossier_leaves_the_source_team_and_reaches_the_target_team(
    team_server: Server, laptops: tuple[Laptop, Laptop, Laptop]
) -> None:
    lead, awa, zoe = laptops
    west = _team(lead, "Lyon Ouest")
    household = build_full_household(awa.workspace).hex
    awa.edit(household, city="Bron")
    awa.sync(), lead.sync(), zoe.sync()
    assert zoe.value(household, "name") is None and lead.value(household, "city") == "Bron"
    awa.edit(household, postal_code="69500")  # made offline, before the move
    lead.edit(household, street="2 rue du Port")  # idem on the lead's laptop

    moved = _move(team_server, lead, household, west)

    assert moved.to_team == west and moved.rows > 10
    awa.sync(), lead.sync(), zoe.sync(), lead.sync()
    assert awa.value(household, "name") is None  # gone from the source team's laptop
    with awa.workspace.opened.engine.connect() as conn:
        codes = [r[0] for r in conn.execute(text("SELECT code FROM sync_rejected"))]
    assert codes == [DOSSIER_MOVED]  # its edit is in its inbox, not lost silently
    assert zoe.value(household, "street") == "2 rue du Port"  # the lead's edit followed
    assert zoe.value(household, "city") == "Bron"
    assert _rows(zoe, household) == _rows(lead, household)
    zoe.edit(household, city="Tassin")
    zoe.sync(), lead.sync()
    assert lead.value(household, "city") == "Tassin"
    assert awa.sync().rejected == 0 and awa.value(household, "city") is None


def test_only_a_lead_of_both_teams_moves_a_dossier(
    team_server: Server, laptops: tuple[Laptop, Laptop, Laptop]
) -> None:
    lead, awa, _ = laptops
    west = _team(lead, "Lyon Ouest")
    household = awa.new_household("Famille Roux")
    awa.sync()
    with pytest.raises(ProtocolError) as refused:
        _move(team_server, awa, household, west)
    assert refused.value.status == 403
    with pytest.raises(ProtocolError) as unknown:
        _move(team_server, lead, "ab" * 16, west)
    assert unknown.value.status == 404


def _add_phone(laptop: Laptop, household: str, number: str) -> None:
    with laptop.workspace.opened.sessions.begin() as session:
        session.add(Phone(household_id=uuid.UUID(hex=household), number=number))


def _count(laptop: Laptop, sql: str, **params: object) -> int:
    with laptop.workspace.opened.engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def _pull_only(server: Server, laptop: Laptop) -> None:
    """Apply the server's pages without pushing this laptop's outbox first."""
    client = server.client()
    secret = laptop.service._setting("sync.device_secret")
    assert secret is not None
    token = client.token(laptop.service.device.device, secret).access_token
    for page in client.sync(token, SyncRequest(cursors=laptop.service.device.cursors())).pages:
        laptop.service.device.apply_page(page)


def test_a_phone_added_offline_to_a_dossier_moved_away_lands_in_the_inbox(
    team_server: Server, laptops: tuple[Laptop, Laptop, Laptop]
) -> None:
    lead, awa, zoe = laptops
    west = _team(lead, "Lyon Ouest")
    household = awa.new_household("Famille Test")
    awa.sync(), lead.sync()
    _add_phone(awa, household, "+33600000001")  # offline, before the move
    _move(team_server, lead, household, west)

    reports = [awa.sync() for _ in range(3)]  # pushes the phone, pulls the move: no error

    assert reports[0].rejected > 0 and reports[1].rejected == reports[2].rejected == 0
    refused = "SELECT count(*) FROM sync_rejected WHERE entity = 'phone' AND code = :c"
    assert _count(awa, refused, c=DOSSIER_MOVED) > 0
    assert _count(awa, "SELECT count(*) FROM phone") == 0
    assert awa.value(household, "name") is None
    zoe.sync()
    assert _count(zoe, "SELECT count(*) FROM phone") == 0  # refused, not stranded


def test_a_phone_not_yet_sent_when_its_dossier_moves_away_lands_in_the_inbox(
    team_server: Server, laptops: tuple[Laptop, Laptop, Laptop]
) -> None:
    lead, awa, _ = laptops
    west = _team(lead, "Lyon Ouest")
    household = awa.new_household("Famille Test")
    awa.sync(), lead.sync()
    _move(team_server, lead, household, west)
    _add_phone(awa, household, "+33600000002")  # typed while the pull below runs

    _pull_only(team_server, awa)

    assert _count(awa, "SELECT count(*) FROM phone") == 0
    assert _count(awa, "SELECT count(*) FROM sync_outbox WHERE entity = 'phone'") == 0
    assert _count(awa, "SELECT count(*) FROM sync_rejected WHERE code = :c",
                  c=DOSSIER_MOVED) == 1  # fmt: skip
    assert awa.sync().rejected == 0


def test_a_phone_added_offline_by_a_lead_of_both_teams_follows_the_moved_dossier(
    team_server: Server, laptops: tuple[Laptop, Laptop, Laptop]
) -> None:
    lead, awa, zoe = laptops
    west = _team(lead, "Lyon Ouest")
    household = awa.new_household("Famille Test")
    awa.sync(), lead.sync()
    _add_phone(lead, household, "+33600000003")  # offline, before the move
    _move(team_server, lead, household, west)

    assert lead.sync().rejected == 0
    zoe.sync(), lead.sync()

    assert _count(zoe, "SELECT count(*) FROM phone WHERE household_id = :h", h=household) == 1
    assert _rows(zoe, household) == _rows(lead, household)
