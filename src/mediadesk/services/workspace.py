"""An unlocked store with its services: what the UI and the CLI hold while a store is open."""

from __future__ import annotations

import logging
import platform
import uuid
from pathlib import Path

from sqlalchemy.orm import Session

from mediadesk.domain.enums import Role
from mediadesk.services.backups import BackupService
from mediadesk.services.dossiers import DossierService
from mediadesk.services.interviews import InterviewService
from mediadesk.services.journal import JournalService
from mediadesk.services.settings import SettingsService
from mediadesk.services.sync_lock import ExchangeLock
from mediadesk.services.worklist import WorklistService
from mediadesk.store import backup, files, integrity, vault
from mediadesk.store.audit import install_audit
from mediadesk.store.keyslots import KdfParams
from mediadesk.store.models import Device, LocalSetting, Organisation, Team, User
from mediadesk.store.stamping import Actor, install_stamping

log = logging.getLogger(__name__)
class Workspace:
    """Services over one unlocked store. Close it to drop the key from memory."""

    def __init__(self, opened: vault.OpenStore) -> None:
        self._opened = opened
        self.actor = _ensure_identity(opened)
        install_stamping(opened.sessions, self.actor)
        install_audit(opened.sessions, self.actor)
        self.backups = BackupService(opened.path, opened.engine)
        backup.watch_writes(opened.sessions, self.backups.note_write)
        self.dossiers = DossierService(opened.sessions)
        self.interviews = InterviewService(opened.sessions)
        self.journal = JournalService(opened.sessions)
        self.settings = SettingsService(opened.sessions)
        self.worklist = WorklistService(opened.sessions)
        # One exchange with the sync server at a time for this store (sync, move, enrolment).
        self.sync_lock = ExchangeLock(opened.path)

    @property
    def path(self) -> Path:
        return self._opened.path

    @property
    def store_id(self) -> str:
        return self._opened.store_id

    def check(self) -> list[str]:
        """Integrity problems found (empty when healthy)."""
        return integrity.check(self._opened.engine)

    def backup_to(self, target: Path) -> Path:
        """Write an encrypted backup of the whole store to ``target`` (a file)."""
        return backup.write_backup(self.path, self._opened.engine, target)

    def backup_now(self, reason: str = "manual") -> Path:
        return backup.make_backup(self.path, self._opened.engine,
                                  files.backup_dir_for(self.path), reason=reason)

    def close(self) -> None:
        self._opened.close()

    # Internal handle for services and tools in this package (demo data, benchmarks).
    @property
    def opened(self) -> vault.OpenStore:
        return self._opened


def create_workspace(path: Path, passphrase: str, *, user_name: str = "",
                     kdf: KdfParams | None = None) -> Workspace:
    """Create a new store and open it. Slow (key derivation): not on the GUI thread."""
    opened = vault.create_store(path, passphrase, label=user_name, kdf=kdf)
    with opened.sessions.begin() as session:
        _create_identity(session, user_name)
    return Workspace(opened)


def unlock_workspace(path: Path, passphrase: str) -> Workspace:
    """Unlock an existing store. Slow (key derivation): not on the GUI thread.

    Raises StoreNotFound, WrongPassphrase, StoreCorrupted, MigrationError.
    """
    return Workspace(vault.open_store(path, passphrase))


def verify_passphrase(path: Path, passphrase: str) -> None:
    """Check that ``passphrase`` opens a key slot of the store at ``path`` without opening the
    database (to come back from an idle lock). Slow (key derivation): not on the GUI thread.

    Raises StoreNotFound, WrongPassphrase, StoreCorrupted.
    """
    vault.verify_passphrase(path, passphrase)


def restore_backup(backup_file: Path, store_path: Path, passphrase: str) -> None:
    """Replace the (closed) store by a backup; the current store is kept first, as a
    ``pre-restore`` backup (see `services.backups.restore_closed`, which also rotates)."""
    backup.restore_backup(backup_file, store_path, passphrase)


def _create_identity(session: Session, user_name: str) -> None:
    organisation = Organisation(name="Ma structure")
    session.add(organisation)
    session.flush()
    team = Team(name="Mon équipe", organisation_id=organisation.id)
    session.add(team)
    session.flush()
    user = User(display_name=user_name or "Médiateur", role=Role.MEDIATOR, languages=["fr"],
                scope_id=team.id)
    device = Device(name=platform.node() or "poste", scope_id=team.id)
    session.add_all([user, device])
    session.flush()
    device.user_id = user.id
    organisation.scope_id = team.id
    team.scope_id = team.id
    for key, value in (("user_id", user.id), ("device_id", device.id), ("team_id", team.id)):
        session.add(LocalSetting(key=key, value=str(value)))


def _ensure_identity(opened: vault.OpenStore) -> Actor:
    with opened.sessions.begin() as session:
        values = {row.key: row.value for row in session.query(LocalSetting).filter(
            LocalSetting.key.in_(("user_id", "device_id", "team_id")))}
        if len(values) < 3:
            log.info("store without local identity: creating one")
            _create_identity(session, "")
            session.flush()
            values = {row.key: row.value for row in session.query(LocalSetting)}
    return Actor(user_id=uuid.UUID(values["user_id"]), device_id=uuid.UUID(values["device_id"]),
                 team_id=uuid.UUID(values["team_id"]))
