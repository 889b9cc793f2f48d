"""Step 6: the follow-up, the registers and the summary; closing lists what still blocks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mediadesk.domain.enums import ContactChannel, InterventionRegister
from mediadesk.interview import Step
from mediadesk.ui.interview.pages.follow_up import FollowUpPage
from mediadesk.ui.interview.pages.reception import ReceptionPage
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


def test_the_follow_up_is_saved_and_closing_lists_what_still_blocks(
        qtbot: QtBot, shell: Shell) -> None:
    wizard = start_interview(qtbot, shell)
    qtbot.keyClick(focused(), Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    page = wizard.pages[Step.FOLLOW_UP]
    assert isinstance(page, FollowUpPage)
    assert focused() is page.due_on
    write(qtbot, typed(in_days(14)))
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Down)  # "Téléphone"
    tab_to(qtbot, page.registers.boxes[InterventionRegister.PUTTING_IN_TOUCH])
    key(qtbot, Qt.Key.Key_Space)
    tab_to(qtbot, wizard.form["closing.summary"].field.focus_widgets()[0])
    write(qtbot, "Dette expliquee, rendez-vous SIP pris.")

    state = saved_state(qtbot, shell)
    assert state.follow_up.due_on == in_days(14)
    assert state.follow_up.channel is ContactChannel.PHONE
    assert state.follow_up.by_team is True
    assert state.closing.registers == (InterventionRegister.PUTTING_IN_TOUCH,)
    assert state.closing.summary == "Dette expliquee, rendez-vous SIP pris."
    assert "Complet" in wizard.stepper.steps.item(5).text()

    tab_to(qtbot, page.close_button)
    key(qtbot, Qt.Key.Key_Space)
    assert page.blocking.isVisible()
    assert "Impossible de clore" in page.blocking_title.text()
    first = page.blocking.item(0).text()
    assert first.startswith("Étape 1 :")
    assert focused() is page.blocking
    key(qtbot, Qt.Key.Key_Return)  # go to the field of the first point
    reception = wizard.pages[Step.RECEPTION]
    assert isinstance(reception, ReceptionPage)
    assert wizard.current_step() is Step.RECEPTION
    assert focused() is reception.initiated_by
    assert wizard.view() is not None and wizard.view().finished_at is None  # type: ignore[union-attr]
