"""Unlocking an existing store: wrong passphrase inline, right one opens, damage is explained."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mediadesk.ui.first_start import FirstStartPage
from tests.ui.helpers import ShellFactory, unlock


def test_wrong_passphrase_is_said_inline_then_the_right_one_opens(
        qtbot: QtBot, ui_store: Path, make_shell: ShellFactory) -> None:
    shell = make_shell(ui_store)
    page = shell.unlock_page
    assert page.isVisible()

    qtbot.keyClicks(page.passphrase, "pas la bonne phrase")
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.error.isVisible(), timeout=10_000)

    assert page.error.text() == "Phrase de passe incorrecte."
    assert page.passphrase.hasFocus()
    assert page.passphrase.selectedText() == "pas la bonne phrase"
    assert not shell.workspace_page.isVisible()

    unlock(qtbot, shell)
    assert shell.workspace_page.isVisible()
    assert shell.workspace_page.search.field.hasFocus()


def test_a_damaged_store_gets_a_clear_message(qtbot: QtBot, ui_store: Path,
                                              make_shell: ShellFactory) -> None:
    ui_store.with_name(ui_store.name + ".keys").write_text("ceci n'est pas un fichier de clés")
    shell = make_shell(ui_store)
    page = shell.unlock_page

    qtbot.keyClicks(page.passphrase, "ronces violettes sur le canal")
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.error.isVisible(), timeout=10_000)

    assert "endommagé" in page.error.text()
    assert page.passphrase.isEnabled()


def test_an_existing_file_can_be_chosen_at_first_start(
        qtbot: QtBot, tmp_path: Path, ui_store: Path, make_shell: ShellFactory,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FirstStartPage, "choose_store_file", staticmethod(lambda _p: ui_store))
    shell = make_shell(tmp_path / "absent.mdk")

    qtbot.mouseClick(shell.first_start.open_choice, Qt.MouseButton.LeftButton)

    assert shell.unlock_page.isVisible()
    assert str(ui_store) in shell.unlock_page.location.text()
    unlock(qtbot, shell)
    assert shell.workspace_page.isVisible()
