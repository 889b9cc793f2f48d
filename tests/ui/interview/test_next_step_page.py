"""Step 5: the agreed steps in order, the first one stressed; orientations with a check day."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mediadesk.domain.enums import Actor, PartnerKind
from mediadesk.interview import Step
from mediadesk.ui.interview.pages.next_step import NextStepPage
from mediadesk.ui.shell import Shell
from tests.ui.interview.helpers import (
    focused,
    in_days,
    key,
    saved_state,
    start_interview,
    tab_to,
    typed,
    write,
)

SPACE = Qt.Key.Key_Space
TAB = Qt.Key.Key_Tab


def add_step(qtbot: QtBot, page: NextStepPage, what: str, due: str) -> None:
    tab_to(qtbot, page.steps.add)
    key(qtbot, SPACE)
    row = page.steps.row_count() - 1
    assert focused() is page.steps.row_inputs(row)[0]  # who: the household by default
    key(qtbot, TAB)  # partner
    key(qtbot, TAB)
    write(qtbot, what)
    key(qtbot, TAB)
    write(qtbot, due)


def test_next_steps_are_added_reordered_and_removed_with_the_keyboard(
        qtbot: QtBot, shell: Shell) -> None:
    wizard = start_interview(qtbot, shell)
    qtbot.keyClick(focused(), Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    page = wizard.pages[Step.NEXT_STEP]
    assert isinstance(page, NextStepPage)
    assert focused() is page.steps.add

    add_step(qtbot, page, "Appeler le numero vert cheque energie", typed(in_days(9)))
    add_step(qtbot, page, "Se rendre au SIP", typed(in_days(3)))
    add_step(qtbot, page, "Brouillon", "")
    tab_to(qtbot, page.steps._rows[1].buttons[0])  # "Monter" on the SIP row
    key(qtbot, SPACE)
    assert page.steps._rows[0].frame.objectName() == "stressed"
    assert page.steps._rows[1].frame.objectName() == ""
    tab_to(qtbot, page.steps._rows[2].buttons[2])  # "Retirer" on the draft
    key(qtbot, SPACE)
    assert page.steps.row_count() == 2

    tab_to(qtbot, page.orientations.add)
    key(qtbot, SPACE)
    key(qtbot, Qt.Key.Key_Down)  # "Travailleur social"
    key(qtbot, TAB)
    write(qtbot, "Demande FSL")
    key(qtbot, TAB)
    write(qtbot, typed(in_days(30)))

    next_step = saved_state(qtbot, shell).next_step
    assert [(s.actor, s.description, s.due_on) for s in next_step.steps] == [
        (Actor.HOUSEHOLD, "Se rendre au SIP", in_days(3)),
        (Actor.HOUSEHOLD, "Appeler le numero vert cheque energie", in_days(9)),
    ]
    assert [(o.partner_kind, o.reason, o.check_on) for o in next_step.orientations] == [
        (PartnerKind.SOCIAL_WORKER, "Demande FSL", in_days(30))]
    assert not any(issue.blocking for issue in wizard.stepper_issues())
