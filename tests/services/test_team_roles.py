"""Team-lead powers follow the role in the dossier's team (services/team_roles.py), the same in
every service: a lead of one team who is a mediator of another acts only on the first team's
dossiers, an admin acts on none (real encrypted stores, the real server code in process)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from mediadesk.domain.enums import Role
from mediadesk.services.audit import AuditAccessDenied, AuditOutsideTeams, audit_service
from mediadesk.services.conflict_views import BulkRule
from mediadesk.services.conflicts import (
    ConflictAccessDenied,
    ConflictOutsideTeams,
    conflict_service,
)
from mediadesk.services.dossier_move import (
    DossierMoveService,
    MoveDenied,
    NoOtherTeam,
    dossier_move_service,
)
from mediadesk.services.reassign import ReassignDenied, reassign_service
from mediadesk.services.sync_teams import remember_teams
from mediadesk.services.team_roles import leadership, leads_dossier
from mediadesk.services.workspace import Workspace
from mediadesk.store.models import AuditEvent, Household, User
from mediadesk.sync.errors import ProtocolError
from mediadesk.sync.protocol import TeamInfo
from tests.services.roles import set_role
from tests.sync.laptops import Laptop
from tests.sync.server.fixtures import Server, make_server

LEA, ZOE, ADAM = "lea@pimms.test", "zoe@pimms.test", "adam@pimms.test"


@dataclass
class World:
    server: Server
    lea: Laptop  # team lead of Lyon Est, mediator of Lyon Ouest
    zoe: Laptop  # mediator of Lyon Ouest
    adam: Laptop  # admin of both teams
    teams: dict[str, str]  # name -> id (hex)
    east: uuid.UUID  # a dossier of Lyon Est
    west: uuid.UUID  # a dossier of Lyon Ouest


def _household(laptop: Laptop, name: str, team: str) -> uuid.UUID:
    with laptop.workspace.opened.sessions.begin() as session:
        household = Household(name=name, city="Lyon", scope_id=uuid.UUID(hex=team))
        session.add(household)
        session.flush()
        return household.id


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    server = make_server(f"sqlite:///{tmp_path / 'server.sqlite3'}", postgres=False)
    server.team("Lyon Est"), server.team("Lyon Ouest")
    server.member(LEA, "Lyon Est", "team_lead")
    server.member(LEA, "Lyon Ouest")
    server.member(ZOE, "Lyon Ouest")
    for team in ("Lyon Est", "Lyon Ouest"):
        server.member(ADAM, team, "admin")
    laptops = [Laptop.enrolled(server, tmp_path, name, email)
               for name, email in (("Léa", LEA), ("Zoé", ZOE), ("Adam", ADAM))]
    lea, zoe, adam = laptops
    try:
        teams = {team.name: team.id for team in lea.sync().teams}
        east = _household(lea, "Famille Est", teams["Lyon Est"])
        west = _household(zoe, "Famille Ouest", teams["Lyon Ouest"])
        for laptop in (zoe, lea, adam, zoe, lea):
            laptop.sync()
        assert {lea.value(east.hex, "name"), lea.value(west.hex, "name")} == {
            "Famille Est", "Famille Ouest"}
        assert adam.value(east.hex, "name") == "Famille Est"
        yield World(server, lea, zoe, adam, teams, east, west)
    finally:
        for laptop in laptops:
            laptop.close()
        server.close()


def _conflicts(world: World) -> None:
    """A conflict in each dossier, on Léa's laptop: with Zoé (west) and with Adam (east)."""
    world.zoe.edit(world.west.hex, city="Bron")
    world.lea.edit(world.west.hex, city="Villeurbanne")
    world.adam.edit(world.east.hex, city="Vaulx-en-Velin")
    world.lea.edit(world.east.hex, city="Décines")
    for laptop in (world.zoe, world.adam, world.lea, world.zoe, world.adam):
        laptop.sync()


def test_the_team_queue_and_bulk_resolution_are_for_the_leads_of_the_conflicts_team(
    world: World,
) -> None:
    _conflicts(world)
    lea = conflict_service(world.lea.workspace)
    [east] = lea.open_conflicts(world.east)  # each dossier's conflicts: anyone who opens it
    [west] = lea.open_conflicts(world.west)

    assert lea.may_review_team() and lea.may_review_team(world.east)
    assert not lea.may_review_team(world.west)
    assert [c.id for c in lea.open_conflicts()] == [east.id]  # the queue: her team's only
    with pytest.raises(ConflictOutsideTeams) as refused:
        lea.resolve_bulk([east.id, west.id], BulkRule.LATEST)
    assert "équipe dont vous n'êtes pas responsable" in refused.value.message
    assert len(lea.open_conflicts(world.west)) == len(lea.open_conflicts(world.east)) == 1

    done = lea.resolve_bulk([east.id], BulkRule.LATEST)
    assert done.household_ids == (world.east,)
    assert lea.open_conflicts() == [] and len(lea.open_conflicts(world.west)) == 1

    adam = conflict_service(world.adam.workspace)
    [theirs] = adam.open_conflicts(world.east)
    assert not adam.may_review_team() and not adam.may_review_team(world.east)
    with pytest.raises(ConflictAccessDenied) as denied:
        adam.open_conflicts()
    assert "responsables d'équipe" in denied.value.message
    with pytest.raises(ConflictAccessDenied):
        adam.resolve_bulk([theirs.id], BulkRule.LATEST)
    assert len(adam.open_conflicts(world.east)) == 1


def test_the_audit_trail_shows_a_lead_only_the_dossiers_of_the_teams_they_lead(
    world: World,
) -> None:
    world.lea.edit(world.west.hex, street="2 rue du Port")  # she works in Lyon Ouest too
    world.lea.edit(world.east.hex, street="5 rue des Lilas")
    with world.lea.workspace.opened.sessions() as session:
        here = set(session.scalars(select(AuditEvent.household_id)))
    assert {world.east, world.west} <= here
    lea = audit_service(world.lea.workspace)

    assert lea.may_read()
    shown = {event.household_id for event in lea.events()}
    assert world.east in shown and world.west not in shown
    assert {e.action for e in lea.events(world.east)} >= {"create", "update"}
    with pytest.raises(AuditOutsideTeams) as refused:
        lea.events(world.west)
    assert "équipe dont vous n'êtes pas responsable" in refused.value.message

    for laptop in (world.adam, world.zoe):  # the admin and a mediator read no trail
        other = audit_service(laptop.workspace)
        assert not other.may_read()
        with pytest.raises(AuditAccessDenied) as denied:
            other.events()
        assert "responsables d'équipe" in denied.value.message
        with pytest.raises(AuditAccessDenied):
            other.events(world.east)


def test_only_a_lead_of_the_dossier_team_reassigns_it(world: World) -> None:
    lea = reassign_service(world.lea.workspace)
    assert lea.may_reassign() and lea.may_reassign(world.east)
    assert not lea.may_reassign(world.west)
    before = world.lea.value(world.west.hex, "referent_id")
    with pytest.raises(ReassignDenied) as refused:
        lea.reassign(world.west, uuid.uuid4())
    assert "équipes dont il est responsable" in refused.value.message
    with pytest.raises(ReassignDenied):
        lea.choices(world.west)
    assert world.lea.value(world.west.hex, "referent_id") == before

    adam = reassign_service(world.adam.workspace)
    assert not adam.may_reassign() and not adam.may_reassign(world.east)
    with pytest.raises(ReassignDenied):
        adam.choices(world.east)
    with pytest.raises(ReassignDenied):
        adam.reassign(world.east, uuid.uuid4())

    with world.lea.workspace.opened.sessions.begin() as session:  # a colleague of Lyon Est
        # (each enrolled user's row lives in their first team, which the server orders by a
        # random id: whose row is in Lyon Est varies, so one is made certain here)
        colleague = User(display_name="Awa", scope_id=uuid.UUID(hex=world.teams["Lyon Est"]))
        session.add(colleague)
        session.flush()
        member = colleague.id
    assert member in {m.id for m in lea.choices(world.east).members}
    assert lea.reassign(world.east, member).referent == member
    assert world.lea.value(world.east.hex, "referent_id") == member.hex


def _moves(laptop: Laptop, server: Server) -> DossierMoveService:
    return dossier_move_service(laptop.workspace, lambda _url: server.client())


def _ask_server(laptop: Laptop, household: uuid.UUID, team: str) -> None:
    client = laptop.server.client()
    secret = laptop.service._setting("sync.device_secret")
    assert secret is not None
    token = client.token(laptop.service.device.device, secret).access_token
    client.move_dossier(token, household.hex, team)


def test_only_a_lead_of_both_teams_moves_a_dossier_not_a_lead_of_one_nor_an_admin(
    world: World,
) -> None:
    west_team = world.teams["Lyon Ouest"]
    lea = _moves(world.lea, world.server)
    assert lea.access().lead  # she leads a team: the action is shown
    with pytest.raises(NoOtherTeam):
        lea.teams_for_move(world.east)
    with pytest.raises(NoOtherTeam):
        lea.move(world.east, west_team)
    with pytest.raises(MoveDenied):
        lea.teams_for_move(world.west)

    adam = _moves(world.adam, world.server)
    assert not adam.access().lead and adam.access().enrolled
    with pytest.raises(MoveDenied) as denied:
        adam.move(world.east, west_team)
    assert "responsable de l'équipe du dossier" in denied.value.message

    for laptop in (world.lea, world.adam):  # the server agrees
        with pytest.raises(ProtocolError) as refused:
            _ask_server(laptop, world.east, west_team)
        assert refused.value.status == 403
    world.zoe.sync()
    assert world.zoe.value(world.east.hex, "name") is None  # not moved to Lyon Ouest


@pytest.mark.parametrize(("role", "leads"), [(Role.TEAM_LEAD, True), (Role.ADMIN, False),
                                             (Role.MEDIATOR, False)])
def test_before_any_sync_the_local_role_stands_over_every_dossier(
    workspace: Workspace, role: Role, leads: bool,
) -> None:
    set_role(workspace, role)
    with workspace.opened.sessions.begin() as session:
        household = Household(name="Famille Locale", city="Lyon")
        session.add(household)
        session.flush()
        household_id = household.id
    user = workspace.actor.user_id
    with workspace.opened.engine.connect() as conn:
        assert leadership(conn, user).any is leads
        assert leads_dossier(conn, user, household_id) is leads
        assert not leadership(conn, None).any
    assert audit_service(workspace).may_read() is leads
    assert reassign_service(workspace).may_reassign(household_id) is leads


def test_once_the_server_named_the_teams_the_local_role_no_longer_counts(
    workspace: Workspace,
) -> None:
    set_role(workspace, Role.TEAM_LEAD)
    team = uuid.uuid4()
    user = workspace.actor.user_id
    with workspace.opened.engine.begin() as conn:
        remember_teams(conn, [TeamInfo(id=team.hex, name="Lyon Est", role="mediator")])
        assert not leadership(conn, user).any
        remember_teams(conn, [])  # no team any more: no powers, whatever the local role
        assert not leadership(conn, user).any
        remember_teams(conn, [TeamInfo(id=team.hex, name="Lyon Est", role="team_lead")])
        led = leadership(conn, user)
    assert led.leads(team) and not led.leads(uuid.uuid4()) and not led.leads(None)
    assert audit_service(workspace).may_read()
