"""The follow-up worklist window: filters, "Fait", "Reporter", "Attribuer", opening a dossier."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediadesk.domain.enums import ContactChannel, PartnerKind, Role
from mediadesk.services.worklist_views import WorkKind, WorklistItem
from mediadesk.services.workspace import unlock_workspace
from mediadesk.store.models import FollowUp, Household, Orientation, User
from mediadesk.ui.shell import Shell
from mediadesk.ui.widgets import ERROR_COLOUR
from mediadesk.ui.worklist import CheckDialog, PostponeDialog, WorklistWindow
from tests.ui.helpers import UI_PASSPHRASE, ShellFactory, unlock

TODAY = date.today()


@pytest.fixture
def worklist_store(ui_store: Path) -> Path:
    """The three households of `ui_store` with work to do: Martin's call is two days late
    (assigned to Awa), Benali has a visit today and an orientation check one day late, Nguyen
    a call next month; a colleague, Karim, is in the team."""
    workspace = unlock_workspace(ui_store, UI_PASSPHRASE)
    try:
        with workspace.opened.sessions.begin() as session:
            ids = {h.name: h.id for h in session.query(Household)}
            session.add_all([
                User(display_name="Karim Benali", role=Role.MEDIATOR),
                FollowUp(household_id=ids["Famille Martin"], due_on=TODAY - timedelta(days=2),
                         reason="Rappeler pour l'échéancier", assigned_to=workspace.actor.user_id),
                FollowUp(household_id=ids["Famille Benali"], due_on=TODAY,
                         channel=ContactChannel.HOME_VISIT, reason="Visite avec interprète"),
                FollowUp(household_id=ids["Famille Nguyen"], due_on=TODAY + timedelta(days=40),
                         reason="Point sur le chèque énergie"),
                Orientation(household_id=ids["Famille Benali"], partner_kind=PartnerKind.CCAS,
                            reason="Aide financière", oriented_on=TODAY - timedelta(days=31),
                            check_due_on=TODAY - timedelta(days=1)),
            ])
    finally:
        workspace.close()
    return ui_store


@pytest.fixture
def shell(qtbot: QtBot, worklist_store: Path, make_shell: ShellFactory) -> Shell:
    # The follow-ups are dated from TODAY (taken when this module was collected): the shell
    # counts days from it too, or a run going past midnight would make today's visit late.
    shell = make_shell(worklist_store, today=lambda: TODAY)
    unlock(qtbot, shell)
    return shell


def open_worklist(qtbot: QtBot, shell: Shell) -> WorklistWindow:
    qtbot.keyClick(shell, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    window = shell.findChild(WorklistWindow)
    assert window is not None
    qtbot.waitUntil(lambda: window.isVisible() and window.model.rowCount() == 4, timeout=20_000)
    return window


def names(window: WorklistWindow) -> list[str]:
    return [item.household_name for item in window.model.rows()]


def show_window(qtbot: QtBot, window: WorklistWindow, title: str, expected: int) -> None:
    button = next(b for b in window.windows.buttons() if b.text().startswith(title))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.rowCount() == expected, timeout=20_000)


def select(window: WorklistWindow, name: str, kind: WorkKind = WorkKind.FOLLOW_UP) -> WorklistItem:
    for row, item in enumerate(window.model.rows()):
        if item.household_name == name and item.kind is kind:
            window.table.selectRow(row)
            return item
    raise AssertionError(name)


def test_ctrl_t_lists_everything_due_most_urgent_first(qtbot: QtBot, shell: Shell) -> None:
    window = open_worklist(qtbot, shell)
    assert names(window) == ["Famille Martin", "Famille Benali", "Famille Benali",
                             "Famille Nguyen"]

    def cell(row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        return window.model.data(window.model.index(row, column), role)

    assert cell(0, 3) == "06 12 34 56 78"
    assert cell(0, 4) == "Suivi : Téléphone"
    assert cell(0, 6) == "Awa Diallo"
    assert cell(1, 4) == "Vérifier l'orientation : CCAS"
    assert cell(2, 0) == "Aujourd'hui"
    assert cell(2, 6) == "Équipe"
    assert cell(0, 1) == "2 jours"
    late = cell(0, 0, Qt.ItemDataRole.ForegroundRole)
    assert isinstance(late, QBrush) and late.color().name() == ERROR_COLOUR
    assert isinstance(cell(0, 2, Qt.ItemDataRole.BackgroundRole), QBrush)
    assert cell(2, 0, Qt.ItemDataRole.ForegroundRole) is None
    assert cell(2, 1) == ""
    assert [b.text() for b in window.windows.buttons()] == [
        "En retard (2)", "Aujourd'hui (1)", "Cette semaine (1)", "Tout (4)"]


def test_the_model_passes_the_qt_model_checks(qtbot: QtBot, shell: Shell,
                                              qtmodeltester: ModelTester) -> None:
    window = open_worklist(qtbot, shell)
    qtmodeltester.check(window.model)


def test_filters_change_the_rows(qtbot: QtBot, shell: Shell) -> None:
    window = open_worklist(qtbot, shell)
    show_window(qtbot, window, "En retard", 2)
    assert names(window) == ["Famille Martin", "Famille Benali"]
    show_window(qtbot, window, "Aujourd'hui", 1)
    assert window.model.rows()[0].reason == "Visite avec interprète"

    show_window(qtbot, window, "Tout", 4)
    qtbot.waitUntil(lambda: window.assignee.findText("Karim Benali") >= 0, timeout=20_000)
    for text, expected in (("Awa Diallo", ["Famille Martin"]), ("Karim Benali", []),
                           ("Non attribués", ["Famille Benali", "Famille Benali",
                                              "Famille Nguyen"])):
        index = window.assignee.findText(text)
        window.assignee.setCurrentIndex(index)
        window.assignee.activated.emit(index)
        qtbot.waitUntil(lambda e=expected: names(window) == e, timeout=20_000)
    assert window.hint.text() == "3 suivis à faire dans cette liste."


def test_done_removes_the_row(qtbot: QtBot, shell: Shell) -> None:
    window = open_worklist(qtbot, shell)
    select(window, "Famille Martin")
    qtbot.mouseClick(window.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=20_000)
    assert "Famille Martin" not in names(window)
    assert window.hint.text().startswith("Fait : Famille Martin.")
    assert window.current_item() is not None  # the next one, ready for the next click


def test_an_orientation_check_asks_what_happened(qtbot: QtBot, shell: Shell,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[WorklistItem] = []

    def ask(_parent: object, item: WorklistItem) -> str:
        asked.append(item)
        return "Rendez-vous au CCAS tenu"

    monkeypatch.setattr(CheckDialog, "ask", ask)
    window = open_worklist(qtbot, shell)
    check = select(window, "Famille Benali", WorkKind.ORIENTATION_CHECK)
    assert not window.assign_button.isEnabled()  # a check stays with the team
    qtbot.mouseClick(window.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=20_000)
    assert asked == [check]
    assert all(item.kind is WorkKind.FOLLOW_UP for item in window.model.rows())


def test_postponing_moves_a_late_call_out_of_the_late_list(
        qtbot: QtBot, shell: Shell, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PostponeDialog, "ask",
                        lambda _parent, _item, today: today + timedelta(days=1))
    window = open_worklist(qtbot, shell)
    show_window(qtbot, window, "En retard", 2)
    select(window, "Famille Martin")
    qtbot.mouseClick(window.postpone_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: names(window) == ["Famille Benali"], timeout=20_000)
    assert "reporté au" in window.hint.text()


def test_a_call_is_assigned_from_the_menu(qtbot: QtBot, shell: Shell) -> None:
    window = open_worklist(qtbot, shell)
    qtbot.waitUntil(lambda: window.assignee.findText("Karim Benali") >= 0, timeout=20_000)
    select(window, "Famille Nguyen")
    window.assign_menu.aboutToShow.emit()
    karim = next(a for a in window.assign_menu.actions() if a.text() == "Karim Benali")
    karim.trigger()
    qtbot.waitUntil(lambda: window.model.rows()[-1].assignee_name == "Karim Benali",
                    timeout=20_000)
    assert window.hint.text().startswith("Famille Nguyen : attribué à Karim Benali.")


def test_opening_a_dossier_from_the_list_shows_it_in_the_shell(qtbot: QtBot,
                                                               shell: Shell) -> None:
    window = open_worklist(qtbot, shell)
    select(window, "Famille Nguyen")
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    page = shell.workspace_page
    qtbot.waitUntil(lambda: page.current_dossier() is not None, timeout=20_000)
    assert page.dossier_view.name.text() == "Famille Nguyen"


def test_the_worklist_hides_behind_the_lock(qtbot: QtBot, shell: Shell) -> None:
    window = open_worklist(qtbot, shell)
    shell.lock()
    assert not window.isVisible()
    assert not shell.worklist_action.isEnabled()
    qtbot.keyClicks(shell.unlock_page.passphrase, UI_PASSPHRASE)
    with qtbot.waitSignal(shell.locked_changed, timeout=10_000):
        qtbot.mouseClick(shell.unlock_page.unlock, Qt.MouseButton.LeftButton)
    assert window.isVisible()


def test_the_postpone_dialog_offers_tomorrow_in_one_click(qtbot: QtBot, shell: Shell) -> None:
    window = open_worklist(qtbot, shell)
    item = select(window, "Famille Martin")
    dialog = PostponeDialog(item, TODAY, window)
    qtbot.addWidget(dialog)
    assert dialog.chosen() == TODAY + timedelta(days=7)  # a week after today: it was late
    tomorrow = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Demain")
    qtbot.mouseClick(tomorrow, Qt.MouseButton.LeftButton)
    assert dialog.chosen() == TODAY + timedelta(days=1)


def test_the_worklist_closes_with_the_main_window(qtbot: QtBot, shell: Shell) -> None:
    window = open_worklist(qtbot, shell)
    shell.close()
    assert not window.isVisible()
