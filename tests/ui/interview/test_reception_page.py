"""Step 1: the presentation, who initiated the contact, where, languages, the consents."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mediadesk.domain.enums import ConsentKind, ContactInitiator, InterviewPlace
from mediadesk.interview import Consent, Step
from mediadesk.ui.interview.pages.reception import ReceptionPage
from mediadesk.ui.shell import Shell
from tests.ui.interview.helpers import (
    TODAY,
    focused,
    key,
    saved_state,
    start_interview,
    tab_to,
    typed,
    write,
)


def test_answers_typed_on_the_reception_page_are_saved_under_their_keys(
        qtbot: QtBot, shell: Shell) -> None:
    wizard = start_interview(qtbot, shell)
    page = wizard.pages[Step.RECEPTION]
    assert isinstance(page, ReceptionPage)
    assert "tiers neutre" in page.script.text()
    assert "ni pour votre fournisseur" in page.script.text()
    assert focused() is page.script_read

    key(qtbot, Qt.Key.Key_Space)
    tab_to(qtbot, page.initiated_by)
    key(qtbot, Qt.Key.Key_Down)  # "Liste du fournisseur"
    assert not page.referred_by.isEnabled()  # only for an orientation by a partner
    tab_to(qtbot, page.place.buttons[InterviewPlace.COUNTER])
    key(qtbot, Qt.Key.Key_Space)
    key(qtbot, Qt.Key.Key_Right)  # arrows move within the group and check
    tab_to(qtbot, page.person_met)
    write(qtbot, "Sylvie Martin, titulaire du contrat")
    tab_to(qtbot, page.consents[ConsentKind.MEDIATION].given)
    write(qtbot, typed(TODAY))
    tab_to(qtbot, page.consents[ConsentKind.SUPPLIER_EXCHANGE].today)
    key(qtbot, Qt.Key.Key_Space)
    tab_to(qtbot, page.consents[ConsentKind.SUPPLIER_EXCHANGE].method)
    key(qtbot, Qt.Key.Key_Down)  # "Oral"
    tab_to(qtbot, page.languages)
    key(qtbot, Qt.Key.Key_Space)  # the first language, français
    tab_to(qtbot, page.interpreter)
    key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Down)  # "Non"

    reception = saved_state(qtbot, shell).reception
    assert reception.presentation_script_read is True
    assert reception.initiated_by is ContactInitiator.SUPPLIER_LIST
    assert reception.place is InterviewPlace.HOME
    assert reception.person_met == "Sylvie Martin, titulaire du contrat"
    assert reception.consent(ConsentKind.MEDIATION) == Consent(given_on=TODAY)
    assert reception.consent(ConsentKind.SUPPLIER_EXCHANGE).given_on == TODAY
    assert reception.consent(ConsentKind.SUPPLIER_EXCHANGE).method is not None
    assert reception.languages == ("fr",)
    assert reception.interpreter_used is False
    assert page.consents[ConsentKind.MEDIATION].status.text() == "Actif"


def test_a_partner_orientation_asks_which_partner(qtbot: QtBot, shell: Shell) -> None:
    wizard = start_interview(qtbot, shell)
    page = wizard.pages[Step.RECEPTION]
    assert isinstance(page, ReceptionPage)
    page.initiated_by.setFocus()
    for _ in range(3):
        key(qtbot, Qt.Key.Key_Down)  # "Orientation par un partenaire"
    assert page.initiated_by.value() is ContactInitiator.PARTNER
    assert page.referred_by.isEnabled()
    assert any("partenaire" in issue.message for issue in wizard.stepper_issues())


def test_a_date_that_cannot_be_read_is_shown_next_to_its_field_and_not_saved(
        qtbot: QtBot, shell: Shell) -> None:
    wizard = start_interview(qtbot, shell)
    page = wizard.pages[Step.RECEPTION]
    assert isinstance(page, ReceptionPage)
    given = page.consents[ConsentKind.STORAGE].given
    given.setFocus()
    write(qtbot, "31/02/2030")
    error = wizard.form["reception.consent.storage"].error
    qtbot.waitUntil(error.isVisible, timeout=20_000)
    assert error.text() == "Cette date n'existe pas dans le calendrier."
    assert saved_state(qtbot, shell).reception.consent(ConsentKind.STORAGE).given_on is None

    given.clear()
    write(qtbot, typed(TODAY))
    assert not error.isVisible()
    assert saved_state(qtbot, shell).reception.consent(ConsentKind.STORAGE).given_on == TODAY
