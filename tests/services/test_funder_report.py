"""The funder activity report counts each household once."""

from __future__ import annotations

from datetime import UTC, date, datetime

from mediadesk.domain.enums import ContactChannel, ContactOutcome, InterventionRegister
from mediadesk.interview import OptionCode
from mediadesk.services.reports import ReportService
from mediadesk.services.workspace import Workspace
from mediadesk.store.models import ContactAttempt
from tests.reports.helpers import all_text, fonts
from tests.services.test_reports import NOW, closed_interview, new_household

JANUARY = (date(2027, 1, 1), date(2027, 1, 31))


def _counts(reports: ReportService) -> dict[str, int]:
    return {c.label: c.value for c in reports.funder_data(*JANUARY).indicators}


def test_two_interviews_of_one_household_count_it_once(workspace: Workspace) -> None:
    household = new_household(workspace)
    answers = {"options.chosen": (OptionCode.ENERGY_VOUCHER_CLAIM, OptionCode.ENERGY_SAVING),
               "supplier.plan_agreed": True, "supplier.proposed_monthly_cents": 4_500,
               "supplier.plan_start_on": date(2027, 2, 1)}
    closed_interview(workspace, household, **answers)
    closed_interview(workspace, household, **answers)
    unreachable = new_household(workspace, "Famille Martin")
    with workspace.opened.sessions.begin() as session:
        for _attempt in range(3):
            session.add(ContactAttempt(household_id=unreachable, at=NOW,
                                       channel=ContactChannel.PHONE,
                                       outcome=ContactOutcome.NO_ANSWER))
    reports = ReportService(workspace.opened.sessions, clock=lambda: NOW)
    counts = _counts(reports)
    assert counts["Foyers accompagnés (au moins un entretien terminé)"] == 1
    assert counts["Entretiens terminés"] == 2
    assert counts["Foyers avec un échéancier conclu"] == 1
    assert counts["Foyers informés sur le chèque énergie"] == 1
    assert counts["Foyers sensibilisés aux économies d'énergie"] == 1
    assert counts["Foyers injoignables (tentatives sans réponse, sans entretien)"] == 1
    data = reports.funder_data(*JANUARY)
    by_register = {c.label[:2]: c.value for c in data.registers}
    assert by_register[f"{int(InterventionRegister.PUTTING_IN_TOUCH)}."] == 2
    assert by_register["1."] == 0
    assert [(c.label, c.value) for c in data.mediators] == [("Awa Diallo", 2)]
    pdf = reports.render_funder(*JANUARY)
    text = all_text(pdf)
    assert "Rapport d'activité : Mon équipe" in text
    assert "7. Mettre en relation avec un partenaire" in text
    assert all(fonts(pdf).values())


def test_nothing_outside_the_period_is_counted(workspace: Workspace) -> None:
    closed_interview(workspace, new_household(workspace))
    reports = ReportService(workspace.opened.sessions,
                            clock=lambda: datetime(2027, 3, 1, tzinfo=UTC))
    data = reports.funder_data(date(2027, 2, 1), date(2027, 2, 28))
    assert all(c.value == 0 for c in data.indicators + data.registers)
    assert "Aucun entretien" in all_text(reports.render_funder(date(2027, 2, 1),
                                                               date(2027, 2, 28)))
