"""Encrypted backups of a whole store, and restore.

A backup is one ZIP file (stored, not compressed: its content is ciphertext) holding
``store.db`` (a consistent copy made with ``VACUUM INTO``, still encrypted with the data key),
``store.keys`` (the key slots at backup time) and ``manifest.json`` (format, time, schema
revision; no personal data). Restoring needs a passphrase that opens the backup's own slots.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, text

from mediadesk.store import files, keyslots, migrate
from mediadesk.store.engine import connect_raw
from mediadesk.store.errors import StoreCorrupted, StoreNotFound

FORMAT = "mediadesk-backup"
SUFFIX = ".mdbackup"


def make_backup(store_path: Path, engine: Engine, directory: Path, *, reason: str = "manual"
                ) -> Path:
    """Write a backup of the open store into ``directory``; returns the file written."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = directory / f"{store_path.name}-{stamp}-{reason}{SUFFIX}"
    return write_backup(store_path, engine, target, reason=reason)


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
        manifest = {
            "format": FORMAT,
            "version": 1,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "reason": reason,
            "schema_revision": revision,
        }
        partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, indent=2))
            archive.writestr("store.keys", keys_text)
            archive.write(copy, "store.db")
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
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


def restore_backup(backup: Path, store_path: Path, passphrase: str) -> None:
    """Replace the (closed) store at ``store_path`` by the backup's content.

    The backup is checked first (passphrase opens its slots, the database reads); the current
    store, if any, is itself backed up beside it before being replaced.
    Raises StoreNotFound, StoreCorrupted or WrongPassphrase, leaving everything unchanged.
    """
    read_manifest(backup)
    with tempfile.TemporaryDirectory(dir=store_path.parent, prefix=".restore-") as scratch:
        scratch_dir = Path(scratch)
        with zipfile.ZipFile(backup) as archive:
            archive.extract("store.db", scratch_dir)
            archive.extract("store.keys", scratch_dir)
        slots = keyslots.read_slots(scratch_dir / "store.keys")
        _, data_key = keyslots.unlock(slots, passphrase)
        conn = connect_raw(scratch_dir / "store.db", data_key)
        try:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise StoreCorrupted(str(backup))
        finally:
            conn.close()
        if store_path.exists():
            _keep_previous(store_path)
        for sidecar in files.sidecars(store_path):
            sidecar.unlink(missing_ok=True)
        os.replace(scratch_dir / "store.db", store_path)
        os.replace(scratch_dir / "store.keys", files.keys_path(store_path))


def _keep_previous(store_path: Path) -> None:
    """Copy the current store and slots aside (already encrypted) before a restore."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    aside = files.backup_dir_for(store_path) / f"before-restore-{stamp}"
    aside.mkdir(parents=True, exist_ok=True)
    for part in (store_path, files.keys_path(store_path),
                 store_path.with_name(store_path.name + "-wal")):
        if part.exists():
            shutil.copy2(part, aside / part.name)


def checkpoint(engine: Engine) -> None:
    """Fold the WAL back into the main file (before copying files by hand)."""
    with engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
