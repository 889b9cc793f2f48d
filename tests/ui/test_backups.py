"""Backups in the app: the window, the restore confirmation, a restore from the shell and the
automatic backup after 30 minutes of activity."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from mediadesk.services.backups import (
    AUTOMATIC,
    MANUAL,
    PRE_RESTORE,
    ActivityScheduler,
    BackupInfo,
)
from mediadesk.services.views import HouseholdDraft
from mediadesk.services.workspace import Workspace
from mediadesk.ui.backups import AutoBackup, BackupsWindow, RestoreDialog
from mediadesk.ui.shell import Shell, State
from mediadesk.ui.tasks import TaskRunner
from tests.ui.helpers import UI_PASSPHRASE, ShellFactory, unlock


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


@pytest.fixture
def shell(qtbot: QtBot, ui_store: Path, make_shell: ShellFactory) -> Shell:
    shell = make_shell(ui_store)
    unlock(qtbot, shell)
    return shell


def _open_workspace(shell: Shell) -> Workspace:
    workspace = shell.workspace()
    assert workspace is not None
    return workspace


def _names(workspace: Workspace) -> set[str]:
    return {hit.name for hit in workspace.dossiers.find_households("famille")}


def test_the_window_lists_backups_and_takes_one_now(qtbot: QtBot, workspace: Workspace,
                                                    runner: TaskRunner) -> None:
    workspace.backups.create(AUTOMATIC)
    window = BackupsWindow(workspace.backups, runner)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.loaded, timeout=20_000):
        window.reload()
    assert window.model.rowCount() == 1
    assert window.model.index(0, 1).data() == "automatique"
    assert window.model.index(0, 2).data().endswith(("ko", "Mo"))
    assert window.restore_button.isEnabled()
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    assert [window.model.index(row, 1).data() for row in range(2)] == [
        "manuelle", "automatique"]
    assert "Sauvegarde manuelle faite" in window.status.text()
    assert [b.kind for b in workspace.backups.backups()] == [MANUAL, AUTOMATIC]


def test_restoring_asks_for_confirmation_and_forwards_the_passphrase(
    qtbot: QtBot, workspace: Workspace, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = workspace.backups.create(MANUAL)
    window = BackupsWindow(workspace.backups, runner)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=20_000):
        window.reload()
    answers: list[str | None] = [None, UI_PASSPHRASE]
    asked: list[BackupInfo] = []

    def ask(_parent: object, backup: BackupInfo) -> str | None:
        asked.append(backup)
        return answers.pop(0)

    monkeypatch.setattr(RestoreDialog, "ask", ask)
    with qtbot.assertNotEmitted(window.restore_requested):
        window.restore_selected()  # cancelled
    with qtbot.waitSignal(window.restore_requested) as requested:
        qtbot.mouseClick(window.restore_button, Qt.MouseButton.LeftButton)
    assert requested.args == [chosen.path, UI_PASSPHRASE]
    assert [b.path for b in asked] == [chosen.path, chosen.path]


def test_the_confirmation_says_the_current_state_is_backed_up_first(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog = RestoreDialog(workspace.backups.create(MANUAL))
    qtbot.addWidget(dialog)
    dialog.show_modal()
    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "avant restauration" in text and "d'abord sauvegardé" in text
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.passphrase, "une phrase")
    assert dialog.ok.isEnabled()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert not dialog.is_waiting() and dialog.result() == QDialog.DialogCode.Accepted.value


def test_the_shell_restores_a_backup_and_reopens_the_store(
    qtbot: QtBot, shell: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = _open_workspace(shell)
    chosen = workspace.backups.create(MANUAL)
    workspace.dossiers.create_household(HouseholdDraft(name="Famille Après"))
    shell.backups_action.trigger()
    window = shell.findChild(BackupsWindow)
    assert window is not None and window.isVisible()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=20_000)
    monkeypatch.setattr(RestoreDialog, "ask", lambda _parent, _backup: UI_PASSPHRASE)
    with qtbot.waitSignal(shell.opened, timeout=20_000):
        window.restore_selected()
        assert shell.state is State.UNLOCK and shell.workspace() is None
    assert shell.state is State.OPEN
    restored = _open_workspace(shell)
    assert restored is not workspace
    assert "Famille Après" not in _names(restored)
    assert {"Famille Martin", "Famille Benali", "Famille Nguyen"} <= _names(restored)
    kinds = {b.path: b.kind for b in restored.backups.backups()}
    assert kinds.pop(chosen.path) == MANUAL and list(kinds.values()) == [PRE_RESTORE]
    assert "restaurée" in shell.statusBar().currentMessage()
    qtbot.waitUntil(lambda: shell.findChild(BackupsWindow) is None, timeout=20_000)


def test_a_wrong_passphrase_leaves_the_workspace_as_it_was(qtbot: QtBot, shell: Shell) -> None:
    workspace = _open_workspace(shell)
    chosen = workspace.backups.create(MANUAL)
    with qtbot.waitSignal(shell.opened, timeout=20_000):
        shell.restore_backup(chosen.path, "pas la bonne phrase")
    assert shell.state is State.OPEN and shell.workspace() is workspace
    assert "Rien n'a été restauré" in shell.statusBar().currentMessage()
    assert [b.kind for b in workspace.backups.backups()] == [MANUAL]
    assert "Famille Martin" in _names(workspace)


def test_the_automatic_backup_runs_after_thirty_minutes_of_activity_not_while_idle(
    qtbot: QtBot, shell: Shell
) -> None:
    workspace = _open_workspace(shell)
    clock = FakeClock()
    workspace.backups.scheduler = ActivityScheduler(clock=clock)
    auto = shell.findChild(AutoBackup)
    assert auto is not None
    workspace.dossiers.create_household(HouseholdDraft(name="Famille Un"))
    clock.now += 4 * 3600  # open and idle all afternoon
    assert not auto.check()
    for minute in range(1, 31):  # then half an hour of typing, a save each minute
        clock.now += 60
        workspace.settings.set_auto_lock_minutes(10 + minute % 2)
        if minute < 26:  # the idle afternoon counted 5 minutes only
            assert not auto.check(), minute
    with qtbot.waitSignal(auto.taken, timeout=10_000) as taken:
        assert auto.check()
    assert taken.args[0].kind == AUTOMATIC
    assert [b.kind for b in workspace.backups.backups()] == [AUTOMATIC]
    assert not auto.check()  # counted from zero again
