"""Changing a dossier's referent (team leads): the "Changer de référent…" button and its dialog.

`ReassignButton` sits in the dossier view; it is shown only to a team lead (asked of the
service in the background when the service is set). A click reads the team's members on the
parallel lane, asks with `ReassignDialog.ask` (tests monkeypatch it), then reassigns on the
writer lane and emits ``reassigned(household_id)`` (the dossier reloads, the sync notes an
edit). Errors are shown in the status message (``failed(text)``), in French.
Thread: GUI only; the service runs on the task runner.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from mediadesk.i18n import _
from mediadesk.services.reassign import Reassigned, ReassignService, ReferentChoice
from mediadesk.ui.dialogs import ModalDialog, ok_cancel_buttons
from mediadesk.ui.errors import message_for
from mediadesk.ui.tasks import Lane, TaskRunner

TASK_KEY = "reassign"


class ReassignDialog(ModalDialog):
    """Chooses the dossier's new referent among the team's members."""

    def __init__(self, choice: ReferentChoice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Changer de référent"))
        explanation = QLabel(_(
            "Le référent suit le dossier « {household} ». Le changement est noté dans le journal "
            "d'audit et transmis à toute l'équipe à la prochaine synchronisation."
        ).format(household=choice.household_name), self)
        explanation.setWordWrap(True)
        current = next((m.name for m in choice.members if m.id == choice.current), None)
        self.current = QLabel(current or _("aucun"), self)
        self.members = QComboBox(self)
        for member in choice.members:
            self.members.addItem(member.name, member.id.hex)
        if choice.current is not None:
            index = self.members.findData(choice.current.hex)
            if index >= 0:
                self.members.setCurrentIndex(index)
        form = QFormLayout()
        form.addRow(_("Référent actuel :"), self.current)
        form.addRow(_("Nouveau référent :"), self.members)
        self.buttons = ok_cancel_buttons(self, _("Changer de référent"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)

    def chosen(self) -> uuid.UUID | None:
        data = self.members.currentData()
        return uuid.UUID(hex=str(data)) if data else None

    @classmethod
    def ask(cls, parent: QWidget | None, choice: ReferentChoice) -> uuid.UUID | None:
        """The member chosen, or None when cancelled or unchanged."""
        dialog = cls(choice, parent)
        try:
            chosen = dialog.chosen() if dialog.run() else None
        finally:
            dialog.deleteLater()
        return chosen if chosen != choice.current else None


class ReassignButton(QPushButton):
    """Signals: ``reassigned(household_id)``, ``failed(message)``."""

    reassigned = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Changer de référent…"), parent)
        self.setToolTip(_("Confier ce dossier à un autre membre de l'équipe (responsables "
                          "d'équipe)"))
        self._service: ReassignService | None = None
        self._runner: TaskRunner | None = None
        self._household: uuid.UUID | None = None
        self.clicked.connect(self.request)
        self.hide()

    def set_service(self, service: ReassignService | None, runner: TaskRunner | None) -> None:
        """The service of the unlocked workspace (None once closed); shown to team leads."""
        self._service, self._runner = service, runner
        self.hide()
        if service is not None and runner is not None:
            runner.submit(f"{TASK_KEY}-role", lambda _s: service.may_reassign(),
                          on_done=self._allowed, on_error=lambda _e: self.hide())

    def _allowed(self, allowed: bool) -> None:
        self.setVisible(allowed and self._service is not None)

    def show_for(self, household_id: uuid.UUID | None) -> None:
        """The dossier shown (None: none)."""
        self._household = household_id

    def request(self) -> None:
        """Read the team's members, ask who, then reassign."""
        service, runner, household = self._service, self._runner, self._household
        if service is None or runner is None or household is None:
            return
        runner.submit(TASK_KEY, lambda _s: service.choices(household),
                      on_done=self._ask, on_error=self._failed)

    def _ask(self, choice: ReferentChoice) -> None:
        service, runner = self._service, self._runner
        chosen = ReassignDialog.ask(self.window(), choice)
        if chosen is None or service is None or runner is None:
            return
        runner.submit(TASK_KEY, lambda _s: service.reassign(choice.household_id, chosen),
                      lane=Lane.WRITER, on_done=self._done, on_error=self._failed)

    def _done(self, done: Reassigned) -> None:
        self.reassigned.emit(done.household_id)

    def _failed(self, error: BaseException) -> None:
        self.failed.emit(message_for(error))
