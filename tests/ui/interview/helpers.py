"""Steps shared by the wizard tests: open the wizard, wait for the autosave, read the store."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from mediadesk.interview import InterviewState
from mediadesk.services.workspace import Workspace
from mediadesk.ui.interview.wizard import InterviewWizard
from mediadesk.ui.shell import Shell

TODAY = date.today()


def typed(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def in_days(days: int) -> date:
    return TODAY + timedelta(days=days)


def wizard_of(shell: Shell) -> InterviewWizard:
    return shell.workspace_page.wizard


def workspace_of(shell: Shell) -> Workspace:
    workspace = shell.workspace()
    assert workspace is not None
    return workspace


def start_interview(qtbot: QtBot, shell: Shell) -> InterviewWizard:
    """Ctrl+I on the open dossier; wait for the wizard to show the new interview."""
    wizard = wizard_of(shell)
    before = wizard.view()
    qtbot.keyClick(shell, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: shell.workspace_page.interview_shown()
                    and wizard.view() is not before, timeout=20_000)
    return wizard


def settle(qtbot: QtBot, wizard: InterviewWizard) -> None:
    """Wait until every answer typed is written (debounce, then the writer lane)."""
    qtbot.waitUntil(wizard.saver.is_idle, timeout=20_000)


def saved_state(qtbot: QtBot, shell: Shell) -> InterviewState:
    """The interview as stored, read back through the service."""
    wizard = wizard_of(shell)
    settle(qtbot, wizard)
    view = wizard.view()
    assert view is not None
    state = workspace_of(shell).interviews.open(view.id).state
    assert isinstance(state, InterviewState)
    return state


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def tab_to(qtbot: QtBot, target: QWidget, limit: int = 80) -> None:
    """Press Tab until ``target`` has the focus (it must be reachable with the keyboard)."""
    for _ in range(limit):
        current = focused()
        if current is target:
            return
        assert current is not None, "nothing has the focus"
        qtbot.keyClick(current, Qt.Key.Key_Tab)
    raise AssertionError(f"{target.accessibleName() or target!r} not reached with Tab")


def key(qtbot: QtBot, name: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
        ) -> None:
    """Press a key where the focus is."""
    current = focused()
    assert current is not None
    qtbot.keyClick(current, name, modifier)


def write(qtbot: QtBot, text: str) -> None:
    """Type ``text`` where the focus is (ASCII only: QTest cannot type accents)."""
    current = focused()
    assert current is not None
    qtbot.keyClicks(current, text)


def prepared_interview(qtbot: QtBot, shell: Shell, answers: dict[str, object]
                       ) -> InterviewWizard:
    """An interview already holding ``answers`` (saved through the service), resumed from the
    dossier view with its "Reprendre l'entretien" button."""
    page = shell.workspace_page
    dossier = page.current_dossier()
    assert dossier is not None
    interviews = workspace_of(shell).interviews
    started = interviews.start(dossier.household.id)
    for name, value in answers.items():
        interviews.save_answer(started.id, name, value)
    page.open_household(dossier.household.id)
    resume = page.dossier_view.resume
    qtbot.waitUntil(resume.isVisible, timeout=20_000)
    resume.setFocus()
    qtbot.keyClick(resume, Qt.Key.Key_Space)
    wizard = wizard_of(shell)
    qtbot.waitUntil(lambda: page.interview_shown() and wizard.view() is not None
                    and wizard.view().id == started.id, timeout=20_000)  # type: ignore[union-attr]
    return wizard
