"""Type-ahead household search: a field, a debounce timer and a results table.

Typing restarts a short timer (150 ms by default); when it fires, the search runs on the task
runner's parallel lane (key ``"search"``, so a newer search supersedes an older one). Keyboard:
Down moves from the field to the results, Up on the first row goes back, Enter opens.
Once the hits are shown, their sync badges (a dot in the last column, its text as tooltip and
accessible text) are read on the parallel lane (key ``"search-badges"``) when a badge source is
set (`set_badge_source`); no source or no badge (never synced): the column stays empty.
Thread: GUI only.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import N_, _, ngettext
from mediadesk.services.conflict_views import SyncBadge, badge_hint, badge_text
from mediadesk.services.views import HouseholdHit
from mediadesk.ui.errors import log_unexpected, message_for
from mediadesk.ui.models import Column, ObjectTableModel
from mediadesk.ui.sync_badges import BadgeSource, badge_icon
from mediadesk.ui.tasks import TaskRunner, TaskState
from mediadesk.ui.widgets import muted

SEARCH_DEBOUNCE_MS = 150
SEARCH_LIMIT = 50
Finder = Callable[[str, int], list[HouseholdHit]]  # (text, limit) -> best hits first
BADGE_COLUMN = 3


NAME_WIDTH_MAX = 230
PHONE_WIDTH_MAX = 170


def _first_phone(hit: HouseholdHit) -> str:
    """The first number, with how many more there are (all of them are in the tooltip)."""
    if len(hit.phones) <= 1:
        return "".join(hit.phones)
    return _("{number} (+{more})").format(number=hit.phones[0], more=len(hit.phones) - 1)


class HitsModel(ObjectTableModel[HouseholdHit]):
    """The hits, with each one's sync badge as a dot in the last column."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([
            Column(N_("Foyer"), lambda hit: hit.name),
            Column(N_("Adresse"), lambda hit: hit.address),
            Column(N_("Téléphone"), _first_phone, tooltip=lambda hit: "\n".join(hit.phones)),
            Column(N_("Synchro"), lambda _hit: ""),
        ], parent)
        self._badges: dict[uuid.UUID, SyncBadge] = {}

    def set_badges(self, badges: Mapping[uuid.UUID, SyncBadge]) -> None:
        self._badges = dict(badges)
        if self.rowCount():
            self.dataChanged.emit(self.index(0, BADGE_COLUMN),
                                  self.index(self.rowCount() - 1, BADGE_COLUMN))

    def badge(self, row: int) -> SyncBadge | None:
        hit = self.row_object(row)
        return None if hit is None else self._badges.get(hit.id)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == BADGE_COLUMN:
            badge = self.badge(index.row())
            if badge is not None:
                if role == Qt.ItemDataRole.DecorationRole:
                    return badge_icon(badge)
                if role == Qt.ItemDataRole.ToolTipRole:
                    return f"{badge_text(badge)}\n{badge_hint(badge)}"
                if role == Qt.ItemDataRole.AccessibleTextRole:
                    return badge_text(badge)
            if role == Qt.ItemDataRole.ToolTipRole:
                return None
        return super().data(index, role)


def hits_model(parent: QObject | None = None) -> HitsModel:
    return HitsModel(parent)


class SearchPanel(QWidget):
    """Signals: ``open_requested(household_id)`` (a `uuid.UUID`), ``searched(count)``."""

    open_requested = Signal(object)
    searched = Signal(int)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None, *,
                 debounce_ms: int = SEARCH_DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self._runner = runner
        self._find: Finder | None = None
        self._badges: BadgeSource | None = None
        self._open_when_ready = False
        self.field = QLineEdit(self)
        self.field.setPlaceholderText(_("Rechercher : nom, adresse, téléphone, référence…"))
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName(_("Rechercher un foyer"))
        self.model = hits_model(self)
        self.results = QTableView(self)
        self.results.setModel(self.model)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setAlternatingRowColors(True)
        self.results.setWordWrap(False)
        self.results.verticalHeader().hide()
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(BADGE_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.setHighlightSections(False)
        self.results.setTabKeyNavigation(False)
        self.hint = muted(parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.hint)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.search_now)
        self.field.textChanged.connect(self._text_changed)
        self.field.returnPressed.connect(self._open_current)
        self.results.activated.connect(self._open_index)
        self.field.installEventFilter(self)
        self.results.installEventFilter(self)
        self._show_hint(None)
        self.results.setColumnWidth(0, 180)
        self.results.setColumnWidth(2, 130)
        self.results.setColumnWidth(BADGE_COLUMN, 56)

    def set_finder(self, find: Finder | None) -> None:
        """The search function (``DossierService.find_households``), called on a worker."""
        self._find = find

    def set_badge_source(self, badges: BadgeSource | None) -> None:
        """Where the hits' sync badges come from (``ConflictService.dossier_badges``), called
        on a worker; None: no badges."""
        self._badges = badges
        self.refresh_badges()

    def refresh_badges(self) -> None:
        """Read the badges of the hits shown again (after a sync or a resolution)."""
        source, ids = self._badges, [hit.id for hit in self.model.rows()]
        if source is None or not ids:
            self._runner.cancel("search-badges")
            self.model.set_badges({})
            return

        def work(_state: TaskState) -> Mapping[uuid.UUID, SyncBadge]:
            return source(ids)

        self._runner.submit("search-badges", work, on_done=self.model.set_badges,
                            on_error=self._badges_failed)

    def _badges_failed(self, error: BaseException) -> None:
        log_unexpected(error, "sync badges of the search hits")  # the hits stay usable
        self.model.set_badges({})

    def current_hit(self) -> HouseholdHit | None:
        index = self.results.currentIndex()
        return self.model.row_object(index.row()) if index.isValid() else None

    def refresh(self) -> None:
        """Run the current search again (after a household changed)."""
        if self.field.text().strip():
            self.search_now()

    # --- searching ----------------------------------------------------------------------

    def _text_changed(self, _text: str) -> None:
        self._timer.start()

    def search_now(self) -> None:
        self._timer.stop()
        text = self.field.text().strip()
        find = self._find
        if not text or find is None:
            self._open_when_ready = False
            self._runner.cancel("search")
            self.model.set_rows([])
            self.model.set_badges({})
            self._show_hint(None)
            return

        def work(state: TaskState) -> list[HouseholdHit]:
            return [] if state.cancelled() else find(text, SEARCH_LIMIT)

        self._runner.submit("search", work, on_done=self._show_hits, on_error=self._failed)

    def _show_hits(self, hits: list[HouseholdHit]) -> None:
        current = self.current_hit()
        self.model.set_rows(hits)
        if hits:
            ids = [hit.id for hit in hits]
            row = ids.index(current.id) if current is not None and current.id in ids else 0
            self.results.selectRow(row)
        for column, widest in ((0, NAME_WIDTH_MAX), (2, PHONE_WIDTH_MAX)):
            self.results.resizeColumnToContents(column)
            self.results.setColumnWidth(column, min(self.results.columnWidth(column), widest))
        self._show_hint(len(hits))
        self.refresh_badges()
        self.searched.emit(len(hits))
        if self._open_when_ready:
            self._open_when_ready = False
            self._open_current()

    def _failed(self, error: BaseException) -> None:
        self._open_when_ready = False
        self.model.set_rows([])
        self.hint.setText(message_for(error))

    def _show_hint(self, count: int | None) -> None:
        if count is None:
            self.hint.setText(_("Tapez un nom, une rue, une ville ou un numéro de téléphone. "
                                "Flèche bas pour parcourir les résultats, Entrée pour ouvrir."))
        elif count >= SEARCH_LIMIT:
            self.hint.setText(_("Les {count} foyers les plus proches sont affichés : précisez "
                                "la recherche pour trouver les autres.").format(count=count))
        elif count == 0:
            self.hint.setText(_("Aucun foyer trouvé pour « {text} ».").format(
                text=self.field.text().strip()))
        else:
            self.hint.setText(ngettext("{count} foyer trouvé", "{count} foyers trouvés",
                                       count).format(count=count))

    # --- opening and keyboard -----------------------------------------------------------

    def _open_current(self) -> None:
        if self._timer.isActive() or self._runner.is_running("search"):
            # Enter typed faster than the search: open the best hit once the results are in.
            self._open_when_ready = True
            if self._timer.isActive():
                self.search_now()
            return
        hit = self.current_hit() or self.model.row_object(0)
        if hit is not None:
            self.open_requested.emit(hit.id)

    def _open_index(self, index: QModelIndex) -> None:
        hit = self.model.row_object(index.row())
        if hit is not None:
            self.open_requested.emit(hit.id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        if watched is self.field and key == Qt.Key.Key_Down and self.model.rowCount() > 0:
            self.results.setFocus(Qt.FocusReason.TabFocusReason)
            if not self.results.currentIndex().isValid():
                self.results.selectRow(0)
            return True
        if watched is self.results:
            at_top = self.results.currentIndex().row() <= 0
            if key == Qt.Key.Key_Escape or (key == Qt.Key.Key_Up and at_top):
                self.field.setFocus(Qt.FocusReason.TabFocusReason)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._open_current()
                return True
        return super().eventFilter(watched, event)
