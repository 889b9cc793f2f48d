"""Confirming the sync server's certificate: at enrolment (first contact), or when it changed.

Shows what :func:`mediadesk.sync.certificates.fetch` read: the SHA-256 fingerprint to compare
with the one the administrator gives (``mediadesk-server fingerprint``), who the certificate
was issued to and by, its validity, and whether this computer's authorities vouch for it (if
not, confirming pins it: this computer will accept that certificate and no other). A field
takes the administrator's fingerprint and compares it; a different one blocks the confirmation.
Thread: GUI only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from mediadesk.i18n import _, format_moment
from mediadesk.services.sync import ServerCertificate, normalise_fingerprint
from mediadesk.ui.dialogs import ModalDialog, ok_cancel_buttons

WARNING_COLOUR = "#b00020"
GOOD_COLOUR = "#1b7f3b"


def split_fingerprint(sha256: str) -> str:
    """The fingerprint on two lines of 16 pairs, easier to compare by eye."""
    pairs = sha256.split(":")
    return ":".join(pairs[:16]) + "\n" + ":".join(pairs[16:])


class CertificateDialog(ModalDialog):
    """Shows ``certificate`` and asks whether it is the server's. ``changed``: it replaces a
    certificate confirmed before (the warning says why that matters)."""

    def __init__(self, certificate: ServerCertificate, *, changed: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.certificate = certificate
        self.setWindowTitle(_("Nouveau certificat du serveur") if changed
                            else _("Vérifier le certificat du serveur"))
        if changed:
            intro = _("Le serveur présente un autre certificat que celui confirmé à "
                      "l'inscription. Ne le confirmez que si l'administrateur vous a annoncé "
                      "ce changement et vous a donné cette empreinte : sinon, quelqu'un "
                      "pourrait intercepter les échanges.")
        else:
            intro = _("Avant d'envoyer le code d'inscription, vérifiez que ce poste parle bien "
                      "au serveur de votre structure : l'empreinte ci-dessous doit être "
                      "identique à celle donnée par l'administrateur.")
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        if changed:
            self.intro.setStyleSheet(f"color: {WARNING_COLOUR}; font-weight: bold;")
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.fingerprint = QLabel(split_fingerprint(certificate.sha256), self)
        self.fingerprint.setFont(fixed)
        self.fingerprint.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint.setAccessibleName(_("Empreinte SHA-256"))
        self.subject = QLabel(certificate.subject, self)
        self.issuer = QLabel(_("lui-même (certificat auto-signé)") if certificate.self_signed
                             else certificate.issuer, self)
        self.validity = QLabel(_("du {start} au {end}").format(
            start=format_moment(certificate.not_before),
            end=format_moment(certificate.not_after)), self)
        if certificate.trusted:
            trust = _("Reconnu par les autorités de certification de ce poste.")
        else:
            trust = _("Non reconnu par ce poste (autorité propre à votre structure ou "
                      "certificat auto-signé). Si vous le confirmez, ce poste n'acceptera "
                      "plus que ce certificat-là pour ce serveur.")
        self.trust = QLabel(trust, self)
        self.trust.setWordWrap(True)
        for label in (self.subject, self.issuer):
            label.setWordWrap(True)
        self.expected = QLineEdit(self)
        self.expected.setPlaceholderText(_("collez ici l'empreinte donnée par l'administrateur"))
        self.expected.setAccessibleName(_("Empreinte donnée par l'administrateur"))
        self.comparison = QLabel(self)
        self.comparison.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Serveur :"), QLabel(certificate.url, self))
        form.addRow(_("Empreinte SHA-256 :"), self.fingerprint)
        form.addRow(_("Délivré à :"), self.subject)
        form.addRow(_("Délivré par :"), self.issuer)
        form.addRow(_("Valide :"), self.validity)
        form.addRow(_("Confiance :"), self.trust)
        form.addRow(_("Empreinte attendue :"), self.expected)
        form.addRow("", self.comparison)
        self.buttons = ok_cancel_buttons(self, _("C'est le bon certificat"))
        self.confirm_button = self.buttons.buttons()[0]
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.expected.textChanged.connect(self._compare)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)
        self._compare("")

    def _compare(self, typed: str) -> None:
        """Compare the fingerprint pasted with the one presented; a difference blocks."""
        if not typed.strip():
            self.comparison.setText("")
            self.confirm_button.setEnabled(True)
            return
        wanted = normalise_fingerprint(typed)
        if wanted is None:
            text, colour, ok = _("Ce n'est pas une empreinte SHA-256 complète."), \
                WARNING_COLOUR, False
        elif wanted == self.certificate.sha256:
            text, colour, ok = _("✓ Empreintes identiques."), GOOD_COLOUR, True
        else:
            text, colour, ok = _("✗ Empreintes différentes : ne confirmez pas, prévenez "
                                 "l'administrateur."), WARNING_COLOUR, False
        self.comparison.setText(text)
        self.comparison.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.confirm_button.setEnabled(ok)

    @classmethod
    def ask(cls, parent: QWidget | None, certificate: ServerCertificate, *,
            changed: bool = False) -> bool:
        """Whether the person confirmed ``certificate`` (tests monkeypatch this)."""
        dialog = cls(certificate, changed=changed, parent=parent)
        try:
            return dialog.run()
        finally:
            dialog.deleteLater()
