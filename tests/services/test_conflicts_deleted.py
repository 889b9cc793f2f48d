"""A dossier deleted on one laptop while a mediator edited it on another: the mediator finds
it again (their own edits only, of their teams), restores it or accepts the deletion, on three
laptops syncing through a real server (in process, SQLite)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from mediadesk.domain.enums import Role
from mediadesk.services.conflict_views import ConflictKind
from mediadesk.services.conflicts import ConflictAccessDenied, ConflictService, conflict_service
from mediadesk.services.errors import ValidationError
from mediadesk.services.sync_teams import remember_teams
from mediadesk.sync.protocol import TeamInfo
from tests.services.roles import set_role
from tests.sync.laptops import Laptop
from tests.sync.server.fixtures import serving


@pytest.fixture
def trio(tmp_path: Path) -> Iterator[tuple[Laptop, Laptop, Laptop]]:
    """Awa and Inès (mediators) and Paul (their team lead), each on their laptop."""
    with serving(f"sqlite:///{tmp_path / 'server.sqlite3'}") as server:
        server.team("Lyon Est", ("awa@pimms.test", "mediator"), ("ines@pimms.test", "mediator"),
                    ("paul@pimms.test", "team_lead"))
        laptops = (Laptop.enrolled(server, tmp_path, "Awa Diallo", "awa@pimms.test"),
                   Laptop.enrolled(server, tmp_path, "Inès Moreau", "ines@pimms.test"),
                   Laptop.enrolled(server, tmp_path, "Paul Lemoine", "paul@pimms.test"))
        set_role(laptops[2].workspace, Role.TEAM_LEAD)
        everyone_syncs(*laptops)
        yield laptops
        for laptop in laptops:
            laptop.close()


def service(laptop: Laptop) -> ConflictService:
    return conflict_service(laptop.workspace)


def everyone_syncs(*laptops: Laptop) -> None:
    for laptop in (*laptops, *laptops):
        laptop.sync()


def deleted_while_edited(editor: Laptop, deleter: Laptop, others: tuple[Laptop, ...],
                         name: str, city: str) -> str:
    """A dossier ``deleter`` deletes while ``editor`` sets its city, then everyone syncs."""
    row = deleter.new_household(name)
    everyone_syncs(deleter, editor, *others)
    deleter.delete(row)
    editor.edit(row, city=city)
    everyone_syncs(deleter, editor, *others)
    return row


def test_a_mediator_finds_the_dossier_deleted_elsewhere_while_they_edited_it(
        trio: tuple[Laptop, Laptop, Laptop]) -> None:
    awa, ines, paul = trio
    row = deleted_while_edited(awa, paul, (ines,), "Famille Blanc", "Givors")
    assert awa.value(row, "deleted_at") is not None  # no longer in search, does not open
    with pytest.raises(ConflictAccessDenied):
        service(awa).open_conflicts()  # the team queue is for leads
    [entry] = service(awa).deleted_while_editing()
    assert entry.household_id == uuid.UUID(hex=row)
    assert entry.dossier == "Famille Blanc"
    assert entry.deleted_by == "Paul Lemoine" and entry.deleted_on.startswith("poste ")
    assert entry.deleted_at.tzinfo is not None
    [edit] = entry.edits
    assert "Givors" in edit.value and edit.author == "Awa Diallo" and edit.device == "ce poste"
    assert "Givors" in entry.edit_summary
    assert service(paul).deleted_while_editing() == []  # he deleted it: not his edit
    assert [c.id for c in service(paul).open_conflicts()] == [entry.conflict_id]  # lead queue


def test_a_mediator_sees_only_their_own_edits_not_a_colleagues(
        trio: tuple[Laptop, Laptop, Laptop]) -> None:
    awa, ines, paul = trio
    mine = deleted_while_edited(awa, paul, (ines,), "Famille Blanc", "Givors")
    theirs = deleted_while_edited(ines, paul, (awa,), "Famille Roux", "Oullins")
    assert [e.household_id.hex for e in service(awa).deleted_while_editing()] == [mine]
    assert [e.household_id.hex for e in service(ines).deleted_while_editing()] == [theirs]
    assert len(service(paul).open_conflicts()) == 2  # the lead still sees both


def test_a_dossier_of_a_team_the_user_left_is_not_listed(
        trio: tuple[Laptop, Laptop, Laptop]) -> None:
    awa, ines, paul = trio
    deleted_while_edited(awa, paul, (ines,), "Famille Blanc", "Givors")
    with awa.workspace.opened.engine.begin() as conn:
        remember_teams(conn, [TeamInfo(id=uuid.uuid4().hex, name="Vénissieux",
                                       role="mediator")])
    assert service(awa).deleted_while_editing() == []


def test_restoring_brings_the_dossier_back_with_the_edit_on_every_laptop(
        trio: tuple[Laptop, Laptop, Laptop]) -> None:
    awa, ines, paul = trio
    row = deleted_while_edited(awa, paul, (ines,), "Famille Blanc", "Givors")
    [entry] = service(awa).deleted_while_editing()
    resolution = service(awa).restore_deleted(entry.conflict_id)
    assert resolution.household_ids == (uuid.UUID(hex=row),)
    assert awa.value(row, "deleted_at") is None
    assert service(awa).deleted_while_editing() == []  # resolved here, before any sync
    everyone_syncs(awa, paul, ines)
    for laptop in trio:
        assert laptop.value(row, "deleted_at") is None
        assert laptop.value(row, "city") == "Givors"
        assert laptop.open_conflicts() == []


def test_accepting_the_deletion_keeps_the_dossier_deleted_and_closes_the_conflict(
        trio: tuple[Laptop, Laptop, Laptop]) -> None:
    awa, ines, paul = trio
    row = deleted_while_edited(awa, paul, (ines,), "Famille Blanc", "Givors")
    [entry] = service(awa).deleted_while_editing()
    service(awa).accept_deletion(entry.conflict_id)
    assert service(awa).deleted_while_editing() == []
    everyone_syncs(awa, paul, ines)
    for laptop in trio:
        assert laptop.value(row, "deleted_at") is not None
        assert laptop.open_conflicts() == []
    assert service(paul).open_conflicts() == []


def test_accepting_a_deletion_is_refused_for_a_conflict_that_deleted_nothing(
        trio: tuple[Laptop, Laptop, Laptop]) -> None:
    awa, _ines, paul = trio
    row = awa.new_household("Famille Durand")
    everyone_syncs(awa, paul)
    awa.edit(row, city="Bron")
    paul.edit(row, city="Villeurbanne")
    everyone_syncs(awa, paul)
    [conflict] = service(awa).open_conflicts(uuid.UUID(hex=row))
    assert conflict.kind is not ConflictKind.DELETED
    with pytest.raises(ValidationError):
        service(awa).accept_deletion(conflict.id)
    assert service(awa).deleted_while_editing() == []
