"""The conflict review window and the refused-changes inbox, driven as a person would, on two
laptops syncing through a real server (in process): what they show, and that each button
really resolves the conflict in the store."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from mediadesk.services.conflict_views import BulkRule, ConflictKind
from mediadesk.services.conflicts import conflict_service
from mediadesk.services.workspace import unlock_workspace
from mediadesk.ui.conflict_review import ConflictReviewWindow
from mediadesk.ui.sync_inbox import SyncInboxWindow
from mediadesk.ui.tasks import TaskRunner
from tests.services.test_conflicts import conflicting_city, everyone_syncs, laptops, team_server
from tests.sync.laptops import Laptop
from tests.sync.server.fixtures import Server
from tests.ui.helpers import UI_PASSPHRASE, ShellFactory, unlock

__all__ = ["laptops", "team_server"]


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


def review(qtbot: QtBot, laptop: Laptop, runner: TaskRunner,
           household: str | None) -> ConflictReviewWindow:
    window = ConflictReviewWindow(conflict_service(laptop.workspace), runner)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.show_conflicts(uuid.UUID(hex=household) if household else None, "Famille")
    return window


def choose_candidate(window: ConflictReviewWindow, value: str) -> None:
    rows = [c.value for c in window.candidates.rows()]
    window.candidate_table.selectRow(rows.index(value))


def click_and_wait(qtbot: QtBot, window: ConflictReviewWindow, button: QPushButton) -> None:
    with (qtbot.waitSignal(window.loaded, timeout=10_000),
          qtbot.waitSignal(window.resolved, timeout=10_000)):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_review_shows_the_field_the_base_and_who_wrote_each_value(
        qtbot: QtBot, laptops: tuple[Laptop, Laptop], runner: TaskRunner,
        qtmodeltester: ModelTester) -> None:
    awa, paul = laptops
    row = conflicting_city(awa, paul)
    window = review(qtbot, awa, runner, row)
    assert window.model.rowCount() == 1
    assert "Ville" in window.detail.text() and "Lyon" in window.detail.text()
    shown = {window.candidates.index(r, 0).data(): (window.candidates.index(r, 2).data(),
                                                    window.candidates.index(r, 3).data())
             for r in range(window.candidates.rowCount())}
    assert shown["Bron"] == ("Awa Diallo", "ce poste")
    assert shown["Villeurbanne"][0] == "Paul Lemoine"
    assert shown["Villeurbanne"][1].startswith("poste ")
    assert not window.bulk_row.isVisible()  # a mediator resolves one at a time
    assert window.both_button.isEnabled() and not window.restore_button.isEnabled()
    qtmodeltester.check(window.model)
    qtmodeltester.check(window.candidates)


def test_keeping_a_value_writes_it_in_the_store_and_empties_the_list(
        qtbot: QtBot, laptops: tuple[Laptop, Laptop], runner: TaskRunner) -> None:
    awa, paul = laptops
    row = conflicting_city(awa, paul)
    window = review(qtbot, awa, runner, row)
    choose_candidate(window, "Villeurbanne")
    assert window.pick_button.text() == "Garder cette valeur"
    click_and_wait(qtbot, window, window.pick_button)
    assert awa.value(row, "city") == "Villeurbanne"
    assert window.model.rowCount() == 0 and window.empty.isVisible()
    assert "1 conflit résolu" in window.status.text()
    everyone_syncs(awa, paul)
    assert paul.value(row, "city") == "Villeurbanne" and paul.open_conflicts() == []


def test_keeping_both_texts_says_a_note_was_written(
        qtbot: QtBot, laptops: tuple[Laptop, Laptop], runner: TaskRunner) -> None:
    awa, paul = laptops
    row = conflicting_city(awa, paul)
    window = review(qtbot, awa, runner, row)
    choose_candidate(window, "Bron")
    click_and_wait(qtbot, window, window.both_button)
    assert awa.value(row, "city") == "Bron"
    assert "note" in window.status.text()
    with awa.workspace.opened.engine.connect() as conn:
        body = conn.execute(text(
            "SELECT r.body FROM note_revision r JOIN note n ON n.id = r.note_id "
            "WHERE n.household_id = :h"), {"h": row}).scalar()
    assert body is not None and "Villeurbanne" in body


def test_restoring_a_dossier_deleted_while_edited(
        qtbot: QtBot, laptops: tuple[Laptop, Laptop], runner: TaskRunner) -> None:
    awa, paul = laptops
    row = awa.new_household("Famille Blanc")
    awa.sync(), paul.sync()
    awa.delete(row)
    paul.edit(row, city="Givors")
    everyone_syncs(awa, paul)
    window = review(qtbot, awa, runner, row)
    current = window.current()
    assert current is not None and current.kind is ConflictKind.DELETED
    assert window.restore_button.isEnabled() and not window.both_button.isEnabled()
    deletion = next(r for r, c in enumerate(window.candidates.rows()) if c.deletes)
    window.candidate_table.selectRow(deletion)
    assert window.pick_button.text() == "Confirmer la suppression"
    click_and_wait(qtbot, window, window.restore_button)
    assert awa.value(row, "deleted_at") is None and awa.value(row, "city") == "Givors"


def test_a_team_lead_resolves_several_conflicts_at_once(
        qtbot: QtBot, laptops: tuple[Laptop, Laptop], runner: TaskRunner) -> None:
    awa, paul = laptops
    first = conflicting_city(awa, paul)
    second = awa.new_household("Famille Garcia")
    awa.sync(), paul.sync()
    paul.edit(second, street="3 rue des Lilas")
    awa.edit(second, street="5 avenue Jean Jaurès")
    everyone_syncs(awa, paul)
    window = review(qtbot, paul, runner, None)
    assert window.model.rowCount() == 2 and window.bulk_row.isVisible()
    latest = {c.dossier: c.latest.value for c in window.model.rows()}
    window.table.selectAll()
    assert "2 conflits choisis" in window.detail.text()
    window.bulk_rule.setCurrentIndex(window.bulk_rule.findData(BulkRule.LATEST))
    click_and_wait(qtbot, window, window.bulk_button)
    assert window.model.rowCount() == 0
    assert paul.value(first, "city") == latest["Famille Durand"]
    assert paul.value(second, "street") == latest["Famille Garcia"]


def test_a_mediator_is_told_the_team_queue_is_for_team_leads(
        qtbot: QtBot, laptops: tuple[Laptop, Laptop], runner: TaskRunner) -> None:
    awa, paul = laptops
    conflicting_city(awa, paul)
    window = review(qtbot, awa, runner, None)
    assert window.model.rowCount() == 0
    assert "responsables d'équipe" in window.status.text()


def test_the_inbox_lists_a_refused_change_and_keeps_it_once_read(
        qtbot: QtBot, laptops: tuple[Laptop, Laptop], runner: TaskRunner,
        team_server: Server) -> None:
    awa, _paul = laptops
    row = awa.new_household("Famille Perrin")
    outsider = team_server.team("Villeurbanne Nord")
    with awa.workspace.opened.engine.begin() as conn:
        conn.execute(text("UPDATE sync_outbox SET scope = :s WHERE row_id = :r"),
                     {"s": outsider, "r": row})
    awa.sync()
    window = SyncInboxWindow(conflict_service(awa.workspace), runner)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=10_000) as loaded:
        window.show_inbox()
    assert loaded.args[0] == 1  # one entry for the refused creation, not one per column
    assert window.model.index(0, 1).data() == "Famille Perrin"
    assert window.model.index(0, 3).data() == "Création de la fiche"
    assert "Nom du foyer : Famille Perrin" in window.model.index(0, 4).data()
    assert "équipe" in window.reason.text()
    with qtbot.waitSignal(window.loaded, timeout=10_000) as after:
        qtbot.mouseClick(window.dismiss_button, Qt.MouseButton.LeftButton)
    assert after.args[0] == 0 and window.empty.isVisible()
    with qtbot.waitSignal(window.loaded, timeout=10_000) as everything:
        window.show_read.setChecked(True)
    assert everything.args[0] == 1
    [read] = window.model.rows()
    assert read.dismissed_at is not None and not window.dismiss_button.isEnabled()


def test_selecting_one_conflict_then_another_shows_its_candidates(
        qtbot: QtBot, laptops: tuple[Laptop, Laptop], runner: TaskRunner) -> None:
    awa, paul = laptops
    conflicting_city(awa, paul)
    other = awa.new_household("Famille Garcia")
    awa.sync(), paul.sync()
    paul.edit(other, street="3 rue des Lilas")
    awa.edit(other, street="5 avenue Jean Jaurès")
    everyone_syncs(awa, paul)
    window = review(qtbot, paul, runner, None)
    garcia = next(r for r, c in enumerate(window.model.rows()) if c.dossier == "Famille Garcia")
    window.table.selectionModel().setCurrentIndex(
        window.model.index(garcia, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    values = {c.value for c in window.candidates.rows()}
    assert values == {"3 rue des Lilas", "5 avenue Jean Jaurès"}


def test_the_team_queue_and_the_inbox_open_from_the_sync_menu(
        qtbot: QtBot, laptops: tuple[Laptop, Laptop], make_shell: ShellFactory) -> None:
    awa, paul = laptops
    row = conflicting_city(awa, paul)
    server, path = paul.server, paul.path
    paul.close()
    shell = make_shell(path, sync_connect=lambda _url: server.client())
    shell.sync_panel.start_delay_ms = 600_000
    unlock(qtbot, shell)
    assert shell.conflicts_action.isEnabled() and shell.rejected_action.isEnabled()
    shell.conflicts_action.trigger()
    window = shell.findChild(ConflictReviewWindow)
    assert window is not None
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10_000)
    assert window.windowTitle() == "Conflits à examiner" and window.bulk_row.isVisible()
    qtbot.mouseClick(window.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (dossier := shell.workspace_page.current_dossier()) is not None
                    and dossier.household.id.hex == row, timeout=10_000)
    shell.rejected_action.trigger()
    inbox = shell.findChild(SyncInboxWindow)
    assert inbox is not None and inbox.isVisible()
    qtbot.waitUntil(lambda: inbox.empty.isVisible(), timeout=10_000)
    shell.lock()
    assert not window.isVisible() and not inbox.isVisible()
    paul.workspace = unlock_workspace(path, UI_PASSPHRASE)  # the fixture closes it
