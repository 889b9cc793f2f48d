"""Steps shared by the shell tests, written as a mediator would do them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mediadesk.ui.shell import Shell

UI_PASSPHRASE = "ronces violettes sur le canal"
ShellFactory = Callable[..., Shell]


def unlock(qtbot: QtBot, shell: Shell, passphrase: str = UI_PASSPHRASE) -> None:
    """Type the passphrase on the unlock page and wait for the workspace to be shown."""
    field = shell.unlock_page.passphrase
    field.clear()
    qtbot.keyClicks(field, passphrase)
    with qtbot.waitSignal(shell.opened, timeout=10_000):
        qtbot.mouseClick(shell.unlock_page.unlock, Qt.MouseButton.LeftButton)


def search_and_open(qtbot: QtBot, shell: Shell, text: str) -> None:
    """Type ``text`` in the search field, go down to the results, press Enter."""
    panel = shell.workspace_page.search
    qtbot.keyClicks(panel.field, text)
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=20_000)
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    assert panel.results.hasFocus()
    qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shell.workspace_page.current_dossier() is not None, timeout=20_000)

