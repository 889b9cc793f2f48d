"""Create, unlock and manage an encrypted store: the SQLCipher file plus its key slots.

A store is two files side by side: ``PATH`` (the SQLCipher 4 database, WAL mode) and
``PATH.keys`` (the key slots, see `mediadesk.store.keyslots`). Key derivation is slow on
purpose: call these functions off the GUI thread.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from mediadesk.store import capture, files, keyslots, migrate, search
from mediadesk.store.backup import make_backup
from mediadesk.store.engine import connect_raw, enable_wal, make_engine, make_sessions
from mediadesk.store.errors import MigrationError, StoreAlreadyExists, StoreNotFound
from mediadesk.store.keyslots import KdfParams, KeySlot, KeySlotFile

log = logging.getLogger(__name__)


@dataclass
class OpenStore:
    """An unlocked store. Holds the data key in memory until `close`."""

    path: Path
    store_id: str
    slot_id: str
    engine: Engine
    sessions: sessionmaker[Session]
    data_key: bytes = field(repr=False)

    def close(self) -> None:
        self.engine.dispose()
        self.data_key = b""


def create_store(
    path: Path, passphrase: str, *, label: str = "", kdf: KdfParams | None = None
) -> OpenStore:
    """Create a new empty store at ``path`` protected by ``passphrase``.

    Raises StoreAlreadyExists when a store (or any file) is already there.
    """
    keys_file = files.keys_path(path)
    if files.store_exists(path):
        raise StoreAlreadyExists(str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    data_key = keyslots.new_data_key()
    store_id = str(uuid.uuid4())
    slot = keyslots.make_slot(store_id, data_key, passphrase, label=label, kdf=kdf)
    try:
        connect_raw(path, data_key, check=False).close()
        enable_wal(path, data_key)
        engine = make_engine(path, data_key)
        migrate.upgrade(engine)
        keyslots.write_slots(keys_file, KeySlotFile(store_id=store_id, slots=(slot,)))
    except BaseException:
        for leftover in (path, keys_file, *files.sidecars(path)):
            leftover.unlink(missing_ok=True)
        raise
    return _opened(path, store_id, slot.id, engine, data_key)


def open_store(path: Path, passphrase: str) -> OpenStore:
    """Unlock the store at ``path``; apply pending migrations (after an encrypted backup).

    Raises StoreNotFound, WrongPassphrase, StoreCorrupted or MigrationError. On any of them
    the files are left as they were.
    """
    if not path.is_file():
        raise StoreNotFound(str(path))
    slots = keyslots.read_slots(files.keys_path(path))
    slot, data_key = keyslots.unlock(slots, passphrase)
    connect_raw(path, data_key).close()  # raises StoreCorrupted before anything is written
    engine = make_engine(path, data_key)
    if migrate.needs_upgrade(engine):
        _migrate_with_backup(path, engine, data_key)
    return _opened(path, slots.store_id, slot.id, engine, data_key)


def _migrate_with_backup(path: Path, engine: Engine, data_key: bytes) -> None:
    backup = make_backup(path, engine, files.backup_dir_for(path), reason="pre-migration")
    log.info("schema upgrade: backup taken at %s", backup.name)
    try:
        migrate.upgrade(engine)
    except Exception as exc:
        engine.dispose()
        raise MigrationError(f"migration failed; backup kept at {backup}") from exc


def _opened(path: Path, store_id: str, slot_id: str, engine: Engine, key: bytes) -> OpenStore:
    capture.install(engine)
    sessions = make_sessions(engine)
    search.track_changes(sessions)
    return OpenStore(path, store_id, slot_id, engine, sessions, key)


# --- key-slot management -------------------------------------------------------------------


def verify_passphrase(path: Path, passphrase: str) -> None:
    """Check that ``passphrase`` opens a slot, without opening the database.

    Raises StoreNotFound, WrongPassphrase, StoreCorrupted.
    """
    keyslots.unlock(keyslots.read_slots(files.keys_path(path)), passphrase)


def list_slots(path: Path) -> tuple[KeySlot, ...]:
    return keyslots.read_slots(files.keys_path(path)).slots


def change_passphrase(
    path: Path, old: str, new: str, *, kdf: KdfParams | None = None
) -> KeySlot:
    """Re-wrap the data key of the slot ``old`` opens under ``new``. Nothing is re-encrypted."""
    keys_file = files.keys_path(path)
    slots = keyslots.read_slots(keys_file)
    slot, data_key = keyslots.unlock(slots, old)
    fresh = keyslots.make_slot(
        slots.store_id, data_key, new, kind=slot.kind, label=slot.label, kdf=kdf
    )
    keyslots.write_slots(keys_file, keyslots.replace_slot(slots, slot.id, fresh))
    return fresh


def add_passphrase(
    path: Path, existing: str, new: str, *, label: str = "", kdf: KdfParams | None = None
) -> KeySlot:
    """Add a slot for another user of the same store (opened with ``existing``)."""
    keys_file = files.keys_path(path)
    slots = keyslots.read_slots(keys_file)
    _, data_key = keyslots.unlock(slots, existing)
    slot = keyslots.make_slot(slots.store_id, data_key, new, label=label, kdf=kdf)
    keyslots.write_slots(keys_file, keyslots.add_slot(slots, slot))
    return slot


def add_recovery(
    path: Path, existing: str, *, label: str = "recovery", kdf: KdfParams | None = None
) -> tuple[KeySlot, str]:
    """Add a recovery slot; returns it with the recovery code (shown once, never stored)."""
    code = keyslots.new_recovery_code()
    keys_file = files.keys_path(path)
    slots = keyslots.read_slots(keys_file)
    _, data_key = keyslots.unlock(slots, existing)
    slot = keyslots.make_slot(
        slots.store_id, data_key, code, kind="recovery", label=label, kdf=kdf
    )
    keyslots.write_slots(keys_file, keyslots.add_slot(slots, slot))
    return slot, code


def remove_slot(path: Path, existing: str, slot_id: str) -> None:
    """Remove a slot, proving access with ``existing`` first. The last passphrase slot stays."""
    keys_file = files.keys_path(path)
    slots = keyslots.read_slots(keys_file)
    keyslots.unlock(slots, existing)
    keyslots.write_slots(keys_file, keyslots.remove_slot(slots, slot_id))


def require_exists(path: Path) -> None:
    if not path.is_file():
        raise StoreNotFound(str(path))
