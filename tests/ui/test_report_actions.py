"""Printed documents from the dossier view: built off the GUI thread, then previewed, printed or
saved as a password-protected PDF."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from mediadesk.ui import report_actions
from mediadesk.ui.report_actions import DocumentReady, ReportActions
from mediadesk.ui.report_preview import ReportPreview
from mediadesk.ui.shell import Shell
from tests.ui.helpers import UI_PASSPHRASE, ShellFactory, search_and_open, unlock

PASSWORD = "cerisier en fleurs 2027"


@pytest.fixture
def shell(qtbot: QtBot, ui_store: Path, make_shell: ShellFactory) -> Shell:
    shell = make_shell(ui_store)
    unlock(qtbot, shell)
    search_and_open(qtbot, shell, "martin")
    return shell


def _ready(qtbot: QtBot, shell: Shell, button: str) -> tuple[ReportActions, DocumentReady]:
    view = shell.workspace_page.dossier_view
    documents = view.documents
    assert getattr(view, button).isEnabled()
    getattr(view, button).click()
    assert documents.busy is not None  # the busy indicator while the worker builds the PDF
    qtbot.waitUntil(lambda: documents.dialog is not None, timeout=15_000)
    assert documents.busy is None
    assert documents.dialog is not None
    return documents, documents.dialog


def _choose(monkeypatch: pytest.MonkeyPatch, target: Path, asked: list[str],
            password: str | None = PASSWORD) -> None:
    def chosen(_parent: object, _caption: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(chosen))
    monkeypatch.setattr(report_actions, "ask_export_password", lambda _parent: password)


@pytest.mark.parametrize(("button", "words"), [("print_summary", "CONFIDENTIEL"),
                                                ("print_sheet", "")])
def test_the_saved_document_opens_only_with_its_password(
        qtbot: QtBot, shell: Shell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        button: str, words: str) -> None:
    target = tmp_path / "document"  # no suffix: ".pdf" is added
    asked: list[str] = []
    _choose(monkeypatch, target, asked)
    documents, dialog = _ready(qtbot, shell, button)
    assert "page" in dialog.status.text()
    saver = documents.saver
    assert saver is not None
    with qtbot.waitSignal(saver.saved, timeout=10_000):
        dialog.save_button.click()
    written = target.with_suffix(".pdf")
    assert documents.last_written == written
    assert asked and asked[0].endswith(".pdf")
    assert saver.confirmation is not None
    assert "mot de passe" in saver.confirmation.informativeText()
    saver.confirmation.close()
    reader = PdfReader(io.BytesIO(written.read_bytes()))
    assert reader.is_encrypted
    with pytest.raises(Exception):  # noqa: B017 - pypdf's error type varies with versions
        reader.pages[0].extract_text()
    assert reader.decrypt("pas le bon mot de passe") == 0
    assert reader.decrypt(PASSWORD) != 0
    if words:
        assert words in "".join(page.extract_text() for page in reader.pages)
    dialog.close()


def test_nothing_is_written_when_the_password_is_cancelled(
        qtbot: QtBot, shell: Shell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "fiche.pdf"
    _choose(monkeypatch, target, [], password=None)
    documents, dialog = _ready(qtbot, shell, "print_sheet")
    before = set(tmp_path.iterdir())
    dialog.save_button.click()
    # whatever the click started has finished (not a guessed pause): nothing was written
    qtbot.waitUntil(lambda: not shell.runner.busy(), timeout=20_000)
    assert not target.exists() and documents.last_written is None
    assert set(tmp_path.iterdir()) == before  # no clear copy left anywhere
    dialog.close()


def test_the_preview_shows_every_page_of_the_summary(qtbot: QtBot, shell: Shell) -> None:
    documents, dialog = _ready(qtbot, shell, "print_summary")
    dialog.preview_button.click()
    preview = documents.preview
    assert isinstance(preview, ReportPreview)
    qtbot.waitUntil(lambda: preview.page_total > 0, timeout=10_000)
    expected = int(dialog.status.text().split(":")[1].split()[0])
    assert preview.page_total == preview.shown_pages() == expected
    assert preview.pages_label.text().startswith(str(expected))
    preview.close()
    dialog.close()


def test_printing_from_the_ready_dialog_prints_every_page(
        qtbot: QtBot, shell: Shell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "imprime.pdf"

    def printer(_parent: QWidget, title: str, _pages: int) -> QPrinter:
        chosen = QPrinter(QPrinter.PrinterMode.HighResolution)
        chosen.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        chosen.setOutputFileName(str(out))
        chosen.setDocName(title)
        return chosen

    monkeypatch.setattr(ReportPreview, "choose_printer", staticmethod(printer))
    _documents, dialog = _ready(qtbot, shell, "print_summary")
    expected = int(dialog.status.text().split(":")[1].split()[0])
    dialog.print_button.click()
    qtbot.waitUntil(lambda: "imprimante" in dialog.status.text(), timeout=15_000)
    assert len(PdfReader(out).pages) == expected
    dialog.close()


def test_the_document_dialogs_hide_behind_the_lock_and_come_back(
        qtbot: QtBot, shell: Shell) -> None:
    documents, dialog = _ready(qtbot, shell, "print_sheet")
    dialog.preview_button.click()
    preview = documents.preview
    assert preview is not None
    qtbot.waitUntil(lambda: preview.page_total > 0, timeout=10_000)
    shell.lock()
    assert not dialog.isVisible() and not preview.isVisible()  # a household's data
    field = shell.unlock_page.passphrase
    qtbot.keyClicks(field, UI_PASSPHRASE)
    with qtbot.waitSignal(shell.locked_changed, timeout=10_000):
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert dialog.isVisible() and preview.isVisible()
    preview.close()
    dialog.close()
