"""The follow-up worklist window: what the team has to do, most urgent first.

Filters (late, today, this week, everything; the whole team, what nobody took, one mediator)
above a table of `WorklistItem`; overdue rows are pale red and say how late they are. "Fait"
closes a follow-up at once and asks what happened for an orientation check; "Reporter…" asks for
a day; "Attribuer" gives a follow-up to a mediator or back to the team; Enter, a double click or
"Ouvrir le dossier" emit ``open_requested(household_id)``. Reads run on the parallel lane (key
``"worklist"``), writes on the writer lane, then the list is read again. Cell texts and dialogs
live in `worklist_parts`.
Thread: GUI only.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import N_, _, format_day, ngettext
from mediadesk.services.worklist_views import (
    TEAM,
    WINDOWS,
    Assignee,
    Mediator,
    Window,
    WorkKind,
    WorklistCounts,
    WorklistItem,
)
from mediadesk.ui.errors import message_for
from mediadesk.ui.models import AnyIndex, Column, ObjectTableModel
from mediadesk.ui.tasks import Lane, TaskRunner, TaskState
from mediadesk.ui.widgets import ERROR_COLOUR, heading, muted
from mediadesk.ui.worklist_parts import (
    CheckDialog,
    PostponeDialog,
    assignee_text,
    due_text,
    late_text,
    task_text,
)

if TYPE_CHECKING:
    from mediadesk.services.worklist import WorklistService

WINDOW_TITLES: dict[Window, str] = {
    "overdue": N_("En retard"), "today": N_("Aujourd'hui"), "week": N_("Cette semaine"),
    "all_open": N_("Tout"),
}
OVERDUE_BACKGROUND = "#fdecea"
NAME_WIDTH_MAX = 220
TASK_WIDTH_MAX = 300
REASON_COLUMN = 5
FIT_ROWS = 200


class WorklistModel(ObjectTableModel[WorklistItem]):
    """The items; an overdue row has a pale red background, its dates in bold red."""

    def __init__(self, today: Callable[[], date], parent: QObject | None = None) -> None:
        super().__init__([
            Column(N_("Échéance"), lambda item: due_text(item, today())),
            Column(N_("Retard"), late_text, align_right=True),
            Column(N_("Foyer"), lambda item: item.household_name),
            Column(N_("Téléphone"), lambda item: item.phone),
            Column(N_("À faire"), task_text),
            Column(N_("Motif"), lambda item: item.reason),
            Column(N_("Attribué à"), assignee_text),
        ], parent)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.row_object(index.row()) if index.isValid() else None
        if item is not None and item.overdue and index.column() < self.columnCount():
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(OVERDUE_BACKGROUND))
            if index.column() in (0, 1) and role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(ERROR_COLOUR))
            if index.column() in (0, 1) and role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        return super().data(index, role)


class WorklistWindow(QWidget):
    """A window of its own beside the dossier. Signal: ``open_requested(household_id)``."""

    open_requested = Signal(object)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None, *,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._runner = runner
        self._service: WorklistService | None = None
        self._today = today
        self._mediators: list[Mediator] = []
        self._shown_before_lock = False
        self._notice = ""  # what the last write did, shown with the next list
        self._writes = itertools.count(1)
        self.setWindowTitle(_("Suivis à faire"))
        self.windows = QButtonGroup(self)
        filters = QHBoxLayout()
        for number, window in enumerate(WINDOWS):
            button = QPushButton(_(WINDOW_TITLES[window]), self)
            button.setCheckable(True)
            button.setStyleSheet("QPushButton:checked { font-weight: bold; }")
            self.windows.addButton(button, number)
            filters.addWidget(button)
        self.windows.button(WINDOWS.index("all_open")).setChecked(True)
        filters.addSpacing(24)
        self.assignee = QComboBox(self)
        self.assignee.setAccessibleName(_("Pour qui"))
        self.assignee.setMinimumContentsLength(18)
        for_label = QLabel(_("&Pour :"), self)
        for_label.setBuddy(self.assignee)
        filters.addWidget(for_label)
        filters.addWidget(self.assignee)
        filters.addStretch(1)
        self.model = WorklistModel(lambda: self._today(), self)
        self.table = self._build_table()
        self.done_button = QPushButton(_("&Fait"), self)
        self.postpone_button = QPushButton(_("&Reporter…"), self)
        self.assign_button = QPushButton(_("A&ttribuer"), self)
        self.assign_menu = QMenu(self.assign_button)
        self.assign_button.setMenu(self.assign_menu)
        self.open_button = QPushButton(_("&Ouvrir le dossier"), self)
        actions = QHBoxLayout()
        for button in (self.done_button, self.postpone_button, self.assign_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.open_button)
        self.hint = muted(parent=self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Suivis à faire"), scale=1.3, parent=self))
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.hint)
        self._fill_assignees()
        self.windows.idClicked.connect(lambda _id: self.refresh())
        self.assignee.activated.connect(lambda _index: self.refresh())
        self.table.activated.connect(lambda _index: self.open_current())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.done_button.clicked.connect(self.mark_done)
        self.postpone_button.clicked.connect(self.postpone)
        self.assign_menu.aboutToShow.connect(self._fill_assign_menu)
        self.open_button.clicked.connect(self.open_current)
        if parent is not None:
            parent.installEventFilter(self)  # close with the main window
        self.resize(1180, 600)
        self._update_buttons()

    def _build_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setTabKeyNavigation(False)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        # Widths are fitted once per list on its first rows (`_fit_columns`), not kept fitted
        # by Qt: that measured every cell of thousands of rows on each change.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(REASON_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setResizeContentsPrecision(FIT_ROWS)
        return table

    def _fit_columns(self) -> None:
        """Columns as wide as their text, household and task within reason, so the reason
        keeps room (every cell shows its whole text as a tooltip)."""
        widest = {2: NAME_WIDTH_MAX, 4: TASK_WIDTH_MAX}
        for column in range(self.model.columnCount()):
            if column != REASON_COLUMN:
                self.table.resizeColumnToContents(column)
                self.table.setColumnWidth(column, min(self.table.columnWidth(column),
                                                      widest.get(column, 10_000)))

    # --- showing ----------------------------------------------------------------------------

    def show_worklist(self, service: WorklistService | None) -> None:
        """Show (or raise) the window on ``service`` and read the list again."""
        if service is not self._service:
            self._service = service
            self._load_mediators()
        if self.isVisible():
            self.refresh()  # already shown: no show event to read it again
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.show()
        self.raise_()
        self.activateWindow()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_locked(self, locked: bool) -> None:
        """Hidden behind the lock screen (it names households), shown again after."""
        if locked:
            self._shown_before_lock = self.isVisible()
            self.hide()
        elif self._shown_before_lock:
            self._shown_before_lock = False
            self.show()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.refresh()  # back from the dossier, where an interview may have planned more

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Close:
            self.hide()
        return super().eventFilter(watched, event)

    def current_window(self) -> Window:
        return WINDOWS[max(self.windows.checkedId(), 0)]

    def current_assignee(self) -> Assignee:
        value = self.assignee.currentData()
        return value if isinstance(value, uuid.UUID) or value == TEAM else None

    def current_item(self) -> WorklistItem | None:
        index = self.table.currentIndex()
        return self.model.row_object(index.row()) if index.isValid() else None

    # --- reading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the list again for the chosen filters (parallel lane)."""
        service = self._service
        if service is None:
            return
        today, window, assignee = self._today(), self.current_window(), self.current_assignee()

        def work(_state: TaskState) -> tuple[list[WorklistItem], WorklistCounts]:
            return (service.items(today=today, window=window, assignee=assignee),
                    service.counts(today=today, assignee=assignee))

        self._runner.submit("worklist", work, on_done=self._show_items, on_error=self._failed)

    def _show_items(self, result: tuple[list[WorklistItem], WorklistCounts]) -> None:
        items, counts = result
        current, row = self.current_item(), max(self.table.currentIndex().row(), 0)
        self.model.set_rows(items)
        self._fit_columns()
        ids = [item.id for item in items]
        if items:
            # The same item again, or the one that took the place of an item just done.
            self.table.selectRow(ids.index(current.id) if current is not None
                                 and current.id in ids else min(row, len(items) - 1))
        for number, window in enumerate(WINDOWS):
            self.windows.button(number).setText(_("{title} ({count})").format(
                title=_(WINDOW_TITLES[window]), count=counts.of(window)))
        summary = (ngettext("{count} suivi à faire dans cette liste.",
                            "{count} suivis à faire dans cette liste.", len(items)
                            ).format(count=len(items)) if items
                   else _("Rien à faire dans cette liste."))
        notice, self._notice = self._notice, ""
        self.hint.setText(f"{notice} {summary}" if notice else summary)  # two sentences
        self._update_buttons()

    def _load_mediators(self) -> None:
        service = self._service
        if service is not None:
            self._runner.submit("worklist-mediators", lambda _s: service.mediators(),
                                on_done=self._set_mediators, on_error=self._failed)

    def _set_mediators(self, mediators: list[Mediator]) -> None:
        self._mediators = mediators
        self._fill_assignees()

    def _fill_assignees(self) -> None:
        chosen = self.current_assignee()
        self.assignee.clear()
        self.assignee.addItem(_("Toute l'équipe"), None)
        self.assignee.addItem(_("Non attribués"), TEAM)
        for mediator in self._mediators:
            self.assignee.addItem(mediator.name, mediator.id)
        self.assignee.setCurrentIndex(max(self.assignee.findData(chosen), 0))

    def _update_buttons(self) -> None:
        item = self.current_item()
        for button in (self.done_button, self.postpone_button, self.open_button):
            button.setEnabled(item is not None)
        self.assign_button.setEnabled(item is not None and item.assignable)
        self.assign_button.setToolTip(
            _("Une vérification d'orientation reste à l'équipe.")
            if item is not None and not item.assignable else "")

    def _failed(self, error: BaseException) -> None:
        self.hint.setText(message_for(error))

    # --- acting -----------------------------------------------------------------------------

    def open_current(self) -> None:
        item = self.current_item()
        if item is not None:
            self.open_requested.emit(item.household_id)

    def mark_done(self) -> None:
        item, service = self.current_item(), self._service
        if item is None or service is None:
            return
        outcome = ""
        if item.kind is WorkKind.ORIENTATION_CHECK:
            typed = CheckDialog.ask(self, item)
            if typed is None:
                return
            outcome = typed
        today = self._today()
        self._write(lambda: service.mark_done(item, outcome, today=today),
                    _("Fait : {household}.").format(household=item.household_name))

    def postpone(self) -> None:
        item, service = self.current_item(), self._service
        if item is None or service is None:
            return
        today = self._today()
        day = PostponeDialog.ask(self, item, today)
        if day is not None:
            self._write(lambda: service.postpone(item, day, today=today),
                        _("{household} : reporté au {day}.").format(
                            household=item.household_name, day=format_day(day)))

    def assign(self, user_id: uuid.UUID | None) -> None:
        item, service = self.current_item(), self._service
        if item is None or service is None:
            return
        names = {mediator.id: mediator.name for mediator in self._mediators}
        self._write(lambda: service.assign(item, user_id),
                    _("{household} : attribué à {name}.").format(
                        household=item.household_name, name=names.get(user_id, ""))
                    if user_id is not None else _("{household} : rendu à l'équipe.").format(
                        household=item.household_name))

    def _fill_assign_menu(self) -> None:
        self.assign_menu.clear()
        item = self.current_item()
        current = item.assignee_id if item is not None else None
        for text, user_id in [(_("À l'équipe (personne en particulier)"), None),
                              *((mediator.name, mediator.id) for mediator in self._mediators)]:
            action = self.assign_menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(user_id == current)
            action.triggered.connect(lambda _c=False, u=user_id: self.assign(u))

    def _write(self, work: Callable[[], WorklistItem], done_message: str) -> None:
        for button in (self.done_button, self.postpone_button, self.assign_button):
            button.setEnabled(False)

        def finished(_item: WorklistItem) -> None:
            self._notice = done_message
            self.refresh()

        def failed(error: BaseException) -> None:
            self._notice = message_for(error)
            self.refresh()

        # A key of its own: a write is never dropped because another one follows it.
        self._runner.submit(f"worklist-write-{next(self._writes)}", lambda _s: work(),
                            lane=Lane.WRITER, on_done=finished, on_error=failed)
