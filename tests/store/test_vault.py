from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from mediadesk.store import files, vault
from mediadesk.store.errors import (
    KeySlotError,
    StoreAlreadyExists,
    StoreCorrupted,
    StoreNotFound,
    WrongPassphrase,
)
from mediadesk.store.keyslots import KdfParams
from mediadesk.store.models import Household
from tests.conftest import file_bytes


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _store_with_one_household(path: Path, passphrase: str, kdf: KdfParams) -> None:
    opened = vault.create_store(path, passphrase, kdf=kdf)
    with opened.sessions.begin() as session:
        session.add(Household(name="Benoît Lefèvre"))
    opened.close()


def _names(opened: vault.OpenStore) -> list[str]:
    with opened.sessions() as session:
        return list(session.scalars(select(Household.name)))


def test_created_store_reopens_with_its_passphrase(store_path: Path, kdf: KdfParams) -> None:
    _store_with_one_household(store_path, "phrase de test", kdf)
    opened = vault.open_store(store_path, "phrase de test")
    assert _names(opened) == ["Benoît Lefèvre"]
    opened.close()


def test_the_database_file_is_not_plain_sqlite(store_path: Path, kdf: KdfParams) -> None:
    _store_with_one_household(store_path, "phrase de test", kdf)
    assert not store_path.read_bytes().startswith(b"SQLite format 3")


def test_wrong_passphrase_is_its_own_error_and_changes_nothing(
    store_path: Path, kdf: KdfParams
) -> None:
    _store_with_one_household(store_path, "phrase de test", kdf)
    before = file_bytes(store_path, files.keys_path(store_path))
    with pytest.raises(WrongPassphrase):
        vault.open_store(store_path, "phrase de tesT")
    assert file_bytes(store_path, files.keys_path(store_path)) == before
    assert sorted(p.name for p in store_path.parent.iterdir()) == [
        store_path.name, store_path.name + ".keys"]


def test_a_corrupted_database_is_reported_and_left_untouched(
    store_path: Path, kdf: KdfParams
) -> None:
    _store_with_one_household(store_path, "phrase de test", kdf)
    data = bytearray(store_path.read_bytes())
    data[100:140] = b"\x00" * 40  # inside page 1: its HMAC no longer matches
    store_path.write_bytes(bytes(data))
    before = file_bytes(store_path)
    with pytest.raises(StoreCorrupted):
        vault.open_store(store_path, "phrase de test")
    assert file_bytes(store_path) == before


def test_missing_store_or_key_file(store_path: Path, kdf: KdfParams) -> None:
    with pytest.raises(StoreNotFound):
        vault.open_store(store_path, "x")
    _store_with_one_household(store_path, "phrase de test", kdf)
    files.keys_path(store_path).unlink()
    with pytest.raises(StoreNotFound):
        vault.open_store(store_path, "phrase de test")


def test_creating_over_an_existing_store_is_refused(store_path: Path, kdf: KdfParams) -> None:
    _store_with_one_household(store_path, "phrase de test", kdf)
    before = file_bytes(store_path)
    with pytest.raises(StoreAlreadyExists):
        vault.create_store(store_path, "autre", kdf=kdf)
    assert file_bytes(store_path) == before


def test_a_second_user_gets_a_slot_and_both_open_the_same_data(
    store_path: Path, kdf: KdfParams
) -> None:
    _store_with_one_household(store_path, "phrase de awa", kdf)
    vault.add_passphrase(store_path, "phrase de awa", "phrase de karim", label="Karim", kdf=kdf)
    for phrase in ("phrase de awa", "phrase de karim"):
        opened = vault.open_store(store_path, phrase)
        assert _names(opened) == ["Benoît Lefèvre"]
        opened.close()
    assert [s.label for s in vault.list_slots(store_path)] == ["", "Karim"]


def test_changing_a_passphrase_does_not_reencrypt_the_database(
    store_path: Path, kdf: KdfParams
) -> None:
    _store_with_one_household(store_path, "ancienne phrase", kdf)
    db_digest = _digest(store_path)
    vault.change_passphrase(store_path, "ancienne phrase", "nouvelle phrase", kdf=kdf)
    assert _digest(store_path) == db_digest
    with pytest.raises(WrongPassphrase):
        vault.open_store(store_path, "ancienne phrase")
    opened = vault.open_store(store_path, "nouvelle phrase")
    assert _names(opened) == ["Benoît Lefèvre"]
    opened.close()


def test_changing_with_a_wrong_old_passphrase_keeps_the_slots(
    store_path: Path, kdf: KdfParams
) -> None:
    _store_with_one_household(store_path, "ancienne phrase", kdf)
    before = file_bytes(files.keys_path(store_path))
    with pytest.raises(WrongPassphrase):
        vault.change_passphrase(store_path, "pas la bonne", "nouvelle", kdf=kdf)
    assert file_bytes(files.keys_path(store_path)) == before


def test_recovery_slot_opens_the_store_and_can_be_removed(
    store_path: Path, kdf: KdfParams
) -> None:
    _store_with_one_household(store_path, "phrase de awa", kdf)
    slot, code = vault.add_recovery(store_path, "phrase de awa", kdf=kdf)
    opened = vault.open_store(store_path, code)
    assert _names(opened) == ["Benoît Lefèvre"]
    opened.close()
    vault.remove_slot(store_path, "phrase de awa", slot.id)
    with pytest.raises(WrongPassphrase):
        vault.open_store(store_path, code)
    only = vault.list_slots(store_path)[0]
    with pytest.raises(KeySlotError):
        vault.remove_slot(store_path, "phrase de awa", only.id)


def test_store_runs_in_wal_mode(store_path: Path, kdf: KdfParams) -> None:
    opened = vault.create_store(store_path, "phrase", kdf=kdf)
    with opened.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA cipher_version").scalar().startswith("4.")
    opened.close()
