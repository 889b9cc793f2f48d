"""The main content of an unlocked store: the search panel beside the open dossier, or the
interview wizard over the whole width (a laptop screen is too narrow for both).

Opening a household runs ``open_dossier`` on the parallel lane (key ``"dossier"``: opening another
household before the first one arrived drops the first), then lists its draft interviews, which
the dossier view offers to resume. Starting or opening an interview runs on the writer lane,
after any answer still being saved. Going back to the dossier keeps the wizard as it is.
Thread: GUI only.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSplitter, QStackedWidget, QVBoxLayout, QWidget

from mediadesk.i18n import _
from mediadesk.services.views import Dossier, InterviewSummary, InterviewView
from mediadesk.ui.dossier_view import DossierView
from mediadesk.ui.errors import message_for
from mediadesk.ui.interview.autosave import SAVE_DEBOUNCE_MS
from mediadesk.ui.search_panel import SEARCH_DEBOUNCE_MS, SearchPanel
from mediadesk.ui.tasks import Lane, TaskRunner, TaskState

if TYPE_CHECKING:
    from mediadesk.services.dossiers import DossierService
    from mediadesk.services.interviews import InterviewService
    from mediadesk.ui.interview.wizard import InterviewWizard


class WorkspacePage(QWidget):
    """Signals: ``status_message(text)`` for the status bar, ``dossier_shown(dossier)``."""

    status_message = Signal(str)
    dossier_shown = Signal(object)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None, *,
                 debounce_ms: int = SEARCH_DEBOUNCE_MS,
                 save_debounce_ms: int = SAVE_DEBOUNCE_MS,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self._runner = runner
        self._dossiers: DossierService | None = None
        self._interviews: InterviewService | None = None
        self.views = QStackedWidget(self)
        self.browse = QSplitter(Qt.Orientation.Horizontal, self.views)
        self.search = SearchPanel(runner, self.browse, debounce_ms=debounce_ms)
        self.dossier_view = DossierView(self.browse)
        self.browse.addWidget(self.search)
        self.browse.addWidget(self.dossier_view)
        self.browse.setStretchFactor(0, 2)
        self.browse.setStretchFactor(1, 3)
        self.browse.setChildrenCollapsible(False)
        self.browse.setSizes([460, 700])
        self._wizard: InterviewWizard | None = None
        self._save_debounce_ms = save_debounce_ms
        self._today = today
        self.views.addWidget(self.browse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.views)
        self.search.open_requested.connect(self.open_household)
        self.dossier_view.new_interview_requested.connect(self.start_interview)
        self.dossier_view.resume_interview_requested.connect(self.resume_interview)
        self.dossier_view.journal_changed.connect(self.open_household)

    def set_dossiers(self, dossiers: DossierService | None) -> None:
        """The dossier service of the unlocked workspace (None once closed)."""
        self._dossiers = dossiers
        self.search.set_finder(dossiers.find_households if dossiers is not None else None)

    def set_interviews(self, interviews: InterviewService | None) -> None:
        """The interview service of the unlocked workspace (None once closed)."""
        self._interviews = interviews
        if self._wizard is not None:
            self._wizard.set_service(interviews)

    @property
    def wizard(self) -> InterviewWizard:
        """The interview wizard, built (and its modules loaded) on first use."""
        if self._wizard is None:
            from mediadesk.ui.interview.wizard import InterviewWizard

            wizard = InterviewWizard(self._runner, self.views, debounce_ms=self._save_debounce_ms,
                                     today=self._today)
            self.views.addWidget(wizard)
            wizard.back_requested.connect(self.show_browse)
            wizard.interview_closed.connect(lambda _view: self.show_browse())
            wizard.status_message.connect(self.status_message)
            wizard.set_service(self._interviews)
            self._wizard = wizard
        return self._wizard

    def current_dossier(self) -> Dossier | None:
        return self.dossier_view.dossier()

    def open_household(self, household_id: uuid.UUID) -> None:
        dossiers = self._dossiers
        if dossiers is None:
            return

        def work(_state: TaskState) -> Dossier:
            return dossiers.open_dossier(household_id)

        self._runner.submit("dossier", work, on_done=self.show_dossier, on_error=self._failed)

    def show_dossier(self, dossier: Dossier) -> None:
        self.dossier_view.show_dossier(dossier)
        self.dossier_shown.emit(dossier)
        self._load_drafts(dossier.household.id)

    def _load_drafts(self, household_id: uuid.UUID) -> None:
        interviews = self._interviews
        if interviews is None:
            return

        def work(_state: TaskState) -> list[InterviewSummary]:
            return interviews.drafts(household_id)

        self._runner.submit("drafts", work, on_error=self._failed,
                            on_done=lambda drafts: self.dossier_view.show_drafts(household_id,
                                                                                 drafts))

    # --- the interview wizard -------------------------------------------------------------

    def interview_shown(self) -> bool:
        return self._wizard is not None and self.views.currentWidget() is self._wizard

    def start_interview(self) -> None:
        """Start a new interview with the household shown and open it in the wizard."""
        dossier, interviews = self.current_dossier(), self._interviews
        if dossier is None or interviews is None:
            return
        if self.interview_shown():
            self.status_message.emit(_("Un entretien est déjà ouvert : revenez d'abord au "
                                       "dossier."))
            return
        household_id = dossier.household.id
        self._flush_wizard()
        self._runner.submit("interview-open", lambda _s: interviews.start(household_id),
                            lane=Lane.WRITER, on_done=self.show_interview,
                            on_error=self._failed)
        self.status_message.emit(_("Nouvel entretien avec {household}.").format(
            household=dossier.household.name))

    def resume_interview(self, interview_id: uuid.UUID) -> None:
        """Show the interview: as left in the wizard, or as saved in the store."""
        interviews = self._interviews
        current = self._wizard.view() if self._wizard is not None else None
        if current is not None and current.id == interview_id and not self.wizard.is_closed():
            self._show_wizard()
            return
        if interviews is None:
            return
        self._flush_wizard()
        self._runner.submit("interview-open", lambda _s: interviews.open(interview_id),
                            lane=Lane.WRITER, on_done=self.show_interview,
                            on_error=self._failed)

    def show_interview(self, view: InterviewView) -> None:
        self.wizard.show_interview(view)
        self._show_wizard()

    def _show_wizard(self) -> None:
        self.views.setCurrentWidget(self.wizard)
        self.wizard.go_to(self.wizard.current_step(), focus=True, remember=False)

    def show_browse(self) -> None:
        """Back to the search and the dossier, refreshed (its history, its drafts)."""
        self._flush_wizard()
        self.views.setCurrentWidget(self.browse)
        dossier = self.current_dossier()
        if dossier is not None:
            self.open_household(dossier.household.id)
            self.dossier_view.new_interview.setFocus(Qt.FocusReason.OtherFocusReason)

    def flush_interview(self) -> bool:
        """Send the wizard's pending answers to the writer lane; whether any were pending."""
        return self._flush_wizard()

    def household_saved(self, dossier: Dossier) -> None:
        """A household was created or changed: show it and refresh the search results."""
        self.show_dossier(dossier)
        self.search.refresh()

    def focus_search(self) -> None:
        if self.interview_shown():
            self.show_browse()
        self.search.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.field.selectAll()

    def _failed(self, error: BaseException) -> None:
        self.status_message.emit(message_for(error))

    def _flush_wizard(self) -> bool:
        return self._wizard.flush() if self._wizard is not None else False
