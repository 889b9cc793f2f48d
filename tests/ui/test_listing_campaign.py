"""The listing import dialog and the campaign window, on a real store and real task lanes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from mediadesk.services.campaign import campaign_service
from mediadesk.services.listing import listing_service
from mediadesk.services.workspace import Workspace
from mediadesk.ui.campaign import CampaignWindow
from mediadesk.ui.listing_import import ListingImportDialog
from mediadesk.ui.tasks import TaskRunner
from tests.services.listing.files import csv_bytes, people
from tests.ui.helpers import ShellFactory, unlock


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


def import_dialog(qtbot: QtBot, workspace: Workspace, runner: TaskRunner, path: Path
                  ) -> ListingImportDialog:
    dialog = ListingImportDialog(listing_service(workspace), runner)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(path))
    dialog.start_preview()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    return dialog


def test_import_dialog_previews_and_imports_the_checked_lines(
        qtbot: QtBot, workspace: Workspace, runner: TaskRunner, tmp_path: Path) -> None:
    listing = tmp_path / "edf-semaine.csv"
    rows = people(3, seed=7)
    listing.write_bytes(csv_bytes([*rows, rows[0]]))
    dialog = import_dialog(qtbot, workspace, runner, listing)
    assert dialog.table.rowCount() == 4
    assert [cell(dialog.table, r, 2) for r in range(4)] == [
        "nouveau foyer", "nouveau foyer", "nouveau foyer", "doublon"]
    assert "doublon de la ligne 2" in cell(dialog.table, 3, 5)
    assert dialog.chosen_lines() == {2, 3, 4}
    dialog.set_line_checked(3, False)
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as signal:
        dialog.import_button.click()
    result = signal.args[0]
    assert result.created == 2 and result.duplicates == 1
    assert "Import terminé" in dialog.status.text()
    assert not dialog.progress.isVisible() and not dialog.cancel_button.isEnabled()
    refs = {e.customer_ref for e in campaign_service(workspace).entries()}
    assert refs == {rows[0][2], rows[2][2]}


def test_import_dialog_tells_an_unreadable_file(qtbot: QtBot, workspace: Workspace,
                                                runner: TaskRunner, tmp_path: Path) -> None:
    dialog = ListingImportDialog(listing_service(workspace), runner)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "absent.csv"))
    dialog.start_preview()
    qtbot.waitUntil(lambda: "Impossible de lire" in dialog.status.text(), timeout=10_000)
    assert dialog.preview_button.isEnabled() and not dialog.import_button.isEnabled()


def test_campaign_window_records_an_attempt_and_hides_wrong_numbers(
        qtbot: QtBot, workspace: Workspace, runner: TaskRunner) -> None:
    listing = listing_service(workspace)
    listing.commit(listing.preview(csv_bytes(people(2, seed=5)), source_name="l.csv"))
    window = CampaignWindow(campaign_service(workspace), runner)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.reload()
    assert window.table.rowCount() == 2
    window.table.selectRow(0)
    assert window.phone_box.count() == 2  # "(aucun)" and the household's number
    window.outcome_box.setCurrentIndex(window.outcome_box.findData("wrong_number"))
    with qtbot.waitSignal(window.recorded, timeout=10_000) as signal:
        window.record()
    assert signal.args[0].next_phone is None
    qtbot.waitUntil(lambda: cell(window.table, 0, 3) == "1", timeout=10_000)
    window.table.selectRow(0)
    assert window.phone_box.count() == 1  # the wrong number is not offered again
    assert "courrier" in cell(window.table, 0, 6)


def test_the_shell_menu_opens_the_import_dialog_and_the_campaign(
        qtbot: QtBot, ui_store: Path, make_shell: ShellFactory) -> None:
    shell = make_shell(ui_store)
    assert not shell.listing_action.isEnabled() and not shell.campaign_action.isEnabled()
    unlock(qtbot, shell)
    assert shell.listing_action.isEnabled() and shell.campaign_action.isEnabled()
    shell.listing_action.trigger()
    dialog = shell.findChild(ListingImportDialog)
    assert dialog is not None and dialog.isVisible()
    shell.campaign_action.trigger()
    window = shell.findChild(CampaignWindow)
    assert window is not None and window.isVisible()
    qtbot.waitUntil(lambda: "personne(s)" in window.status.text(), timeout=10_000)
    shell.lock()
    assert not window.isVisible() and not dialog.isVisible()
