"""The unlock screen: at start-up when a store exists, and over the main content when locked.

The page collects the passphrase; the shell verifies it off the GUI thread and answers with
`show_error` (field kept focused and selected) or by switching screens.
Thread: GUI only.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import _
from mediadesk.ui.widgets import BusyBar, ErrorLabel, heading, muted

TOP_MARGIN = 96
PAGE_WIDTH = 480


class UnlockPage(QWidget):
    """Signals: ``unlock_requested(passphrase)``, ``other_file_requested()``."""

    unlock_requested = Signal(str)
    other_file_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading(_("Déverrouiller MediaDesk"), parent=self)
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(_("Votre phrase de passe"))
        self.passphrase.setAccessibleName(_("Phrase de passe"))
        self.unlock = QPushButton(_("Déverrouiller"), self)
        self.unlock.setDefault(True)
        self.busy = BusyBar(self)
        self.status = muted(parent=self)
        self.error = ErrorLabel(self)
        self.location = muted(parent=self)
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.other_file = QPushButton(_("Ouvrir un autre fichier…"), self)
        self.other_file.setFlat(True)

        row = QHBoxLayout()
        row.addWidget(self.passphrase, 1)
        row.addWidget(self.unlock)
        card = QWidget(self)
        card.setMaximumWidth(PAGE_WIDTH)
        layout = QVBoxLayout(card)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        layout.addSpacing(8)
        layout.addWidget(QLabel(_("Phrase de passe :"), card))
        layout.addLayout(row)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addSpacing(16)
        layout.addWidget(self.location)
        layout.addWidget(self.other_file, 0, Qt.AlignmentFlag.AlignLeft)
        # Anchored near the top: messages appearing below do not make the page jump.
        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, TOP_MARGIN, 24, 24)
        outer.addStretch(1)
        outer.addWidget(card, 3, Qt.AlignmentFlag.AlignTop)
        outer.addStretch(1)

        self.unlock.clicked.connect(self._request)
        self.passphrase.returnPressed.connect(self._request)
        self.passphrase.textChanged.connect(self._text_changed)
        self.other_file.clicked.connect(self.other_file_requested)
        self.prepare(Path(), relock=False)

    def prepare(self, store_path: Path, *, relock: bool) -> None:
        """Reset the page for a start-up unlock or for a lock of an open session."""
        if relock:
            self.title.setText(_("MediaDesk est verrouillé"))
            text = _("Votre travail est conservé tel quel. Saisissez votre phrase de passe "
                     "pour le retrouver.")
        else:
            self.title.setText(_("Déverrouiller MediaDesk"))
            text = _("Saisissez votre phrase de passe pour ouvrir les dossiers chiffrés.")
        self.explanation.setText(text)
        self.location.setText(_("Fichier : {path}").format(path=store_path))
        self.other_file.setVisible(not relock)
        self.passphrase.clear()
        self.error.clear_message()
        self.set_busy(False)

    def focus_passphrase(self) -> None:
        self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)

    def _text_changed(self, text: str) -> None:
        self.unlock.setEnabled(bool(text) and not self.busy.isVisible())

    def _request(self) -> None:
        if self.passphrase.text() and not self.busy.isVisible():
            self.unlock_requested.emit(self.passphrase.text())

    def set_busy(self, busy: bool) -> None:
        """While the passphrase is checked (key derivation takes a second or two)."""
        self.busy.setVisible(busy)
        self.status.setText(_("Vérification de la phrase de passe…") if busy else "")
        self.status.setVisible(busy)
        self.passphrase.setReadOnly(busy)
        self.other_file.setEnabled(not busy)
        self.unlock.setEnabled(not busy and bool(self.passphrase.text()))
        if busy:
            self.error.clear_message()

    def show_error(self, message: str) -> None:
        """Show ``message`` inline; keep the field focused with its text selected."""
        self.set_busy(False)
        self.error.show_message(message)
        self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)
        self.passphrase.selectAll()
