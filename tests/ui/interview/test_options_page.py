"""Step 3: suggestions with their reasons, chosen in order, and the energy-law warnings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mediadesk.interview import Answer, OptionCode, Step
from mediadesk.ui.interview.pages.options import OptionsPage
from mediadesk.ui.shell import Shell
from tests.ui.interview.helpers import (
    focused,
    key,
    prepared_interview,
    saved_state,
    tab_to,
    write,
)


def test_suggestions_come_with_their_reasons_and_the_chosen_ones_are_saved_in_order(
        qtbot: QtBot, shell: Shell) -> None:
    wizard = prepared_interview(qtbot, shell, {
        "situation.understands_debt": Answer.NO,
        "situation.declared_debt_cents": 84_000,
        "situation.main_residence": False,
    })
    qtbot.keyClick(focused(), Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    page = wizard.pages[Step.OPTIONS]
    assert isinstance(page, OptionsPage)
    chosen = page.chosen
    assert chosen.display_order[:2] == [OptionCode.BILL_EXPLANATION, OptionCode.PAYMENT_PLAN]
    assert "n'a pas compris sa dette" in chosen.notes[OptionCode.BILL_EXPLANATION].text()
    assert "840,00" in chosen.notes[OptionCode.PAYMENT_PLAN].text()
    assert [label.text() for label in page.alert_labels] == [
        "La trêve hivernale ne protège que la résidence principale."]
    assert focused() is chosen.boxes[OptionCode.BILL_EXPLANATION]

    tab_to(qtbot, chosen.boxes[OptionCode.PAYMENT_PLAN])
    key(qtbot, Qt.Key.Key_Space)
    qtbot.keyClick(focused(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    key(qtbot, Qt.Key.Key_Space)
    tab_to(qtbot, wizard.form["options.notes"].field.focus_widgets()[0])
    write(qtbot, "Negocier l echeancier en premier.")

    options = saved_state(qtbot, shell).options
    assert options.chosen == (OptionCode.PAYMENT_PLAN, OptionCode.BILL_EXPLANATION)
    assert options.notes == "Negocier l echeancier en premier."
    assert not any(issue.blocking for issue in wizard.stepper_issues())
