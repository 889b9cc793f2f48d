"""The rejected-changes inbox: changes the server refused, never lost silently.

Each refusal shows when, which dossier, which field and value, and why (in French). "Marquer
comme lu" takes it out of the list; the record stays on this laptop and is listed again with
"Afficher aussi les messages lus". Reads on the parallel lane, the dismissal on the writer lane.
Hidden while the application is locked. Thread: GUI only.
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
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import N_, _, format_moment
from mediadesk.services.conflict_views import RejectedChange
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
    """Signals: ``loaded(count)`` after each read (the refusals listed)."""

    loaded = Signal(int)

    def __init__(self, service: ConflictService, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setWindowTitle(_("Modifications refusées par le serveur"))
        self.resize(860, 460)
        self._service = service
        self._runner = runner
        explanation = QLabel(_(
            "Ces modifications faites sur ce poste ont été refusées par le serveur : elles sont "
            "restées sur ce poste mais n'ont pas été transmises à l'équipe. Lisez la raison, "
            "corrigez si besoin avec votre responsable, puis marquez-les comme lues."), self)
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
        self.empty = muted(_("Aucune modification refusée."), self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reason = QLabel(self)
        self.reason.setWordWrap(True)
        self.show_read = QCheckBox(_("Afficher aussi les messages lus"), self)
        self.show_read.toggled.connect(lambda _checked: self.reload())
        self.dismiss_button = QPushButton(_("Marquer comme lu"), self)
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        self.status = muted(parent=self)
        close = QPushButton(_("Fermer"), self)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_read)
        buttons.addStretch(1)
        buttons.addWidget(self.dismiss_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.reason)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._show_selected()

    def show_inbox(self) -> None:
        self.show()
        self.raise_()
        self.reload()

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
