"""What the sync panel looks like: its line of labels and buttons, and how a state is drawn on
it from plain values (the panel, ui/sync_panel.py, decides the state and wires the buttons).
Thread: GUI only.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from mediadesk.i18n import _
from mediadesk.services.sync import SyncStatus
from mediadesk.ui.sync_dialogs import ElidedLabel
from mediadesk.ui.sync_texts import (
    SyncState,
    last_sync_text,
    pending_text,
    state_text,
    waiting_text,
)

# Detail in colour: something is wrong. A sync put off (BUSY) is a plain notice.
_COLOURS = {SyncState.OFFLINE: "#a15c00", SyncState.ERROR: "#b00020"}


class SyncStatusLine(QWidget):
    """The state in bold, a detail (an error's message, a notice, the progress), the progress
    bar and a cancel button while a sync runs, the button to confirm a changed certificate, the
    reminder, the last success, what waits to be sent and the button to sync (or enrol)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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

    def draw(self, state: SyncState, status: SyncStatus | None, error: str, *, stopping: bool,
             can_sync: bool, certificate_changed: bool, reminder: str | None) -> None:
        """Show ``state`` (``error``: the message of a failure or of a sync put off), the
        ``status`` last read (None: not yet), whether a cancelled sync is ``stopping``, whether
        a sync ``can`` be asked (a store is open, the window is not locked), whether a changed
        certificate waits for a person, and the ``reminder`` (None: none)."""
        running = state in (SyncState.SYNCING, SyncState.WAITING)
        self.progress.setVisible(state is SyncState.SYNCING)  # a wait has no progress
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running and not stopping)
        self.certificate_button.setVisible(certificate_changed and not running)
        self.sync_button.setEnabled(can_sync and not running)
        enrolled = status is not None and status.enrolled
        self.sync_button.setText(
            _("Synchroniser") if enrolled or status is None else _("Inscrire ce poste…")
        )
        self.state_label.setText(
            _("Arrêt de la synchronisation…") if stopping else state_text(state, status)
        )
        self.detail.setStyleSheet(f"color: {_COLOURS.get(state, 'palette(text)')};")
        notices = {SyncState.WAITING: waiting_text(), SyncState.BUSY: error}
        self.detail.set_full_text(error if state in _COLOURS else notices.get(state, ""))
        self.last_label.setVisible(enrolled)
        self.pending_label.setVisible(enrolled)
        self.reminder.setVisible(False)
        if status is None or not enrolled:
            return
        self.last_label.setText(last_sync_text(status))
        self.pending_label.setText(pending_text(status))
        if reminder is not None:
            self.reminder.setText(reminder)
            self.reminder.setVisible(True)
