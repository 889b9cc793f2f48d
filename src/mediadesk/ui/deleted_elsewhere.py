"""Dossiers deleted on another laptop while the user edited them (a tab of the sync inbox).

Such a dossier no longer opens nor appears in search, and the team queue is for leads: this is
where the person whose edit met the deletion finds it (`ConflictService.deleted_while_editing`:
their own edits only). Each row names the dossier, who deleted it, on which laptop and when,
and their edit; "Restaurer le dossier" brings it back with the edit, "Accepter la suppression"
confirms the deletion. Both are ordinary resolutions that sync. Reads on the parallel lane,
resolutions on the writer lane. Thread: GUI only.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import N_, _, format_moment
from mediadesk.services.conflict_views import DeletedElsewhere, Resolution
from mediadesk.ui.errors import message_for
from mediadesk.ui.models import Column, ObjectTableModel
from mediadesk.ui.tasks import Lane, TaskRunner, TaskState
from mediadesk.ui.widgets import muted

if TYPE_CHECKING:
    from mediadesk.services.conflicts import ConflictService

_LOAD, _RESOLVE = "deleted-elsewhere-load", "deleted-elsewhere-resolve"


def deleted_model(parent: QWidget | None = None) -> ObjectTableModel[DeletedElsewhere]:
    return ObjectTableModel[DeletedElsewhere]([
        Column(N_("Dossier"), lambda d: d.dossier),
        Column(N_("Supprimé par"), lambda d: d.deleted_by),
        Column(N_("Poste"), lambda d: d.deleted_on),
        Column(N_("Supprimé le"), lambda d: format_moment(d.deleted_at)),
        Column(N_("Votre modification"), lambda d: d.edit_summary),
    ], parent)


class DeletedElsewherePanel(QWidget):
    """Signals: ``loaded(count)`` after each read, ``resolved(Resolution)`` after a restore or
    an accepted deletion, ``open_requested(household_id)`` for a dossier restored here."""

    loaded = Signal(int)
    resolved = Signal(object)
    open_requested = Signal(object)

    def __init__(self, service: ConflictService, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._restored: uuid.UUID | None = None
        explanation = QLabel(_(
            "Ces dossiers ont été supprimés sur un autre poste alors que vous les modifiiez : "
            "ils n'apparaissent plus dans la recherche. Vos modifications sont conservées. "
            "Restaurez le dossier pour le garder avec vos modifications, ou acceptez la "
            "suppression (voyez-en la raison avec la personne qui l'a supprimé)."), self)
        explanation.setWordWrap(True)
        self.model = deleted_model(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._show_selected)
        self.empty = muted(_("Aucun dossier supprimé ailleurs pendant que vous le modifiiez."),
                           self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        # room for the sentence wrapped on three lines: the table, not the sentence, shrinks
        self.detail.setMinimumHeight(self.detail.fontMetrics().lineSpacing() * 3)
        self.status = muted(parent=self)
        self.restore_button = QPushButton(_("Restaurer le dossier"), self)
        self.restore_button.setToolTip(_(
            "Le dossier revient, avec vos modifications, sur tous les postes de l'équipe."))
        self.restore_button.clicked.connect(self.restore_selected)
        self.accept_button = QPushButton(_("Accepter la suppression"), self)
        self.accept_button.setToolTip(_(
            "Le dossier reste supprimé ; vos modifications restent dans son historique."))
        self.accept_button.clicked.connect(self.accept_selected)
        self.open_button = QPushButton(_("Ouvrir le dossier restauré"), self)
        self.open_button.clicked.connect(self._open_restored)
        self.open_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.detail)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._show_selected()

    def reload(self) -> None:
        service = self._service

        def work(_state: TaskState) -> list[DeletedElsewhere]:
            return service.deleted_while_editing()

        self._runner.submit(_LOAD, work, on_done=self._loaded, on_error=self._load_failed)

    def _loaded(self, entries: list[DeletedElsewhere]) -> None:
        self.model.set_rows(entries)
        self.table.resizeColumnsToContents()
        self.empty.setVisible(not entries)
        self.table.setVisible(bool(entries))
        if entries:
            self.table.selectRow(0)
        self._show_selected()
        self.loaded.emit(len(entries))

    def _load_failed(self, error: BaseException) -> None:
        self.status.setText(message_for(error))
        self._loaded([])

    def selected(self) -> DeletedElsewhere | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_object(rows[0].row()) if rows else None

    def _show_selected(self) -> None:
        entry = self.selected()
        self.restore_button.setEnabled(entry is not None)
        self.accept_button.setEnabled(entry is not None)
        if entry is None:
            self.detail.setText("")
            return
        self.detail.setText(_(
            "« {dossier} » a été supprimé par {who} ({device}) le {moment}. Votre "
            "modification : {edit}.").format(
            dossier=entry.dossier, who=entry.deleted_by, device=entry.deleted_on,
            moment=format_moment(entry.deleted_at), edit=entry.edit_summary))

    def restore_selected(self) -> None:
        entry = self.selected()
        if entry is not None:
            conflict_id = entry.conflict_id
            self._resolve(lambda service: service.restore_deleted(conflict_id), _(
                "Le dossier « {dossier} » est restauré avec vos modifications ; il partira à "
                "la prochaine synchronisation.").format(dossier=entry.dossier),
                restored=entry.household_id)

    def accept_selected(self) -> None:
        entry = self.selected()
        if entry is not None:
            conflict_id = entry.conflict_id
            self._resolve(lambda service: service.accept_deletion(conflict_id), _(
                "La suppression du dossier « {dossier} » est acceptée ; la décision partira à "
                "la prochaine synchronisation.").format(dossier=entry.dossier))

    def _resolve(self, action: Callable[[ConflictService], Resolution], done: str,
                 restored: uuid.UUID | None = None) -> None:
        service = self._service
        self.restore_button.setEnabled(False)
        self.accept_button.setEnabled(False)
        self.status.setText(_("Enregistrement…"))

        def finished(resolution: Resolution) -> None:
            self.status.setText(done)
            self._restored = restored
            self.open_button.setVisible(restored is not None)
            self.resolved.emit(resolution)
            self.reload()

        def failed(error: BaseException) -> None:
            self.status.setText(message_for(error))
            self.reload()  # it may have been resolved meanwhile: show what is left

        self._runner.submit(_RESOLVE, lambda _state: action(service), lane=Lane.WRITER,
                            on_done=finished, on_error=failed)

    def _open_restored(self) -> None:
        if self._restored is not None:
            self.open_requested.emit(self._restored)
