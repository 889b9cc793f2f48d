"""The main window: instant search, keyboard navigation, the dossier, the household editor."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mediadesk.services.views import Dossier
from mediadesk.ui.household_editor import HouseholdEditor, Save
from mediadesk.ui.shell import Shell
from mediadesk.ui.tasks import TaskRunner
from tests.ui.helpers import ShellFactory, search_and_open, unlock


@pytest.fixture
def shell(qtbot: QtBot, ui_store: Path, make_shell: ShellFactory) -> Shell:
    shell = make_shell(ui_store)
    unlock(qtbot, shell)
    return shell


def drive_editor(monkeypatch: pytest.MonkeyPatch, qtbot: QtBot,
                 steps: Callable[[HouseholdEditor], None]) -> list[HouseholdEditor]:
    """Replace `HouseholdEditor.ask` by the real dialog driven by ``steps`` (no nested loop)."""
    opened: list[HouseholdEditor] = []

    def ask(parent: Shell, runner: TaskRunner, save: Save,
            dossier: Dossier | None = None) -> Dossier | None:
        dialog = HouseholdEditor(runner, save, dossier, parent)
        qtbot.addWidget(dialog)
        opened.append(dialog)
        dialog.show_modal()
        steps(dialog)
        return dialog.saved

    monkeypatch.setattr(HouseholdEditor, "ask", ask)
    return opened


def save_and_wait(qtbot: QtBot, dialog: HouseholdEditor) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20_000)


def test_search_shows_matching_households_as_you_type(qtbot: QtBot, shell: Shell) -> None:
    panel = shell.workspace_page.search
    qtbot.keyClicks(panel.field, "lyon")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=20_000)

    def cell(column: int) -> str:
        return str(panel.model.data(panel.model.index(0, column)))

    assert cell(0) == "Famille Benali"
    assert "Lyon" in cell(1)
    assert "07 98 76 54 32" in cell(2)
    assert panel.hint.text() == "1 foyer trouvé"

    panel.field.clear()
    qtbot.keyClicks(panel.field, "introuvable")
    qtbot.waitUntil(lambda: "Aucun foyer" in panel.hint.text(), timeout=20_000)
    assert panel.model.rowCount() == 0


def test_down_arrow_and_enter_open_the_dossier(qtbot: QtBot, shell: Shell) -> None:
    search_and_open(qtbot, shell, "martin")

    view = shell.workspace_page.dossier_view
    assert view.name.text() == "Famille Martin"
    assert view.address.text() == "12 rue des Lilas, 75011 Paris"
    assert "06 12 34 56 78 (Valide)" in view.phones.text()
    assert view.members_model.rowCount() == 1
    assert view.languages.text() == "français"
    assert shell.edit_action.isEnabled()


def test_editing_a_household_saves_it_and_refreshes_the_dossier(
        qtbot: QtBot, shell: Shell, monkeypatch: pytest.MonkeyPatch) -> None:
    search_and_open(qtbot, shell, "martin")

    def steps(dialog: HouseholdEditor) -> None:
        assert dialog.fields["name"].text() == "Famille Martin"
        dialog.fields["city"].clear()
        qtbot.keyClicks(dialog.fields["city"], "Montreuil")
        dialog.fields["postal_code"].clear()
        qtbot.keyClicks(dialog.fields["postal_code"], "93100")
        dialog.phones.add_row_and_focus()
        qtbot.keyClicks(dialog.focusWidget(), "01 48 70 00 00")
        save_and_wait(qtbot, dialog)

    drive_editor(monkeypatch, qtbot, steps)
    with qtbot.waitSignal(shell.household_saved):
        qtbot.keyClick(shell, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)

    view = shell.workspace_page.dossier_view
    assert view.address.text() == "12 rue des Lilas, 93100 Montreuil"
    assert "01 48 70 00 00" in view.phones.text()
    panel = shell.workspace_page.search
    qtbot.waitUntil(lambda: "Montreuil" in str(panel.model.data(panel.model.index(0, 1))),
                    timeout=20_000)


def test_a_field_in_error_is_shown_next_to_it_and_the_dialog_stays(
        qtbot: QtBot, shell: Shell, monkeypatch: pytest.MonkeyPatch) -> None:
    def steps(dialog: HouseholdEditor) -> None:
        qtbot.keyClicks(dialog.fields["name"], "Famille Robert")
        qtbot.keyClicks(dialog.fields["postal_code"], "750")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        error = dialog.errors["postal_code"]
        qtbot.waitUntil(error.isVisible, timeout=20_000)
        assert error.text() == "Le code postal doit compter 5 chiffres."
        assert dialog.isVisible()
        assert dialog.fields["postal_code"].hasFocus()

        qtbot.keyClicks(dialog.fields["postal_code"], "75002")
        save_and_wait(qtbot, dialog)

    drive_editor(monkeypatch, qtbot, steps)
    with qtbot.waitSignal(shell.household_saved):
        qtbot.keyClick(shell, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    assert shell.workspace_page.dossier_view.name.text() == "Famille Robert"
    assert "75002" in shell.workspace_page.dossier_view.address.text()


def test_a_bad_phone_number_is_pointed_at(qtbot: QtBot, shell: Shell,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def steps(dialog: HouseholdEditor) -> None:
        qtbot.keyClicks(dialog.fields["name"], "Famille Petit")
        dialog.phones.add_row_and_focus()
        qtbot.keyClicks(dialog.focusWidget(), "12")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(dialog.phones.error.isVisible, timeout=20_000)
        assert "12" in dialog.phones.error.text()
        dialog.abandon()

    drive_editor(monkeypatch, qtbot, steps)
    shell.new_action.trigger()
    assert shell.workspace_page.current_dossier() is None
