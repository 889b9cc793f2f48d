"""Reassigning a dossier: team leads only, audited, and it syncs to the team's other laptops
(real encrypted stores, the real server code in process)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from mediadesk.services.audit import audit_service
from mediadesk.services.reassign import (
    NotATeamMember,
    ReassignDenied,
    reassign_service,
)
from mediadesk.store.models import AuditEvent
from tests.sync.laptops import Laptop
from tests.sync.server.fixtures import Server, make_server

LEAD, MEDIATOR = "lea@pimms.test", "paul@pimms.test"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    srv = make_server(f"sqlite:///{tmp_path / 'server.sqlite3'}", postgres=False)
    srv.team("Lyon Est")
    srv.member(LEAD, "Lyon Est", "team_lead")
    srv.member(MEDIATOR, "Lyon Est")
    yield srv
    srv.close()


@pytest.fixture
def team(server: Server, tmp_path: Path) -> Iterator[tuple[Laptop, Laptop]]:
    """Léa (team lead) and Paul, each on a laptop, both synced: each knows the other."""
    lea = Laptop.enrolled(server, tmp_path, "Léa", LEAD)
    paul = Laptop.enrolled(server, tmp_path, "Paul", MEDIATOR)
    try:
        for laptop in (lea, paul, lea):
            laptop.sync()
        yield lea, paul
    finally:
        lea.close()
        paul.close()


def user_of(laptop: Laptop) -> uuid.UUID:
    user = laptop.workspace.actor.user_id
    assert user is not None
    return user


def test_a_team_lead_reassigns_a_dossier_and_it_reaches_the_other_laptop(
    team: tuple[Laptop, Laptop],
) -> None:
    lea, paul = team
    row = lea.new_household("Famille Girard")
    lea.sync()
    service = reassign_service(lea.workspace)
    assert service.may_reassign()  # the server's role, adopted at enrolment
    choice = service.choices(uuid.UUID(hex=row))
    assert {m.name for m in choice.members} == {"Léa", "Paul"}

    done = service.reassign(uuid.UUID(hex=row), user_of(paul))
    assert done.referent == user_of(paul) and done.previous != user_of(paul)
    assert lea.value(row, "referent_id") == user_of(paul).hex
    events = [e for e in audit_service(lea.workspace).events(uuid.UUID(hex=row))
              if e.action == "reassign"]
    assert len(events) == 1 and events[0].user_id == user_of(lea)

    lea.sync()
    paul.sync()
    assert paul.value(row, "referent_id") == user_of(paul).hex
    with paul.workspace.opened.sessions() as session:  # the audit event travelled too
        actions = session.scalars(select(AuditEvent.action).where(
            AuditEvent.household_id == uuid.UUID(hex=row))).all()
    assert "reassign" in actions


def test_a_mediator_cannot_reassign_a_dossier(team: tuple[Laptop, Laptop]) -> None:
    lea, paul = team
    row = paul.new_household("Famille Roux")
    before = paul.value(row, "referent_id")
    service = reassign_service(paul.workspace)
    assert not service.may_reassign()
    with pytest.raises(ReassignDenied, match="responsable d'équipe"):
        service.reassign(uuid.UUID(hex=row), user_of(lea))
    with pytest.raises(ReassignDenied):
        service.choices(uuid.UUID(hex=row))
    assert paul.value(row, "referent_id") == before


def test_only_a_member_of_the_dossier_team_can_become_its_referent(
    team: tuple[Laptop, Laptop],
) -> None:
    lea, _paul = team
    row = lea.new_household("Famille Caron")
    before = lea.value(row, "referent_id")
    with pytest.raises(NotATeamMember):
        reassign_service(lea.workspace).reassign(uuid.UUID(hex=row), uuid.uuid4())
    assert lea.value(row, "referent_id") == before


@pytest.fixture
def two_teams(tmp_path: Path) -> Iterator[tuple[Server, Laptop, Laptop]]:
    """Léa leads Lyon Est and is a mediator of Lyon Ouest; Zoé works in Lyon Ouest."""
    srv = make_server(f"sqlite:///{tmp_path / 'server.sqlite3'}", postgres=False)
    srv.team("Lyon Est"), srv.team("Lyon Ouest")
    srv.member(LEAD, "Lyon Est", "team_lead")
    srv.member(LEAD, "Lyon Ouest")
    srv.member("zoe@pimms.test", "Lyon Ouest")
    lea = Laptop.enrolled(srv, tmp_path, "Léa", LEAD)
    zoe = Laptop.enrolled(srv, tmp_path, "Zoé", "zoe@pimms.test")
    try:
        for laptop in (lea, zoe, lea):
            laptop.sync()
        yield srv, lea, zoe
    finally:
        for laptop in (lea, zoe):
            laptop.close()
        srv.close()


def test_a_lead_of_one_team_cannot_reassign_a_dossier_of_a_team_they_only_work_in(
    two_teams: tuple[Server, Laptop, Laptop],
) -> None:
    _srv, lea, zoe = two_teams
    west = zoe.new_household("Famille Ouest")  # Zoé's laptop: a dossier of Lyon Ouest
    zoe.sync(), lea.sync()
    with lea.workspace.opened.engine.connect() as conn:
        [east_team] = [str(t) for (t,) in conn.execute(text(
            "SELECT scope FROM sync_scope WHERE name = 'Lyon Est'"))]  # fmt: skip
    east = lea.new_household("Famille Est")
    lea.edit(east, scope_id=uuid.UUID(hex=east_team))
    service = reassign_service(lea.workspace)

    assert service.may_reassign()  # she leads a team
    assert service.may_reassign(uuid.UUID(hex=east))
    assert not service.may_reassign(uuid.UUID(hex=west))
    with pytest.raises(ReassignDenied):
        service.choices(uuid.UUID(hex=west))
    with pytest.raises(ReassignDenied):
        service.reassign(uuid.UUID(hex=west), user_of(lea))
    assert lea.value(west, "referent_id") != user_of(lea).hex
    assert service.choices(uuid.UUID(hex=east)).household_id == uuid.UUID(hex=east)
