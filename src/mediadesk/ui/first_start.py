"""First start: no store yet. Create a new encrypted store (optionally with demo data) or open
an existing file.

The page only collects intent; the shell runs the slow work (key derivation, demo data) through
the task runner and reports back with `set_busy`, `set_progress` and `show_error`.
Thread: GUI only.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QCommandLinkButton,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import _
from mediadesk.services.passphrase import assess
from mediadesk.ui.widgets import BusyBar, ErrorLabel, StrengthMeter, heading, muted

TOP_MARGIN = 96
PAGE_WIDTH = 560


class FirstStartPage(QWidget):
    """Signals: ``create_requested(user_name, passphrase, with_demo)``,
    ``open_requested(path)`` (a `Path` chosen by the person)."""

    create_requested = Signal(str, str, bool)
    open_requested = Signal(object)

    def __init__(self, store_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading(_("Bienvenue dans MediaDesk"), parent=self)
        self.intro = QLabel(_(
            "Les dossiers des foyers sont enregistrés sur cet ordinateur, dans un fichier "
            "chiffré protégé par votre phrase de passe. Aucune connexion n'est nécessaire."
        ), self)
        self.intro.setWordWrap(True)
        self.steps = QStackedWidget(self)
        self.steps.addWidget(self._build_choice())
        self.steps.addWidget(self._build_form(store_path))
        card = QWidget(self)
        card.setMaximumWidth(PAGE_WIDTH)
        card_layout = QVBoxLayout(card)
        card_layout.addWidget(self.title)
        card_layout.addWidget(self.intro)
        card_layout.addSpacing(12)
        card_layout.addWidget(self.steps)
        # Anchored near the top: messages appearing below do not make the page jump.
        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, TOP_MARGIN, 24, 24)
        outer.addStretch(1)
        outer.addWidget(card, 3, Qt.AlignmentFlag.AlignTop)
        outer.addStretch(1)
        self._refresh()

    def _build_choice(self) -> QWidget:
        page = QWidget(self)
        self.create_choice = QCommandLinkButton(
            _("Créer un nouveau dossier chiffré"),
            _("Pour commencer sur cet ordinateur : vous choisirez votre phrase de passe."), page)
        self.open_choice = QCommandLinkButton(
            _("Ouvrir un fichier existant…"),
            _("Un dossier chiffré copié depuis un autre poste ou une sauvegarde."), page)
        self.create_choice.clicked.connect(self.show_form)
        self.open_choice.clicked.connect(self._choose_file)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.create_choice)
        layout.addWidget(self.open_choice)
        layout.addStretch(1)
        return page

    def _build_form(self, store_path: Path) -> QWidget:
        page = QWidget(self)
        self.user_name = QLineEdit(page)
        self.user_name.setPlaceholderText(_("Prénom et nom"))
        self.passphrase = QLineEdit(page)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirmation = QLineEdit(page)
        self.confirmation.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength = StrengthMeter(page)
        self.mismatch = ErrorLabel(page)
        self.show_passphrase = QCheckBox(_("Afficher les phrases de passe"), page)
        self.with_demo = QCheckBox(
            _("Remplir avec des données de démonstration (foyers fictifs, pour s'exercer)"), page)
        self.location = muted(_("Emplacement du fichier : {path}").format(path=store_path), page)
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.back = QPushButton(_("Retour"), page)
        self.create_button = QPushButton(_("Créer le dossier chiffré"), page)
        self.create_button.setDefault(True)
        self.busy = BusyBar(page)
        self.status = muted(parent=page)
        self.error = ErrorLabel(page)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_("Votre nom :"), self.user_name)
        form.addRow(_("Phrase de passe :"), self.passphrase)
        form.addRow("", self.strength)
        form.addRow(_("Confirmation :"), self.confirmation)
        form.addRow("", self.mismatch)
        form.addRow("", self.show_passphrase)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(muted(_(
            "Choisissez une phrase de passe longue et facile à retenir, par exemple plusieurs "
            "mots sans lien entre eux. Sans elle, personne ne peut ouvrir les dossiers, "
            "pas même un technicien."), page))
        layout.addLayout(form)
        layout.addWidget(self.with_demo)
        layout.addWidget(self.location)
        layout.addLayout(buttons)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addStretch(1)

        self.passphrase.textChanged.connect(self._refresh)
        self.confirmation.textChanged.connect(self._refresh)
        self.user_name.textChanged.connect(self._refresh)
        self.show_passphrase.toggled.connect(self._toggle_echo)
        self.back.clicked.connect(self.show_choice)
        self.create_button.clicked.connect(self._request_create)
        self.confirmation.returnPressed.connect(self._request_create)
        return page

    # --- intent -------------------------------------------------------------------------

    def set_location(self, store_path: Path) -> None:
        """Where the new store will be created."""
        self.location.setText(_("Emplacement du fichier : {path}").format(path=store_path))

    def show_form(self) -> None:
        self.steps.setCurrentIndex(1)
        self.user_name.setFocus()

    def show_choice(self) -> None:
        self.steps.setCurrentIndex(0)
        self.create_choice.setFocus()

    @staticmethod
    def choose_store_file(parent: QWidget) -> Path | None:
        """Ask for an existing store file (tests monkeypatch this)."""
        name, _filter = QFileDialog.getOpenFileName(
            parent, _("Ouvrir un dossier chiffré"), str(Path.home()),
            _("Dossiers MediaDesk (*.store *.mdk);;Tous les fichiers (*)"))
        return Path(name) if name else None

    def _choose_file(self) -> None:
        path = self.choose_store_file(self)
        if path is not None:
            self.open_requested.emit(path)

    def _request_create(self) -> None:
        if self.create_button.isEnabled():
            self.create_requested.emit(self.user_name.text().strip(), self.passphrase.text(),
                                       self.with_demo.isChecked())

    def _toggle_echo(self, visible: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if visible else QLineEdit.EchoMode.Password
        self.passphrase.setEchoMode(mode)
        self.confirmation.setEchoMode(mode)

    def _refresh(self) -> None:
        """Live strength feedback; the create button waits for a strong, confirmed phrase."""
        text = self.passphrase.text()
        inputs = tuple(part for part in self.user_name.text().split() if part)
        strength = assess(text, inputs)
        self.strength.show_strength(strength, empty=not text)
        confirmation = self.confirmation.text()
        mismatch = bool(confirmation) and confirmation != text
        self.mismatch.show_message(
            _("Les deux phrases de passe ne correspondent pas.") if mismatch else "")
        self.create_button.setEnabled(strength.acceptable and confirmation == text
                               and not self.busy.isVisible())

    # --- feedback from the shell ----------------------------------------------------------

    def set_busy(self, message: str) -> None:
        """Lock the form while work runs; ``message`` says what is happening."""
        self.error.clear_message()
        self.busy.set_indeterminate()
        self.busy.show()
        self.status.setText(message)
        for widget in (self.user_name, self.passphrase, self.confirmation, self.back,
                       self.with_demo, self.show_passphrase, self.open_choice, self.create_choice):
            widget.setEnabled(False)
        self._refresh()

    def set_progress(self, message: str, done: int, total: int) -> None:
        self.busy.set_progress(done, total)
        self.status.setText(message)

    def show_error(self, message: str) -> None:
        """Work failed: show why and give the form back."""
        self.busy.hide()
        self.status.clear()
        self.error.show_message(message)
        for widget in (self.user_name, self.passphrase, self.confirmation, self.back,
                       self.with_demo, self.show_passphrase, self.open_choice, self.create_choice):
            widget.setEnabled(True)
        self._refresh()
        self.passphrase.setFocus()
