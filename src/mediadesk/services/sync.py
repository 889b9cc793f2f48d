"""Sync of an open workspace with the team's server: enrolment, then push + pull until done.

Blocking (network and store I/O): the CLI calls it directly, the UI from a background lane.
The device's credentials (server address, device secret) live in the encrypted store's local
settings. One :meth:`SyncService.sync` repeats ``POST /v1/sync`` while there is something to
send or a page to fetch; each page is applied in one local transaction with its cursor, so an
interrupted sync simply resumes. A revoked device wipes its store and key slots; a team the
device no longer belongs to has its dossiers removed from the device.
"""

from __future__ import annotations

import logging
import platform
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, text

from mediadesk.i18n import _
from mediadesk.services.workspace import Workspace
from mediadesk.store import capture, files
from mediadesk.store.capture import capture_paused
from mediadesk.sync.client import SyncClient
from mediadesk.sync.device import ChecksumMismatch, DeviceSync, MassChange
from mediadesk.sync.errors import AuthError, DeviceRevoked, SequenceGap, SyncError
from mediadesk.sync.protocol import (
    DEFAULT_PAGE,
    Changeset,
    EnrolResponse,
    SyncRequest,
    TeamInfo,
)

log = logging.getLogger(__name__)

_SERVER_URL = "sync.server_url"
_DEVICE_SECRET = "sync.device_secret"
_LAST_SUCCESS = "sync.last_success_ms"
_CA_CERT = "sync.ca_cert"
_MAX_ROUNDS = 10_000
_MAX_OPS_PER_REQUEST = 20_000

ClientFactory = Callable[[str], SyncClient]
Progress = Callable[[int, int], None]  # (ops received so far, total expected)


class NotEnrolled(SyncError):
    def __init__(self) -> None:
        super().__init__(_("Ce poste n'est pas encore inscrit : demandez un code d'inscription "
                           "à l'administrateur (mediadesk sync --enrol CODE)."))


class DemoStore(SyncError):
    def __init__(self) -> None:
        super().__init__(_("Ce fichier contient des données de démonstration inventées : il ne "
                           "se synchronise pas. Créez un nouveau fichier pour travailler."))


class MassChangeRefused(SyncError):
    def __init__(self, deleted: int, live: int) -> None:
        super().__init__(_("La synchronisation supprimerait {deleted} dossiers sur {live} : "
                           "arrêtée par précaution. Vérifiez avec votre responsable, puis "
                           "relancez en confirmant.").format(deleted=deleted, live=live))
        self.deleted, self.live = deleted, live


class SyncCancelled(SyncError):
    def __init__(self) -> None:
        super().__init__(_("Synchronisation interrompue : elle reprendra où elle s'est "
                           "arrêtée."))


@dataclass
class SyncReport:
    sent: int = 0
    received: int = 0
    rejected: int = 0
    conflicts: list[str] = field(default_factory=list)
    teams: list[TeamInfo] = field(default_factory=list)
    teams_removed: list[str] = field(default_factory=list)
    requests: int = 0


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows: whether enrolled, the last success, what waits to be sent,
    and the CA certificate file chosen at enrolment (None: the system's authorities)."""

    enrolled: bool
    last_success_ms: int | None
    pending: int
    ca_cert: Path | None


@dataclass(frozen=True)
class Enrolment:
    user_email: str
    teams: tuple[str, ...]


class SyncService:
    """Sync for one open store. ``connect`` builds the HTTP client for a server address."""

    def __init__(self, engine: Engine, store_path: Path, device_id: uuid.UUID,
                 connect: ClientFactory, *, now_ms: Callable[[], int] | None = None) -> None:
        self._engine = engine
        self._store_path = store_path
        self._connect = connect
        self._now_ms = now_ms or (lambda: int(time.time() * 1000))
        self.device = DeviceSync(engine, device_id.hex, now_ms=self._now_ms)

    # -- enrolment ------------------------------------------------------------------------
    def is_enrolled(self) -> bool:
        return self._setting(_DEVICE_SECRET) is not None

    def enrol(self, server_url: str, code: str, *, ca_cert: Path | None = None,
              connect: ClientFactory | None = None) -> Enrolment:
        """Trade the admin's one-time code for this device's credentials, and adopt the
        server's identity (user, teams) for the dossiers written here so far. ``ca_cert`` (the
        server's authority, remembered for later syncs) and ``connect`` replace this service's
        own for this call."""
        if self._setting(capture.DEMO_SETTING) is not None:
            raise DemoStore()
        client = (connect or self._connect)(server_url)
        try:
            answer = client.enrol(code.strip(), self.device.device, platform.node() or "poste")
        finally:
            client.close()
        with self._engine.begin() as conn:
            self._adopt(conn, answer)
            _set(conn, _SERVER_URL, server_url)
            _set(conn, _DEVICE_SECRET, answer.device_secret)
            _set(conn, _CA_CERT, str(ca_cert) if ca_cert is not None else "")
        return Enrolment(answer.user.email, tuple(t.name for t in answer.teams))

    def _adopt(self, conn: Connection, answer: EnrolResponse) -> None:
        if not answer.teams:
            raise AuthError(_("Votre compte n'appartient à aucune équipe : demandez à "
                              "l'administrateur de vous y ajouter."), code="no_team")
        team = answer.teams[0]
        new_team, new_user = uuid.UUID(hex=team.id), uuid.UUID(hex=answer.user.id)
        old_team = _uuid_setting(conn, "team_id")
        old_user = _uuid_setting(conn, "user_id")
        placeholders = {old_team.hex if old_team else "", old_user.hex if old_user else ""}
        if old_team and old_team != new_team:
            conn.execute(text("UPDATE sync_outbox SET scope = :new WHERE scope = :old"),
                         {"new": new_team.hex, "old": old_team.hex})
            for table in capture.synced_tables():
                conn.execute(text(
                    f'UPDATE "{table.name}" SET scope_id = :new WHERE scope_id = :old '
                    f"AND id NOT IN (:a, :b)"),
                    {"new": new_team.hex, "old": old_team.hex, "a": old_team.hex,
                     "b": old_user.hex if old_user else ""})
        if old_user and old_user != new_user:
            _ensure_user(conn, new_user, new_team, old_user)
            for table in capture.synced_tables():
                for fk in table.foreign_keys:
                    if fk.column.table.name == "user_account" and fk.parent.name != "id":
                        conn.execute(text(
                            f'UPDATE "{table.name}" SET "{fk.parent.name}" = :new '
                            f'WHERE "{fk.parent.name}" = :old'),
                            {"new": new_user.hex, "old": old_user.hex})
        _ensure_team(conn, new_team, team.name)
        conn.execute(text("DELETE FROM sync_outbox WHERE row_id IN (:a, :b)"),
                     {"a": min(placeholders), "b": max(placeholders)})
        _set(conn, "team_id", str(new_team))
        _set(conn, "user_id", str(new_user))

    def set_server(self, server_url: str) -> None:
        """Change the server address (a moved server); the credentials stay the same."""
        with self._engine.begin() as conn:
            _set(conn, _SERVER_URL, server_url)

    # -- sync -----------------------------------------------------------------------------
    def sync(self, *, confirm_mass_change: bool = False, progress: Progress | None = None,
             cancelled: Callable[[], bool] = lambda: False,
             page_size: int = DEFAULT_PAGE) -> SyncReport:
        """Push everything waiting and pull everything new. Raises a :class:`SyncError`
        (network, TLS, auth, revoked...) with a French message; nothing is lost on failure."""
        url, secret = self._setting(_SERVER_URL), self._setting(_DEVICE_SECRET)
        if self._setting(capture.DEMO_SETTING) is not None:
            raise DemoStore()
        if url is None or secret is None:
            raise NotEnrolled()
        report = SyncReport()
        client = self._connect(url)
        try:
            token = client.token(self.device.device, secret).access_token
            for _round in range(_MAX_ROUNDS):
                if cancelled():
                    raise SyncCancelled()
                more = self._exchange(client, token, report, confirm_mass_change, page_size)
                if progress is not None:
                    progress(report.received, report.received + more)
                if not more and not self.device.pending_count():
                    break
        except DeviceRevoked:
            self.wipe()
            raise
        finally:
            client.close()
        with self._engine.begin() as conn:
            _set(conn, _LAST_SUCCESS, str(self._now_ms()))
        return report

    def _exchange(self, client: SyncClient, token: str, report: SyncReport, confirm: bool,
                  page_size: int) -> int:
        """One request; returns how many ops are still to fetch (0 when up to date)."""
        changesets: list[Changeset] = []
        size = 0
        for changeset in self.device.changesets():  # keep each request well under the body cap
            if changesets and size + len(changeset.ops) > _MAX_OPS_PER_REQUEST:
                break
            changesets.append(changeset)
            size += len(changeset.ops)
        request = SyncRequest(changesets=changesets, cursors=self.device.cursors(),
                              page_size=page_size)
        try:
            response = client.sync(token, request)
        except SequenceGap as gap:
            self.device.renumber(gap.expected)
            return 1
        report.requests += 1
        self.device.acknowledge(response.receipts)
        report.sent += sum(r.accepted for r in response.receipts)
        report.rejected += sum(len(r.rejected) for r in response.receipts)
        report.teams = list(response.teams)
        names = {t.id: t.name for t in response.teams}
        remaining = 0
        for page in response.pages:
            try:
                result = self.device.apply_page(page, confirm_mass_change=confirm,
                                                scope_name=names.get(page.scope, ""))
            except ChecksumMismatch:
                log.warning("checksum mismatch: pulling the team again from the start")
                self.device.reset_scope(page.scope)
                remaining += 1
                continue
            except MassChange as refused:
                raise MassChangeRefused(refused.deleted, refused.live) from None
            report.received += result.applied
            report.conflicts += result.conflicts_opened
            if page.more:
                remaining += max(1, page.head - page.cursor)
        report.teams_removed += self._drop_lost_teams({t.id for t in response.teams})
        return remaining

    def _drop_lost_teams(self, current: set[str]) -> list[str]:
        """Remove the dossiers of teams this device no longer belongs to."""
        removed: list[str] = []
        with self._engine.begin() as conn:
            known = {str(r.scope): str(r.name) for r in conn.execute(
                text("SELECT scope, name FROM sync_scope")).all()}
            for scope, name in known.items():
                if scope in current:
                    continue
                with capture_paused(conn):
                    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
                    for table in reversed(capture.synced_tables()):
                        conn.execute(text(f'DELETE FROM "{table.name}" WHERE scope_id = :s'),
                                     {"s": scope})
                    for bookkeeping in ("sync_history", "sync_pending", "sync_outbox"):
                        conn.execute(text(f"DELETE FROM {bookkeeping} WHERE scope = :s"),
                                     {"s": scope})
                    conn.execute(text("DELETE FROM sync_scope WHERE scope = :s"), {"s": scope})
                removed.append(name or scope)
        if removed:
            from mediadesk.store.search import rebuild

            with self._engine.begin() as conn:
                rebuild(conn)
        return removed

    def wipe(self) -> None:
        """Erase this device's store, its key slots and its backups (revoked device)."""
        self._engine.dispose()
        path = self._store_path
        for leftover in (path, files.keys_path(path), *files.sidecars(path)):
            leftover.unlink(missing_ok=True)
        shutil.rmtree(files.backup_dir_for(path), ignore_errors=True)

    # -- status ---------------------------------------------------------------------------
    def status(self) -> SyncStatus:
        """What the status bar shows. Blocking (store read): background lane."""
        ca_cert = self._setting(_CA_CERT)
        return SyncStatus(self.is_enrolled(), self.last_success_ms(), self.pending(),
                          Path(ca_cert) if ca_cert else None)

    def last_success_ms(self) -> int | None:
        value = self._setting(_LAST_SUCCESS)
        return None if value is None else int(value)

    def pending(self) -> int:
        return self.device.pending_count()

    def _setting(self, key: str) -> str | None:
        with self._engine.connect() as conn:
            return _get(conn, key)


def _get(conn: Connection, key: str) -> str | None:
    value = conn.execute(text("SELECT value FROM local_setting WHERE key = :k"),
                         {"k": key}).scalar()
    return None if value is None else str(value)


def _set(conn: Connection, key: str, value: str) -> None:
    conn.execute(text("INSERT INTO local_setting (key, value) VALUES (:k, :v) "
                      "ON CONFLICT (key) DO UPDATE SET value = :v"), {"k": key, "v": value})


def _uuid_setting(conn: Connection, key: str) -> uuid.UUID | None:
    value = _get(conn, key)
    return None if value is None else uuid.UUID(value)


def _ensure_team(conn: Connection, team: uuid.UUID, name: str) -> None:
    exists = conn.execute(text("SELECT 1 FROM team WHERE id = :i"), {"i": team.hex}).first()
    if exists is None:
        now = _now_text()
        conn.execute(text(
            "INSERT INTO team (id, scope_id, name, created_at, updated_at, version) "
            "VALUES (:i, :i, :n, :t, :t, 1)"), {"i": team.hex, "n": name, "t": now})


def _ensure_user(conn: Connection, user: uuid.UUID, team: uuid.UUID, like: uuid.UUID) -> None:
    exists = conn.execute(text("SELECT 1 FROM user_account WHERE id = :i"),
                          {"i": user.hex}).first()
    if exists is None:
        now = _now_text()
        conn.execute(text(
            "INSERT INTO user_account (id, scope_id, display_name, email, role, languages, "
            "created_at, updated_at, version) SELECT :i, :s, display_name, email, role, "
            "languages, :t, :t, 1 FROM user_account WHERE id = :old"),
            {"i": user.hex, "s": team.hex, "t": now, "old": like.hex})


def _now_text() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def sync_service(workspace: Workspace, connect: ClientFactory) -> SyncService:
    """The sync service of an open workspace."""
    device = workspace.actor.device_id
    if device is None:
        raise NotEnrolled()
    return SyncService(workspace.opened.engine, workspace.path, device, connect)


def default_connect(ca_cert: Path | None = None) -> ClientFactory:
    return lambda url: SyncClient(url, ca_cert=ca_cert)
