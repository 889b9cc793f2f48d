"""The wizard in the shell: shortcuts, autosave (debounce, indicator, focus-out), the lock, and
resuming a draft after the shell was closed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from mediadesk.interview import Step
from mediadesk.ui.interview.pages.reception import ReceptionPage
from mediadesk.ui.shell import Shell
from tests.ui.helpers import ShellFactory, search_and_open, unlock
from tests.ui.interview.helpers import (
    focused,
    key,
    saved_state,
    start_interview,
    tab_to,
    workspace_of,
    write,
)

CTRL = Qt.KeyboardModifier.ControlModifier
INPUTS = (QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox, QAbstractButton,
          QAbstractItemView)


def shortcut(qtbot: QtBot, name: Qt.Key) -> None:
    key(qtbot, name, CTRL)


def test_steps_are_chosen_freely_with_the_shortcuts(qtbot: QtBot, shell: Shell) -> None:
    wizard = start_interview(qtbot, shell)
    assert wizard.current_step() is Step.RECEPTION
    assert wizard.stepper.steps.item(0).text().startswith("1. Accueil et présentation\n")
    assert "points à compléter" in wizard.stepper.steps.item(0).text()
    shortcut(qtbot, Qt.Key.Key_5)
    assert wizard.current_step() is Step.NEXT_STEP
    shortcut(qtbot, Qt.Key.Key_PageDown)
    assert wizard.current_step() is Step.FOLLOW_UP
    shortcut(qtbot, Qt.Key.Key_PageDown)  # the last step stays
    assert wizard.current_step() is Step.FOLLOW_UP
    for _ in range(3):
        shortcut(qtbot, Qt.Key.Key_PageUp)
    assert wizard.current_step() is Step.OPTIONS
    wizard.stepper.steps.setFocus()
    key(qtbot, Qt.Key.Key_Down)  # the stepper itself follows the arrows
    assert wizard.current_step() is Step.SUPPLIER_LIAISON
    view = wizard.view()
    assert view is not None
    qtbot.waitUntil(lambda: workspace_of(shell).interviews.open(view.id).summary.current_step
                    == Step.SUPPLIER_LIAISON, timeout=20_000)
    key(qtbot, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # back to the dossier
    assert not shell.workspace_page.interview_shown()


def test_typing_is_saved_after_a_pause_and_at_once_when_the_field_is_left(
        qtbot: QtBot, ui_store: Path, make_shell: ShellFactory) -> None:
    shell = make_shell(ui_store, save_debounce_ms=400)
    unlock(qtbot, shell)
    search_and_open(qtbot, shell, "martin")
    wizard = start_interview(qtbot, shell)
    page = wizard.pages[Step.RECEPTION]
    assert isinstance(page, ReceptionPage)
    assert wizard.save_status.text() == "✓ Enregistré"
    interviews = workspace_of(shell).interviews
    view = wizard.view()
    assert view is not None

    page.person_met.setFocus()
    write(qtbot, "Sylvie")
    assert wizard.save_status.text() == "Enregistrement…"
    assert interviews.open(view.id).state.reception.person_met == ""  # not before the pause
    qtbot.waitUntil(lambda: wizard.save_status.text() == "✓ Enregistré", timeout=20_000)
    assert interviews.open(view.id).state.reception.person_met == "Sylvie"

    wizard.saver._delay_ms = 60_000  # a pause that never ends: only leaving the field saves
    write(qtbot, " Martin")
    key(qtbot, Qt.Key.Key_Tab)
    qtbot.waitUntil(wizard.saver.is_idle, timeout=20_000)
    assert interviews.open(view.id).state.reception.person_met == "Sylvie Martin"


def test_the_lock_keeps_the_wizard_and_what_was_typed(qtbot: QtBot, shell: Shell) -> None:
    wizard = start_interview(qtbot, shell)
    page = wizard.pages[Step.RECEPTION]
    assert isinstance(page, ReceptionPage)
    page.person_met.setFocus()
    write(qtbot, "Sylvie")
    with qtbot.waitSignal(shell.locked_changed, timeout=20_000):
        shell.lock_action.trigger()
    assert not wizard.isVisible()
    unlock_page = shell.unlock_page
    qtbot.keyClicks(unlock_page.passphrase, "ronces violettes sur le canal")
    with qtbot.waitSignal(shell.locked_changed, timeout=10_000):
        qtbot.keyClick(unlock_page.passphrase, Qt.Key.Key_Return)
    assert wizard.isVisible()
    assert page.person_met.text() == "Sylvie"
    assert focused() is page.person_met
    assert saved_state(qtbot, shell).reception.person_met == "Sylvie"


def test_a_draft_is_offered_again_and_resumed_as_typed_after_the_shell_was_closed(
        qtbot: QtBot, ui_store: Path, make_shell: ShellFactory) -> None:
    first = make_shell(ui_store, save_debounce_ms=60_000)  # only the closing saves
    unlock(qtbot, first)
    search_and_open(qtbot, first, "martin")
    assert not first.workspace_page.dossier_view.resume.isVisible()
    wizard = start_interview(qtbot, first)
    page = wizard.pages[Step.RECEPTION]
    assert isinstance(page, ReceptionPage)
    shortcut(qtbot, Qt.Key.Key_3)
    shortcut(qtbot, Qt.Key.Key_1)
    tab_to(qtbot, page.person_met)
    write(qtbot, "Sylvie Martin")
    first.close()

    second = make_shell(ui_store)
    unlock(qtbot, second)
    search_and_open(qtbot, second, "martin")
    view = second.workspace_page.dossier_view
    qtbot.waitUntil(view.resume.isVisible, timeout=20_000)
    assert view.resume.text().startswith("Reprendre l'entretien du ")
    assert any(item.title == "Entretien (en cours)" for item in view.timeline_model.rows())
    view.resume.setFocus()
    key(qtbot, Qt.Key.Key_Space)
    resumed = second.workspace_page.wizard
    qtbot.waitUntil(lambda: second.workspace_page.interview_shown()
                    and resumed.view() is not None, timeout=20_000)
    resumed_page = resumed.pages[Step.RECEPTION]
    assert isinstance(resumed_page, ReceptionPage)
    assert resumed.current_step() is Step.RECEPTION
    assert resumed_page.person_met.text() == "Sylvie Martin"

    resumed.back.setFocus()
    key(qtbot, Qt.Key.Key_Space)  # "Retour au dossier"
    assert not second.workspace_page.interview_shown()
    assert view.resume.isVisible()


def test_every_input_of_the_wizard_has_an_accessible_name(qtbot: QtBot, shell: Shell) -> None:
    wizard = start_interview(qtbot, shell)
    for page in wizard.pages.values():
        rows = [getattr(page, name) for name in ("steps", "orientations", "contacts")
                if hasattr(page, name)]
        for editor in rows:
            editor.add_row()
    unnamed = [
        f"{type(widget).__name__} on {type(page).__name__}"
        for page in wizard.pages.values()
        for widget in page.findChildren(QWidget)
        if isinstance(widget, INPUTS) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not isinstance(widget.parentWidget(), QComboBox | QAbstractSpinBox)  # their insides
        and widget.isVisibleTo(page) and not widget.accessibleName()
        and not (isinstance(widget, QAbstractButton) and widget.text())
    ]
    assert unnamed == [], "\n".join(unnamed)
