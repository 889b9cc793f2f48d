"""Sync in the window: the status line at the bottom, background syncs, enrolment.

`SyncPanel` sits in a line of its own above the status bar (the shell's ``sync_bar``). It shows
the last *successful* sync (a failed one never changes it), how many changes wait to be sent,
and the state: offline, syncing (progress, a cancel button), or an error with the service's
French message, plus a reminder when the last success is older than `REMINDER_DAYS`. It syncs
on demand (button, Ctrl+Maj+S), shortly after unlocking, every `PERIOD_MS` and `AFTER_EDIT_MS`
after an edit; never two syncs at once. Syncs run on the parallel lane, so saving goes on
meanwhile. Failures only change the status, except a revoked device (``revoked`` signal: the
shell goes back to the first start) and a refused mass deletion (the person is asked to
confirm). `EnrolDialog` (ui/sync_dialogs.py) trades the administrator's one-time code for this
device's credentials. Thread: GUI only; the work runs on the task runner.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from mediadesk.i18n import _
from mediadesk.services.errors import DeviceRevoked, NetworkError, SyncError
from mediadesk.services.sync import (
    CertificateChanged,
    ClientFactory,
    Enrolment,
    MassChangeRefused,
    ServerCertificate,
    SyncCancelled,
    SyncReport,
    SyncService,
    SyncStatus,
    sync_service,
)
from mediadesk.ui.certificate_dialog import CertificateDialog
from mediadesk.ui.dialogs import ConfirmDialog
from mediadesk.ui.errors import log_unexpected
from mediadesk.ui.sync_dialogs import ElidedLabel, EnrolDialog, NoticeDialog, error_text
from mediadesk.ui.sync_texts import (
    DAY_MS,
    SyncState,
    last_sync_text,
    pending_text,
    reminder_text,
    revoked_text,
    state_text,
    summary,
)
from mediadesk.ui.tasks import Lane, TaskRunner, TaskState

if TYPE_CHECKING:
    from mediadesk.services.workspace import Workspace

log = logging.getLogger(__name__)
SYNC_KEY = "sync"
STATUS_KEY = "sync-status"
PERIOD_MS = 5 * 60_000
AFTER_EDIT_MS = 30_000
START_DELAY_MS = 1_000
REMINDER_DAYS = 3


class SyncPanel(QWidget):
    """The sync status area. Signals: ``synced(report)`` after a successful sync,
    ``revoked(message)`` once the service has wiped this revoked device's store,
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
        self.confirm_dialog: ConfirmDialog | None = None
        self._locked = False
        self._deferred: MassChangeRefused | None = None  # a question kept for after the lock

        self.state_label = QLabel(self)
        self.state_label.setStyleSheet("font-weight: bold;")
        self.detail = ElidedLabel(self)
        self.last_label = QLabel(self)
        self.pending_label = QLabel(self)
        self.reminder = QLabel(self)
        self.reminder.setStyleSheet("color: #a15c00; font-weight: bold;")
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(120)
        self.progress.setTextVisible(False)
        self.sync_button = QPushButton(_("Synchroniser"), self)
        self.sync_button.setToolTip(_("Synchroniser maintenant (Ctrl+Maj+S)"))
        self.cancel_button = QPushButton(_("Arrêter"), self)
        self.certificate_button = QPushButton(_("Vérifier le nouveau certificat…"), self)
        self.certificate_button.hide()
        self._changed_certificate: ServerCertificate | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        for widget in (
            self.state_label,
            self.detail,
            self.progress,
            self.cancel_button,
            self.certificate_button,
            self.reminder,
            self.last_label,
            self.pending_label,
            self.sync_button,
        ):
            layout.addWidget(widget, 1 if widget is self.detail else 0)
        self.sync_button.clicked.connect(self.sync_now)
        self.cancel_button.clicked.connect(self.cancel_sync)
        self.certificate_button.clicked.connect(self.review_certificate)

        self._period = QTimer(self)
        self._period.setInterval(period_ms)
        self._period.timeout.connect(self._auto_sync)
        self._after_edit = QTimer(self)
        self._after_edit.setSingleShot(True)
        self._after_edit.setInterval(after_edit_ms)
        self._after_edit.timeout.connect(self._auto_sync)
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
        self._period.stop()
        self._after_edit.stop()
        if self._cancel is not None:
            self._cancel.set()
        self._runner.cancel(SYNC_KEY)
        self._runner.cancel(STATUS_KEY)
        self._cancel = None
        self._service = None
        self._status = None
        self._deferred = None
        self._changed_certificate = None
        self.state = SyncState.NOT_ENROLLED
        self._show()

    def set_locked(self, locked: bool) -> None:
        """While the window is locked no question is asked; a pending one waits for unlock."""
        self._locked = locked
        self._show()
        deferred, self._deferred = self._deferred, None
        if not locked and deferred is not None and self._service is not None:
            self._ask_mass_change(deferred)

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
                if not self._period.isActive():
                    self._period.start()
                if then_sync:
                    QTimer.singleShot(self.start_delay_ms, self._auto_sync)

        self._runner.submit(
            STATUS_KEY, lambda _s: service.status(), on_done=done, on_error=self._status_failed
        )

    def _status_failed(self, error: BaseException) -> None:
        log_unexpected(error, "reading the sync status failed")

    def note_edit(self) -> None:
        """Something was saved: count what waits again and sync a little later."""
        self.refresh_status()
        if self._status is not None and self._status.enrolled:
            self._after_edit.start()

    # --- syncing --------------------------------------------------------------------------

    def _auto_sync(self) -> None:
        if self.confirm_dialog is not None or self._deferred is not None:
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
        self._after_edit.stop()
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
            )

        self._runner.submit(
            SYNC_KEY,
            work,
            lane=Lane.PARALLEL,
            on_done=self._sync_done,
            on_error=self._sync_failed,
            on_progress=self._sync_progress,
        )
        return True

    def cancel_sync(self) -> None:
        """Ask the running sync to stop after its current request (it resumes next time)."""
        if self._cancel is not None:
            self._cancel.set()
            self.state_label.setText(_("Arrêt de la synchronisation…"))
            self.cancel_button.setEnabled(False)

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
            self._ask_mass_change(error)
            return
        if isinstance(error, CertificateChanged):
            self._changed_certificate = error.presented
        if isinstance(error, SyncCancelled):
            self.state, self._error = SyncState.IDLE, ""
            self.status_message.emit(str(error))
        elif isinstance(error, NetworkError):
            self.state, self._error = SyncState.OFFLINE, str(error)
        else:
            if not isinstance(error, SyncError):
                log_unexpected(error, "sync failed")
            self.state, self._error = SyncState.ERROR, error_text(error)
        self.refresh_status()
        self._show()

    def _ask_mass_change(self, error: MassChangeRefused) -> None:
        if self._locked:
            self._deferred = error
            return
        if self.confirm_dialog is not None:  # already asked, still waiting for an answer
            return
        if error.overwritten:
            title = _("Modification de nombreux dossiers")
            question = _("{reason}\n\nConfirmez-vous que ces modifications doivent remplacer "
                         "les informations de ce poste ?")
        else:
            title = _("Suppression de nombreux dossiers")
            question = _("{reason}\n\nConfirmez-vous que ces dossiers doivent être retirés "
                         "de ce poste ?")
        dialog = ConfirmDialog(title, question.format(reason=str(error)),
                               _("Confirmer et synchroniser"), self.window())
        dialog.accepted.connect(lambda: self.sync_now(confirm_mass_change=True))
        dialog.finished.connect(self._confirm_closed)
        self.confirm_dialog = dialog
        dialog.show_modal()

    def _confirm_closed(self, _result: int) -> None:
        dialog, self.confirm_dialog = self.confirm_dialog, None
        if dialog is not None:
            dialog.deleteLater()

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
        status, state = self._status, self.state
        syncing = state is SyncState.SYNCING
        self.progress.setVisible(syncing)
        self.cancel_button.setVisible(syncing)
        self.cancel_button.setEnabled(syncing)
        self.certificate_button.setVisible(self._changed_certificate is not None and not syncing)
        self.sync_button.setEnabled(self._service is not None and not syncing and not self._locked)
        enrolled = status is not None and status.enrolled
        self.sync_button.setText(
            _("Synchroniser") if enrolled or status is None else _("Inscrire ce poste…")
        )
        self.state_label.setText(state_text(state, status))
        colours = {SyncState.OFFLINE: "#a15c00", SyncState.ERROR: "#b00020"}
        self.detail.setStyleSheet(f"color: {colours.get(state, 'palette(text)')};")
        self.detail.set_full_text(self._error if state in colours else "")
        self.last_label.setVisible(enrolled)
        self.pending_label.setVisible(enrolled)
        self.reminder.setVisible(False)
        if status is None or not enrolled:
            return
        self.last_label.setText(last_sync_text(status))
        self.pending_label.setText(pending_text(status))
        reminder = reminder_text(status, self._now_ms(), self._reminder_ms)
        if reminder is not None:
            self.reminder.setText(reminder)
            self.reminder.setVisible(True)


__all__ = ["NoticeDialog", "SyncPanel", "SyncState", "summary"]
