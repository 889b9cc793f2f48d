from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from mediadesk.store import keyslots
from mediadesk.store.errors import KeySlotError, StoreCorrupted, StoreNotFound, WrongPassphrase
from mediadesk.store.keyslots import TEST_KDF, KeySlotFile

STORE_ID = "6f0c1b1e-5d1a-4f7e-9a55-0a3f2b1c9d11"


def test_a_slot_opens_with_its_passphrase_only() -> None:
    key = keyslots.new_data_key()
    slot = keyslots.make_slot(STORE_ID, key, "correct horse", kdf=TEST_KDF)
    assert keyslots.try_slot(STORE_ID, slot, "correct horse") == key
    assert keyslots.try_slot(STORE_ID, slot, "correct horsE") is None


def test_unlock_tries_every_slot_and_names_the_one_that_opened() -> None:
    key = keyslots.new_data_key()
    first = keyslots.make_slot(STORE_ID, key, "premiere phrase", kdf=TEST_KDF)
    second = keyslots.make_slot(STORE_ID, key, "seconde phrase", kdf=TEST_KDF)
    slots = KeySlotFile(STORE_ID, (first, second))
    slot, opened = keyslots.unlock(slots, "seconde phrase")
    assert slot.id == second.id and opened == key
    with pytest.raises(WrongPassphrase):
        keyslots.unlock(slots, "troisieme")


def test_kdf_parameters_are_recorded_in_the_slot() -> None:
    slot = keyslots.make_slot(STORE_ID, keyslots.new_data_key(), "x", kdf=TEST_KDF)
    assert slot.kdf["name"] == "argon2id"
    assert slot.kdf["time_cost"] == TEST_KDF.time_cost
    assert slot.kdf["memory_cost_kib"] == TEST_KDF.memory_cost_kib
    assert slot.kdf["parallelism"] == TEST_KDF.parallelism


def test_a_slot_moved_to_another_store_does_not_open() -> None:
    key = keyslots.new_data_key()
    slot = keyslots.make_slot(STORE_ID, key, "phrase", kdf=TEST_KDF)
    other_store = "0d7f2b3c-0000-4000-8000-000000000000"
    assert keyslots.try_slot(other_store, slot, "phrase") is None


def test_recovery_codes_ignore_case_and_separators() -> None:
    key = keyslots.new_data_key()
    code = keyslots.new_recovery_code()
    slot = keyslots.make_slot(STORE_ID, key, code, kind="recovery", kdf=TEST_KDF)
    typed = code.lower().replace("-", " ")
    assert keyslots.try_slot(STORE_ID, slot, typed) == key


def test_the_last_passphrase_slot_cannot_be_removed() -> None:
    key = keyslots.new_data_key()
    only = keyslots.make_slot(STORE_ID, key, "seule", kdf=TEST_KDF)
    recovery = keyslots.make_slot(STORE_ID, key, "CODE", kind="recovery", kdf=TEST_KDF)
    slots = KeySlotFile(STORE_ID, (only, recovery))
    with pytest.raises(KeySlotError):
        keyslots.remove_slot(slots, only.id)
    assert keyslots.remove_slot(slots, recovery.id).slots == (only,)


def test_slot_file_round_trips_and_rejects_garbage(tmp_path: Path) -> None:
    key = keyslots.new_data_key()
    slots = KeySlotFile(STORE_ID, (keyslots.make_slot(STORE_ID, key, "p", kdf=TEST_KDF),))
    path = tmp_path / "s.keys"
    keyslots.write_slots(path, slots)
    assert keyslots.read_slots(path) == slots
    assert [p.name for p in tmp_path.iterdir()] == ["s.keys"]  # no temporary file left
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreCorrupted):
        keyslots.read_slots(path)
    path.write_text(json.dumps({"format": "other"}), encoding="utf-8")
    with pytest.raises(StoreCorrupted):
        keyslots.read_slots(path)
    with pytest.raises(StoreNotFound):
        keyslots.read_slots(tmp_path / "missing.keys")


def test_a_tampered_ciphertext_is_refused_not_misread() -> None:
    key = keyslots.new_data_key()
    slot = keyslots.make_slot(STORE_ID, key, "p", kdf=TEST_KDF)
    wrap = dict(slot.wrap)
    raw = bytearray(__import__("base64").b64decode(wrap["ciphertext"]))
    raw[0] ^= 1
    wrap["ciphertext"] = __import__("base64").b64encode(bytes(raw)).decode()
    assert keyslots.try_slot(STORE_ID, replace(slot, wrap=wrap), "p") is None
