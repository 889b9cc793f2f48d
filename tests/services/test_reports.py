"""Printed documents built from a real (temporary, encrypted) store."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from mediadesk.domain.enums import Actor
from mediadesk.interview import PlannedStep
from mediadesk.services.errors import NotFound, ValidationError
from mediadesk.services.interviews import InterviewService
from mediadesk.services.reports import ReportService, write_atomically
from mediadesk.services.views import HouseholdDraft, MemberDraft, PhoneDraft
from mediadesk.services.workspace import Workspace
from tests.interview.helpers import TODAY, complete_state
from tests.reports.helpers import all_text, fonts, page_texts

NOW = datetime(2027, 1, 10, 9, 30, tzinfo=UTC)


def closed_interview(workspace: Workspace, household: uuid.UUID, **answers: object) -> None:
    """A finished interview for ``household`` (complete_state plus ``answers``)."""
    interviews = InterviewService(workspace.opened.sessions, clock=lambda: NOW)
    state = complete_state(**answers)
    interview = interviews.start(household)
    saved = state.to_answers()
    for key in sorted(saved, key=lambda k: not k.startswith("reception.consent.")):
        interviews.save_answer(interview.id, key, state.answer(key))
    interviews.close(interview.id, today=TODAY)


def new_household(workspace: Workspace, name: str = "Famille Benali") -> uuid.UUID:
    draft = HouseholdDraft(
        name=name, street="12 rue des Lilas", postal_code="59000", city="Lille",
        languages=("ar", "fr"), phones=(PhoneDraft("06 12 34 56 78"),),
        members=(MemberDraft("Karima", "Benali", "holder", 1980),))
    return workspace.dossiers.create_household(draft).household.id


@pytest.fixture
def reports(workspace: Workspace) -> ReportService:
    return ReportService(workspace.opened.sessions, clock=lambda: NOW)


@pytest.fixture
def household(workspace: Workspace) -> uuid.UUID:
    household_id = new_household(workspace)
    closed_interview(workspace, household_id, **{
        "supplier.supplier_amount_cents": 123_456,
        "supplier.proposed_monthly_cents": 4_500,
        "next_step.sheet_language": "ar",
        "closing.summary": "Échéancier demandé à EDF",
    })
    return household_id


def test_the_sheet_takes_the_steps_in_order_and_the_language_of_the_interview(
    reports: ReportService, household: uuid.UUID
) -> None:
    data = reports.sheet_data(household)
    assert data.language == "ar"
    assert [s.description for s in data.steps] == [
        "Se rendre au SIP", "Appeler le numéro vert chèque énergie"]
    assert data.steps[0].due_on == date(2027, 1, 17)
    assert data.debt_cents == 123_456 and data.monthly_cents == 4_500
    assert data.supplier == "EDF"
    assert data.mediator_name == "Awa Diallo"
    assert data.follow_up_on == date(2027, 2, 10)


def test_the_french_sheet_prints_the_amounts_in_french(
    reports: ReportService, household: uuid.UUID
) -> None:
    text = all_text(reports.render_sheet(household, "fr"))
    assert "Ce que vous devez à EDF : 1 234,56 €" in text
    assert text.index("Se rendre au SIP") < text.index("Appeler le numéro vert")


def test_a_sheet_in_a_language_without_texts_is_refused(
    reports: ReportService, household: uuid.UUID
) -> None:
    with pytest.raises(ValidationError):
        reports.sheet_data(household, "tlh")


def test_a_household_without_interview_still_gets_a_sheet(
    reports: ReportService, workspace: Workspace
) -> None:
    household_id = new_household(workspace, "Famille Martin")
    data = reports.sheet_data(household_id)
    assert data.steps == () and data.language == "ar"
    assert "Famille Martin" in all_text(reports.render_sheet(household_id, "fr"))


def test_an_unknown_household_is_not_found(reports: ReportService) -> None:
    with pytest.raises(NotFound):
        reports.dossier_data(uuid.uuid4())


def test_the_dossier_summary_is_confidential_on_every_page(
    reports: ReportService, workspace: Workspace, household: uuid.UUID
) -> None:
    many = tuple(PlannedStep(Actor.HOUSEHOLD, f"Étape numéro {n} " + "détail " * 12,
                             date(2027, 1, 17)) for n in range(40))
    closed_interview(workspace, household, **{"next_step.steps": many})
    pages = page_texts(reports.render_dossier(household))
    assert len(pages) >= 2
    assert all("CONFIDENTIEL" in page for page in pages)


def test_the_dossier_summary_holds_identity_debts_interviews_and_next_steps(
    reports: ReportService, household: uuid.UUID
) -> None:
    data = reports.dossier_data(household)
    assert [line.value for line in data.identity][:2] == [
        "Famille Benali", "12 rue des Lilas, 59000 Lille"]
    assert len(data.interviews) == 1 and data.interviews[0].done
    assert [item.title for item in data.next_steps] == [
        "Se rendre au SIP", "Appeler le numéro vert chèque énergie"]
    assert data.orientations and data.follow_ups
    pdf = reports.render_dossier(household)
    text = all_text(pdf)
    for expected in ("Famille Benali", "Karima Benali", "06 12 34 56 78", "1 234,56 €",
                     "45,00 €", "Échéancier demandé à EDF", "Se rendre au SIP",
                     "Déclaration de revenus", "10 févr. 2027"):
        assert expected in text, expected
    assert all(fonts(pdf).values())


def test_the_worklist_keeps_what_falls_in_the_range(
    reports: ReportService, household: uuid.UUID
) -> None:
    inside = reports.worklist_data(date(2027, 2, 1), date(2027, 2, 28))
    assert {row.kind for row in inside.rows} == {"follow_up", "orientation_check"}
    assert all(row.household_name == "Famille Benali" for row in inside.rows)
    assert reports.worklist_data(date(2027, 3, 1), date(2027, 3, 31)).rows == ()
    text = all_text(reports.render_worklist(date(2027, 2, 1), date(2027, 2, 28)))
    assert "Famille Benali" in text and "Toute l'équipe" in text
    assert "Mon équipe" in text


def test_the_worklist_refuses_a_reversed_range(reports: ReportService) -> None:
    with pytest.raises(ValidationError):
        reports.worklist_data(date(2027, 3, 1), date(2027, 2, 1))


def test_documents_are_written_atomically(tmp_path: Path) -> None:
    target = tmp_path / "feuille.pdf"
    target.write_bytes(b"old")
    write_atomically(target, b"%PDF-new")
    assert target.read_bytes() == b"%PDF-new"
    assert [p.name for p in tmp_path.iterdir()] == ["feuille.pdf"]
