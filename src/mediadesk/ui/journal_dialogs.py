"""The dialogs of the dossier journal: a note (with the CNIL reminder), the revision of a note
(with its history), an incident report (seed 004, points of vigilance), the outcome of a
closing. Each exposes a classmethod ``ask`` returning what was entered, or None when cancelled
(tests monkeypatch it).
Thread: GUI only.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from mediadesk.domain.enums import OutcomeCode, Role
from mediadesk.i18n import N_, _, format_moment
from mediadesk.services.journal_views import (
    ColleagueView,
    IncidentSeverity,
    IncidentTarget,
    NoteRevisionView,
)
from mediadesk.ui.dialogs import ModalDialog, ok_cancel_buttons
from mediadesk.ui.widgets import ErrorLabel, muted

CNIL_REMINDER = N_("Le foyer peut demander à lire ce qui est écrit ici : restez factuel et "
                   "respectueux.")
SEVERITIES = {IncidentSeverity.TENSE: N_("Tension (ton élevé, inquiétude forte)"),
              IncidentSeverity.AGGRESSIVE: N_("Agressivité verbale"),
              IncidentSeverity.THREATS: N_("Menaces ou violence")}
TARGETS = {IncidentTarget.SUPPLIER: N_("Le fournisseur d'énergie"),
           IncidentTarget.MEDIATOR: N_("Le médiateur ou la médiatrice"),
           IncidentTarget.INSTITUTION: N_("Une institution (CAF, impôts, mairie…)"),
           IncidentTarget.GENERAL: N_("Colère d'ordre général"),
           IncidentTarget.OTHER: N_("Autre")}
OUTCOMES = {OutcomeCode.SUPPLY_MAINTAINED: N_("Fourniture d'énergie maintenue"),
            OutcomeCode.PLAN_AGREED: N_("Échéancier accepté par le fournisseur"),
            OutcomeCode.HANDED_OVER: N_("Relais passé à un partenaire"),
            OutcomeCode.RESOLVED: N_("Situation réglée"),
            OutcomeCode.UNREACHABLE: N_("Foyer injoignable"),
            OutcomeCode.CONSENT_WITHDRAWN: N_("Le foyer a retiré son accord"),
            OutcomeCode.OTHER: N_("Autre motif")}


def _text_box(parent: QWidget, placeholder: str) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)  # keyboard users leave the box with Tab
    return box


class NoteDialog(ModalDialog):
    """Writes a journal note; Ctrl+Entrée saves."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Ajouter une note"))
        # Not greyed out: the household may read the note (right of access), say so plainly.
        self.reminder = QLabel(_(CNIL_REMINDER), self)
        self.reminder.setWordWrap(True)
        self.body = _text_box(self, _("Ce qui s'est passé, ce qui a été convenu…"))
        self.buttons = ok_cancel_buttons(self, _("Enregistrer la note"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.save_button = self.buttons.buttons()[0]
        self.save_button.setEnabled(False)
        self.save_button.setToolTip(_("Ctrl+Entrée"))
        self.body.textChanged.connect(
            lambda: self.save_button.setEnabled(bool(self.text())))
        QShortcut(QKeySequence("Ctrl+Return"), self).activated.connect(self._save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reminder)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.buttons)
        self.resize(520, 320)

    def text(self) -> str:
        return self.body.toPlainText().strip()

    def _save(self) -> None:
        if self.text():
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None) -> str | None:
        """The note's text, or None when cancelled."""
        dialog = cls(parent)
        try:
            return dialog.text() if dialog.run() else None
        finally:
            dialog.deleteLater()


class NoteHistory(QObject):
    """The versions of one note, filled in on the GUI thread once its owner has read them off the
    GUI thread; `NoteEditDialog` shows them as soon as they are there. Signal: ``changed()``."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.revisions: tuple[NoteRevisionView, ...] | None = None  # oldest first; None: loading
        self.authors: dict[uuid.UUID, str] = {}
        self.error: str | None = None

    def set_revisions(self, revisions: Sequence[NoteRevisionView],
                      authors: Mapping[uuid.UUID, str]) -> None:
        self.revisions, self.authors, self.error = tuple(revisions), dict(authors), None
        self.changed.emit()

    def set_error(self, message: str) -> None:
        self.error = message
        self.changed.emit()


class NoteEditDialog(ModalDialog):
    """Revises a journal note; the earlier versions stay, read-only, newest first (notes are
    append-only). Ctrl+Entrée saves; saving is offered once the text differs."""

    def __init__(self, body: str, history: NoteHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Modifier la note"))
        self._original = body.strip()
        self._history = history
        self.reminder = QLabel(_(CNIL_REMINDER), self)
        self.reminder.setWordWrap(True)
        self.body = _text_box(self, _("Ce qui s'est passé, ce qui a été convenu…"))
        self.body.setPlainText(body)
        self.history_status = muted(_("Chargement de l'historique…"), self)
        self.history_status.setWordWrap(True)
        self.history = QListWidget(self)
        self.history.setWordWrap(True)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.history.setAccessibleName(_("Versions précédentes de la note"))
        self.history.hide()
        self.buttons = ok_cancel_buttons(self, _("Enregistrer la modification"))
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        self.save_button = self.buttons.buttons()[0]
        self.save_button.setToolTip(_("Ctrl+Entrée"))
        self.body.textChanged.connect(self._enable_save)
        QShortcut(QKeySequence("Ctrl+Return"), self).activated.connect(self._save)
        history_title = QLabel(_("Versions précédentes (lecture seule) :"), self)
        history_title.setBuddy(self.history)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reminder)
        layout.addWidget(self.body, 2)
        layout.addWidget(history_title)
        layout.addWidget(self.history_status)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.buttons)
        self.resize(560, 480)
        self._enable_save()
        history.changed.connect(self._show_history)
        self._show_history()
        self.body.setFocus(Qt.FocusReason.OtherFocusReason)

    def text(self) -> str:
        return self.body.toPlainText().strip()

    def _changed(self) -> bool:
        return bool(self.text()) and self.text() != self._original

    def _enable_save(self) -> None:
        self.save_button.setEnabled(self._changed())

    def _save(self) -> None:
        if self._changed():
            self.accept()

    def history_texts(self) -> list[str]:
        """The entries shown in the history, newest first."""
        return [self.history.item(row).text() for row in range(self.history.count())]

    def _show_history(self) -> None:
        history = self._history
        if history.error is not None:
            self.history_status.setText(_("L'historique n'a pas pu être lu : {error}").format(
                error=history.error))
            return
        if history.revisions is None:
            return
        earlier = list(reversed(history.revisions[:-1]))  # the last one is in the editor
        self.history.clear()
        for revision in earlier:
            author = (history.authors.get(revision.author_id)
                      if revision.author_id is not None else None)
            when = format_moment(revision.at)
            heading = (_("{moment} · {author}").format(moment=when, author=author)
                       if author else when)
            self.history.addItem(f"{heading}\n{revision.body}")
        self.history_status.setText(_("Cette note n'a jamais été modifiée.") if not earlier
                                    else "")
        self.history_status.setVisible(not earlier)
        self.history.setVisible(bool(earlier))

    @classmethod
    def ask(cls, parent: QWidget | None, body: str, history: NoteHistory) -> str | None:
        """The revised text, or None when cancelled; ``history`` fills in while it is open."""
        dialog = cls(body, history, parent)
        try:
            return dialog.text() if dialog.run() else None
        finally:
            history.changed.disconnect(dialog._show_history)
            dialog.deleteLater()


@dataclass(frozen=True)
class IncidentDraft:
    severity: IncidentSeverity
    anger_target: IncidentTarget
    description: str
    handed_over_to: uuid.UUID | None
    visit_in_pairs: bool


class IncidentDialog(ModalDialog):
    """Reports an incident (seed 004, points of vigilance)."""

    def __init__(self, colleagues: Sequence[ColleagueView],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Signaler un incident"))
        self.severity = QComboBox(self)
        for code, title in SEVERITIES.items():
            self.severity.addItem(_(title), code)
        self.target = QComboBox(self)
        for target, title in TARGETS.items():
            self.target.addItem(_(title), target)
        self.description = _text_box(self, _("Les faits : ce qui a été dit ou fait, sans "
                                             "jugement."))
        self.handed_over = QComboBox(self)
        self.handed_over.addItem(_("Personne pour l'instant"), None)
        for colleague in colleagues:
            name = (_("{name} (responsable)").format(name=colleague.name)
                    if colleague.role == Role.TEAM_LEAD.value else colleague.name)
            self.handed_over.addItem(name, colleague.id)
        self.visit_in_pairs = QCheckBox(_("Visite à deux : ne plus aller seul·e chez ce foyer"),
                                        self)
        self.severity.currentIndexChanged.connect(self._suggest_pairs)
        form = QFormLayout()
        form.addRow(_("&Gravité :"), self.severity)
        form.addRow(_("Colère &dirigée vers :"), self.target)
        form.addRow(_("&Faits :"), self.description)
        form.addRow(_("&Relais passé à :"), self.handed_over)
        form.addRow("", self.visit_in_pairs)
        self.buttons = ok_cancel_buttons(self, _("Signaler"))
        self.buttons.accepted.connect(self._accept_if_complete)
        self.buttons.rejected.connect(self.reject)
        self.error = ErrorLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(muted(_(
            "Si la colère vise une personne identifiée et ne retombe pas, passez le relais à "
            "un responsable."), self))
        layout.addWidget(muted(_(CNIL_REMINDER), self))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, 420)

    def _suggest_pairs(self) -> None:
        # Qt hands enum data back as plain str: compare values.
        if self.severity.currentData() != IncidentSeverity.TENSE.value:
            self.visit_in_pairs.setChecked(True)

    def _accept_if_complete(self) -> None:
        if not self.description.toPlainText().strip():
            self.error.show_message(_("Décrivez les faits en quelques mots."))
            self.description.setFocus()
            return
        self.accept()

    def draft(self) -> IncidentDraft:
        return IncidentDraft(IncidentSeverity(self.severity.currentData()),
                             IncidentTarget(self.target.currentData()),
                             self.description.toPlainText().strip(),
                             self.handed_over.currentData(), self.visit_in_pairs.isChecked())

    @classmethod
    def ask(cls, parent: QWidget | None,
            colleagues: Sequence[ColleagueView]) -> IncidentDraft | None:
        """What was reported, or None when cancelled."""
        dialog = cls(colleagues, parent)
        try:
            return dialog.draft() if dialog.run() else None
        finally:
            dialog.deleteLater()


class CloseDossierDialog(ModalDialog):
    """Chooses why the dossier ends; "Clore le dossier" stays disabled until one is chosen."""

    def __init__(self, household: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Clore le dossier"))
        intro = QLabel(_("Clore le dossier de {household} ? Choisissez ce qui a mis fin à "
                         "l'accompagnement (il compte dans le rapport d'activité). Le dossier "
                         "pourra être rouvert.").format(household=household), self)
        intro.setWordWrap(True)
        self.choices = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        for code, title in OUTCOMES.items():
            button = QRadioButton(_(title), self)
            button.setProperty("outcome", code.value)
            self.choices.addButton(button)
            layout.addWidget(button)
        self.buttons = ok_cancel_buttons(self, _("Clore le dossier"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.close_button = self.buttons.buttons()[0]
        self.close_button.setEnabled(False)
        self.choices.buttonToggled.connect(lambda *_a: self.close_button.setEnabled(True))
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)

    def outcome(self) -> OutcomeCode | None:
        checked = self.choices.checkedButton()
        return OutcomeCode(checked.property("outcome")) if checked is not None else None

    @classmethod
    def ask(cls, parent: QWidget | None, household: str) -> OutcomeCode | None:
        """The chosen outcome, or None when cancelled."""
        dialog = cls(household, parent)
        try:
            return dialog.outcome() if dialog.run() else None
        finally:
            dialog.deleteLater()
