"""The password of a protected export (PDF, CSV/XLSX archive), asked twice.

Every export carrying personal data is encrypted with a password the mediator chooses here and
passes to the recipient by another channel (phone, SMS — never in the same e-mail). The rules of
a good enough password live in `mediadesk.services.export_protection.check_export_password`; its
French message is shown inline, under the fields, and the dialog stays open.
Thread: GUI only.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from mediadesk.i18n import _
from mediadesk.services.export_protection import ExportPasswordError, check_export_password
from mediadesk.ui.dialogs import ModalDialog, ok_cancel_buttons


class ExportPasswordDialog(ModalDialog):
    """Two password fields, an explanation and an inline error line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Protéger l'export par un mot de passe"))
        explanation = QLabel(_(
            "Le fichier sera chiffré : il ne pourra être ouvert qu'avec ce mot de passe. "
            "Transmettez le mot de passe au destinataire par un autre moyen que le fichier "
            "(par téléphone par exemple), jamais dans le même courriel."
        ), self)
        explanation.setWordWrap(True)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirmation = QLineEdit(self)
        self.confirmation.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel("", self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        form = QFormLayout()
        form.addRow(_("Mot de passe :"), self.password)
        form.addRow(_("Confirmer le mot de passe :"), self.confirmation)
        self.buttons = ok_cancel_buttons(self, _("Protéger et enregistrer"))
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        self.password.textChanged.connect(self._clear_error)
        self.confirmation.textChanged.connect(self._clear_error)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.password.setFocus()

    def _clear_error(self) -> None:
        self.error.hide()

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _check(self) -> None:
        password = self.password.text()
        try:
            check_export_password(password)
        except ExportPasswordError as error:
            self._show_error(error.message)
            self.password.setFocus()
            return
        if self.confirmation.text() != password:
            self._show_error(_("Les deux mots de passe ne sont pas identiques."))
            self.confirmation.setFocus()
            self.confirmation.selectAll()
            return
        self.accept()

    def chosen(self) -> str:
        return self.password.text()

    @classmethod
    def ask(cls, parent: QWidget | None) -> str | None:
        """The accepted password, or None when cancelled."""
        dialog = cls(parent)
        try:
            return dialog.chosen() if dialog.run() else None
        finally:
            dialog.password.clear()
            dialog.confirmation.clear()
            dialog.deleteLater()


def ask_export_password(parent: QWidget | None) -> str | None:
    """Ask the password protecting an export, twice; None when cancelled. Thread: GUI."""
    return ExportPasswordDialog.ask(parent)
