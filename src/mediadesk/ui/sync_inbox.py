"""The sync inbox: the user's changes that did not reach the team as they were, never lost
silently. Two tabs:

- refused by the server: each refusal shows when, which dossier, which field and value, and why
  (in French). "Marquer comme lu" takes it out of the list; the record stays on this laptop and
  is listed again with "Afficher aussi les messages lus";
- dossiers deleted elsewhere while the user edited them (ui/deleted_elsewhere.py): restore each
  or accept the deletion.

Each tab names how many entries it holds. Reads on the parallel lane, the dismissal on the
writer lane. Hidden while the application is locked. Thread: GUI only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import N_, _, format_moment
from mediadesk.services.conflict_views import RejectedChange
from mediadesk.ui.deleted_elsewhere import DeletedElsewherePanel
from mediadesk.ui.errors import message_for
from mediadesk.ui.models import Column, ObjectTableModel
from mediadesk.ui.tasks import Lane, TaskRunner, TaskState
from mediadesk.ui.widgets import muted

if TYPE_CHECKING:
    from mediadesk.services.conflicts import ConflictService

_LOAD, _DISMISS = "inbox-load", "inbox-dismiss"


def rejected_model(parent: QWidget | None = None) -> ObjectTableModel[RejectedChange]:
    return ObjectTableModel[RejectedChange]([
        Column(N_("Refusée le"), lambda r: format_moment(r.at)),
        Column(N_("Dossier"), lambda r: r.dossier or _("(hors dossier)")),
        Column(N_("Fiche"), lambda r: r.entity_label),
        Column(N_("Champ"), lambda r: r.field_label),
        Column(N_("Valeur"), lambda r: r.value),
        Column(N_("Lu"), lambda r: format_moment(r.dismissed_at) if r.dismissed_at else ""),
    ], parent)


class SyncInboxWindow(QWidget):
    """Signals: ``loaded(count)`` after each read of the refusals (those listed),
    ``resolved(Resolution)`` and ``open_requested(household_id)`` from the dossiers deleted
    elsewhere (``deleted``)."""

    loaded = Signal(int)
    resolved = Signal(object)
    open_requested = Signal(object)

    def __init__(self, service: ConflictService, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setWindowTitle(_("Vos modifications à vérifier"))
        self.resize(900, 520)
        self._service = service
        self._runner = runner
        self._refused_count = self._deleted_count = 0
        refused = QWidget(self)
        explanation = QLabel(_(
            "Ces modifications faites sur ce poste ont été refusées par le serveur : elles sont "
            "restées sur ce poste mais n'ont pas été transmises à l'équipe. Lisez la raison, "
            "corrigez si besoin avec votre responsable, puis marquez-les comme lues."), refused)
        explanation.setWordWrap(True)
        self.model = rejected_model(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._show_selected)
        self.empty = muted(_("Aucune modification refusée."), refused)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reason = QLabel(self)
        self.reason.setWordWrap(True)
        self.show_read = QCheckBox(_("Afficher aussi les messages lus"), refused)
        self.show_read.toggled.connect(lambda _checked: self.reload())
        self.dismiss_button = QPushButton(_("Marquer comme lu"), refused)
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        self.status = muted(parent=refused)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_read)
        buttons.addStretch(1)
        buttons.addWidget(self.dismiss_button)
        layout = QVBoxLayout(refused)
        layout.addWidget(explanation)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.reason)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.deleted = DeletedElsewherePanel(service, runner, self)
        self.deleted.loaded.connect(self._deleted_loaded)
        self.deleted.resolved.connect(self.resolved)
        self.deleted.open_requested.connect(self.open_requested)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(refused, "")
        self.tabs.addTab(self.deleted, "")
        close = QPushButton(_("Fermer"), self)
        close.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        outer = QVBoxLayout(self)
        outer.addWidget(self.tabs, 1)
        outer.addLayout(bottom)
        self._name_tabs()
        self._show_selected()

    def show_inbox(self) -> None:
        """Show the window on the refused changes (both tabs read again)."""
        self._show(0)

    def show_deleted_elsewhere(self) -> None:
        """Show the window on the dossiers deleted elsewhere while the user edited them."""
        self._show(1)

    def _show(self, tab: int) -> None:
        self.tabs.setCurrentIndex(tab)
        self.show()
        self.raise_()
        self.reload()
        self.deleted.reload()

    def _name_tabs(self) -> None:
        self.tabs.setTabText(0, _("Refusées par le serveur ({count})").format(
            count=self._refused_count))
        self.tabs.setTabText(1, _("Dossiers supprimés ailleurs ({count})").format(
            count=self._deleted_count))

    def _deleted_loaded(self, count: int) -> None:
        self._deleted_count = count
        self._name_tabs()

    def set_locked(self, locked: bool) -> None:
        if locked:
            self.hide()

    def reload(self) -> None:
        service, everything = self._service, self.show_read.isChecked()

        def work(_state: TaskState) -> list[RejectedChange]:
            return service.rejected_changes(include_dismissed=everything)

        self._runner.submit(_LOAD, work, on_done=self._loaded, on_error=self._failed)

    def _loaded(self, changes: list[RejectedChange]) -> None:
        self.model.set_rows(changes)
        self.table.resizeColumnsToContents()
        self.empty.setVisible(not changes)
        self.table.setVisible(bool(changes))
        if changes:
            self.table.selectRow(0)
        self._show_selected()
        self._refused_count = len(changes)
        self._name_tabs()
        self.loaded.emit(len(changes))

    def selected(self) -> RejectedChange | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_object(rows[0].row()) if rows else None

    def _show_selected(self) -> None:
        change = self.selected()
        self.reason.setText(_("Raison : {reason}").format(reason=change.reason)
                            if change is not None else "")
        self.dismiss_button.setEnabled(change is not None and change.dismissed_at is None)

    def dismiss_selected(self) -> None:
        change = self.selected()
        if change is None:
            return
        service, rejected_id = self._service, change.id
        self.dismiss_button.setEnabled(False)
        self._runner.submit(_DISMISS, lambda _s: service.dismiss_rejected(rejected_id),
                            lane=Lane.WRITER, on_done=lambda _r: self.reload(),
                            on_error=self._failed)

    def _failed(self, error: BaseException) -> None:
        self.status.setText(message_for(error))
