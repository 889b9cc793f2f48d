"""Moving a dossier to another team (team leads): the "Changer d'équipe…" button and its dialog.

`MoveButton` sits in the dossier view next to "Changer de référent…". It is shown to team leads
and enabled once the device is enrolled (both asked of the service in the background when the
service is set). A click reads the teams on the parallel lane, then `MoveDialog.ask` (tests
monkeypatch it) lists the teams the user leads, says in one sentence what will happen, runs the
move on the parallel (network) lane with its steps shown, and shows the result; the button then
emits ``moved(household_id)`` (the dossier reloads, the sync notes an edit). Errors before the
dialog go to ``failed(text)``; errors of the move itself are shown in the dialog. All in French.
Thread: GUI only; the service runs on the task runner.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import _
from mediadesk.services.dossier_move import (
    MOVE_STEPS,
    DossierMoved,
    DossierMoveService,
    MoveAccess,
    MoveChoice,
    TeamChoice,
)
from mediadesk.ui.dialogs import ModalDialog
from mediadesk.ui.errors import message_for
from mediadesk.ui.tasks import Lane, TaskRunner, TaskState

TASK_KEY = "move"


def _step_text(done: int) -> str:
    if done <= 0:
        return _("Envoi des modifications en attente…")
    if done == 1:
        return _("Changement d'équipe sur le serveur…")
    return _("Réception du dossier sous sa nouvelle équipe…")


class MoveDialog(ModalDialog):
    """Chooses the dossier's new team, confirms, runs the move and shows how it went.
    ``moved`` holds the result once done (None before, or after a failure)."""

    def __init__(self, choice: MoveChoice, service: DossierMoveService, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choice, self._service, self._runner = choice, service, runner
        self.moved: DossierMoved | None = None
        self._running = False
        # Its own key: a dialog deleted while the server is asked (its window closed by the
        # shell) drops the answer instead of calling back into a deleted widget.
        key = self._key = f"{TASK_KEY}-{uuid.uuid4().hex[:12]}"
        self.destroyed.connect(lambda: runner.cancel(key))
        self.setWindowTitle(_("Changer d'équipe"))
        explanation = QLabel(_(
            "Le dossier « {household} » passe par le serveur de synchronisation pour changer "
            "d'équipe : ce poste doit être connecté. Le changement est noté dans le journal "
            "d'audit."
        ).format(household=choice.household_name), self)
        explanation.setWordWrap(True)
        self.current = QLabel(choice.current.name, self)
        self.teams = QComboBox(self)
        for team in choice.targets:
            self.teams.addItem(team.name, team.id)
        form = QFormLayout()
        form.addRow(_("Équipe actuelle :"), self.current)
        form.addRow(_("Nouvelle équipe :"), self.teams)
        self.confirmation = QLabel(self)
        self.confirmation.setWordWrap(True)
        self.step = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, MOVE_STEPS)
        self.progress.setTextVisible(False)
        self.outcome = QLabel(self)
        self.outcome.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.move_button = self.buttons.addButton(
            _("Changer d'équipe"), QDialogButtonBox.ButtonRole.ActionRole)
        self.move_button.setDefault(True)
        self.close_button = self.buttons.addButton(
            _("Annuler"), QDialogButtonBox.ButtonRole.RejectRole)
        self.move_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self.teams.currentIndexChanged.connect(self._confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.confirmation)
        layout.addWidget(self.step)
        layout.addWidget(self.progress)
        layout.addWidget(self.outcome)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.step.hide()
        self.progress.hide()
        self.outcome.hide()
        self._confirm()

    def chosen(self) -> TeamChoice | None:
        """The team chosen in the list."""
        data = self.teams.currentData()
        return next((t for t in self._choice.targets if t.id == data), None)

    def _confirm(self) -> None:
        target = self.chosen()
        if target is None:
            self.confirmation.clear()
            return
        self.confirmation.setText(_(
            "Le dossier « {household} » quittera l'équipe « {source} » pour l'équipe "
            "« {target} ». Les postes de l'équipe « {source} » le retireront à leur prochaine "
            "synchronisation ; ceux de l'équipe « {target} » le recevront."
        ).format(household=self._choice.household_name, source=self._choice.current.name,
                 target=target.name))

    def start(self) -> None:
        """Run the move in the background (the parallel lane: it waits on the network)."""
        target = self.chosen()
        if target is None or self._running:
            return
        self._running = True
        for widget in (self.teams, self.move_button, self.close_button):
            widget.setEnabled(False)
        self.outcome.hide()
        self.progress.setValue(0)
        self.step.setText(_step_text(0))
        self.step.show()
        self.progress.show()
        self.adjustSize()
        service, household = self._service, self._choice.household_id

        def work(state: TaskState) -> DossierMoved:
            return service.move(household, target.id, progress=state.progress)

        self._runner.submit(self._key, work, lane=Lane.PARALLEL, on_done=self._done,
                            on_error=self._failed, on_progress=self._stepped)

    def is_running(self) -> bool:
        return self._running

    def _stepped(self, done: int, total: int) -> None:
        self.progress.setValue(min(done, total))
        if done < total:
            self.step.setText(_step_text(done))

    def _done(self, moved: DossierMoved) -> None:
        self._running = False
        self.moved = moved
        self.progress.setValue(MOVE_STEPS)
        self.step.hide()
        self.progress.hide()
        self.confirmation.hide()
        if moved.here:
            text = _("Le dossier « {household} » fait désormais partie de l'équipe "
                     "« {target} ».")
        else:
            text = _("Le dossier « {household} » fait désormais partie de l'équipe "
                     "« {target} ». Ce poste l'affichera sous sa nouvelle équipe à la "
                     "prochaine synchronisation.")
        self._show_outcome(text.format(household=moved.household_name,
                                       target=moved.target.name), error=False)
        self.move_button.hide()
        self.close_button.setText(_("Fermer"))
        self.close_button.setEnabled(True)
        self.close_button.setDefault(True)
        self.close_button.setFocus()

    def _failed(self, error: BaseException) -> None:
        self._running = False
        self.step.hide()
        self.progress.hide()
        self._show_outcome(message_for(error), error=True)
        for widget in (self.teams, self.move_button, self.close_button):
            widget.setEnabled(True)

    def _show_outcome(self, text: str, *, error: bool) -> None:
        self.outcome.setText(text)
        self.outcome.setStyleSheet("color: #b00020;" if error else "font-weight: bold;")
        self.outcome.show()
        self.adjustSize()

    def reject(self) -> None:
        if not self._running:  # the server's answer is awaited: it cannot be taken back
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._running:
            event.ignore()
            return
        super().closeEvent(event)

    def abandon(self) -> None:
        self._runner.cancel(self._key)  # the application closes: drop the answer
        self._running = False
        super().abandon()

    @classmethod
    def ask(cls, parent: QWidget | None, choice: MoveChoice, service: DossierMoveService,
            runner: TaskRunner) -> DossierMoved | None:
        """The move done, or None when cancelled (or failed and then cancelled)."""
        dialog = cls(choice, service, runner, parent)
        try:
            dialog.run()
            return dialog.moved
        finally:
            dialog.deleteLater()


class MoveButton(QPushButton):
    """Signals: ``moved(household_id)``, ``failed(message)``."""

    moved = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Changer d'équipe…"), parent)
        self._service: DossierMoveService | None = None
        self._runner: TaskRunner | None = None
        self._household: uuid.UUID | None = None
        self.clicked.connect(self.request)
        self.hide()

    def set_service(self, service: DossierMoveService | None, runner: TaskRunner | None) -> None:
        """The service of the unlocked workspace (None once closed); shown to team leads,
        enabled once the device is enrolled."""
        self._service, self._runner = service, runner
        self.hide()
        if service is not None and runner is not None:
            runner.submit(f"{TASK_KEY}-access", lambda _s: service.access(),
                          on_done=self._allowed, on_error=lambda _e: self.hide())

    def _allowed(self, access: MoveAccess) -> None:
        self.setEnabled(access.enrolled)
        self.setToolTip(
            _("Confier ce dossier à une autre équipe (responsables des deux équipes)")
            if access.enrolled else
            _("Possible une fois ce poste inscrit au serveur de synchronisation"))
        self.setVisible(access.lead and self._service is not None)

    def show_for(self, household_id: uuid.UUID | None) -> None:
        """The dossier shown (None: none)."""
        self._household = household_id

    def request(self) -> None:
        """Read the teams the user leads, then open the dialog."""
        service, runner, household = self._service, self._runner, self._household
        if service is None or runner is None or household is None:
            return
        runner.submit(f"{TASK_KEY}-teams", lambda _s: service.teams_for_move(household),
                      on_done=self._ask, on_error=self._failed)

    def _ask(self, choice: MoveChoice) -> None:
        service, runner = self._service, self._runner
        if service is None or runner is None:
            return
        moved = MoveDialog.ask(self.window(), choice, service, runner)
        if moved is not None:
            self.moved.emit(moved.household_id)

    def _failed(self, error: BaseException) -> None:
        self.failed.emit(message_for(error))
