"""The sync inbox's tab of dossiers deleted elsewhere while the mediator edited them, driven as
a person would, on two laptops syncing through a real server (in process): what it shows, and
that each button really resolves the conflict in the store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediadesk.services.conflicts import conflict_service
from mediadesk.services.workspace import unlock_workspace
from mediadesk.ui.conflict_review import ConflictReviewWindow
from mediadesk.ui.sync_inbox import SyncInboxWindow
from mediadesk.ui.tasks import TaskRunner
from tests.services.test_conflicts import everyone_syncs, laptops, team_server
from tests.sync.laptops import Laptop
from tests.ui.helpers import UI_PASSPHRASE, ShellFactory, unlock

__all__ = ["laptops", "team_server"]


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


def deleted_by_paul_while_awa_edits(awa: Laptop, paul: Laptop) -> str:
    row = awa.new_household("Famille Blanc")
    awa.sync(), paul.sync()
    paul.delete(row)
    awa.edit(row, city="Givors")
    everyone_syncs(awa, paul)
    return row


def inbox(qtbot: QtBot, laptop: Laptop, runner: TaskRunner) -> SyncInboxWindow:
    window = SyncInboxWindow(conflict_service(laptop.workspace), runner)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.deleted.loaded, timeout=10_000):
        window.show_deleted_elsewhere()
    return window


def test_the_tab_names_the_dossier_who_deleted_it_and_the_mediators_edit(
        qtbot: QtBot, laptops: tuple[Laptop, Laptop], runner: TaskRunner,
        qtmodeltester: ModelTester) -> None:
    awa, paul = laptops
    deleted_by_paul_while_awa_edits(awa, paul)
    window = inbox(qtbot, awa, runner)
    panel = window.deleted
    assert window.tabs.currentWidget() is panel
    assert window.tabs.tabText(1) == "Dossiers supprimés ailleurs (1)"
    assert panel.model.rowCount() == 1
    row = [panel.model.index(0, c).data() for c in range(panel.model.columnCount())]
    assert row[0] == "Famille Blanc" and row[1] == "Paul Lemoine"
    assert row[2].startswith("poste ") and "Givors" in row[4]
    assert "Paul Lemoine" in panel.detail.text() and "Givors" in panel.detail.text()
    assert panel.restore_button.isEnabled() and panel.accept_button.isEnabled()
    qtmodeltester.check(panel.model)


def test_restoring_from_the_tab_brings_the_dossier_back_and_offers_to_open_it(
        qtbot: QtBot, laptops: tuple[Laptop, Laptop], runner: TaskRunner) -> None:
    awa, paul = laptops
    row = deleted_by_paul_while_awa_edits(awa, paul)
    window = inbox(qtbot, awa, runner)
    panel = window.deleted
    with (qtbot.waitSignal(window.resolved, timeout=10_000),
          qtbot.waitSignal(panel.loaded, timeout=10_000) as after):
        qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    assert after.args[0] == 0 and panel.empty.isVisible()
    assert window.tabs.tabText(1) == "Dossiers supprimés ailleurs (0)"
    assert awa.value(row, "deleted_at") is None
    assert "restauré" in panel.status.text()
    assert panel.open_button.isVisible()
    with qtbot.waitSignal(window.open_requested, timeout=10_000) as opened:
        qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    assert opened.args[0].hex == row
    everyone_syncs(awa, paul)
    assert paul.value(row, "deleted_at") is None and paul.value(row, "city") == "Givors"


def test_accepting_the_deletion_from_the_tab_closes_the_conflict_everywhere(
        qtbot: QtBot, laptops: tuple[Laptop, Laptop], runner: TaskRunner) -> None:
    awa, paul = laptops
    row = deleted_by_paul_while_awa_edits(awa, paul)
    window = inbox(qtbot, awa, runner)
    panel = window.deleted
    with (qtbot.waitSignal(window.resolved, timeout=10_000),
          qtbot.waitSignal(panel.loaded, timeout=10_000) as after):
        qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    assert after.args[0] == 0 and not panel.open_button.isVisible()
    everyone_syncs(awa, paul)
    assert awa.value(row, "deleted_at") is not None and paul.value(row, "deleted_at") is not None
    assert awa.open_conflicts() == paul.open_conflicts() == []


def test_a_mediator_reaches_the_tab_from_the_sync_menu_and_the_restored_dossier_opens(
        qtbot: QtBot, laptops: tuple[Laptop, Laptop], make_shell: ShellFactory) -> None:
    awa, paul = laptops
    row = deleted_by_paul_while_awa_edits(awa, paul)
    server, path = awa.server, awa.path
    awa.close()
    shell = make_shell(path, sync_connect=lambda _url: server.client())
    shell.sync_panel.start_delay_ms = 600_000
    unlock(qtbot, shell)
    assert shell.deleted_elsewhere_action.isEnabled()
    shell.deleted_elsewhere_action.trigger()
    window = shell.findChild(SyncInboxWindow)
    assert window is not None and window.isVisible()
    panel = window.deleted
    assert window.tabs.currentWidget() is panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10_000)
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.open_button.isVisible(), timeout=10_000)
    qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (dossier := shell.workspace_page.current_dossier()) is not None
                    and dossier.household.id.hex == row, timeout=10_000)
    shell.rejected_action.trigger()  # the refusals' own entry shows the refusals' tab
    assert window.tabs.currentIndex() == 0
    shell.lock()
    assert not window.isVisible()
    awa.workspace = unlock_workspace(path, UI_PASSPHRASE)  # the fixture closes it


def test_a_mediator_opening_the_team_queue_is_pointed_to_the_tab(
        qtbot: QtBot, laptops: tuple[Laptop, Laptop], runner: TaskRunner) -> None:
    awa, _paul = laptops
    window = ConflictReviewWindow(conflict_service(awa.workspace), runner)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.show_conflicts(None)
    assert "responsables d'équipe" in window.status.text()
    assert "Dossiers supprimés ailleurs pendant vos modifications" in window.status.text()


def test_a_sync_that_meets_a_deletion_of_a_dossier_being_edited_says_so_in_the_status_bar(
        qtbot: QtBot, laptops: tuple[Laptop, Laptop], make_shell: ShellFactory) -> None:
    awa, paul = laptops
    row = awa.new_household("Famille Blanc")
    awa.sync(), paul.sync()
    paul.delete(row)
    paul.sync()
    awa.edit(row, city="Givors")  # offline: the shell's sync meets the deletion
    server, path = awa.server, awa.path
    awa.close()
    shell = make_shell(path, sync_connect=lambda _url: server.client())
    shell.sync_panel.start_delay_ms = 600_000
    unlock(qtbot, shell)
    qtbot.waitUntil(lambda: shell.sync_panel.status() is not None, timeout=20_000)
    with qtbot.waitSignal(shell.sync_panel.synced, timeout=20_000):
        assert shell.sync_panel.sync_now()
    qtbot.waitUntil(lambda: "Famille Blanc" in shell.statusBar().currentMessage(),
                    timeout=20_000)
    assert "Dossiers supprimés ailleurs" in shell.statusBar().currentMessage()
    shell.lock()
    awa.workspace = unlock_workspace(path, UI_PASSPHRASE)  # the fixture closes it
