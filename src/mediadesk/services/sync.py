"""Sync of an open workspace with the team's server: enrolment, then push + pull until done.

Blocking (network and store I/O): the CLI calls it directly, the UI from a background lane.
The device's credentials (server address, device secret) live in the encrypted store's local
settings. One :meth:`SyncService.sync` repeats ``POST /v1/sync`` while there is something to
send or a page to fetch; each page is applied in one local transaction with its cursor, so an
interrupted sync simply resumes. A revoked device wipes its store and key slots; a team the
device no longer belongs to has its dossiers removed from the device. Exchanges with the server
(sync, enrolment, the wipe, a move's requests) hold the store's :class:`ExchangeLock`: one at a
time per store, the others wait (see :mod:`.sync_lock`).
"""

from __future__ import annotations

import logging
import platform
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from mediadesk.i18n import _
from mediadesk.services.device_names import remember_device_names
from mediadesk.services.remote_edits import RemoteEdit, RemoteOp, resolve, watched
from mediadesk.services.sync_identity import adopt
from mediadesk.services.sync_lock import ExchangeLock
from mediadesk.services.sync_lock import SyncBusy as SyncBusy
from mediadesk.services.sync_lock import SyncCancelled as SyncCancelled
from mediadesk.services.sync_lost_teams import drop_lost_teams
from mediadesk.services.sync_mass_change import MassChangeRefused as MassChangeRefused
from mediadesk.services.sync_mass_change import refusal
from mediadesk.services.sync_teams import remember_teams
from mediadesk.services.workspace import Workspace
from mediadesk.store import capture, files
from mediadesk.store.local_settings import get_setting, set_setting
from mediadesk.sync import certificates
from mediadesk.sync.certificates import CertificateChanged as CertificateChanged
from mediadesk.sync.certificates import ServerCertificate as ServerCertificate
from mediadesk.sync.certificates import UnconfirmedCertificate as UnconfirmedCertificate
from mediadesk.sync.client import SyncClient
from mediadesk.sync.device import ChecksumMismatch, DeviceSync, MassChange
from mediadesk.sync.errors import DeviceRevoked, SequenceGap, SyncError, TlsError
from mediadesk.sync.protocol import (
    DEFAULT_PAGE,
    Changeset,
    SyncRequest,
    SyncResponse,
    TeamInfo,
)

log = logging.getLogger(__name__)

_SERVER_URL = "sync.server_url"
_DEVICE_SECRET = "sync.device_secret"
_LAST_SUCCESS = "sync.last_success_ms"
_CA_CERT = "sync.ca_cert"
_ENROLLED = "sync.enrolled_ms"
_PINNED = "sync.pinned_cert"  # PEM of the certificate confirmed at enrolment ("" for none)
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


@dataclass
class SyncReport:
    sent: int = 0
    received: int = 0
    rejected: int = 0
    conflicts: list[str] = field(default_factory=list)
    teams: list[TeamInfo] = field(default_factory=list)
    teams_removed: list[str] = field(default_factory=list)
    requests: int = 0
    remote_ops: list[RemoteOp] = field(default_factory=list)
    remote_edits: list[RemoteEdit] = field(default_factory=list)  # what others changed


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows: whether enrolled, the last success, what waits to be sent,
    the CA certificate file chosen at enrolment (None: the system's authorities) and the
    fingerprint of the certificate pinned at enrolment (None: none pinned), and when this
    device was enrolled (None before, or enrolled by an older version)."""

    enrolled: bool
    last_success_ms: int | None
    pending: int
    ca_cert: Path | None
    pinned_sha256: str | None = None
    enrolled_ms: int | None = None


@dataclass(frozen=True)
class Enrolment:
    user_email: str
    teams: tuple[str, ...]


@dataclass(frozen=True)
class _PullAhead:
    """A pull sent before the current page was applied: usable only if the device then stands
    exactly at ``cursors`` (a checksum reset or a lost team makes it stale: it is dropped)."""

    cursors: dict[str, int]
    response: Future[SyncResponse]


class SyncService:
    """Sync for one open store. ``connect`` builds the HTTP client for a server address; by
    default (None) one trusting what was remembered at enrolment: the pinned certificate, or
    the system's authorities plus the CA file chosen then. ``exchange``: the store's lock,
    shared by every service of the store (the workspace's; by default one of its own)."""

    def __init__(self, engine: Engine, store_path: Path, device_id: uuid.UUID,
                 connect: ClientFactory | None = None, *,
                 now_ms: Callable[[], int] | None = None,
                 exchange: ExchangeLock | None = None) -> None:
        self._engine = engine
        self._store_path = store_path
        self.exchange = exchange or ExchangeLock(store_path)
        self._connect = connect
        self._now_ms = now_ms or (lambda: int(time.time() * 1000))
        self.device = DeviceSync(engine, device_id.hex, now_ms=self._now_ms)

    # -- enrolment ------------------------------------------------------------------------
    def is_enrolled(self) -> bool:
        return self._setting(_DEVICE_SECRET) is not None

    @staticmethod
    def server_certificate(server_url: str, ca_cert: Path | None = None
                           ) -> ServerCertificate | None:
        """The certificate the server presents, to show before enrolling (None for a plain
        ``http://`` address). Blocking (network). Raises NetworkError or TlsError."""
        if not certificates.uses_tls(server_url):
            return None
        return certificates.fetch(server_url, ca_cert=ca_cert)

    def enrol(self, server_url: str, code: str, *, ca_cert: Path | None = None,
              certificate: ServerCertificate | None = None,
              connect: ClientFactory | None = None, device_name: str | None = None
              ) -> Enrolment:
        """Trade the admin's one-time code for this device's credentials, and adopt the
        server's identity (user, teams) for the dossiers written here so far. The device is
        known to the server and its colleagues by ``device_name`` (default: the computer's
        name). ``ca_cert`` (the
        server's authority) and ``certificate`` (the one a person confirmed; pinned unless the
        authorities vouch for it) are remembered for later syncs; ``connect`` replaces this
        service's own for this call. Waits for an exchange under way (SyncBusy: in another
        process)."""
        if self._setting(capture.DEMO_SETTING) is not None:
            raise DemoStore()
        pinned = certificate.pem if certificate is not None and not certificate.trusted else ""
        factory = connect or self._connect or certificates.client_factory(
            ca_cert=ca_cert, pinned_pem=pinned)
        with self.exchange.held():
            client = factory(server_url)
            try:
                answer = client.enrol(code.strip(), self.device.device,
                                      device_name or platform.node() or "poste")
            finally:
                client.close()
            with self._engine.begin() as conn:
                adopt(conn, answer)
                set_setting(conn, _SERVER_URL, server_url)
                set_setting(conn, _DEVICE_SECRET, answer.device_secret)
                set_setting(conn, _CA_CERT, str(ca_cert) if ca_cert is not None else "")
                set_setting(conn, _PINNED, pinned)
                set_setting(conn, _ENROLLED, str(self._now_ms()))
                remember_teams(conn, answer.teams)
        return Enrolment(answer.user.email, tuple(t.name for t in answer.teams))

    def trust_certificate(self, certificate: ServerCertificate) -> None:
        """A person confirmed the server's new certificate (after :class:`CertificateChanged`):
        pin it instead of the old one (or drop the pin if the authorities now vouch for it)."""
        with self._engine.begin() as conn:
            set_setting(conn, _PINNED, "" if certificate.trusted else certificate.pem)

    def _client(self, url: str) -> SyncClient:
        if self._connect is not None:
            return self._connect(url)
        ca_cert = self._setting(_CA_CERT)
        return certificates.client_factory(ca_cert=Path(ca_cert) if ca_cert else None,
                                           pinned_pem=self._setting(_PINNED))(url)

    def _explain_tls(self, url: str, error: TlsError) -> TlsError:
        """A refused handshake with a pinned certificate: say so if the server now presents
        another certificate (possible interception)."""
        pinned = self._setting(_PINNED)
        if self._connect is not None or not pinned or isinstance(error, CertificateChanged):
            return error
        try:
            presented = certificates.fetch(url)
        except SyncError:
            return error
        expected = certificates.fingerprint_of_pem(pinned)
        if presented.sha256 != expected:
            return CertificateChanged(expected, presented)
        return error

    def server_url(self) -> str | None:
        """The server address remembered at enrolment (None before)."""
        return self._setting(_SERVER_URL)

    def set_server(self, server_url: str) -> None:
        """Change the server address (a moved server); the credentials stay the same."""
        with self._engine.begin() as conn:
            set_setting(conn, _SERVER_URL, server_url)

    @contextmanager
    def authenticated(self, cancelled: Callable[[], bool] = lambda: False,
                      waiting: Callable[[bool], None] | None = None
                      ) -> Iterator[tuple[SyncClient, str]]:
        """A client of the enrolment's server and an access token (for the sync itself and for
        other calls such as a dossier's move); closed after the block, which holds the store's
        exchange lock (waiting for it until ``cancelled``; ``waiting``: see `ExchangeLock.held`).
        A revoked device is wiped and a refused pinned certificate explained. Raises DemoStore,
        NotEnrolled, SyncCancelled, SyncBusy or another :class:`SyncError`. Blocking (network)."""
        with self.exchange.held(cancelled, waiting):
            url, secret = self._setting(_SERVER_URL), self._setting(_DEVICE_SECRET)
            if self._setting(capture.DEMO_SETTING) is not None:
                raise DemoStore()
            if url is None or secret is None:
                raise NotEnrolled()
            client = self._client(url)
            try:
                yield client, client.token(self.device.device, secret).access_token
            except DeviceRevoked:
                self.wipe()
                raise
            except TlsError as error:
                explained = self._explain_tls(url, error)
                if explained is error:
                    raise
                raise explained from error
            finally:
                client.close()

    # -- sync -----------------------------------------------------------------------------
    def sync(self, *, confirm_mass_change: bool = False, progress: Progress | None = None,
             cancelled: Callable[[], bool] = lambda: False, page_size: int | None = None,
             waiting: Callable[[bool], None] | None = None) -> SyncReport:
        """Push everything waiting and pull everything new (``page_size`` ops per team and
        request; the protocol's default when None), after any exchange of this store under way
        in another thread (``waiting`` is told True before waiting for it, False once over; see
        :mod:`.sync_lock`). Raises a :class:`SyncError` (network, TLS, auth, revoked,
        SyncCancelled, SyncBusy...) with a French message; nothing is lost on failure."""
        report = SyncReport()
        # One thread asks for the next page while this one applies the current page.
        with (self.authenticated(cancelled, waiting) as (client, token),
              ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-pull") as pool):
            ahead: _PullAhead | None = None
            for _round in range(_MAX_ROUNDS):
                if cancelled():
                    raise SyncCancelled()
                more, ahead = self._exchange(client, token, report, confirm_mass_change,
                                             page_size or DEFAULT_PAGE, pool, ahead)
                if progress is not None:
                    progress(report.received, report.received + more)
                if not more and not self.device.pending_count():
                    break
            with self._engine.begin() as conn:  # still holding the store's exchange lock
                set_setting(conn, _LAST_SUCCESS, str(self._now_ms()))
                remember_teams(conn, report.teams)
                report.remote_edits = resolve(conn, report.remote_ops)
        return report

    def _exchange(self, client: SyncClient, token: str, report: SyncReport, confirm: bool,
                  page_size: int, pool: ThreadPoolExecutor, ahead: _PullAhead | None
                  ) -> tuple[int, _PullAhead | None]:
        """One request (or the answer to the one sent ahead, when it asked from exactly where
        this device now stands); returns how many ops are still to fetch (0 when up to date)
        and the request sent ahead for the next page, if any."""
        cursors = self.device.cursors()
        if ahead is not None and ahead.cursors == cursors:
            response = ahead.response.result()  # its pushes wait for the next round
        else:
            if ahead is not None:
                ahead.response.exception()  # stale: let it finish, one request at a time
            changesets: list[Changeset] = []
            size = 0
            for changeset in self.device.changesets():  # keep requests well under the body cap
                if changesets and size + len(changeset.ops) > _MAX_OPS_PER_REQUEST:
                    break
                changesets.append(changeset)
                size += len(changeset.ops)
            request = SyncRequest(changesets=changesets, cursors=cursors, page_size=page_size)
            try:
                response = client.sync(token, request)
            except SequenceGap as gap:
                self.device.renumber(gap.expected)
                return 1, None
        next_ahead = None
        if any(page.more for page in response.pages):
            after = {**cursors, **{page.scope: page.cursor for page in response.pages}}
            next_ahead = _PullAhead(after, pool.submit(
                client.sync, token, SyncRequest(cursors=after, page_size=page_size)))
        report.requests += 1
        self.device.acknowledge(response.receipts)
        report.sent += sum(r.accepted for r in response.receipts)
        report.rejected += sum(len(r.rejected) for r in response.receipts)
        report.teams = list(response.teams)
        if response.devices:  # before the pages: a mass-change stop names the device
            with self._engine.begin() as conn:
                remember_device_names(conn, response.devices)
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
                with self._engine.connect() as conn:
                    raise refusal(conn, refused) from None
            report.received += result.applied
            report.remote_ops += [RemoteOp(op.e, op.r, op.f, op.a) for op in page.ops
                                  if op.d != self.device.device and watched(op.e, op.f)]
            report.conflicts += result.conflicts_opened
            if page.more:
                remaining += max(1, page.head - page.cursor)
        report.teams_removed += drop_lost_teams(self._engine, {t.id for t in response.teams})
        return remaining, next_ahead

    def wipe(self) -> None:
        """Erase this device's store, its key slots and its backups (revoked device); waits
        for an exchange under way."""
        with self.exchange.held():
            self._engine.dispose()
            path = self._store_path
            for leftover in (path, files.keys_path(path), *files.sidecars(path)):
                leftover.unlink(missing_ok=True)
            shutil.rmtree(files.backup_dir_for(path), ignore_errors=True)
            self.exchange.forget_file()

    # -- status ---------------------------------------------------------------------------
    def status(self) -> SyncStatus:
        """What the status bar shows. Blocking (store read): background lane."""
        ca_cert, pinned = self._setting(_CA_CERT), self._setting(_PINNED)
        enrolled = self._setting(_ENROLLED)
        return SyncStatus(self.is_enrolled(), self.last_success_ms(), self.pending(),
                          Path(ca_cert) if ca_cert else None,
                          certificates.fingerprint_of_pem(pinned) if pinned else None,
                          int(enrolled) if enrolled else None)

    def last_success_ms(self) -> int | None:
        value = self._setting(_LAST_SUCCESS)
        return None if value is None else int(value)

    def pending(self) -> int:
        return self.device.pending_count()

    def _setting(self, key: str) -> str | None:
        with self._engine.connect() as conn:
            return get_setting(conn, key)


def sync_service(workspace: Workspace, connect: ClientFactory | None = None) -> SyncService:
    """The sync service of an open workspace (``connect``: see :class:`SyncService`)."""
    device = workspace.actor.device_id
    if device is None:
        raise NotEnrolled()
    return SyncService(workspace.opened.engine, workspace.path, device, connect,
                       exchange=workspace.sync_lock)


def confirm_fingerprint(certificate: ServerCertificate, typed: str | None) -> None:
    """Accept ``certificate`` if ``typed`` is its fingerprint; raises UnconfirmedCertificate."""
    certificates.confirm(certificate, typed)


def normalise_fingerprint(typed: str) -> str | None:
    """A fingerprint as pasted, in the "AB:CD:..." form; None if it is not one."""
    return certificates.normalise(typed)


def default_connect(ca_cert: Path | None = None) -> ClientFactory:
    """Clients trusting the system's authorities plus ``ca_cert``."""
    return certificates.client_factory(ca_cert=ca_cert)
