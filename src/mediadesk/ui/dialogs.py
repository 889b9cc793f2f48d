"""Modal dialogs that survive the idle lock, and the auto-lock settings dialog.

`QDialog.exec()` ends as soon as its dialog is hidden, which would throw away what was typed when
the shell hides open dialogs behind the lock screen. `ModalDialog.run()` waits on its own event
loop for `finished` instead: hiding and showing the dialog again keeps it open with its contents.
Thread: GUI only.
"""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import _


class ModalDialog(QDialog):
    """Base of MediaDesk's dialogs. Subclasses expose a classmethod ``ask(...)``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self._answered = False
        self.finished.connect(self._set_answered)

    def _set_answered(self, _result: int) -> None:
        self._answered = True

    def show_modal(self) -> None:
        """Show without waiting (tests drive the dialog from here)."""
        self.show()
        self.raise_()
        self.activateWindow()

    def is_waiting(self) -> bool:
        """Whether the dialog still waits for an answer (it may be hidden by a lock)."""
        return not self._answered

    def abandon(self) -> None:
        """Close without asking anything (the application is closing)."""
        self.done(QDialog.DialogCode.Rejected.value)

    def run(self) -> bool:
        """Show and wait until accepted (True) or rejected (False); hiding does not end it."""
        loop = QEventLoop(self)
        self.finished.connect(loop.quit)
        self.show_modal()
        loop.exec()
        return self.result() == QDialog.DialogCode.Accepted.value


def ok_cancel_buttons(parent: QWidget, ok_text: str) -> QDialogButtonBox:
    """Buttons with French texts (Qt's own catalog may not be installed)."""
    buttons = QDialogButtonBox(parent)
    ok = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setDefault(True)
    buttons.addButton(_("Annuler"), QDialogButtonBox.ButtonRole.RejectRole)
    return buttons


class AutoLockDialog(ModalDialog):
    """Chooses after how many idle minutes MediaDesk locks itself."""

    def __init__(self, minutes: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Verrouillage automatique"))
        self.minutes = QSpinBox(self)
        self.minutes.setRange(1, 240)
        self.minutes.setValue(minutes)
        self.minutes.setSuffix(_(" min"))
        explanation = QLabel(_(
            "Sans activité au clavier ni à la souris pendant ce temps, MediaDesk se verrouille "
            "et demande la phrase de passe. Votre travail en cours est conservé."
        ), self)
        explanation.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Verrouiller après :"), self.minutes)
        buttons = ok_cancel_buttons(self, _("Enregistrer"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)

    @classmethod
    def ask(cls, parent: QWidget | None, minutes: int) -> int | None:
        """The chosen number of minutes, or None when cancelled."""
        dialog = cls(minutes, parent)
        try:
            return dialog.minutes.value() if dialog.run() else None
        finally:
            dialog.deleteLater()


class ConfirmDialog(ModalDialog):
    """Asks to confirm an action that cannot be undone; Enter confirms, Escape cancels."""

    def __init__(self, title: str, text: str, ok_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        explanation = QLabel(text, self)
        explanation.setWordWrap(True)
        self.buttons = ok_cancel_buttons(self, ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, text: str, ok_text: str) -> bool:
        """True when confirmed."""
        dialog = cls(title, text, ok_text, parent)
        try:
            return dialog.run()
        finally:
            dialog.deleteLater()
