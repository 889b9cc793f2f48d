"""Sync in the window: the status line at the bottom, background syncs, enrolment.

`SyncPanel` sits in a line of its own above the status bar (the shell's ``sync_bar``). It shows
the last *successful* sync (a failed one never changes it), how many changes wait to be sent,
and the state: offline, waiting for a move or another sync of this store to end, syncing
(progress, a cancel button), put off because another process syncs the store (tried again
soon), or an error with the service's French message, plus a reminder when the last success
is older than `REMINDER_DAYS`. It syncs on demand (button, Ctrl+Maj+S) and by itself
(ui/sync_schedule.py); never two syncs at once. Syncs run on the parallel lane, so saving
goes on meanwhile. Failures only change the status, except a revoked device (``revoked``
signal: the shell goes back to the first start) and a refused mass change (the person is asked
to confirm: ui/mass_change_question.py). `EnrolDialog` (ui/sync_dialogs.py) trades the
administrator's one-time code for this device's credentials. Thread: GUI only; the work runs
on the task runner.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from mediadesk.i18n import _
from mediadesk.services.errors import DeviceRevoked, NetworkError, SyncError
from mediadesk.services.sync import (
    CertificateChanged,
    ClientFactory,
    Enrolment,
    MassChangeRefused,
    ServerCertificate,
    SyncBusy,
    SyncCancelled,
    SyncReport,
    SyncService,
    SyncStatus,
    sync_service,
)
from mediadesk.ui.certificate_dialog import CertificateDialog
from mediadesk.ui.errors import log_unexpected
from mediadesk.ui.mass_change_question import MassChangeQuestion
from mediadesk.ui.sync_dialogs import EnrolDialog, error_text
from mediadesk.ui.sync_schedule import AFTER_EDIT_MS, BUSY_RETRY_MS, PERIOD_MS, SyncSchedule
from mediadesk.ui.sync_status_line import SyncStatusLine
from mediadesk.ui.sync_texts import (
    DAY_MS,
    SyncState,
    busy_text,
    reminder_text,
    revoked_text,
    summary,
)
from mediadesk.ui.tasks import Lane, TaskRunner, TaskState

if TYPE_CHECKING:
    from mediadesk.services.workspace import Workspace

log = logging.getLogger(__name__)
SYNC_KEY = "sync"
STATUS_KEY = "sync-status"
START_DELAY_MS = 1_000
REMINDER_DAYS = 3


class SyncPanel(SyncStatusLine):
    """The sync status area (its look: `SyncStatusLine`). Signals: ``synced(report)`` after a
    successful sync, ``revoked(message)`` once the service has wiped this revoked device's store,
    ``enrolled(enrolment)`` after a successful enrolment (the workspace must be reopened),
    ``status_message(text)`` for a short summary in the status bar, ``remote_edits(edits)``
    after a sync that received changes from others to interview answers or household fields
    (`RemoteEdit` list, for the open editors: they flag a field being typed in).

    ``connect`` builds the HTTP client for a server address (tests: an in-process server);
    by default what was remembered at enrolment: the pinned certificate, or the system's
    authorities plus the CA certificate file chosen then. A pinned certificate that changed
    stops the syncs until a person confirms the new one (``certificate_button``).
    """

    synced = Signal(object)
    remote_edits = Signal(list)
    revoked = Signal(str)
    enrolled = Signal(object)
    status_message = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        connect: ClientFactory | None = None,
        now_ms: Callable[[], int] | None = None,
        period_ms: int = PERIOD_MS,
        after_edit_ms: int = AFTER_EDIT_MS,
        busy_retry_ms: int = BUSY_RETRY_MS,
        start_delay_ms: int = START_DELAY_MS,
        reminder_days: int = REMINDER_DAYS,
        page_size: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._connect = connect
        self._now_ms = now_ms or (lambda: int(time.time() * 1000))
        self._reminder_ms = reminder_days * DAY_MS
        self._page_size = page_size
        self._service: SyncService | None = None
        self._status: SyncStatus | None = None
        self._cancel: threading.Event | None = None
        self._error = ""
        self.state = SyncState.NOT_ENROLLED
        self.enrol_dialog: EnrolDialog | None = None
        self.mass_change = MassChangeQuestion(self)
        self.mass_change.confirmed.connect(lambda: self.sync_now(confirm_mass_change=True))
        self._locked = False

        self._changed_certificate: ServerCertificate | None = None
        self.sync_button.clicked.connect(self.sync_now)
        self.cancel_button.clicked.connect(self.cancel_sync)
        self.certificate_button.clicked.connect(self.review_certificate)

        self.schedule = SyncSchedule(self, period_ms=period_ms, after_edit_ms=after_edit_ms,
                                     busy_retry_ms=busy_retry_ms)
        self.schedule.due.connect(self._auto_sync)
        self.start_delay_ms = start_delay_ms  # after unlocking (tests change it)
        self._show()

    # --- the open workspace ---------------------------------------------------------------

    def start(self, workspace: Workspace) -> None:
        """A workspace was unlocked: read its status, then sync soon if enrolled."""
        self._service = sync_service(workspace, self._connect)  # None: trust as remembered
        self._status = None
        self.state = SyncState.NOT_ENROLLED
        self._show()
        self.refresh_status(then_sync=True)

    def stop(self) -> None:
        """The workspace is closing or being replaced: no more syncs of it."""
        self.schedule.stop()
        if self._cancel is not None:
            self._cancel.set()
        self._runner.cancel(SYNC_KEY)
        self._runner.cancel(STATUS_KEY)
        self._cancel = None
        self._service = None
        self._status = None
        self.mass_change.forget()
        self._changed_certificate = None
        self.state = SyncState.NOT_ENROLLED
        self._show()

    def set_locked(self, locked: bool) -> None:
        """While the window is locked no question is asked; a pending one waits for unlock."""
        self._locked = locked
        self._show()
        self.mass_change.set_locked(locked)

    def is_syncing(self) -> bool:
        return self._cancel is not None

    def status(self) -> SyncStatus | None:
        return self._status

    def refresh_status(self, *, then_sync: bool = False) -> None:
        """Read the status again (e.g. the count waiting after an edit), on a background lane."""
        service = self._service
        if service is None:
            return

        def done(status: SyncStatus) -> None:
            self._status = status
            if not status.enrolled:
                self.state = SyncState.NOT_ENROLLED
            elif self.state is SyncState.NOT_ENROLLED:
                self.state = SyncState.IDLE
            self._show()
            if status.enrolled:
                self.schedule.enrolled()
                if then_sync:
                    self.schedule.soon(self.start_delay_ms)

        self._runner.submit(
            STATUS_KEY, lambda _s: service.status(), on_done=done, on_error=self._status_failed
        )

    def _status_failed(self, error: BaseException) -> None:
        log_unexpected(error, "reading the sync status failed")

    def note_edit(self) -> None:
        """Something was saved: count what waits again and sync a little later."""
        self.refresh_status()
        if self._status is not None and self._status.enrolled:
            self.schedule.edited()

    # --- syncing --------------------------------------------------------------------------

    def _auto_sync(self) -> None:
        if self.mass_change.unanswered():
            return  # a person has to answer first
        if self._service is not None and self._status is not None and self._status.enrolled:
            self.sync_now(automatic=True)

    def sync_now(self, *, confirm_mass_change: bool = False, automatic: bool = False) -> bool:
        """Start a sync on the parallel lane; whether one was started (never two at once).
        Not enrolled yet: a manual request opens the enrolment dialog instead."""
        service = self._service
        if service is None or self.is_syncing():
            return False
        if self._status is not None and not self._status.enrolled:
            if not automatic:
                self.open_enrolment()
            return False
        flag = threading.Event()
        self._cancel = flag
        self.schedule.started()
        self.state = SyncState.SYNCING
        self.progress.setRange(0, 0)
        self._show()

        page_size = self._page_size

        def work(state: TaskState) -> SyncReport:
            return service.sync(
                confirm_mass_change=confirm_mass_change,
                progress=state.progress,
                cancelled=lambda: flag.is_set() or state.cancelled(),
                page_size=page_size,
                waiting=state.notify,  # True: waits for the store's exchange lock; False: runs
            )

        self._runner.submit(
            SYNC_KEY,
            work,
            lane=Lane.PARALLEL,
            on_done=self._sync_done,
            on_error=self._sync_failed,
            on_progress=self._sync_progress,
            on_notice=self._sync_waiting,
        )
        return True

    def cancel_sync(self) -> None:
        """Ask the running sync to stop after its current request (it resumes next time)."""
        if self._cancel is not None:
            self._cancel.set()
            self.state_label.setText(_("Arrêt de la synchronisation…"))
            self.cancel_button.setEnabled(False)

    def _sync_waiting(self, waits: object) -> None:
        """The sync waits for a move or another sync of this store (True), or its turn came."""
        self.state = SyncState.WAITING if waits else SyncState.SYNCING
        self.progress.setRange(0, 0)
        self._show()

    def _sync_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
            self.detail.set_full_text(
                _("{done} sur {total} modifications reçues").format(done=done, total=total)
            )

    def _sync_done(self, report: SyncReport) -> None:
        self._cancel = None
        self.state = SyncState.IDLE
        self._error = ""
        self._changed_certificate = None
        self.status_message.emit(summary(report))
        self.refresh_status()
        self._show()
        self.synced.emit(report)
        if report.remote_edits:
            self.remote_edits.emit(list(report.remote_edits))

    def _sync_failed(self, error: BaseException) -> None:
        self._cancel = None
        if isinstance(error, DeviceRevoked):
            self.stop()
            self.revoked.emit(revoked_text())
            return
        if isinstance(error, MassChangeRefused):
            self.state, self._error = SyncState.ERROR, str(error)
            self._show()
            self.mass_change.ask(error)
            return
        if isinstance(error, CertificateChanged):
            self._changed_certificate = error.presented
        if isinstance(error, SyncCancelled):
            self.state, self._error = SyncState.IDLE, ""
            self.status_message.emit(str(error))
        elif isinstance(error, NetworkError):
            self.state, self._error = SyncState.OFFLINE, str(error)
        elif isinstance(error, SyncBusy):  # another process syncs: not alarming, tried soon
            self.state, self._error = SyncState.BUSY, busy_text()
            self.schedule.busy()
        else:
            if not isinstance(error, SyncError):
                log_unexpected(error, "sync failed")
            self.state, self._error = SyncState.ERROR, error_text(error)
        self.refresh_status()
        self._show()

    def review_certificate(self) -> bool:
        """Show the server's new certificate; once a person confirms it, pin it and sync.
        Whether it was confirmed."""
        certificate, service = self._changed_certificate, self._service
        if certificate is None or service is None:
            return False
        if not CertificateDialog.ask(self.window(), certificate, changed=True):
            return False
        self._changed_certificate = None
        self._show()
        self._runner.submit(
            "sync-trust",
            lambda _s: service.trust_certificate(certificate),
            on_done=lambda _none: self._after_trust(),
            on_error=self._sync_failed,
        )
        return True

    def _after_trust(self) -> None:
        self.sync_now()

    # --- enrolment ------------------------------------------------------------------------

    def open_enrolment(self) -> EnrolDialog | None:
        """Show the enrolment dialog (not waiting for it); None without an open workspace."""
        service = self._service
        if service is None:
            return None
        connect = self._connect

        def enrol(url: str, code: str, ca_cert: Path | None,
                  certificate: ServerCertificate | None) -> Enrolment:
            return service.enrol(url, code, ca_cert=ca_cert, certificate=certificate,
                                 connect=connect)

        dialog = EnrolDialog(self._runner, enrol, self.window(),
                             inspect=service.server_certificate)
        dialog.done_enrolment.connect(self._enrolled)
        dialog.finished.connect(dialog.deleteLater)
        self.enrol_dialog = dialog
        dialog.show_modal()
        return dialog

    def _enrolled(self, enrolment: Enrolment) -> None:
        self.enrol_dialog = None
        self.enrolled.emit(enrolment)

    # --- display --------------------------------------------------------------------------

    def _show(self) -> None:
        status = self._status
        self.draw(
            self.state, status, self._error,
            stopping=self._cancel is not None and self._cancel.is_set(),
            can_sync=self._service is not None and not self._locked,
            certificate_changed=self._changed_certificate is not None,
            reminder=None if status is None else reminder_text(
                status, self._now_ms(), self._reminder_ms),
        )


__all__ = ["SyncPanel"]
