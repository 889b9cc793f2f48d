"""Moving a dossier to another team from the app: team leads of both teams only, through the
server, audited; each team's laptops follow (real encrypted stores, the real server in process)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from mediadesk.services.dossier_move import (
    MOVE_STEPS,
    DossierMoveService,
    MoveDenied,
    MoveOffline,
    MoveRefused,
    NoOtherTeam,
    NotLeadOfTarget,
    TeamChoice,
    dossier_move_service,
)
from mediadesk.store.models import AuditEvent, Household
from mediadesk.sync.client import SyncClient
from tests.sync.laptops import Laptop
from tests.sync.server.fixtures import Server, make_server

LEAD, EAST, WEST = "chef@pimms.test", "awa@pimms.test", "zoe@pimms.test"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    srv = make_server(f"sqlite:///{tmp_path / 'server.sqlite3'}", postgres=False)
    for team in ("Lyon Est", "Lyon Ouest"):
        srv.team(team)
        srv.member(LEAD, team, "team_lead")
    srv.member(EAST, "Lyon Est")
    srv.member(WEST, "Lyon Ouest")
    yield srv
    srv.close()


@pytest.fixture
def laptops(server: Server, tmp_path: Path) -> Iterator[tuple[Laptop, Laptop, Laptop]]:
    """The lead (first enrolled in Lyon Est), a mediator of each team; a dossier of Lyon Est
    written by the Lyon Est mediator, known to the lead."""
    lead = Laptop.enrolled(server, tmp_path, "chef", LEAD)
    east = Laptop.enrolled(server, tmp_path, "awa", EAST)
    west = Laptop.enrolled(server, tmp_path, "zoe", WEST)
    for laptop in (lead, east, west):
        laptop.sync()
    yield lead, east, west
    for laptop in (lead, east, west):
        laptop.close()


def _service(laptop: Laptop, server: Server) -> DossierMoveService:
    return dossier_move_service(laptop.workspace, lambda _url: server.client())


def _offline(_url: str) -> SyncClient:
    return SyncClient("http://127.0.0.1:9", retries=0, timeout=2)  # nothing listens there


def _team_of(laptop: Laptop, household: str) -> str | None:
    with laptop.workspace.opened.sessions() as session:
        found = session.get(Household, uuid.UUID(hex=household))
        return None if found is None or found.scope_id is None else found.scope_id.hex


def _moves(laptop: Laptop, household: str) -> list[uuid.UUID | None]:
    """The targets of the ``move`` audit events about the dossier on this laptop."""
    with laptop.workspace.opened.sessions() as session:
        return list(session.scalars(select(AuditEvent.entity_id).where(
            AuditEvent.action == "move", AuditEvent.household_id == uuid.UUID(hex=household))))


def _dossier(east: Laptop, lead: Laptop) -> str:
    household = east.new_household("Famille Fakeroux", city="Bron")
    east.sync(), lead.sync()
    return household


def test_a_lead_is_offered_the_other_teams_they_lead(
    server: Server, laptops: tuple[Laptop, Laptop, Laptop]
) -> None:
    lead, east, _ = laptops
    household = _dossier(east, lead)

    choice = _service(lead, server).teams_for_move(uuid.UUID(hex=household))

    assert choice.household_name == "Famille Fakeroux"
    assert choice.current.name == "Lyon Est"
    assert [team.name for team in choice.targets] == ["Lyon Ouest"]
    assert choice.current.id == _team_of(lead, household)


def test_a_lead_moves_a_dossier_and_each_team_s_laptops_follow_after_their_sync(
    server: Server, laptops: tuple[Laptop, Laptop, Laptop]
) -> None:
    lead, east, west = laptops
    household = _dossier(east, lead)
    lead.edit(household, street="3 rue des Essais")  # not sent yet: it goes with the dossier
    service = _service(lead, server)
    [target] = service.teams_for_move(uuid.UUID(hex=household)).targets
    steps: list[tuple[int, int]] = []

    moved = service.move(uuid.UUID(hex=household), target.id,
                         progress=lambda done, total: steps.append((done, total)))

    assert (moved.source.name, moved.target.name, moved.here) == ("Lyon Est", "Lyon Ouest", True)
    assert moved.rows >= 1 and steps[-1] == (MOVE_STEPS, MOVE_STEPS)
    assert _team_of(lead, household) == target.id  # still here, under its new team
    assert _moves(lead, household) == [uuid.UUID(hex=target.id)]
    assert east.value(household, "name") == "Famille Fakeroux"
    east.sync()
    assert east.value(household, "name") is None  # gone from the old team's laptop
    assert west.value(household, "name") is None
    west.sync()
    assert west.value(household, "name") == "Famille Fakeroux"
    assert west.value(household, "street") == "3 rue des Essais"
    assert _moves(west, household) == [uuid.UUID(hex=target.id)]  # the new team sees who


def test_a_mediator_may_not_move_a_dossier(
    server: Server, laptops: tuple[Laptop, Laptop, Laptop]
) -> None:
    lead, east, west = laptops
    household = _dossier(east, lead)
    [target] = _service(lead, server).teams_for_move(uuid.UUID(hex=household)).targets
    service = _service(east, server)

    assert not service.access().lead and service.access().enrolled
    with pytest.raises(MoveDenied) as denied:
        service.teams_for_move(uuid.UUID(hex=household))
    assert "responsable" in denied.value.message
    with pytest.raises(MoveDenied):
        service.move(uuid.UUID(hex=household), target.id)

    west.sync(), east.sync()
    assert west.value(household, "name") is None
    assert east.value(household, "name") == "Famille Fakeroux"


def test_a_lead_is_shown_the_action_even_before_choosing_a_dossier(
    server: Server, laptops: tuple[Laptop, Laptop, Laptop]
) -> None:
    lead, _, _ = laptops
    access = _service(lead, server).access()
    assert access.lead and access.enrolled


def test_a_team_the_lead_does_not_lead_is_refused_before_the_server_is_asked(
    server: Server, laptops: tuple[Laptop, Laptop, Laptop]
) -> None:
    lead, east, _ = laptops
    household = _dossier(east, lead)
    stranger = TeamChoice(uuid.uuid4().hex, "Villeurbanne")
    with pytest.raises(NotLeadOfTarget):
        _service(lead, server).move(uuid.UUID(hex=household), stranger.id)
    assert _moves(lead, household) == []


def test_offline_the_move_says_so_in_french_and_changes_nothing(
    server: Server, laptops: tuple[Laptop, Laptop, Laptop]
) -> None:
    lead, east, _ = laptops
    household = _dossier(east, lead)
    [target] = _service(lead, server).teams_for_move(uuid.UUID(hex=household)).targets
    before = _team_of(lead, household)

    with pytest.raises(MoveOffline) as offline:
        dossier_move_service(lead.workspace, _offline).move(uuid.UUID(hex=household), target.id)

    assert "injoignable" in offline.value.message
    assert "n'a pas changé d'équipe" in offline.value.message
    assert _team_of(lead, household) == before
    assert _moves(lead, household) == []
    lead.sync(), east.sync()
    assert _team_of(lead, household) == before
    assert east.value(household, "name") == "Famille Fakeroux"


def test_the_server_refuses_a_lead_who_no_longer_leads_the_target_team(
    server: Server, laptops: tuple[Laptop, Laptop, Laptop]
) -> None:
    lead, east, _ = laptops
    household = _dossier(east, lead)
    service = _service(lead, server)
    [target] = service.teams_for_move(uuid.UUID(hex=household)).targets
    server.member(LEAD, "Lyon Ouest", "mediator")  # the laptop has not heard of it yet

    with pytest.raises(MoveRefused) as refused:
        service.move(uuid.UUID(hex=household), target.id)

    assert "responsable des deux équipes" in refused.value.message
    assert _moves(lead, household) == []
    east.sync()
    assert east.value(household, "name") == "Famille Fakeroux"
    with pytest.raises(NoOtherTeam):  # the sync before the move taught the laptop its roles
        service.teams_for_move(uuid.UUID(hex=household))


def test_a_move_whose_last_sync_fails_is_done_and_the_next_sync_brings_it_here(
    server: Server, laptops: tuple[Laptop, Laptop, Laptop]
) -> None:
    lead, east, _ = laptops
    household = _dossier(east, lead)
    calls: list[str] = []

    def cut_after_the_move(url: str) -> SyncClient:  # sync, move: reachable; then offline
        calls.append(url)
        return server.client() if len(calls) <= 2 else _offline(url)

    service = dossier_move_service(lead.workspace, cut_after_the_move)
    [target] = service.teams_for_move(uuid.UUID(hex=household)).targets

    moved = service.move(uuid.UUID(hex=household), target.id)

    assert not moved.here and len(calls) == 3
    assert _team_of(lead, household) != target.id  # not heard of yet
    lead.sync()
    assert _team_of(lead, household) == target.id
    assert _moves(lead, household) == [uuid.UUID(hex=target.id)]
