"""The conflict review on two laptops syncing through a real server (in process, SQLite):
listing with who / device / when, resolving by pick, keep both, restore and in bulk, refusals
in the inbox, and the per-dossier badges."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from mediadesk.domain.enums import Role
from mediadesk.services.conflict_views import BulkRule, ConflictKind, SyncBadge
from mediadesk.services.conflicts import (
    ConflictAccessDenied,
    ConflictGone,
    ConflictService,
    conflict_service,
)
from mediadesk.services.errors import ValidationError
from mediadesk.services.views import HouseholdDraft
from mediadesk.store.models import Note, NoteRevision, Person
from tests.services.roles import set_role
from tests.sync.laptops import Laptop
from tests.sync.server.fixtures import Server, serving


@pytest.fixture
def team_server(tmp_path: Path) -> Iterator[Server]:
    with serving(f"sqlite:///{tmp_path / 'server.sqlite3'}") as server:
        server.team("Lyon Est", ("awa@pimms.test", "mediator"), ("paul@pimms.test", "team_lead"))
        yield server


@pytest.fixture
def laptops(team_server: Server, tmp_path: Path) -> Iterator[tuple[Laptop, Laptop]]:
    awa, paul = Laptop.pair(team_server, tmp_path, ("Awa Diallo", "awa@pimms.test"),
                            ("Paul Lemoine", "paul@pimms.test"))
    set_role(paul.workspace, Role.TEAM_LEAD)
    yield awa, paul
    for laptop in (awa, paul):
        laptop.close()


def service(laptop: Laptop) -> ConflictService:
    return conflict_service(laptop.workspace)


def conflicting_city(awa: Laptop, paul: Laptop) -> str:
    row = awa.new_household("Famille Durand")
    awa.sync(), paul.sync()
    awa.edit(row, city="Bron")
    paul.edit(row, city="Villeurbanne")
    awa.sync(), paul.sync(), awa.sync()
    return row


def everyone_syncs(*laptops: Laptop) -> None:
    for laptop in (*laptops, *laptops):
        laptop.sync()


def test_a_conflict_lists_the_field_base_and_every_candidate_with_who_where_and_when(
        laptops: tuple[Laptop, Laptop]) -> None:
    awa, paul = laptops
    row = conflicting_city(awa, paul)
    [conflict] = service(awa).open_conflicts(uuid.UUID(hex=row))
    assert conflict.dossier == "Famille Durand"
    assert (conflict.entity_label, conflict.field_label) == ("Foyer", "Ville")
    assert conflict.base == "Lyon"
    assert conflict.kind is ConflictKind.TEXT
    by_value = {c.value: c for c in conflict.candidates}
    assert set(by_value) == {"Bron", "Villeurbanne"}
    assert by_value["Bron"].author == "Awa Diallo"
    assert by_value["Villeurbanne"].author == "Paul Lemoine"
    assert by_value["Bron"].device == "ce poste"
    assert by_value["Villeurbanne"].device == "poste « portable-Paul Lemoine »"  # its name
    assert all(c.at.year >= 2024 for c in conflict.candidates)
    assert sum(c.shown for c in conflict.candidates) == 1


def test_picking_a_value_writes_it_syncs_and_closes_the_conflict_on_both_laptops(
        laptops: tuple[Laptop, Laptop]) -> None:
    awa, paul = laptops
    row = conflicting_city(awa, paul)
    [conflict] = service(awa).open_conflicts(uuid.UUID(hex=row))
    bron = next(c.index for c in conflict.candidates if c.value == "Bron")
    resolution = service(awa).resolve_pick(conflict.id, bron)
    assert resolution.conflict_ids == (conflict.id,)
    assert awa.value(row, "city") == "Bron"
    assert service(awa).open_conflicts(uuid.UUID(hex=row)) == []  # resolved here already
    everyone_syncs(awa, paul)
    assert paul.value(row, "city") == "Bron"
    assert awa.open_conflicts() == paul.open_conflicts() == []
    assert service(paul).open_conflicts(uuid.UUID(hex=row)) == []


def test_picking_the_value_already_shown_still_closes_the_conflict_everywhere(
        laptops: tuple[Laptop, Laptop]) -> None:
    awa, paul = laptops
    row = conflicting_city(awa, paul)
    [conflict] = service(paul).open_conflicts(uuid.UUID(hex=row))
    shown = next(c for c in conflict.candidates if c.shown)
    service(paul).resolve_pick(conflict.id, shown.index)
    everyone_syncs(paul, awa)
    assert awa.open_conflicts() == paul.open_conflicts() == []
    assert awa.value(row, "city") == paul.value(row, "city") == shown.value


def test_an_ordinary_edit_of_the_conflicted_field_resolves_it_too(
        laptops: tuple[Laptop, Laptop]) -> None:
    awa, paul = laptops
    row = conflicting_city(awa, paul)
    awa.edit(row, city="Vénissieux")  # the household editor, not the review
    assert service(awa).open_conflicts(uuid.UUID(hex=row)) == []
    assert service(paul).open_conflicts(uuid.UUID(hex=row)) != []  # not synced yet
    everyone_syncs(awa, paul)
    assert awa.open_conflicts() == paul.open_conflicts() == []
    assert paul.value(row, "city") == "Vénissieux"


def test_keeping_both_texts_leaves_one_in_the_field_and_copies_the_other_into_a_note(
        laptops: tuple[Laptop, Laptop]) -> None:
    awa, paul = laptops
    row = awa.new_household("Famille Morel")
    with awa.workspace.opened.sessions.begin() as session:
        person = Person(household_id=uuid.UUID(hex=row), first_name="Lina", last_name="Morel")
        session.add(person)
        session.flush()
        person_id = person.id
    awa.sync(), paul.sync()
    for laptop, words in ((awa, "Préfère être appelée le matin."),
                          (paul, "Ne pas appeler avant 10 h.")):
        with laptop.workspace.opened.sessions.begin() as session:
            found = session.get(Person, person_id)
            assert found is not None
            found.notes = words
    everyone_syncs(awa, paul)
    [conflict] = service(awa).open_conflicts(uuid.UUID(hex=row))
    assert conflict.kind is ConflictKind.TEXT
    assert conflict.field_label == "Observations"
    kept = next(c for c in conflict.candidates if c.shown)
    other = next(c for c in conflict.candidates if not c.shown)
    resolution = service(awa).resolve_keep_both(conflict.id)
    assert resolution.note_id is not None
    with awa.workspace.opened.sessions() as session:
        body = session.scalar(select(NoteRevision.body).where(
            NoteRevision.note_id == resolution.note_id))
        note = session.get(Note, resolution.note_id)
    assert note is not None and note.household_id == uuid.UUID(hex=row)
    assert body is not None and other.value in body and "Observations" in body
    everyone_syncs(awa, paul)
    assert paul.open_conflicts() == []
    with paul.workspace.opened.engine.connect() as conn:
        assert conn.execute(text("SELECT notes FROM person WHERE id = :i"),
                            {"i": person_id.hex}).scalar() == kept.value
        assert conn.execute(text("SELECT count(*) FROM note WHERE household_id = :h"),
                            {"h": row}).scalar() == 1


def test_keep_both_is_refused_for_a_value_that_is_not_text(
        laptops: tuple[Laptop, Laptop]) -> None:
    awa, paul = laptops
    row = awa.new_household("Famille Rey")
    awa.sync(), paul.sync()
    awa.edit(row, status="dormant")
    paul.edit(row, status="closed")
    everyone_syncs(awa, paul)
    [conflict] = service(awa).open_conflicts(uuid.UUID(hex=row))
    assert conflict.kind is ConflictKind.FIELD
    assert {c.value for c in conflict.candidates} == {"Dossier en sommeil", "Dossier clos"}
    with pytest.raises(ValidationError):
        service(awa).resolve_keep_both(conflict.id)


def test_restoring_a_dossier_deleted_while_edited_brings_it_back_on_both_laptops(
        laptops: tuple[Laptop, Laptop]) -> None:
    awa, paul = laptops
    row = awa.new_household("Famille Blanc")
    awa.sync(), paul.sync()
    awa.delete(row)
    paul.edit(row, city="Givors")
    everyone_syncs(awa, paul)
    [conflict] = service(awa).open_conflicts(uuid.UUID(hex=row))
    assert conflict.kind is ConflictKind.DELETED
    assert {c.deletes for c in conflict.candidates} == {True, False}
    assert any("Givors" in c.value for c in conflict.candidates)
    service(awa).restore_deleted(conflict.id)
    assert awa.value(row, "deleted_at") is None
    everyone_syncs(awa, paul)
    assert paul.value(row, "deleted_at") is None
    assert paul.value(row, "city") == "Givors"
    assert awa.open_conflicts() == paul.open_conflicts() == []


def test_picking_the_deletion_confirms_it_and_closes_the_conflict(
        laptops: tuple[Laptop, Laptop]) -> None:
    awa, paul = laptops
    row = awa.new_household("Famille Noir")
    awa.sync(), paul.sync()
    awa.delete(row)
    paul.edit(row, city="Oullins")
    everyone_syncs(awa, paul)
    [conflict] = service(paul).open_conflicts(uuid.UUID(hex=row))
    deletion = next(c.index for c in conflict.candidates if c.deletes)
    service(paul).resolve_pick(conflict.id, deletion)
    everyone_syncs(paul, awa)
    assert awa.value(row, "deleted_at") is not None
    assert paul.value(row, "deleted_at") is not None
    assert awa.open_conflicts() == paul.open_conflicts() == []


def test_a_team_lead_sees_the_whole_queue_and_resolves_it_in_bulk_with_the_latest_values(
        laptops: tuple[Laptop, Laptop]) -> None:
    awa, paul = laptops
    first = conflicting_city(awa, paul)
    second = awa.new_household("Famille Garcia")
    awa.sync(), paul.sync()
    paul.edit(second, street="3 rue des Lilas")
    awa.edit(second, street="5 avenue Jean Jaurès")
    everyone_syncs(awa, paul)
    queue = service(paul).open_conflicts()
    assert {c.dossier for c in queue} == {"Famille Durand", "Famille Garcia"}
    latest = {c.id: c.latest.value for c in queue}
    service(paul).resolve_bulk([c.id for c in queue], BulkRule.LATEST)
    assert service(paul).open_conflicts() == []
    everyone_syncs(paul, awa)
    assert awa.open_conflicts() == []
    by_dossier = {c.dossier: latest[c.id] for c in queue}
    assert awa.value(first, "city") == by_dossier["Famille Durand"]
    assert awa.value(second, "street") == by_dossier["Famille Garcia"]


def test_a_mediator_may_not_see_the_team_queue_nor_resolve_in_bulk(
        laptops: tuple[Laptop, Laptop]) -> None:
    awa, paul = laptops
    row = conflicting_city(awa, paul)
    with pytest.raises(ConflictAccessDenied):
        service(awa).open_conflicts()
    [conflict] = service(awa).open_conflicts(uuid.UUID(hex=row))
    with pytest.raises(ConflictAccessDenied):
        service(awa).resolve_bulk([conflict.id], BulkRule.LATEST)
    assert len(service(awa).open_conflicts(uuid.UUID(hex=row))) == 1


def test_resolving_a_conflict_resolved_meanwhile_says_so(
        laptops: tuple[Laptop, Laptop]) -> None:
    awa, paul = laptops
    row = conflicting_city(awa, paul)
    [conflict] = service(awa).open_conflicts(uuid.UUID(hex=row))
    service(awa).resolve_pick(conflict.id, 0)
    with pytest.raises(ConflictGone):
        service(awa).resolve_pick(conflict.id, 1)


def test_badges_tell_local_only_pending_synced_and_conflict(
        laptops: tuple[Laptop, Laptop]) -> None:
    awa, paul = laptops
    conflicted = uuid.UUID(hex=conflicting_city(awa, paul))
    synced = uuid.UUID(hex=awa.new_household("Famille Leroy"))
    awa.sync()
    edited = uuid.UUID(hex=awa.new_household("Famille Faure"))
    awa.sync()
    awa.edit(edited.hex, city="Bron")
    local = uuid.UUID(hex=awa.new_household("Famille Henry"))
    badges = service(awa).dossier_badges([conflicted, synced, edited, local])
    assert badges == {conflicted: SyncBadge.CONFLICT, synced: SyncBadge.SYNCED,
                      edited: SyncBadge.PENDING, local: SyncBadge.LOCAL_ONLY}
    awa.sync()
    assert service(awa).dossier_badges([local, edited]) == {local: SyncBadge.SYNCED,
                                                            edited: SyncBadge.SYNCED}


def test_a_child_record_conflict_marks_its_dossier(laptops: tuple[Laptop, Laptop]) -> None:
    awa, paul = laptops
    row = uuid.UUID(hex=awa.new_household("Famille Roche"))
    with awa.workspace.opened.sessions.begin() as session:
        person = Person(household_id=row, first_name="Yanis", last_name="Roche")
        session.add(person)
        session.flush()
        person_id = person.id
    everyone_syncs(awa, paul)
    for laptop, year in ((awa, 1980), (paul, 1981)):
        with laptop.workspace.opened.sessions.begin() as session:
            found = session.get(Person, person_id)
            assert found is not None
            found.birth_year = year
    everyone_syncs(awa, paul)
    assert service(paul).dossier_badges([row]) == {row: SyncBadge.CONFLICT}
    [conflict] = service(paul).open_conflicts(row)
    assert (conflict.entity_label, conflict.field_label) == ("Membre du foyer",
                                                             "Année de naissance")


def test_no_badge_before_the_first_sync(tmp_path: Path) -> None:
    from mediadesk.services.workspace import create_workspace
    from mediadesk.store.keyslots import TEST_KDF

    workspace = create_workspace(tmp_path / "seul.mediadesk", "phrase de passe de test",
                                 kdf=TEST_KDF)
    try:
        household = workspace.dossiers.create_household(
            HouseholdDraft(name="Famille Seule")).household.id
        assert conflict_service(workspace).dossier_badges([household]) == {}
    finally:
        workspace.close()


def test_a_refused_change_is_listed_with_a_french_reason_and_kept_when_dismissed(
        laptops: tuple[Laptop, Laptop], team_server: Server) -> None:
    awa, _paul = laptops
    row = awa.new_household("Famille Perrin")
    outsider = team_server.team("Villeurbanne Nord")
    with awa.workspace.opened.engine.begin() as conn:  # a dossier of a team awa is not in
        conn.execute(text("UPDATE sync_outbox SET scope = :s WHERE row_id = :r"),
                     {"s": outsider, "r": row})
    report = awa.sync()
    assert report.rejected > 0
    [entry] = service(awa).rejected_changes()  # one entry for the record, not per column
    assert entry.dossier == "Famille Perrin" and entry.household_id == uuid.UUID(hex=row)
    assert entry.field_label == "Création de la fiche"
    assert "Nom du foyer : Famille Perrin" in entry.value and "created" not in entry.value
    assert "équipe" in entry.reason and outsider not in entry.reason
    service(awa).dismiss_rejected(entry.id)
    assert service(awa).rejected_changes() == []
    [kept] = service(awa).rejected_changes(include_dismissed=True)
    assert kept.id == entry.id and kept.dismissed_at is not None
    with awa.workspace.opened.engine.connect() as conn:  # the refusals themselves stay
        assert conn.execute(text("SELECT count(*) FROM sync_rejected")).scalar() == report.rejected
    with pytest.raises(ValidationError):
        service(awa).dismiss_rejected(999_999)




def test_a_referent_conflict_names_the_colleagues_not_their_ids(
        laptops: tuple[Laptop, Laptop]) -> None:
    awa, paul = laptops
    row = awa.new_household("Famille Colin")
    awa.sync(), paul.sync()
    awa.edit(row, referent_id=awa.workspace.actor.user_id)
    paul.edit(row, referent_id=paul.workspace.actor.user_id)
    everyone_syncs(awa, paul)
    [conflict] = service(awa).open_conflicts(uuid.UUID(hex=row))
    assert conflict.field_label == "Référent" and conflict.kind is ConflictKind.FIELD
    assert {c.value for c in conflict.candidates} == {"Awa Diallo", "Paul Lemoine"}
    assert conflict.base == "(vide)"
