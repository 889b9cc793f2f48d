"""Automatic, rotating, encrypted backups: what is kept, what restores, when they are taken."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mediadesk.domain.enums import Role
from mediadesk.services.backups import (
    AUTOMATIC,
    MANUAL,
    PRE_MIGRATION,
    PRE_PURGE,
    PRE_RESTORE,
    UNKNOWN,
    ActivityScheduler,
    BackupInfo,
    backups_to_delete,
    find_backup,
    list_backups,
    restore_closed,
)
from mediadesk.services.errors import ValidationError, WrongPassphrase
from mediadesk.services.retention import retention_service
from mediadesk.services.views import HouseholdDraft
from mediadesk.services.workspace import Workspace, unlock_workspace
from mediadesk.store import files
from tests.conftest import file_bytes
from tests.services.roles import set_role

NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)


def _info(kind: str, at: datetime, name: str = "") -> BackupInfo:
    return BackupInfo(Path(name or f"{kind}-{at.isoformat()}.mdbackup"), at, kind, 100)


def _names(workspace: Workspace) -> set[str]:
    return {hit.name for hit in workspace.dossiers.find_households("famille")}


def _names_in(store_path: Path, passphrase: str) -> set[str]:
    opened = unlock_workspace(store_path, passphrase)
    try:
        return _names(opened)
    finally:
        opened.close()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- rotation (pure) -----------------------------------------------------------------------


def test_rotation_keeps_eight_recent_automatic_and_one_a_day_for_a_week() -> None:
    today = [_info(AUTOMATIC, NOW - timedelta(minutes=30 * i)) for i in range(12)]
    older = [_info(AUTOMATIC, NOW - timedelta(days=d, hours=h)) for d in range(1, 11)
             for h in (1, 5)]
    removed = {b.path for b in backups_to_delete(today + older, NOW)}
    kept = [b for b in today + older if b.path not in removed]
    assert today[:8] == [b for b in kept if b.created_at.date() == NOW.date()]
    # one a day for the six previous days still within the week; the newest of each day
    earlier = [b for b in kept if b.created_at.date() < NOW.date()]
    assert [b.created_at for b in earlier] == [NOW - timedelta(days=d, hours=1)
                                               for d in range(1, 7)]


def test_rotation_never_deletes_manual_or_unreadable_backups() -> None:
    ancient = NOW - timedelta(days=900)
    manual = [_info(MANUAL, ancient + timedelta(hours=i)) for i in range(30)]
    unreadable = [_info(UNKNOWN, ancient + timedelta(hours=i)) for i in range(3)]
    automatic = [_info(AUTOMATIC, ancient + timedelta(minutes=i)) for i in range(20)]
    removed = backups_to_delete(manual + unreadable + automatic, NOW)
    assert {b.kind for b in removed} == {AUTOMATIC}
    assert len(removed) == 12


def test_rotation_keeps_five_safety_backups_of_each_kind_and_the_one_being_restored() -> None:
    safety = [_info(kind, NOW - timedelta(hours=i)) for kind in
              (PRE_MIGRATION, PRE_PURGE, PRE_RESTORE) for i in range(7)]
    oldest_purge = safety[13]
    removed = backups_to_delete(safety, NOW, protect=oldest_purge.path)
    assert sorted((b.kind, b.created_at) for b in removed) == sorted(
        [(k, NOW - timedelta(hours=i)) for k in (PRE_MIGRATION, PRE_RESTORE) for i in (5, 6)]
        + [(PRE_PURGE, NOW - timedelta(hours=5))])


# --- real backups of a real store ----------------------------------------------------------


def test_automatic_backups_rotate_and_manual_ones_stay(workspace: Workspace) -> None:
    manual = [workspace.backups.create(MANUAL) for _ in range(2)]
    automatic = [workspace.backups.create_automatic() for _ in range(10)]
    listed = workspace.backups.backups()
    assert [b.kind for b in listed].count(MANUAL) == 2
    assert {b.path for b in listed if b.kind == AUTOMATIC} == {b.path for b in automatic[2:]}
    assert all(b.path.is_file() for b in manual)
    assert listed == sorted(listed, key=lambda b: b.created_at, reverse=True)
    assert all(b.size > 0 and b.created_at.tzinfo is not None for b in listed)


def test_restore_brings_the_data_back_after_a_safety_backup(
    workspace: Workspace, store_path: Path, passphrase: str
) -> None:
    workspace.dossiers.create_household(HouseholdDraft(name="Famille Martin"))
    chosen = workspace.backups.create(MANUAL)
    workspace.dossiers.create_household(HouseholdDraft(name="Famille Bernard"))
    closed: list[bool] = []

    def close() -> None:
        closed.append(True)
        workspace.close()

    result = workspace.backups.restore(chosen.path, passphrase, close)
    assert closed == [True]
    assert result.restored.path == chosen.path
    assert result.safety is not None and result.safety.kind == PRE_RESTORE
    restored = unlock_workspace(store_path, passphrase)
    try:
        assert _names(restored) == {"Famille Martin"}
        assert restored.check() == []
        assert result.safety.path in {b.path for b in restored.backups.backups()}
    finally:
        restored.close()
    # the state before the restore is itself restorable
    restore_closed(store_path, result.safety.path, passphrase)
    assert _names_in(store_path, passphrase) == {"Famille Martin", "Famille Bernard"}


def test_a_wrong_passphrase_restores_nothing_and_takes_no_backup(
    workspace: Workspace, store_path: Path
) -> None:
    chosen = workspace.backups.create(MANUAL)

    def close() -> None:
        raise AssertionError("the workspace must stay open")

    with pytest.raises(WrongPassphrase):
        workspace.backups.restore(chosen.path, "pas la bonne phrase", close)
    assert [b.path for b in workspace.backups.backups()] == [chosen.path]
    workspace.dossiers.create_household(HouseholdDraft(name="Famille Martin"))  # still open


def test_restore_from_the_command_line_keeps_the_closed_store_first(
    workspace: Workspace, store_path: Path, passphrase: str
) -> None:
    workspace.dossiers.create_household(HouseholdDraft(name="Famille Martin"))
    chosen = workspace.backups.create(MANUAL)
    workspace.dossiers.create_household(HouseholdDraft(name="Famille Bernard"))
    workspace.close()
    keys = files.keys_path(store_path)
    before = file_bytes(store_path, keys)
    with pytest.raises(WrongPassphrase):
        restore_closed(store_path, chosen.path, "pas la bonne phrase")
    assert file_bytes(store_path, keys) == before
    assert len(list_backups(store_path)) == 1

    result = restore_closed(store_path, chosen.path, passphrase)
    assert result.safety is not None and result.safety.kind == PRE_RESTORE
    assert file_bytes(result.safety.path)  # the encrypted files, as they were
    assert _names_in(store_path, passphrase) == {"Famille Martin"}


def test_an_anonymisation_is_preceded_by_a_pre_purge_backup(
    workspace: Workspace, tmp_path: Path, passphrase: str
) -> None:
    household = workspace.dossiers.create_household(
        HouseholdDraft(name="Famille Quennehen")).household.id
    set_role(workspace, Role.TEAM_LEAD)
    retention_service(workspace).anonymise(household, confirmed=True)
    assert not workspace.dossiers.find_households("Quennehen")
    [purge] = [b for b in workspace.backups.backups() if b.kind == PRE_PURGE]
    elsewhere = tmp_path / "ailleurs" / "copie.mdk"
    elsewhere.parent.mkdir()
    restore_closed(elsewhere, purge.path, passphrase)
    assert _names_in(elsewhere, passphrase) == {"Famille Quennehen"}


def test_no_backup_without_the_team_lead_confirmation(workspace: Workspace) -> None:
    household = workspace.dossiers.create_household(HouseholdDraft(name="Famille X")).household
    set_role(workspace, Role.TEAM_LEAD)
    with pytest.raises(ValidationError) as refused:
        retention_service(workspace).anonymise(household.id, confirmed=False)
    assert refused.value.field == "confirmation"
    assert workspace.backups.backups() == []


def test_find_backup_by_path_name_or_number(workspace: Workspace, store_path: Path) -> None:
    first = workspace.backups.create(MANUAL)
    second = workspace.backups.create(AUTOMATIC)
    assert find_backup(store_path, "1") == second.path
    assert find_backup(store_path, "2") == first.path
    assert find_backup(store_path, first.name) == first.path
    assert find_backup(store_path, str(first.path)) == first.path
    with pytest.raises(ValidationError) as missing:
        find_backup(store_path, "3")
    assert "backup list" in missing.value.message


# --- when the automatic backup is due ------------------------------------------------------


def test_the_scheduler_fires_after_thirty_minutes_of_writing() -> None:
    clock = FakeClock()
    scheduler = ActivityScheduler(clock=clock)
    for _ in range(180):  # a write every 10 s for 29 min 50 s
        scheduler.note_write()
        assert not scheduler.due()
        clock.now += 10
    scheduler.note_write()
    assert scheduler.due()
    scheduler.reset()
    assert not scheduler.due() and scheduler.active_seconds() == 0


def test_the_scheduler_does_not_fire_while_idle() -> None:
    clock = FakeClock()
    scheduler = ActivityScheduler(clock=clock)
    scheduler.note_write()
    clock.now += 8 * 3600  # the laptop stays open all day, nobody writes
    assert not scheduler.due()
    scheduler.note_write()  # a write after the pause counts the pause as 5 minutes only
    assert scheduler.active_seconds() == 300
    assert not scheduler.due()
    for _ in range(5):  # five more writes, six minutes apart: 5 x 5 more minutes
        clock.now += 360
        scheduler.note_write()
    assert scheduler.due()


def test_only_committed_writes_count_as_activity(workspace: Workspace) -> None:
    clock = FakeClock()
    workspace.backups.scheduler = ActivityScheduler(interval_s=60, clock=clock)
    workspace.dossiers.create_household(HouseholdDraft(name="Famille Martin"))
    clock.now += 45
    workspace.dossiers.find_households("martin")  # reading is not activity
    assert workspace.backups.scheduler.active_seconds() == 0
    workspace.dossiers.create_household(HouseholdDraft(name="Famille Bernard"))
    assert workspace.backups.scheduler.active_seconds() == 45
    clock.now += 30
    workspace.settings.set_auto_lock_minutes(5)
    assert workspace.backups.backup_due()
    taken = workspace.backups.create_automatic()
    assert taken.kind == AUTOMATIC and not workspace.backups.backup_due()
