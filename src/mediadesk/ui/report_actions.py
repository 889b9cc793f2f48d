"""Printed documents from the dossier view ("Imprimer la fiche…", "Résumé du dossier…") and the
password-protected saving every export goes through.

The PDF is built off the GUI thread (the task runner's parallel lane) behind a busy indicator.
A small dialog then offers "Aperçu…" (`ReportPreview`: pages rendered in memory, zoom, print),
"Imprimer…" (Qt's print dialog, pages painted on the printer off the GUI thread) and
"Enregistrer en PDF…".

Saving is always a protected export (issue 8): `ExportSaver` asks where, then a password twice
(`ask_export_password`), encrypts off the GUI thread (AES-256 PDF with `protect_pdf`, or an
AES-256 ZIP with `protect_files` for tables) and writes atomically where the person chose; the
confirmation says the file only opens with its password. Nothing is ever written to a temporary
file: a clear PDF left in /tmp would be personal data on disk.
Thread: GUI only; the services are called on the worker.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import _, ngettext
from mediadesk.services.errors import NotFound, ValidationError
from mediadesk.ui.dialogs import ModalDialog
from mediadesk.ui.errors import log_unexpected
from mediadesk.ui.export_password import ask_export_password
from mediadesk.ui.report_preview import ReportPreview, page_count, start_printing
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


class ExportSaver(QObject):
    """Saves an export where the person chooses, protected by a password they type twice.

    Signals: ``saved(path)`` once written. ``confirmation`` is the message box shown then (not
    blocking), ``last_written`` the last path written."""

    saved = Signal(object)

    def __init__(self, parent: QWidget, runner: TaskRunner) -> None:
        super().__init__(parent)
        self._parent = parent
        self._runner = runner
        self.last_written: Path | None = None
        self.confirmation: QMessageBox | None = None

    def save_pdf(self, content: bytes, suggested: str, title: str) -> None:
        """Ask where and a password, then write ``content`` encrypted (AES-256 PDF)."""
        from mediadesk.services.export_protection import protect_pdf

        self._save(lambda password: protect_pdf(content, password), suggested, title,
                   _("Enregistrer en PDF"), _("Documents PDF (*.pdf)"), ".pdf")

    def save_files(self, make: Callable[[], Mapping[str, bytes]], suggested: str,
                   title: str) -> None:
        """Ask where and a password, then write the files ``make()`` returns (archive name ->
        content; called on the worker) in an AES-256 ZIP archive."""
        from mediadesk.services.export_protection import protect_files

        self._save(lambda password: protect_files(make(), password), suggested, title,
                   _("Enregistrer l'archive protégée"), _("Archives ZIP chiffrées (*.zip)"),
                   ".zip")

    def _save(self, protect: Callable[[str], bytes], suggested: str, title: str,
              caption: str, file_filter: str, suffix: str) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self._parent, caption, str(Path.home() / suggested), file_filter)
        if not chosen:
            return
        target = Path(chosen)
        if target.suffix.lower() != suffix:
            target = target.with_name(target.name + suffix)
        password = ask_export_password(self._parent)
        if password is None:
            return

        def work(_state: TaskState) -> Path:
            from mediadesk.services.reports import write_atomically

            return write_atomically(target, protect(password))

        self._runner.submit(f"export-save-{id(self)}", work, lane=Lane.PARALLEL,
                            on_done=lambda path: self._written(path, title),
                            on_error=lambda error: self._failed(error, title))

    def _written(self, path: Path, title: str) -> None:
        from mediadesk.services.export_protection import protection_notice

        self.last_written = path
        box = QMessageBox(QMessageBox.Icon.Information, title, _(
            "Le fichier est enregistré : {path}").format(path=path),
            QMessageBox.StandardButton.Ok, self._parent)
        box.setInformativeText(protection_notice())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: setattr(self, "confirmation", None))
        self.confirmation = box
        box.open()
        self.saved.emit(path)

    def _failed(self, error: BaseException, title: str) -> None:
        if isinstance(error, OSError):
            message = _("Le fichier n'a pas pu être écrit : {error}").format(
                error=error.strerror or error)
        elif isinstance(error, ValidationError):
            message = error.message
        else:
            log_unexpected(error, "protected export failed")
            message = _("Le fichier n'a pas pu être protégé ni enregistré.")
        QMessageBox.warning(self._parent, title, message)


class DocumentReady(ModalDialog):
    """What to do with a built document: preview, print, save (protected), close."""

    def __init__(self, title: str, pages: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.status = QLabel(ngettext("Le document est prêt : {count} page.",
                                      "Le document est prêt : {count} pages.",
                                      pages).format(count=pages), self)
        self.status.setWordWrap(True)
        protected = QLabel(_("Un PDF enregistré est chiffré par un mot de passe que vous "
                             "choisissez."), self)
        protected.setWordWrap(True)
        self.preview_button = QPushButton(_("Aperçu…"), self)
        self.print_button = QPushButton(_("Imprimer…"), self)
        self.save_button = QPushButton(_("Enregistrer en PDF…"), self)
        self.close_button = QPushButton(_("Fermer"), self)
        self.close_button.clicked.connect(self.reject)
        self.preview_button.setDefault(True)
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.print_button, self.save_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(protected)
        layout.addLayout(buttons)
        self.setMinimumWidth(520)


class ReportActions(QObject):
    """Builds a household's document in the background then offers to preview, print or save
    it. The file dialog and the password dialog are the ones `ExportSaver` opens."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self._reports: ReportService | None = None
        self._runner: TaskRunner | None = None
        self.busy: QProgressDialog | None = None
        self.dialog: DocumentReady | None = None
        self.preview: ReportPreview | None = None
        self.saver: ExportSaver | None = None

    @property
    def last_written(self) -> Path | None:
        return self.saver.last_written if self.saver is not None else None

    def set_service(self, reports: ReportService | None, runner: TaskRunner | None) -> None:
        self._reports, self._runner = reports, runner
        self.saver = ExportSaver(self._parent, runner) if runner is not None else None

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

        def work(_state: TaskState) -> tuple[bytes, int]:
            content = build(reports, household_id)
            return content, page_count(content)

        def done(result: tuple[bytes, int]) -> None:
            self._close_busy()
            self._offer(kind, title, household_name, *result)

        def failed(error: BaseException) -> None:
            self._close_busy()
            if isinstance(error, (NotFound, ValidationError)):
                message = getattr(error, "message", str(error))
                QMessageBox.warning(self._parent, title, message)
            else:
                log_unexpected(error, "document build failed")
                QMessageBox.critical(self._parent, title,
                                     _("Le document n'a pas pu être préparé."))

        runner.submit(f"report-{kind}", work, lane=Lane.PARALLEL, on_done=done,
                      on_error=failed)

    def _close_busy(self) -> None:
        if self.busy is not None:
            self.busy.close()
            self.busy.deleteLater()
            self.busy = None

    def _offer(self, kind: str, title: str, household_name: str, content: bytes,
               pages: int) -> None:
        runner, saver = self._runner, self.saver
        if runner is None or saver is None:
            return
        stem = f"{DOCUMENTS[kind][0]}-{_slug(household_name)}.pdf"
        if self.dialog is not None:
            self.dialog.abandon()
        dialog = DocumentReady(title, pages, self._parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda: setattr(self, "dialog", None))

        def save() -> None:
            saver.save_pdf(content, stem, title)

        def show_preview() -> None:
            self.preview = open_preview(dialog, runner, content, title, save)

        dialog.preview_button.clicked.connect(show_preview)
        dialog.print_button.clicked.connect(lambda: start_printing(
            dialog, runner, content, title, pages, status=dialog.status.setText,
            buttons=(dialog.print_button,)))
        dialog.save_button.clicked.connect(save)
        self.dialog = dialog
        dialog.show_modal()


def open_preview(parent: QWidget, runner: TaskRunner, content: bytes, title: str,
                 save: Callable[[], None]) -> ReportPreview:
    """Show the preview of ``content`` (deleted when closed)."""
    preview = ReportPreview(content, title, runner, parent, on_save=save)
    preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    preview.show_modal()
    return preview


def _slug(name: str) -> str:
    kept = "".join(c if c.isalnum() else "-" for c in name.casefold())
    return "-".join(part for part in kept.split("-") if part) or "foyer"
