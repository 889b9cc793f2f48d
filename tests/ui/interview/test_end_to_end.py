"""A whole interview with the keyboard only: six steps, then closing it; the dossier's history
then shows it finished."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from mediadesk.domain.enums import ConsentKind, InterventionRegister, InterviewPlace
from mediadesk.interview import QUESTIONS, Answer, OptionCode, Step
from mediadesk.ui.dialogs import ConfirmDialog
from mediadesk.ui.interview.pages.follow_up import FollowUpPage
from mediadesk.ui.interview.pages.next_step import NextStepPage
from mediadesk.ui.interview.pages.options import OptionsPage
from mediadesk.ui.interview.pages.reception import ReceptionPage
from mediadesk.ui.interview.pages.situation import SituationPage
from mediadesk.ui.interview.pages.supplier import SupplierPage
from mediadesk.ui.shell import Shell
from tests.ui.interview.helpers import (
    TODAY,
    in_days,
    key,
    start_interview,
    tab_to,
    typed,
    workspace_of,
    write,
)

CTRL = Qt.KeyboardModifier.ControlModifier
TAB, SPACE, DOWN, LEFT = Qt.Key.Key_Tab, Qt.Key.Key_Space, Qt.Key.Key_Down, Qt.Key.Key_Left


def confirm_with_enter(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The real confirmation dialog, answered with Enter (no nested event loop)."""
    asked: list[str] = []

    def ask(parent: QWidget | None, title: str, text: str, ok_text: str) -> bool:
        dialog = ConfirmDialog(title, text, ok_text, parent)
        qtbot.addWidget(dialog)
        dialog.show_modal()
        asked.append(text)
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
        return dialog.result() == ConfirmDialog.DialogCode.Accepted.value

    monkeypatch.setattr(ConfirmDialog, "ask", ask)
    return asked


def test_a_whole_interview_is_completed_and_closed_with_the_keyboard(
        qtbot: QtBot, shell: Shell, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = confirm_with_enter(qtbot, monkeypatch)
    wizard = start_interview(qtbot, shell)  # Ctrl+I from the dossier
    pages = wizard.pages
    reception, situation = pages[Step.RECEPTION], pages[Step.SITUATION]
    options, supplier = pages[Step.OPTIONS], pages[Step.SUPPLIER_LIAISON]
    next_step, follow_up = pages[Step.NEXT_STEP], pages[Step.FOLLOW_UP]
    assert isinstance(reception, ReceptionPage) and isinstance(situation, SituationPage)
    assert isinstance(options, OptionsPage) and isinstance(supplier, SupplierPage)
    assert isinstance(next_step, NextStepPage) and isinstance(follow_up, FollowUpPage)

    # 1. Accueil: presentation, initiative, place, consents, language.
    key(qtbot, SPACE)
    key(qtbot, TAB)
    key(qtbot, DOWN)  # on the supplier's list
    tab_to(qtbot, reception.place.buttons[InterviewPlace.COUNTER])
    key(qtbot, SPACE)
    for kind in (ConsentKind.MEDIATION, ConsentKind.SUPPLIER_EXCHANGE, ConsentKind.STORAGE):
        tab_to(qtbot, reception.consents[kind].given)
        write(qtbot, typed(TODAY))
    tab_to(qtbot, reception.languages)
    key(qtbot, SPACE)

    # 2. Situation: five questions, the debt, the main residence.
    key(qtbot, Qt.Key.Key_2, CTRL)
    for lefts in (2, 2, 3, 3, 3):  # no, no, yes, yes, yes
        for _ in range(lefts):
            key(qtbot, LEFT)
        key(qtbot, TAB)
    tab_to(qtbot, wizard.form["situation.declared_debt_cents"].field)
    write(qtbot, "840")
    tab_to(qtbot, wizard.form["situation.main_residence"].field)
    key(qtbot, DOWN)
    assert "partielle" in situation.level.text()

    # 3. Options: the first suggestion (bill explanation).
    key(qtbot, Qt.Key.Key_3, CTRL)
    assert options.chosen.display_order[0] is OptionCode.BILL_EXPLANATION
    key(qtbot, SPACE)

    # 4. Supplier: name, amount, one exchange.
    key(qtbot, Qt.Key.Key_PageDown, CTRL)
    assert supplier.content.isEnabled()
    write(qtbot, "EDF")
    key(qtbot, TAB)
    write(qtbot, "840")
    tab_to(qtbot, supplier.contacts.add)
    key(qtbot, SPACE)
    key(qtbot, TAB)
    key(qtbot, DOWN)  # by phone
    key(qtbot, TAB)
    write(qtbot, "Dossier vu avec le service client")

    # 5. Next step: one step with a day.
    key(qtbot, Qt.Key.Key_5, CTRL)
    key(qtbot, SPACE)  # "Ajouter un pas"
    key(qtbot, TAB)
    key(qtbot, TAB)
    write(qtbot, "Se rendre au SIP")
    key(qtbot, TAB)
    write(qtbot, typed(in_days(7)))

    # 6. Follow-up: day, channel, a register; then close.
    key(qtbot, Qt.Key.Key_6, CTRL)
    write(qtbot, typed(in_days(21)))
    key(qtbot, TAB)
    key(qtbot, DOWN)
    tab_to(qtbot, follow_up.registers.boxes[InterventionRegister.LIFTING_MISUNDERSTANDINGS])
    key(qtbot, SPACE)
    assert wizard.stepper.total.text() == "Tout est prêt pour clore l'entretien."
    tab_to(qtbot, follow_up.close_button)
    with qtbot.waitSignal(wizard.interview_closed, timeout=20_000):
        key(qtbot, SPACE)
    assert asked and "ne pourra plus être modifié" in asked[0]

    view = shell.workspace_page.dossier_view
    assert not shell.workspace_page.interview_shown()
    qtbot.waitUntil(lambda: any(item.title == "Entretien (terminé)"
                                for item in view.timeline_model.rows()), timeout=20_000)
    assert any(item.detail == "Se rendre au SIP" for item in view.timeline_model.rows())
    assert not view.resume.isVisible()
    closed = wizard.view()
    assert closed is not None and closed.finished_at is not None
    stored = workspace_of(shell).interviews.open(closed.id)
    assert stored.summary.status == "done"
    assert stored.state.situation.knows_last_bill_location is Answer.YES
    assert stored.state.answer(QUESTIONS[0].key) is Answer.NO
    assert shell.focusWidget() is view.new_interview  # ready for the next household
