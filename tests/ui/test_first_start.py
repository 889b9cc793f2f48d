"""First start: creating an encrypted store, gated on a strong and confirmed passphrase."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mediadesk.services.locations import store_exists
from tests.ui.helpers import UI_PASSPHRASE, ShellFactory


def test_a_missing_store_offers_to_create_or_open_one(qtbot: QtBot, tmp_path: Path,
                                                     make_shell: ShellFactory) -> None:
    shell = make_shell(tmp_path / "nouveau.mdk")

    assert shell.first_start.isVisible()
    assert shell.first_start.create_choice.text() == "Créer un nouveau dossier chiffré"
    assert shell.first_start.open_choice.isVisible()
    assert not shell.new_action.isEnabled()


def test_create_waits_for_a_strong_passphrase_typed_twice(qtbot: QtBot, tmp_path: Path,
                                                          make_shell: ShellFactory) -> None:
    path = tmp_path / "nouveau.mdk"
    shell = make_shell(path)
    page = shell.first_start
    qtbot.mouseClick(page.create_choice, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.user_name, "Awa Diallo")

    qtbot.keyClicks(page.passphrase, "soleil")
    assert not page.create_button.isEnabled()
    assert "faible" in page.strength.label.text().lower()
    assert page.strength.advice.text()

    page.passphrase.clear()
    qtbot.keyClicks(page.passphrase, UI_PASSPHRASE)
    assert not page.create_button.isEnabled()  # not confirmed yet
    qtbot.keyClicks(page.confirmation, UI_PASSPHRASE[:-1] + "x")
    assert page.mismatch.isVisible()
    assert not page.create_button.isEnabled()

    page.confirmation.clear()
    qtbot.keyClicks(page.confirmation, UI_PASSPHRASE)
    assert not page.mismatch.isVisible()
    assert page.create_button.isEnabled()

    with qtbot.waitSignal(shell.opened, timeout=10_000):
        qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)

    assert store_exists(path)
    assert shell.workspace_page.isVisible()
    assert shell.new_action.isEnabled()


def test_demo_data_fills_the_new_store_with_progress(qtbot: QtBot, tmp_path: Path,
                                                     make_shell: ShellFactory) -> None:
    shell = make_shell(tmp_path / "demo.mdk", demo_households=20)
    page = shell.first_start
    page.show_form()
    qtbot.keyClicks(page.passphrase, UI_PASSPHRASE)
    qtbot.keyClicks(page.confirmation, UI_PASSPHRASE)
    page.with_demo.setChecked(True)
    seen: list[int] = []
    page.busy.valueChanged.connect(seen.append)

    with qtbot.waitSignal(shell.opened, timeout=30_000):
        qtbot.keyClick(page.confirmation, Qt.Key.Key_Return)

    assert seen and max(seen) == 20
    assert "20 foyers de démonstration" in shell.statusBar().currentMessage()
    panel = shell.workspace_page.search
    qtbot.keyClicks(panel.field, "a")
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=20_000)
