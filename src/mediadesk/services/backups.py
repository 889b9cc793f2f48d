"""Encrypted backups of a store: list, create, rotate, restore, and when to take one.

Every backup is a `.mdbackup` file in ``STORE.backups/`` (see `mediadesk.store.backup`: the
database stays encrypted with the data key, the key slots travel with it). Kinds:

- ``automatic``: after every 30 minutes of *activity* (`ActivityScheduler`: time spent writing to
  the store; a pause of more than 5 minutes between two writes counts as 5 minutes, so a laptop
  left open and idle never triggers one). The 8 most recent are kept, plus the most recent one
  of each of the last 7 days (UTC calendar days).
- ``pre-migration``, ``pre-purge`` (before an anonymisation) and ``pre-restore``: safety backups
  taken before the operation; the 5 most recent of each kind are kept.
- ``manual``: asked for by a person; never deleted by the rotation. Files whose manifest cannot be
  read are never deleted either.

A restore checks the chosen backup with the passphrase first (nothing changes when it is wrong),
backs up the current state (``pre-restore``), then replaces the store; the workspace is closed
and must be unlocked again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from mediadesk.i18n import N_, _, format_number
from mediadesk.services.errors import StoreCorrupted, StoreNotFound, ValidationError
from mediadesk.store import backup as store_backup
from mediadesk.store import files
from mediadesk.store.backup import (
    AUTOMATIC,
    MANUAL,
    PRE_MIGRATION,
    PRE_PURGE,
    PRE_RESTORE,
    SUFFIX,
)

log = logging.getLogger(__name__)
UNKNOWN = "unknown"
SAFETY_KINDS = (PRE_MIGRATION, PRE_PURGE, PRE_RESTORE)
KINDS = (MANUAL, AUTOMATIC, *SAFETY_KINDS)
_LABELS = {
    MANUAL: N_("manuelle"),
    AUTOMATIC: N_("automatique"),
    PRE_MIGRATION: N_("avant mise à jour"),
    PRE_PURGE: N_("avant anonymisation"),
    PRE_RESTORE: N_("avant restauration"),
    UNKNOWN: N_("illisible"),
}
ACTIVITY_INTERVAL_S = 30 * 60.0
ACTIVITY_GAP_S = 5 * 60.0

__all__ = [
    "AUTOMATIC", "KINDS", "MANUAL", "PRE_MIGRATION", "PRE_PURGE", "PRE_RESTORE", "UNKNOWN",
    "ActivityScheduler", "BackupInfo", "BackupService", "RestoreResult", "RotationPolicy",
    "backups_to_delete", "find_backup", "format_size", "kind_label", "list_backups",
    "restore_closed",
]


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: datetime  # UTC
    kind: str  # one of KINDS, or UNKNOWN for a file whose manifest cannot be read
    size: int  # bytes

    @property
    def name(self) -> str:
        return self.path.name


def kind_label(kind: str) -> str:
    """The kind of a backup, for people (French, translated)."""
    return _(_LABELS.get(kind, _LABELS[UNKNOWN]))


def format_size(size: int) -> str:
    """A file size in Mo (or ko below one Mo), for people."""
    if size < 1024 * 1024:
        return _("{n} ko").format(n=format_number(max(1, round(size / 1024))))
    return _("{n} Mo").format(n=format_number(round(size / (1024 * 1024), 1)))


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupInfo
    safety: BackupInfo | None  # the state just before the restore (None: there was no store)


@dataclass(frozen=True)
class RotationPolicy:
    automatic_recent: int = 8
    automatic_daily_days: int = 7
    safety_recent: int = 5  # per kind


def backups_to_delete(backups: Sequence[BackupInfo], now: datetime,
                      policy: RotationPolicy = RotationPolicy(),
                      protect: Path | None = None) -> list[BackupInfo]:
    """The backups the rotation removes (pure). Manual and unreadable ones are never in it, nor
    ``protect`` (the backup being restored)."""
    newest_first = sorted(backups, key=lambda b: (b.created_at, b.name), reverse=True)
    keep: set[Path] = set() if protect is None else {protect}
    automatic = [b for b in newest_first if b.kind == AUTOMATIC]
    keep.update(b.path for b in automatic[:policy.automatic_recent])
    since = (now - timedelta(days=policy.automatic_daily_days)).date()
    days: set[object] = set()
    for item in automatic:
        day = item.created_at.astimezone(UTC).date()
        if day > since and day not in days:
            days.add(day)
            keep.add(item.path)
    for kind in SAFETY_KINDS:
        keep.update(b.path for b in [b for b in newest_first if b.kind == kind]
                    [:policy.safety_recent])
    return [b for b in newest_first
            if b.kind in (AUTOMATIC, *SAFETY_KINDS) and b.path not in keep]


def _info(path: Path) -> BackupInfo:
    stat = path.stat()
    try:
        manifest = store_backup.read_manifest(path)
        created = datetime.fromisoformat(str(manifest["created_at"]))
        kind = str(manifest.get("reason") or UNKNOWN)
    except (StoreCorrupted, KeyError, ValueError):
        created, kind = datetime.fromtimestamp(stat.st_mtime, UTC), UNKNOWN
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return BackupInfo(path, created, kind if kind in KINDS else UNKNOWN, stat.st_size)


def list_backups(store_path: Path) -> list[BackupInfo]:
    """The backups in the store's backup folder, newest first. Thread: any (reads files)."""
    directory = files.backup_dir_for(store_path)
    if not directory.is_dir():
        return []
    found = []
    for path in directory.glob(f"*{SUFFIX}"):
        try:
            found.append(_info(path))
        except FileNotFoundError:  # removed by a rotation meanwhile
            continue
    return sorted(found, key=lambda b: (b.created_at, b.name), reverse=True)


def rotate(store_path: Path, now: datetime, policy: RotationPolicy = RotationPolicy(),
           protect: Path | None = None) -> list[BackupInfo]:
    """Delete the backups the policy no longer keeps; returns them."""
    removed = backups_to_delete(list_backups(store_path), now, policy, protect)
    for item in removed:
        item.path.unlink(missing_ok=True)
    if removed:
        log.info("backup rotation: %d old backup(s) removed", len(removed))
    return removed


def find_backup(store_path: Path, text: str) -> Path:
    """A backup named on the command line: a file path, or a name (or number, 1 = newest) from
    the store's backup list. Raises ValidationError (French) when there is none."""
    candidate = Path(text)
    if candidate.is_file():
        return candidate
    listed = list_backups(store_path)
    if text.isdigit() and 1 <= int(text) <= len(listed):
        return listed[int(text) - 1].path
    for item in listed:
        if text in (item.name, item.path.stem):
            return item.path
    raise ValidationError("backup", _(
        "Aucune sauvegarde « {name} » : donnez un fichier, ou un nom ou un numéro de "
        "« mediadesk backup list ».").format(name=text))


class ActivityScheduler:
    """When the next automatic backup is due: after ``interval_s`` seconds of activity.

    Activity is the time between writes, each pause counted at most ``gap_s`` seconds: so an
    idle session (no writes) never makes a backup due, however long it stays open. ``clock``
    returns seconds (monotonic). Thread: any (writes are noted from worker threads).
    """

    def __init__(self, *, interval_s: float = ACTIVITY_INTERVAL_S,
                 gap_s: float = ACTIVITY_GAP_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._interval = interval_s
        self._gap = gap_s
        self._clock = clock
        self._lock = threading.Lock()
        self._active = 0.0
        self._last_write: float | None = None
        self._dirty = False

    def note_write(self) -> None:
        """Something was written to the store now."""
        now = self._clock()
        with self._lock:
            if self._last_write is not None:
                self._active += min(max(0.0, now - self._last_write), self._gap)
            self._last_write = now
            self._dirty = True

    def active_seconds(self) -> float:
        """Activity counted since the last backup."""
        with self._lock:
            return self._active

    def due(self) -> bool:
        """Whether an automatic backup should be taken now."""
        with self._lock:
            return self._dirty and self._active >= self._interval

    def reset(self) -> None:
        """A backup was just taken: count from zero again."""
        with self._lock:
            self._active = 0.0
            self._dirty = False


class BackupService:
    """Backups of one open store. Thread: any, one call at a time (store work on the writer
    lane: a backup reads the whole database)."""

    def __init__(self, store_path: Path, engine: Engine, *,
                 scheduler: ActivityScheduler | None = None,
                 policy: RotationPolicy = RotationPolicy(),
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._path = store_path
        self._engine = engine
        self.scheduler = scheduler or ActivityScheduler()
        self._policy = policy
        self._now = now

    def backups(self) -> list[BackupInfo]:
        """The backups of this store, newest first."""
        return list_backups(self._path)

    def create(self, kind: str = MANUAL) -> BackupInfo:
        """Take a backup now (then rotate, for any kind but manual); returns it."""
        return self._create(kind, rotate_after=True)

    def _create(self, kind: str, *, rotate_after: bool) -> BackupInfo:
        if kind not in KINDS:
            raise ValueError(kind)
        path = store_backup.make_backup(self._path, self._engine,
                                        files.backup_dir_for(self._path), reason=kind)
        log.info("%s backup taken: %s", kind, path.name)
        if rotate_after and kind != MANUAL:
            rotate(self._path, self._now(), self._policy, protect=path)
        return _info(path)

    def note_write(self) -> None:
        """Called after each committed write to the store (`store.backup.watch_writes`)."""
        self.scheduler.note_write()

    def backup_due(self) -> bool:
        return self.scheduler.due()

    def create_automatic(self) -> BackupInfo:
        """Take the automatic backup the scheduler asked for, and rotate."""
        info = self.create(AUTOMATIC)
        self.scheduler.reset()
        return info

    def restore(self, backup: Path, passphrase: str, close: Callable[[], None]
                ) -> RestoreResult:
        """Replace the store by ``backup``: check it opens with ``passphrase`` (nothing changes
        otherwise), back up the current state (``pre-restore``), call ``close()`` (the workspace
        must let go of the store), then restore. Slow (key derivation): not on the GUI thread.
        Raises StoreNotFound, StoreCorrupted, WrongPassphrase."""
        store_backup.check_backup(backup, passphrase)
        restored = _info(backup)
        safety = self._create(PRE_RESTORE, rotate_after=False)
        close()
        store_backup.restore_backup(backup, self._path, passphrase, keep_previous=False)
        rotate(self._path, self._now(), self._policy, protect=backup)
        return RestoreResult(restored, safety)


def restore_closed(store_path: Path, backup: Path, passphrase: str, *,
                   now: datetime | None = None) -> RestoreResult:
    """Restore ``backup`` over the closed store at ``store_path`` (the command line); the
    current files are kept first as a ``pre-restore`` backup. Slow (key derivation).
    Raises StoreNotFound, StoreCorrupted, WrongPassphrase, leaving everything unchanged."""
    if not backup.is_file():
        raise StoreNotFound(str(backup))
    restored = _info(backup)
    kept = store_backup.restore_backup(backup, store_path, passphrase)
    rotate(store_path, now or datetime.now(UTC), protect=backup)
    return RestoreResult(restored, _info(kept) if kept is not None else None)
