"""The funder activity report counts each household once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mediadesk.domain.enums import ContactChannel, ContactOutcome, InterventionRegister
from mediadesk.interview import OptionCode
from mediadesk.services.errors import ValidationError
from mediadesk.services.funder import ReportCancelled
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


def test_counting_reports_progress_up_to_the_end(workspace: Workspace) -> None:
    closed_interview(workspace, new_household(workspace))
    reports = ReportService(workspace.opened.sessions, clock=lambda: NOW)
    seen: list[tuple[int, int]] = []
    reports.funder_data(*JANUARY, progress=lambda done, total: seen.append((done, total)))
    totals = {total for _done, total in seen}
    assert len(totals) == 1 and seen[-1][0] == seen[-1][1]
    assert [done for done, _total in seen] == list(range(1, seen[-1][1] + 1))


def test_a_cancelled_count_stops_with_report_cancelled(workspace: Workspace) -> None:
    reports = ReportService(workspace.opened.sessions, clock=lambda: NOW)
    steps: list[int] = []
    with pytest.raises(ReportCancelled):
        reports.funder_data(*JANUARY, progress=lambda done, _total: steps.append(done),
                            cancel=lambda: len(steps) >= 2)
    assert steps == [1, 2]


def test_profiles_keep_their_indicators_in_the_chosen_order(workspace: Workspace) -> None:
    reports = ReportService(workspace.opened.sessions, clock=lambda: NOW)
    codes = [c.code for c in reports.indicator_choices()]
    assert codes[:2] == ["households_met", "interviews"] and len(codes) == len(set(codes))
    assert reports.report_profiles() == ()
    reports.save_report_profile("Fondation Abbé Pierre", ["incidents", "households_met"])
    reports.save_report_profile("CAF du Nord", ["interviews"])
    assert [(p.name, p.codes) for p in reports.report_profiles()] == [
        ("CAF du Nord", ("interviews",)),
        ("Fondation Abbé Pierre", ("incidents", "households_met"))]
    data = reports.funder_data(*JANUARY, profile="Fondation Abbé Pierre")
    assert [f.code for f in data.figures] == ["incidents", "households_met"]
    reports.delete_report_profile("CAF du Nord")
    assert [p.name for p in reports.report_profiles()] == ["Fondation Abbé Pierre"]
    with pytest.raises(ValidationError) as refused:
        reports.save_report_profile("x" * 46, ["interviews"])
    assert "45" in refused.value.message
