"""Printed documents from the dossier view: "Imprimer la fiche…" and "Résumé du dossier…".

The PDF is built off the GUI thread (the task runner's parallel lane) behind a busy indicator.
Then a small dialog offers "Enregistrer en PDF…" (a file dialog, written atomically, where the
person chooses). Nothing is written to a temporary file: a clear PDF left in /tmp would be personal
data on disk. In-app preview and printing need a PDF renderer this PySide6 build lacks (no QtPdf).
Thread: GUI only; the services are called on the worker.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import _
from mediadesk.services.errors import NotFound, ValidationError
from mediadesk.ui.tasks import Lane, TaskRunner, TaskState

if TYPE_CHECKING:
    from mediadesk.services.reports import ReportService

Build = Callable[["ReportService", uuid.UUID], bytes]
DOCUMENTS: dict[str, tuple[str, str, Build]] = {
    "sheet": ("fiche", "Fiche des prochaines étapes",
              lambda reports, household: reports.render_sheet(household)),
    "dossier": ("synthese", "Résumé du dossier",
                lambda reports, household: reports.render_dossier(household)),
}


def _titles() -> dict[str, str]:
    return {"sheet": _("Fiche des prochaines étapes"), "dossier": _("Résumé du dossier")}


class ReportActions(QObject):
    """Builds a household's document in the background then offers to save or open it.

    ``save_path`` (tests) replaces the file dialog: it gets the suggested path and returns the
    chosen one, or None to cancel."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self._reports: ReportService | None = None
        self._runner: TaskRunner | None = None
        self.busy: QProgressDialog | None = None
        self.dialog: QDialog | None = None
        self.last_written: Path | None = None

    def set_service(self, reports: ReportService | None, runner: TaskRunner | None) -> None:
        self._reports, self._runner = reports, runner

    def available(self) -> bool:
        return self._reports is not None and self._runner is not None

    def request(self, kind: str, household_id: uuid.UUID, household_name: str) -> None:
        """Build document ``kind`` ("sheet" or "dossier") of the household, off the GUI
        thread, then show what to do with it."""
        reports, runner = self._reports, self._runner
        if reports is None or runner is None:
            return
        build = DOCUMENTS[kind][2]
        title = _titles()[kind]
        self.busy = QProgressDialog(_("Préparation du document…"), _("Annuler"), 0, 0,
                                    self._parent)
        self.busy.setWindowTitle(title)
        self.busy.setWindowModality(Qt.WindowModality.WindowModal)
        self.busy.setMinimumDuration(0)
        self.busy.canceled.connect(lambda: runner.cancel(f"report-{kind}"))
        self.busy.show()

        def work(_state: TaskState) -> bytes:
            return build(reports, household_id)

        def done(content: bytes) -> None:
            self._close_busy()
            self._offer(kind, title, household_name, content)

        def failed(error: BaseException) -> None:
            self._close_busy()
            if isinstance(error, (NotFound, ValidationError)):
                message = getattr(error, "message", str(error))
                QMessageBox.warning(self._parent, title, message)
            else:
                QMessageBox.critical(self._parent, title,
                                     _("Le document n'a pas pu être préparé."))

        runner.submit(f"report-{kind}", work, lane=Lane.PARALLEL, on_done=done,
                      on_error=failed)

    def _close_busy(self) -> None:
        if self.busy is not None:
            self.busy.close()
            self.busy.deleteLater()
            self.busy = None

    def _offer(self, kind: str, title: str, household_name: str, content: bytes) -> None:
        stem = f"{DOCUMENTS[kind][0]}-{_slug(household_name)}.pdf"
        dialog = QDialog(self._parent)
        dialog.setWindowTitle(title)
        layout = QVBoxLayout(dialog)
        layout.addWidget(QLabel(_("Le document est prêt ({pages}).").format(
            pages=_("{size} ko").format(size=max(1, len(content) // 1024))), dialog))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        save = QPushButton(_("Enregistrer en PDF…"), dialog)
        buttons.addButton(save, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(dialog.reject)
        save.clicked.connect(lambda: self.save(content, stem, title))
        layout.addWidget(buttons)
        self.dialog = dialog
        dialog.setModal(True)
        dialog.show()

    def save(self, content: bytes, stem: str, title: str) -> Path | None:
        """Ask where to save the PDF and write it atomically; returns the path written."""
        from mediadesk.services.reports import write_atomically

        chosen, _filter = QFileDialog.getSaveFileName(
            self._parent, _("Enregistrer en PDF"), str(Path.home() / stem),
            _("Documents PDF (*.pdf)"))
        if not chosen:
            return None
        target = Path(chosen)
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        try:
            write_atomically(target, content)
        except OSError as error:
            QMessageBox.warning(self._parent, title, _(
                "Le fichier n'a pas pu être écrit : {error}").format(error=error.strerror
                                                                     or error))
            return None
        self.last_written = target
        return target


def _slug(name: str) -> str:
    kept = "".join(c if c.isalnum() else "-" for c in name.casefold())
    return "-".join(part for part in kept.split("-") if part) or "foyer"
