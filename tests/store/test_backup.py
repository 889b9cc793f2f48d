from __future__ import annotations

from pathlib import Path

import pytest

from mediadesk.services.errors import StoreCorrupted, WrongPassphrase
from mediadesk.services.views import HouseholdDraft
from mediadesk.services.workspace import (
    Workspace,
    create_workspace,
    restore_backup,
    unlock_workspace,
)
from mediadesk.store.keyslots import KdfParams
from tests.conftest import file_bytes


def _names(workspace: Workspace) -> set[str]:
    return {hit.name for hit in workspace.dossiers.find_households("famille")}


def test_restore_brings_back_the_store_as_it_was(
    store_path: Path, passphrase: str, kdf: KdfParams, tmp_path: Path
) -> None:
    workspace = create_workspace(store_path, passphrase, kdf=kdf)
    workspace.dossiers.create_household(HouseholdDraft(name="Famille Martin"))
    target = workspace.backup_to(tmp_path / "copie.mdbackup")
    workspace.dossiers.create_household(HouseholdDraft(name="Famille Bernard"))
    assert _names(workspace) == {"Famille Martin", "Famille Bernard"}
    workspace.close()

    restore_backup(target, store_path, passphrase)
    restored = unlock_workspace(store_path, passphrase)
    assert _names(restored) == {"Famille Martin"}
    assert restored.check() == []
    restored.close()


def test_a_restore_with_the_wrong_passphrase_or_a_bad_file_changes_nothing(
    store_path: Path, passphrase: str, kdf: KdfParams, tmp_path: Path
) -> None:
    workspace = create_workspace(store_path, passphrase, kdf=kdf)
    target = workspace.backup_to(tmp_path / "copie.mdbackup")
    workspace.close()
    keys = store_path.with_name(store_path.name + ".keys")
    before = file_bytes(store_path, keys)
    with pytest.raises(WrongPassphrase):
        restore_backup(target, store_path, "pas la bonne phrase")
    junk = tmp_path / "junk.mdbackup"
    junk.write_bytes(b"PK\x03\x04 this is not a backup")
    with pytest.raises(StoreCorrupted):
        restore_backup(junk, store_path, passphrase)
    assert file_bytes(store_path, keys) == before
