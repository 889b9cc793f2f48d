"""The dialogs and widgets of sync in the window (ui/sync_panel.py): enrolment, a notice to
read, a label that shortens its text. Thread: GUI only; the enrolment runs on the task runner.

Enrolment has two steps on the parallel lane: the server's certificate is read first and shown
for confirmation (`CertificateDialog`, ui/certificate_dialog.py), and only once a person has
confirmed it is the one-time code sent (with the certificate, pinned when no authority of this
computer vouches for it). A plain ``http://`` address (a test server) has no certificate.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import _
from mediadesk.services.errors import SyncError
from mediadesk.services.sync import Enrolment, ServerCertificate
from mediadesk.ui.certificate_dialog import CertificateDialog
from mediadesk.ui.dialogs import ModalDialog, ok_cancel_buttons
from mediadesk.ui.errors import message_for
from mediadesk.ui.tasks import TaskRunner

ENROL_KEY = "sync-enrol"
Inspect = Callable[[str, Path | None], ServerCertificate | None]
Enrol = Callable[[str, str, Path | None, ServerCertificate | None], Enrolment]


def error_text(error: BaseException) -> str:
    """The French message of a sync failure (the sync errors carry their own)."""
    if isinstance(error, SyncError):
        return str(error)
    return message_for(error)


class EnrolDialog(ModalDialog):
    """Server address, the administrator's one-time code, an optional CA certificate file.
    ``inspect`` reads the server's certificate, ``enrol`` sends the code (both on the parallel
    lane); a failure or a certificate not confirmed is shown in the dialog, which stays open.
    Signal: ``done_enrolment(enrolment)`` just before the dialog closes on success."""

    done_enrolment = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        enrol: Enrol,
        parent: QWidget | None = None,
        *,
        inspect: Inspect = lambda _url, _ca: None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._enrol = enrol
        self._inspect = inspect
        self.setWindowTitle(_("Inscrire ce poste"))
        explanation = QLabel(
            _(
                "Saisissez l'adresse du serveur de synchronisation et le code d'inscription "
                "à usage unique donné par l'administrateur. Si votre structure utilise sa "
                "propre autorité de certification, choisissez son fichier de certificat."
            ),
            self,
        )
        explanation.setWordWrap(True)
        self.server = QLineEdit(self)
        self.server.setPlaceholderText("https://sync.exemple.org")
        self.code = QLineEdit(self)
        self.ca_cert = QLineEdit(self)
        self.ca_cert.setPlaceholderText(_("facultatif"))
        browse = QPushButton(_("Choisir…"), self)
        browse.clicked.connect(self._choose_ca)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_cert)
        ca_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(_("Adresse du serveur :"), self.server)
        form.addRow(_("Code d'inscription :"), self.code)
        form.addRow(_("Certificat de l'autorité :"), ca_row)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.busy = QLabel(self)
        self.busy.hide()
        self.buttons = ok_cancel_buttons(self, _("Inscrire"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def _choose_ca(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            _("Certificat de l'autorité"),
            str(Path.home()),
            _("Certificats (*.pem *.crt *.cer);;Tous les fichiers (*)"),
        )
        if name:
            self.ca_cert.setText(name)

    def show_error(self, message: str) -> None:
        self.busy.hide()
        self.buttons.setEnabled(True)
        self.error.setText(message)
        self.error.show()

    def submit(self) -> None:
        """Check the fields, then read the server's certificate in the background."""
        url, code = self.server.text().strip(), self.code.text().strip()
        ca_text = self.ca_cert.text().strip()
        ca_cert = Path(ca_text) if ca_text else None
        if not url.startswith(("https://", "http://")):
            self.show_error(_("Indiquez l'adresse complète du serveur, qui commence par https://"))
            return
        if not code:
            self.show_error(_("Saisissez le code d'inscription donné par l'administrateur."))
            return
        if ca_cert is not None and not ca_cert.is_file():
            self.show_error(_("Fichier de certificat introuvable : {path}").format(path=ca_cert))
            return
        self._set_busy(_("Lecture du certificat du serveur…"))
        inspect = self._inspect
        self._runner.submit(
            ENROL_KEY,
            lambda _s: inspect(url, ca_cert),
            on_done=lambda certificate: self._confirm(url, code, ca_cert, certificate),
            on_error=lambda e: self.show_error(error_text(e)),
        )

    def _set_busy(self, text: str) -> None:
        self.error.hide()
        self.busy.setText(text)
        self.busy.show()
        self.buttons.setEnabled(False)

    def _confirm(self, url: str, code: str, ca_cert: Path | None,
                 certificate: ServerCertificate | None) -> None:
        """Ask a person to confirm the certificate read, then send the code."""
        if certificate is not None and not CertificateDialog.ask(self, certificate):
            self.show_error(_("Inscription annulée : le certificat du serveur n'a pas été "
                              "confirmé. Vérifiez son empreinte avec l'administrateur."))
            return
        self._set_busy(_("Inscription en cours…"))
        enrol = self._enrol

        def done(enrolment: Enrolment) -> None:
            self.busy.hide()
            self.accept()
            self.done_enrolment.emit(enrolment)

        self._runner.submit(
            ENROL_KEY,
            lambda _s: enrol(url, code, ca_cert, certificate),
            on_done=done,
            on_error=lambda e: self.show_error(error_text(e)),
        )


class NoticeDialog(ModalDialog):
    """A message to read, with one button; shown without waiting (``notify``)."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = QLabel(text, self)
        self.text.setWordWrap(True)
        ok = QPushButton(_("J'ai compris"), self)
        ok.setDefault(True)
        ok.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(ok)
        self.setMinimumWidth(460)

    @classmethod
    def notify(cls, parent: QWidget | None, title: str, text: str) -> NoticeDialog:
        dialog = cls(title, text, parent)
        dialog.finished.connect(dialog.deleteLater)
        dialog.show_modal()
        return dialog


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" to the room it has; the whole text
    is its tooltip and :meth:`full_text`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(120)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        self.setText(
            self.fontMetrics().elidedText(
                self._full, Qt.TextElideMode.ElideRight, max(self.width(), 0)
            )
        )
