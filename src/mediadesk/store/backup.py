"""Encrypted backups of a whole store, and restore.

A backup is one ZIP file (stored, not compressed: its content is ciphertext) holding
``store.db`` (a consistent copy made with ``VACUUM INTO``, still encrypted with the data key),
``store.keys`` (the key slots at backup time) and ``manifest.json`` (format, time, schema
revision, the *reason* it was taken; no personal data). A backup of a closed store (the one
kept before a restore) may also hold ``store.db-wal`` when the store was not cleanly closed.
Restoring needs a passphrase that opens the backup's own slots.

Reasons (the kind shown to people): ``manual``, ``automatic`` (every 30 minutes of activity),
``pre-migration``, ``pre-purge`` (before an anonymisation) and ``pre-restore``.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from mediadesk.store import files, keyslots, migrate
from mediadesk.store.engine import connect_raw
from mediadesk.store.errors import StoreCorrupted, StoreNotFound

FORMAT = "mediadesk-backup"
SUFFIX = ".mdbackup"
MANUAL, AUTOMATIC = "manual", "automatic"
PRE_MIGRATION, PRE_PURGE, PRE_RESTORE = "pre-migration", "pre-purge", "pre-restore"
_WAL_MEMBER = "store.db-wal"
_WROTE = "mediadesk.backup.wrote"


def make_backup(store_path: Path, engine: Engine, directory: Path, *, reason: str = MANUAL
                ) -> Path:
    """Write a backup of the open store into ``directory``; returns the file written."""
    return write_backup(store_path, engine, _new_target(store_path, directory, reason),
                        reason=reason)


def _new_target(store_path: Path, directory: Path, reason: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return directory / f"{store_path.name}-{stamp}-{reason}{SUFFIX}"


def _manifest(reason: str, revision: str | None) -> str:
    return json.dumps({
        "format": FORMAT,
        "version": 1,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "reason": reason,
        "schema_revision": revision,
    }, indent=2)


def _publish(partial: Path, target: Path) -> None:
    with open(partial, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)


def write_backup(store_path: Path, engine: Engine, target: Path, *, reason: str = "manual"
                 ) -> Path:
    keys_text = files.keys_path(store_path).read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as scratch:
        copy = Path(scratch) / "store.db"
        raw = engine.raw_connection()  # VACUUM cannot run inside the engine's BEGIN
        try:
            raw.cursor().execute("VACUUM INTO ?", (str(copy),))
        finally:
            raw.close()
        revision = migrate.current_revision(engine)
        partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
            archive.writestr("manifest.json", _manifest(reason, revision))
            archive.writestr("store.keys", keys_text)
            archive.write(copy, "store.db")
        _publish(partial, target)
    return target


def snapshot_closed(store_path: Path, directory: Path, *, reason: str = PRE_RESTORE
                    ) -> Path | None:
    """Back up a *closed* store as its files are (already encrypted; its WAL too when one was
    left by a crash) into ``directory``; None when there is no store at ``store_path``."""
    keys = files.keys_path(store_path)
    if not store_path.is_file() or not keys.is_file():
        return None
    target = _new_target(store_path, directory, reason)
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    wal = files.sidecars(store_path)[0]
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("manifest.json", _manifest(reason, None))
        archive.write(keys, "store.keys")
        archive.write(store_path, "store.db")
        if wal.is_file() and wal.stat().st_size:
            archive.write(wal, _WAL_MEMBER)
    _publish(partial, target)
    return target


def read_manifest(backup: Path) -> dict[str, object]:
    try:
        with zipfile.ZipFile(backup) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            if manifest.get("format") != FORMAT:
                raise StoreCorrupted(str(backup))
            return dict(manifest)
    except FileNotFoundError as exc:
        raise StoreNotFound(str(backup)) from exc
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise StoreCorrupted(str(backup)) from exc


def check_backup(backup: Path, passphrase: str) -> None:
    """Check that ``backup`` can be restored with ``passphrase`` (it opens the backup's slots and
    its database reads) without changing anything. Slow (key derivation).
    Raises StoreNotFound, StoreCorrupted or WrongPassphrase."""
    read_manifest(backup)
    with tempfile.TemporaryDirectory(dir=backup.parent, prefix=".check-") as scratch:
        _verified_copy(backup, Path(scratch), passphrase)


def _verified_copy(backup: Path, scratch_dir: Path, passphrase: str) -> None:
    """Extract the backup into ``scratch_dir`` (its WAL folded in) and check it reads."""
    try:
        with zipfile.ZipFile(backup) as archive:
            archive.extract("store.db", scratch_dir)
            archive.extract("store.keys", scratch_dir)
            if _WAL_MEMBER in archive.namelist():
                archive.extract(_WAL_MEMBER, scratch_dir)
    except (zipfile.BadZipFile, KeyError) as exc:
        raise StoreCorrupted(str(backup)) from exc
    slots = keyslots.read_slots(scratch_dir / "store.keys")
    _, data_key = keyslots.unlock(slots, passphrase)
    conn = connect_raw(scratch_dir / "store.db", data_key)
    try:
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise StoreCorrupted(str(backup))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    (scratch_dir / _WAL_MEMBER).unlink(missing_ok=True)


def restore_backup(backup: Path, store_path: Path, passphrase: str, *,
                   keep_previous: bool = True) -> Path | None:
    """Replace the (closed) store at ``store_path`` by the backup's content.

    The backup is checked first (passphrase opens its slots, the database reads); then, unless
    ``keep_previous`` is false (the caller already backed it up), the current store is backed
    up as it is (`snapshot_closed`, reason ``pre-restore``) before being replaced. Returns that
    safety backup (None when there was nothing to keep).
    Raises StoreNotFound, StoreCorrupted or WrongPassphrase, leaving everything unchanged.
    """
    read_manifest(backup)
    with tempfile.TemporaryDirectory(dir=store_path.parent, prefix=".restore-") as scratch:
        scratch_dir = Path(scratch)
        _verified_copy(backup, scratch_dir, passphrase)
        kept = (snapshot_closed(store_path, files.backup_dir_for(store_path))
                if keep_previous else None)
        for sidecar in files.sidecars(store_path):
            sidecar.unlink(missing_ok=True)
        os.replace(scratch_dir / "store.db", store_path)
        os.replace(scratch_dir / "store.keys", files.keys_path(store_path))
    return kept


def watch_writes(sessions: sessionmaker[Session], on_write: Callable[[], None]) -> None:
    """Call ``on_write()`` after each committed transaction of ``sessions`` that wrote
    something (an ORM flush or an INSERT/UPDATE/DELETE statement), on the committing thread."""

    @event.listens_for(sessions, "after_flush")
    def _flushed(session: Session, _context: Any) -> None:
        session.info[_WROTE] = True

    @event.listens_for(sessions, "do_orm_execute")
    def _executed(state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            state.session.info[_WROTE] = True

    @event.listens_for(sessions, "after_commit")
    def _committed(session: Session) -> None:
        if session.info.pop(_WROTE, False):
            on_write()

    @event.listens_for(sessions, "after_rollback")
    def _rolled_back(session: Session) -> None:
        session.info.pop(_WROTE, None)


def checkpoint(engine: Engine) -> None:
    """Fold the WAL back into the main file (before copying files by hand)."""
    with engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
