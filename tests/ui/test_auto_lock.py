"""Auto-lock: idle time hides everything; the passphrase brings it back exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mediadesk.services.views import Dossier
from mediadesk.ui.dialogs import AutoLockDialog
from mediadesk.ui.household_editor import HouseholdEditor, Save
from mediadesk.ui.shell import Shell
from mediadesk.ui.tasks import TaskRunner
from tests.ui.helpers import ShellFactory, search_and_open, unlock

IDLE_MS = 300


def type_passphrase_and_wait(qtbot: QtBot, shell: Shell, passphrase: str) -> None:
    page = shell.unlock_page
    qtbot.keyClicks(page.passphrase, passphrase)
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)


def test_idle_locks_and_the_passphrase_restores_search_and_dossier(
        qtbot: QtBot, ui_store: Path, make_shell: ShellFactory) -> None:
    shell = make_shell(ui_store)
    unlock(qtbot, shell)
    search_and_open(qtbot, shell, "benali")
    panel = shell.workspace_page.search

    with qtbot.waitSignal(shell.locked_changed, timeout=20_000) as locked:
        shell.set_idle_timeout(IDLE_MS)
    assert locked.args == [True]
    assert shell.unlock_page.isVisible()
    assert not shell.workspace_page.isVisible()
    assert not shell.new_action.isEnabled()

    type_passphrase_and_wait(qtbot, shell, "mauvaise phrase de passe")
    qtbot.waitUntil(shell.unlock_page.error.isVisible, timeout=10_000)
    assert shell.is_locked()

    shell.unlock_page.passphrase.clear()
    with qtbot.waitSignal(shell.locked_changed, timeout=10_000) as unlocked:
        type_passphrase_and_wait(qtbot, shell, "ronces violettes sur le canal")
    assert unlocked.args == [False]
    assert shell.workspace_page.isVisible()
    assert panel.field.text() == "benali"
    assert panel.model.rowCount() == 1
    assert shell.workspace_page.dossier_view.name.text() == "Famille Benali"


def test_lock_keeps_what_was_typed_in_an_open_editor(
        qtbot: QtBot, ui_store: Path, make_shell: ShellFactory,
        monkeypatch: pytest.MonkeyPatch) -> None:
    shell = make_shell(ui_store, idle_timeout_ms=60_000)
    unlock(qtbot, shell)
    seen: dict[str, object] = {}

    def ask(parent: Shell, runner: TaskRunner, save: Save,
            dossier: Dossier | None = None) -> Dossier | None:
        dialog = HouseholdEditor(runner, save, dossier, parent)
        qtbot.addWidget(dialog)
        dialog.show_modal()
        qtbot.keyClicks(dialog.fields["name"], "Famille en cours de saisie")
        with qtbot.waitSignal(shell.locked_changed, timeout=20_000):
            shell.lock_action.trigger()
        seen["hidden while locked"] = not dialog.isVisible()
        with qtbot.waitSignal(shell.locked_changed, timeout=10_000):
            type_passphrase_and_wait(qtbot, shell, "ronces violettes sur le canal")
        seen["visible again"] = dialog.isVisible()
        seen["name"] = dialog.fields["name"].text()
        dialog.abandon()
        return None

    monkeypatch.setattr(HouseholdEditor, "ask", ask)
    shell.new_action.trigger()

    assert seen == {"hidden while locked": True, "visible again": True,
                    "name": "Famille en cours de saisie"}


def test_locking_clears_a_name_copied_from_a_dossier(
        qtbot: QtBot, ui_store: Path, make_shell: ShellFactory) -> None:
    from PySide6.QtGui import QGuiApplication

    shell = make_shell(ui_store, idle_timeout_ms=60_000)
    unlock(qtbot, shell)
    search_and_open(qtbot, shell, "benali")
    field = shell.workspace_page.search.field
    field.selectAll()
    field.copy()
    qtbot.waitUntil(shell.clipboard_guard.is_armed)
    assert QGuiApplication.clipboard().text() == "benali"
    shell.lock()
    assert QGuiApplication.clipboard().text() == ""


def test_the_chosen_auto_lock_delay_is_stored_and_shown(
        qtbot: QtBot, ui_store: Path, make_shell: ShellFactory,
        monkeypatch: pytest.MonkeyPatch) -> None:
    shell = make_shell(ui_store, idle_timeout_ms=60_000)
    unlock(qtbot, shell)
    monkeypatch.setattr(AutoLockDialog, "ask", classmethod(lambda cls, parent, minutes: 7))

    shell.auto_lock_action.trigger()

    qtbot.waitUntil(lambda: shell.auto_lock_minutes == 7, timeout=10_000)
    assert "7 min" in shell.lock_info.text()
    workspace = shell.workspace()
    assert workspace is not None
    assert workspace.settings.auto_lock_minutes() == 7
