"""Printed documents from the dossier view: built off the GUI thread, then saved as PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from mediadesk.ui.shell import Shell
from tests.ui.helpers import ShellFactory, search_and_open, unlock


@pytest.fixture
def shell(qtbot: QtBot, ui_store: Path, make_shell: ShellFactory) -> Shell:
    shell = make_shell(ui_store)
    unlock(qtbot, shell)
    search_and_open(qtbot, shell, "martin")
    return shell


@pytest.mark.parametrize(("button", "words"), [("print_summary", "CONFIDENTIEL"),
                                                ("print_sheet", "")])
def test_the_document_is_built_in_the_background_then_saved(
        qtbot: QtBot, shell: Shell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        button: str, words: str) -> None:
    view = shell.workspace_page.dossier_view
    documents = view.documents
    assert getattr(view, button).isEnabled()
    target = tmp_path / "document"  # no suffix: ".pdf" is added
    asked: list[str] = []

    def chosen(_parent: object, _caption: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(chosen))
    getattr(view, button).click()
    assert documents.busy is not None  # the busy indicator while the worker builds the PDF
    qtbot.waitUntil(lambda: documents.dialog is not None, timeout=15_000)
    assert documents.busy is None
    dialog = documents.dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    save = next(b for b in dialog.findChildren(type(view.print_sheet))
                if b.text() == "Enregistrer en PDF…")
    save.click()
    written = target.with_suffix(".pdf")
    assert documents.last_written == written
    content = written.read_bytes()
    assert content.startswith(b"%PDF")
    assert asked and asked[0].endswith(".pdf")
    if words:
        from tests.reports.helpers import all_text

        assert words in all_text(content)
    dialog.close()
