"""The main content of an unlocked store: the search panel beside the open dossier.

Opening a household runs ``open_dossier`` on the parallel lane (key ``"dossier"``: opening another
household before the first one arrived drops the first).
Thread: GUI only.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from mediadesk.services.views import Dossier
from mediadesk.ui.dossier_view import DossierView
from mediadesk.ui.errors import message_for
from mediadesk.ui.search_panel import SEARCH_DEBOUNCE_MS, SearchPanel
from mediadesk.ui.tasks import TaskRunner, TaskState

if TYPE_CHECKING:
    from mediadesk.services.dossiers import DossierService


class WorkspacePage(QWidget):
    """Signals: ``status_message(text)`` for the status bar, ``dossier_shown(dossier)``."""

    status_message = Signal(str)
    dossier_shown = Signal(object)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None, *,
                 debounce_ms: int = SEARCH_DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self._runner = runner
        self._dossiers: DossierService | None = None
        self.search = SearchPanel(runner, self, debounce_ms=debounce_ms)
        self.dossier_view = DossierView(self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.search)
        splitter.addWidget(self.dossier_view)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([460, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.search.open_requested.connect(self.open_household)

    def set_dossiers(self, dossiers: DossierService | None) -> None:
        """The dossier service of the unlocked workspace (None once closed)."""
        self._dossiers = dossiers
        self.search.set_finder(dossiers.find_households if dossiers is not None else None)

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

    def household_saved(self, dossier: Dossier) -> None:
        """A household was created or changed: show it and refresh the search results."""
        self.show_dossier(dossier)
        self.search.refresh()

    def focus_search(self) -> None:
        self.search.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.field.selectAll()

    def _failed(self, error: BaseException) -> None:
        self.status_message.emit(message_for(error))
