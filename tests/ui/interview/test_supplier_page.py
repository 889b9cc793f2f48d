"""Step 4: closed until the household agrees to the exchange with the supplier, closed again
from a withdrawal; the two versions side by side; errors of the service next to the field."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mediadesk.domain.enums import ConsentKind
from mediadesk.interview import ConflictReason, Consent, Step
from mediadesk.services.errors import ValidationError
from mediadesk.ui.interview.pages.reception import ReceptionPage
from mediadesk.ui.interview.pages.supplier import SupplierPage
from mediadesk.ui.shell import Shell
from tests.ui.interview.helpers import (
    TODAY,
    focused,
    in_days,
    key,
    prepared_interview,
    saved_state,
    start_interview,
    tab_to,
    typed,
    workspace_of,
    write,
)

CTRL = Qt.KeyboardModifier.ControlModifier


def test_the_supplier_page_waits_for_the_consent_and_closes_again_on_withdrawal(
        qtbot: QtBot, shell: Shell) -> None:
    wizard = start_interview(qtbot, shell)
    supplier = wizard.pages[Step.SUPPLIER_LIAISON]
    reception = wizard.pages[Step.RECEPTION]
    assert isinstance(supplier, SupplierPage) and isinstance(reception, ReceptionPage)
    qtbot.keyClick(focused(), Qt.Key.Key_4, CTRL)
    assert not supplier.content.isEnabled()
    assert supplier.gate.isVisible()
    assert "accord de la personne" in supplier.gate.text()
    assert "En attente de l'accord" in wizard.stepper.steps.item(3).text()
    assert focused() is supplier.gate_button

    key(qtbot, Qt.Key.Key_Space)  # "Aller aux consentements"
    exchange = reception.consents[ConsentKind.SUPPLIER_EXCHANGE]
    assert wizard.current_step() is Step.RECEPTION
    assert focused() is exchange.given
    write(qtbot, typed(TODAY))

    qtbot.keyClick(focused(), Qt.Key.Key_4, CTRL)
    assert supplier.content.isEnabled()
    assert not supplier.gate.isVisible()
    assert focused() is wizard.form["supplier.supplier_name"].field
    write(qtbot, "EDF")
    key(qtbot, Qt.Key.Key_Tab)
    write(qtbot, "900")
    assert supplier.gap.text() == "Pas d'écart relevé entre les deux versions."
    assert saved_state(qtbot, shell).supplier.supplier_amount_cents == 90_000

    qtbot.keyClick(focused(), Qt.Key.Key_1, CTRL)
    tab_to(qtbot, exchange.withdrawn)
    write(qtbot, typed(TODAY))
    qtbot.keyClick(focused(), Qt.Key.Key_4, CTRL)
    assert not supplier.content.isEnabled()
    assert "a retiré son accord" in supplier.gate.text()
    state = saved_state(qtbot, shell)
    assert state.reception.consent(ConsentKind.SUPPLIER_EXCHANGE) == Consent(
        given_on=TODAY, withdrawn_on=TODAY)


def test_the_two_versions_show_their_gap_and_the_plan_is_previewed(
        qtbot: QtBot, shell: Shell) -> None:
    wizard = prepared_interview(qtbot, shell, {
        "reception.consent.supplier_exchange": Consent(given_on=TODAY),
        "situation.declared_debt_cents": 84_000,
        "situation.conflict_reasons": [ConflictReason.LINKY_METER],
    })
    wizard.go_to(Step.SUPPLIER_LIAISON, focus=True)
    page = wizard.pages[Step.SUPPLIER_LIAISON]
    assert isinstance(page, SupplierPage)
    assert page.household_debt.text() == "Foyer : 840,00\xa0€"
    assert "Enedis" in page.linky.text()
    tab_to(qtbot, wizard.form["supplier.supplier_amount_cents"].field)
    write(qtbot, "960")
    assert any("Linky" in issue.message for issue in wizard.stepper_issues())
    assert "Écart sur la dette : 120,00" in page.gap.text()
    tab_to(qtbot, wizard.form["supplier.proposed_monthly_cents"].field)
    write(qtbot, "80")
    tab_to(qtbot, wizard.form["supplier.plan_start_on"].field)
    write(qtbot, typed(in_days(10)))
    assert page.plan.text().startswith("12 mensualités de 80,00")
    tab_to(qtbot, page.contacts.add)
    key(qtbot, Qt.Key.Key_Space)
    assert page.contacts.row_count() == 1
    tab_to(qtbot, page.contacts.row_inputs(0)[1])
    key(qtbot, Qt.Key.Key_Down)  # "Téléphone"
    key(qtbot, Qt.Key.Key_Tab)
    write(qtbot, "Dossier vu avec le service client")

    supplier = saved_state(qtbot, shell).supplier
    assert supplier.supplier_amount_cents == 96_000
    assert supplier.plan_start_on == in_days(10)
    assert [(c.on, c.summary) for c in supplier.contacts] == [
        (TODAY, "Dossier vu avec le service client")]


def test_an_answer_the_service_refuses_is_shown_next_to_its_field(
        qtbot: QtBot, shell: Shell, monkeypatch: pytest.MonkeyPatch) -> None:
    wizard = prepared_interview(qtbot, shell, {
        "reception.consent.supplier_exchange": Consent(given_on=TODAY),
    })
    interviews = workspace_of(shell).interviews

    def refuse(interview_id: uuid.UUID, name: str, value: object) -> object:
        raise ValidationError(name, "Refusé pour le test.")

    monkeypatch.setattr(interviews, "save_answer", refuse)
    wizard.set_service(interviews)
    view = wizard.view()
    assert view is not None
    wizard.show_interview(view)
    wizard.go_to(Step.SUPPLIER_LIAISON, focus=True)
    write(qtbot, "Engie")
    binding = wizard.form["supplier.supplier_name"]
    qtbot.waitUntil(binding.error.isVisible, timeout=20_000)
    assert binding.error.text() == "Refusé pour le test."
    qtbot.waitUntil(lambda: "Non enregistré" in wizard.save_status.text(), timeout=20_000)
