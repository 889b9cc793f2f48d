"""Importing a supplier listing: choose the file and partner, preview each line (status and
reason), confirm or reject the matched lines, import with a progress bar and Cancel, a summary.

Reading, matching and writing run on the TaskRunner (parallel lane for the preview, writer lane
for the commit); Cancel stops them (nothing is written by a cancelled commit).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediadesk.domain.enums import DEFAULT_SUPPLIERS
from mediadesk.i18n import _
from mediadesk.services.errors import ValidationError
from mediadesk.services.listing import ImportResult, ListingPreview, ListingService
from mediadesk.ui.tasks import Lane, TaskRunner, TaskState

PREVIEW_KEY = "listing-preview"
COMMIT_KEY = "listing-commit"


def kind_label(kind: str) -> str:
    return {"new": _("nouveau foyer"), "matched": _("déjà connu"), "duplicate": _("doublon"),
            "invalid": _("invalide")}.get(kind, kind)


class ListingImportDialog(QDialog):
    """Signals: ``imported(object)`` with the ImportResult once committed."""

    imported = Signal(object)

    def __init__(self, service: ListingService, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Importer un listing"))
        self.resize(900, 560)
        self._service = service
        self._runner = runner
        self.preview: ListingPreview | None = None
        self.import_result: ImportResult | None = None

        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(_("Fichier CSV ou XLSX du partenaire"))
        choose = QPushButton(_("Choisir…"))
        choose.clicked.connect(self._choose)
        self.partner_box = QComboBox()
        self.partner_box.setEditable(True)
        self.partner_box.addItems(list(DEFAULT_SUPPLIERS))
        self.preview_button = QPushButton(_("Aperçu"))
        self.preview_button.clicked.connect(self.start_preview)
        top = QHBoxLayout()
        for widget in (QLabel(_("Fichier :")), self.path_edit, choose, QLabel(_("Partenaire :")),
                       self.partner_box, self.preview_button):
            top.addWidget(widget)

        columns = [_("Importer"), _("Ligne"), _("Statut"), _("Nom"), _("Foyer connu"),
                   _("Motif")]
        self.table = QTableWidget(0, len(columns))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.cancel_button = QPushButton(_("Annuler l'opération"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_task)
        self.import_button = QPushButton(_("Importer les lignes cochées"))
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_commit)
        close = QPushButton(_("Fermer"))
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.import_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(bottom)

    def set_locked(self, locked: bool) -> None:
        """Hidden while the application is locked (the work under way goes on)."""
        if locked:
            self.hide()

    # -- preview ------------------------------------------------------------------------
    def _choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choisir le listing"), "", _("Listings (*.csv *.txt *.xlsx)"))
        if path:
            self.path_edit.setText(path)
            self.start_preview()

    def start_preview(self) -> None:
        path = Path(self.path_edit.text().strip())
        partner = self.partner_box.currentText().strip() or "EDF"
        service = self._service

        def work(state: TaskState) -> ListingPreview:
            return service.preview(path.read_bytes(), source_name=path.name, partner=partner,
                                   progress=state.progress, cancel=state.cancelled)

        self._busy(_("Lecture et rapprochement du listing…"))
        self._runner.submit(PREVIEW_KEY, work, on_done=self._show_preview,
                            on_error=self._failed, on_progress=self._progressed)

    def _show_preview(self, preview: ListingPreview) -> None:
        self._idle()
        self.preview = preview
        self.table.setRowCount(len(preview.lines))
        for row, line in enumerate(preview.lines):
            check = QTableWidgetItem()
            if line.kind in ("new", "matched"):
                check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                check.setCheckState(Qt.CheckState.Checked)
            else:
                check.setFlags(Qt.ItemFlag.NoItemFlags)
            reason = line.reason or "; ".join(str(p) for p in line.problems)
            cells = (str(line.line_no), kind_label(line.kind),
                     line.line.name if line.line is not None else "", line.candidate_name,
                     reason)
            self.table.setItem(row, 0, check)
            for column, text in enumerate(cells, start=1):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        counts = {kind: len(preview.of_kind(kind))
                  for kind in ("new", "matched", "duplicate", "invalid")}
        self.status.setText(_("{new} nouveau(x), {matched} déjà connu(s), {duplicate} "
                              "doublon(s), {invalid} invalide(s). Décochez les rapprochements "
                              "à refuser.").format(**counts))
        self.import_button.setEnabled(bool(counts["new"] or counts["matched"]))

    # -- commit -------------------------------------------------------------------------
    def chosen_lines(self) -> set[int]:
        if self.preview is None:
            return set()
        return {line.line_no for row, line in enumerate(self.preview.lines)
                if (item := self.table.item(row, 0)) is not None
                and item.checkState() == Qt.CheckState.Checked}

    def set_line_checked(self, line_no: int, checked: bool) -> None:
        assert self.preview is not None
        for row, line in enumerate(self.preview.lines):
            item = self.table.item(row, 0)
            if line.line_no == line_no and item is not None:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def start_commit(self) -> None:
        preview = self.preview
        if preview is None:
            return
        lines = self.chosen_lines()
        service = self._service

        def work(state: TaskState) -> ImportResult:
            return service.commit(preview, lines=lines, skip_invalid=True,
                                  progress=state.progress, cancel=state.cancelled)

        self._busy(_("Import en cours…"))
        self._runner.submit(COMMIT_KEY, work, lane=Lane.WRITER, on_done=self._committed,
                            on_error=self._failed, on_progress=self._progressed)

    def _committed(self, result: ImportResult) -> None:
        self._idle()
        self.import_result = result
        self.import_button.setEnabled(False)
        self.status.setText(_("Import terminé : {created} nouveau(x) foyer(s), {matched} "
                              "rattaché(s) à un foyer connu, {duplicates} doublon(s) et "
                              "{invalid} ligne(s) invalide(s) laissés de côté.").format(
            created=result.created, matched=result.matched, duplicates=result.duplicates,
            invalid=result.skipped_invalid))
        self.imported.emit(result)

    # -- shared -------------------------------------------------------------------------
    def cancel_task(self) -> None:
        self._runner.cancel(PREVIEW_KEY)
        self._runner.cancel(COMMIT_KEY)
        self._idle()
        self.status.setText(_("Opération annulée : rien n'a été importé."))

    def _busy(self, message: str) -> None:
        self.status.setText(message)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.preview_button.setEnabled(False)
        self.import_button.setEnabled(False)

    def _idle(self) -> None:
        self.progress.setVisible(False)
        self.cancel_button.setEnabled(False)
        self.preview_button.setEnabled(True)

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _failed(self, error: BaseException) -> None:
        self._idle()
        if isinstance(error, ValidationError):
            self.status.setText(error.message)
        elif isinstance(error, OSError):
            self.status.setText(_("Impossible de lire le fichier : {error}").format(
                error=error.strerror or error))
        else:
            self.status.setText(str(getattr(error, "message", "")) or _("L'import a échoué."))
