"""Step 2: the nine questions as radio groups, the autonomy level live, the amounts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mediadesk.interview import QUESTIONS, Answer, Step
from mediadesk.ui.interview.pages.situation import SituationPage
from mediadesk.ui.shell import Shell
from tests.ui.interview.helpers import (
    focused,
    key,
    saved_state,
    start_interview,
    tab_to,
    write,
)

LEFT = Qt.Key.Key_Left
TAB = Qt.Key.Key_Tab


def answer(qtbot: QtBot, steps_left: int) -> None:
    """From "Non abordé" (checked), go left: 1 "Ne sait pas", 2 "Non", 3 "Oui"; then Tab."""
    for _ in range(steps_left):
        key(qtbot, LEFT)
    key(qtbot, TAB)


def test_the_nine_questions_are_answered_with_the_arrows_and_give_the_level_live(
        qtbot: QtBot, shell: Shell) -> None:
    wizard = start_interview(qtbot, shell)
    qtbot.keyClick(focused(), Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = wizard.pages[Step.SITUATION]
    assert isinstance(page, SituationPage)
    first = page.questions[QUESTIONS[0].key]
    assert focused() is first.buttons[Answer.NOT_ASKED]  # Tab and shortcuts land on the answer
    assert "pas encore calculable" in page.level.text()

    answer(qtbot, 2)  # 1: Non
    for _ in range(4):
        answer(qtbot, 3)  # 2 to 5: Oui
    assert "<b>bonne</b>" in page.level.text()
    assert "4 « oui » sur 5 questions" in page.level.text()
    answer(qtbot, 1)  # 6: Ne sait pas

    state = saved_state(qtbot, shell).situation
    assert state.knows_debt_amount is Answer.NO
    assert state.understands_debt is Answer.YES
    assert state.knows_last_payment_date is Answer.YES
    assert state.had_fsl_aid is Answer.UNKNOWN
    assert state.followed_by_social_worker is Answer.NOT_ASKED


def test_amounts_are_read_as_euros_and_kept_in_cents(qtbot: QtBot, shell: Shell) -> None:
    wizard = start_interview(qtbot, shell)
    wizard.go_to(Step.SITUATION)
    page = wizard.pages[Step.SITUATION]
    assert isinstance(page, SituationPage)
    debt = wizard.form["situation.declared_debt_cents"]
    debt.focus()
    write(qtbot, "beaucoup")
    qtbot.waitUntil(debt.error.isVisible, timeout=20_000)
    assert "Montant non reconnu" in debt.error.text()

    focused().clear()  # type: ignore[union-attr]
    write(qtbot, "1 234,50")
    tab_to(qtbot, wizard.form["situation.monthly_income_cents"].field)
    write(qtbot, "1450")
    key(qtbot, TAB)
    write(qtbot, "1100")
    key(qtbot, TAB)
    write(qtbot, "2")
    assert page.reste.text().startswith("350,00")
    assert "175,00" in page.reste.text()

    situation = saved_state(qtbot, shell).situation
    assert situation.declared_debt_cents == 123_450
    assert situation.monthly_income_cents == 145_000
    assert situation.monthly_charges_cents == 110_000
    assert situation.household_size == 2
    assert not debt.error.isVisible()
