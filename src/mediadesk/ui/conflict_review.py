"""Reviewing sync conflicts: one dossier's, or (team leads) the team's whole queue.

A window of its own: the conflicts in a table, the one selected in a detail area (the field,
the value everyone started from, every candidate with who wrote it, on which device and when),
and the ways out: "Garder cette valeur", "Garder les deux (copie dans une note)" for texts,
"Restaurer" for a record deleted while it was edited, and for team leads, one rule applied to
every conflict selected. Reads run on the parallel lane, resolutions on the writer lane; after
each resolution the list is read again and ``resolved(resolution)`` tells the shell (refresh
the dossier and the badges, sync soon). Hidden while the application is locked.
Thread: GUI only.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import N_, _, format_moment, ngettext
from mediadesk.services.conflict_errors import ConflictAccessDenied
from mediadesk.services.conflict_views import (
    BULK_RULE_TEXTS,
    BulkRule,
    CandidateView,
    ConflictKind,
    ConflictView,
    Resolution,
)
from mediadesk.ui.errors import message_for
from mediadesk.ui.models import Column, ObjectTableModel
from mediadesk.ui.tasks import Lane, TaskRunner, TaskState
from mediadesk.ui.widgets import muted, read_only_table

if TYPE_CHECKING:
    from mediadesk.services.conflicts import ConflictService

_LOAD, _RESOLVE = "conflicts-load", "conflicts-resolve"


def _who(candidate: CandidateView) -> str:
    return _("{author}, {device}").format(author=candidate.author, device=candidate.device)


def conflicts_model(parent: QWidget | None = None) -> ObjectTableModel[ConflictView]:
    return ObjectTableModel[ConflictView]([
        Column(N_("Dossier"), lambda c: c.dossier or _("(hors dossier)")),
        Column(N_("Fiche"), lambda c: c.entity_label),
        Column(N_("Champ"), lambda c: c.field_label),
        Column(N_("Valeurs en présence"), lambda c: " / ".join(x.value for x in c.candidates)),
        Column(N_("Dernière modification"), lambda c: format_moment(c.latest.at)),
    ], parent)


def candidates_model(parent: QWidget | None = None) -> ObjectTableModel[CandidateView]:
    return ObjectTableModel[CandidateView]([
        Column(N_("Valeur"), lambda c: c.value),
        Column(N_("Action"), lambda c: c.action),
        Column(N_("Auteur"), lambda c: c.author),
        Column(N_("Poste"), lambda c: c.device),
        Column(N_("Date"), lambda c: format_moment(c.at)),
        Column(N_("Affichée"), lambda c: _("oui") if c.shown else ""),
    ], parent)


def _table(model: ObjectTableModel[ConflictView] | ObjectTableModel[CandidateView],
           parent: QWidget) -> QTableView:
    view = read_only_table(model, parent)
    view.setWordWrap(False)
    return view


class ConflictReviewWindow(QWidget):
    """Signals: ``resolved(resolution)`` after each resolution, ``loaded(count)`` after each
    read, ``open_requested(household_id)`` to show a dossier of the queue."""

    resolved = Signal(object)
    loaded = Signal(int)
    open_requested = Signal(object)

    def __init__(self, service: ConflictService, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.resize(900, 560)
        self._service = service
        self._runner = runner
        self._household: uuid.UUID | None = None
        self._team_lead = False
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.model = conflicts_model(self)
        self.table = _table(self.model, self)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._show_selected)
        self.table.doubleClicked.connect(lambda _index: self._open_dossier())
        self.empty = muted(_("Aucun conflit à examiner."), self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.candidates = candidates_model(self)
        self.candidate_table = _table(self.candidates, self)
        self.candidate_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.candidate_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)
        self.candidate_table.selectionModel().selectionChanged.connect(self._enable)
        self.pick_button = QPushButton(_("Garder cette valeur"), self)
        self.pick_button.clicked.connect(self.keep_selected)
        self.both_button = QPushButton(_("Garder les deux (copie dans une note)"), self)
        self.both_button.setToolTip(_("La valeur choisie reste dans le champ ; l'autre texte "
                                      "est copié dans une note du dossier"))
        self.both_button.clicked.connect(self.keep_both)
        self.restore_button = QPushButton(_("Restaurer"), self)
        self.restore_button.setToolTip(_("Faire revenir la fiche supprimée, avec les "
                                         "modifications faites entre-temps"))
        self.restore_button.clicked.connect(self.restore)
        self.open_button = QPushButton(_("Ouvrir le dossier"), self)
        self.open_button.clicked.connect(self._open_dossier)
        self.bulk_rule = QComboBox(self)
        for rule in BulkRule:
            self.bulk_rule.addItem(_(BULK_RULE_TEXTS[rule]), rule)
        self.bulk_button = QPushButton(_("Résoudre les conflits choisis"), self)
        self.bulk_button.clicked.connect(self.resolve_bulk)
        self.status = muted(parent=self)
        self.status.setWordWrap(True)
        close = QPushButton(_("Fermer"), self)
        close.clicked.connect(self.close)

        actions = QHBoxLayout()
        for button in (self.pick_button, self.both_button, self.restore_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.open_button)
        self.bulk_row = QWidget(self)
        bulk = QHBoxLayout(self.bulk_row)
        bulk.setContentsMargins(0, 0, 0, 0)
        bulk.addWidget(QLabel(_("Pour toute la sélection :"), self.bulk_row))
        bulk.addWidget(self.bulk_rule)
        bulk.addWidget(self.bulk_button)
        bulk.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.empty)
        layout.addWidget(self.bulk_row)
        layout.addWidget(self.detail)
        layout.addWidget(self.candidate_table, 2)
        layout.addLayout(actions)
        layout.addLayout(bottom)
        self._show_conflict(None)

    # -- what is shown ----------------------------------------------------------------------
    def show_conflicts(self, household_id: uuid.UUID | None, dossier_name: str = "") -> None:
        """Show one dossier's conflicts, or (None) the team's queue, read again now."""
        self._household = household_id
        if household_id is None:
            self.setWindowTitle(_("Conflits à examiner"))
            self.title.setText(_("Conflits à examiner de toute l'équipe. Choisissez pour "
                                 "chacun la valeur à garder ; la décision est synchronisée "
                                 "avec toute l'équipe."))
        else:
            self.setWindowTitle(_("Conflits du dossier « {name} »").format(name=dossier_name))
            self.title.setText(_("Deux personnes ont modifié la même information de ce dossier "
                                 "sans le savoir. Choisissez la valeur à garder ; la décision "
                                 "est synchronisée avec toute l'équipe."))
        self.show()
        self.raise_()
        self.reload()

    def set_locked(self, locked: bool) -> None:
        """Hidden while the application is locked (it names households)."""
        if locked:
            self.hide()

    def reload(self) -> None:
        service, household = self._service, self._household

        def work(_state: TaskState) -> tuple[list[ConflictView], bool]:
            return service.open_conflicts(household), service.may_review_team(household)

        self._runner.submit(_LOAD, work, on_done=self._loaded, on_error=self._load_failed)

    def _loaded(self, result: tuple[list[ConflictView], bool]) -> None:
        conflicts, team_lead = result
        kept = self.current()
        self._team_lead = team_lead
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection
                                    if team_lead else
                                    QAbstractItemView.SelectionMode.SingleSelection)
        self.bulk_row.setVisible(team_lead)
        self.model.set_rows(conflicts)
        self.table.resizeColumnsToContents()
        self.empty.setVisible(not conflicts)
        self.table.setVisible(bool(conflicts))
        if conflicts:
            ids = [c.id for c in conflicts]
            self.table.selectRow(ids.index(kept.id) if kept is not None and kept.id in ids
                                 else 0)
        else:
            self._show_conflict(None)
        self._enable()
        self.loaded.emit(len(conflicts))

    def current(self) -> ConflictView | None:
        index = self.table.currentIndex()
        rows = self.table.selectionModel().selectedRows()
        row = index.row() if index.isValid() else (rows[0].row() if rows else -1)
        return self.model.row_object(row)

    def selected(self) -> list[ConflictView]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [c for c in (self.model.row_object(r) for r in rows) if c is not None]

    def selected_candidate(self) -> CandidateView | None:
        rows = self.candidate_table.selectionModel().selectedRows()
        return self.candidates.row_object(rows[0].row()) if rows else None

    def _show_selected(self) -> None:
        chosen = self.selected()
        self._show_conflict(chosen[0] if len(chosen) == 1 else None, many=len(chosen) > 1)

    def _show_conflict(self, conflict: ConflictView | None, *, many: bool = False) -> None:
        if conflict is None:
            self.detail.setText(ngettext("{count} conflit choisi.", "{count} conflits choisis.",
                                         len(self.selected())).format(
                count=len(self.selected())) if many else "")
            self.candidates.set_rows([])
        else:
            if conflict.kind is ConflictKind.DELETED:
                text = _("Une fiche <b>{entity}</b> du dossier « {dossier} » a été supprimée "
                         "sur un poste pendant qu'elle était modifiée sur un autre. "
                         "Restaurez-la avec ses modifications, ou confirmez la suppression.")
            else:
                text = _("<b>{field}</b> ({entity}) de « {dossier} ». Valeur de départ : "
                         "<b>{base}</b>.")
                if conflict.held:
                    text += " " + _("La valeur de départ reste en place tant que personne n'a "
                                    "choisi.")
            self.detail.setText(text.format(
                field=_escape(conflict.field_label), entity=_escape(conflict.entity_label),
                dossier=_escape(conflict.dossier), base=_escape(conflict.base)))
            self.candidates.set_rows(conflict.candidates)
            self.candidate_table.resizeColumnsToContents()
            shown = next((c.index for c in conflict.candidates if c.shown), 0)
            self.candidate_table.selectRow(shown)
        self._enable()

    def _enable(self) -> None:
        chosen = self.selected()
        conflict = chosen[0] if len(chosen) == 1 else None
        busy = self._runner.is_running(_RESOLVE)
        candidate = self.selected_candidate()
        self.pick_button.setEnabled(not busy and conflict is not None and candidate is not None)
        self.both_button.setEnabled(not busy and conflict is not None
                                    and conflict.kind is ConflictKind.TEXT)
        self.restore_button.setEnabled(not busy and conflict is not None
                                       and conflict.kind is ConflictKind.DELETED)
        self.open_button.setVisible(self._household is None)
        self.open_button.setEnabled(conflict is not None and conflict.household_id is not None)
        self.bulk_button.setEnabled(not busy and self._team_lead and bool(chosen))
        label = (_("Confirmer la suppression") if candidate is not None and candidate.deletes
                 else _("Garder cette valeur"))
        self.pick_button.setText(label)

    # -- resolving --------------------------------------------------------------------------
    def keep_selected(self) -> None:
        conflict, candidate = self.current(), self.selected_candidate()
        if conflict is not None and candidate is not None:
            index = candidate.index
            self._resolve(lambda service: service.resolve_pick(conflict.id, index))

    def keep_both(self) -> None:
        conflict = self.current()
        if conflict is not None:
            candidate = self.selected_candidate()
            keep = candidate.index if candidate is not None and not candidate.deletes else None
            self._resolve(lambda service: service.resolve_keep_both(conflict.id, keep))

    def restore(self) -> None:
        conflict = self.current()
        if conflict is not None:
            self._resolve(lambda service: service.restore_deleted(conflict.id))

    def resolve_bulk(self) -> None:
        ids = [c.id for c in self.selected()]
        rule = BulkRule(self.bulk_rule.currentData())
        if ids:
            self._resolve(lambda service: service.resolve_bulk(ids, rule))

    def _resolve(self, action: Callable[[ConflictService], Resolution]) -> None:
        service = self._service
        self.status.setText(_("Enregistrement…"))
        self._runner.submit(_RESOLVE, lambda _state: action(service), lane=Lane.WRITER,
                            on_done=self._resolved, on_error=self._resolve_failed)
        self._enable()

    def _resolved(self, resolution: Resolution) -> None:
        count = len(resolution.conflict_ids)
        message = ngettext("{count} conflit résolu ; la décision partira à la prochaine "
                           "synchronisation.",
                           "{count} conflits résolus ; la décision partira à la prochaine "
                           "synchronisation.", count).format(count=count)
        if resolution.note_id is not None:
            message += " " + _("L'autre texte a été copié dans une note du dossier.")
        self.status.setText(message)
        self.resolved.emit(resolution)
        self.reload()

    def _load_failed(self, error: BaseException) -> None:
        self.model.set_rows([])
        self.table.hide()
        self.empty.show()
        self.bulk_row.hide()
        self._show_conflict(None)
        message = message_for(error)
        if isinstance(error, ConflictAccessDenied) and self._household is None:
            message += " " + _(
                "Vos modifications de dossiers supprimés ailleurs sont dans le menu « "
                "Synchronisation », « Dossiers supprimés ailleurs pendant vos modifications… ».")
        self.status.setText(message)
        self.loaded.emit(0)

    def _resolve_failed(self, error: BaseException) -> None:
        self.status.setText(message_for(error))
        self.reload()  # it may have been resolved meanwhile: show what is left

    def _open_dossier(self) -> None:
        conflict = self.current()
        if conflict is not None and conflict.household_id is not None:
            self.open_requested.emit(conflict.household_id)


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
