from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from mediadesk.domain.enums import ContactChannel, Energy, HouseholdStatus, OutcomeCode
from mediadesk.interview import (
    Answer,
    AutonomyLevel,
    Consent,
    InterviewState,
    NoticeEvent,
    SupplierContact,
)
from mediadesk.services.errors import NotFound, ValidationError
from mediadesk.services.interviews import InterviewService
from mediadesk.services.journal import JournalService
from mediadesk.services.journal_views import IncidentSeverity, IncidentTarget, TeamFlag
from mediadesk.services.views import HouseholdDraft
from mediadesk.services.workspace import Workspace
from mediadesk.store.models import Debt, EnergyContract, Household, NoteRevision
from tests.interview.helpers import GIVEN, TODAY, complete_state

NOW = datetime(2027, 1, 10, 9, 30, tzinfo=UTC)


@pytest.fixture
def journal(workspace: Workspace) -> JournalService:
    return JournalService(workspace.opened.sessions, clock=lambda: NOW)


@pytest.fixture
def household(workspace: Workspace) -> uuid.UUID:
    return workspace.dossiers.create_household(HouseholdDraft(name="Famille Roussel")).household.id


def _add_contract(workspace: Workspace, household: uuid.UUID, *, linky: bool | None = True,
                  attestation: bool = False, kva: int | None = 6,
                  bill_on: date | None = None) -> None:
    with workspace.opened.sessions.begin() as session:
        contract = EnergyContract(household_id=household, supplier="EDF",
                                  energy=Energy.ELECTRICITY, linky=linky, subscribed_kva=kva,
                                  energy_voucher_attestation_sent=attestation)
        session.add(contract)
        session.flush()
        if bill_on is not None:
            session.add(Debt(household_id=household, contract_id=contract.id,
                             amount_cents=42_000, bill_date=bill_on))


# --- notes --------------------------------------------------------------------------------


def test_a_note_is_shown_in_the_dossier_timeline(workspace: Workspace, journal: JournalService,
                                                 household: uuid.UUID) -> None:
    note = journal.add_note(household, "  Appel de Mme Roussel : facture reçue.  ")
    assert (note.body, note.at, note.revisions, note.revised_at) == (
        "Appel de Mme Roussel : facture reçue.", NOW, 1, None)
    timeline = workspace.dossiers.open_dossier(household).timeline
    assert [(i.kind, i.detail) for i in timeline] == [
        ("note", "Appel de Mme Roussel : facture reçue.")]


def test_revising_a_note_appends_a_revision_and_keeps_the_old_text(
        workspace: Workspace, journal: JournalService, household: uuid.UUID) -> None:
    note = journal.add_note(household, "Facture de 420 € contestée.")
    revised = journal.revise_note(note.id, "Facture de 402 € contestée.")
    assert (revised.id, revised.body, revised.revisions) == (
        note.id, "Facture de 402 € contestée.", 2)
    assert revised.revised_at is not None
    history = journal.note_history(note.id)
    assert [r.body for r in history] == ["Facture de 420 € contestée.",
                                         "Facture de 402 € contestée."]
    assert history[0].author_id == workspace.actor.user_id
    with workspace.opened.sessions() as session:
        assert session.query(NoteRevision).filter_by(note_id=note.id).count() == 2
    [item] = workspace.dossiers.open_dossier(household).timeline
    assert item.detail == "Facture de 402 € contestée."


def test_revising_with_the_same_text_appends_nothing(journal: JournalService,
                                                     household: uuid.UUID) -> None:
    note = journal.add_note(household, "Rappel prévu jeudi.")
    assert journal.revise_note(note.id, "Rappel prévu jeudi. ").revisions == 1
    assert len(journal.note_history(note.id)) == 1


def test_empty_notes_unknown_notes_and_unknown_households_are_refused(
        journal: JournalService, household: uuid.UUID) -> None:
    with pytest.raises(ValidationError) as empty:
        journal.add_note(household, "   ")
    assert empty.value.field == "body"
    with pytest.raises(NotFound):
        journal.add_note(uuid.uuid4(), "Texte")
    with pytest.raises(NotFound):
        journal.revise_note(uuid.uuid4(), "Texte")
    with pytest.raises(NotFound):
        journal.note_history(uuid.uuid4())
    assert journal.notes(household) == []


# --- incidents and team flags -------------------------------------------------------------


def test_an_incident_asking_for_visits_in_pairs_raises_the_team_flag(
        workspace: Workspace, journal: JournalService, household: uuid.UUID) -> None:
    assert journal.team_flags(household) == ()
    journal.record_incident(household, severity="tense", anger_target="supplier",
                            description="Ton élevé contre le fournisseur, échange repris.")
    assert journal.team_flags(household) == (TeamFlag.INCIDENT_REPORTED,)
    incident = journal.record_incident(
        household, severity=IncidentSeverity.AGGRESSIVE, anger_target=IncidentTarget.MEDIATOR,
        description="Propos menaçants à l'accueil.", visit_in_pairs=True,
        handed_over_to=workspace.actor.user_id)
    assert (incident.at, incident.severity, incident.anger_target, incident.visit_in_pairs) == (
        NOW, "aggressive", "mediator", True)
    assert journal.team_flags(household) == (
        TeamFlag.VISIT_IN_PAIRS, TeamFlag.HANDED_OVER, TeamFlag.INCIDENT_REPORTED)
    kinds = [i.kind for i in workspace.dossiers.open_dossier(household).timeline]
    assert kinds.count("incident") == 2


def test_incidents_need_known_codes_facts_and_a_colleague_of_the_team(
        journal: JournalService, household: uuid.UUID) -> None:
    for field, options in (
            ("severity", {"severity": "furious", "anger_target": None, "description": "x"}),
            ("anger_target", {"severity": "tense", "anger_target": "moon", "description": "x"}),
            ("description", {"severity": "tense", "anger_target": None, "description": " "}),
            ("handed_over_to", {"severity": "tense", "anger_target": None, "description": "x",
                                "handed_over_to": uuid.uuid4()})):
        with pytest.raises(ValidationError) as refused:
            journal.record_incident(household, **options)  # type: ignore[arg-type]
        assert refused.value.field == field
    assert journal.incidents(household) == []


def test_colleagues_list_the_team(workspace: Workspace, journal: JournalService) -> None:
    assert [(c.id, c.name) for c in journal.colleagues()] == [
        (workspace.actor.user_id, "Awa Diallo")]


# --- closing and reopening ----------------------------------------------------------------


def test_closing_records_the_outcome_and_reopening_clears_it(
        workspace: Workspace, journal: JournalService, household: uuid.UUID) -> None:
    closed = journal.close_dossier(household, OutcomeCode.PLAN_AGREED)
    assert (closed.status, closed.outcome) == ("closed", OutcomeCode.PLAN_AGREED)
    assert workspace.dossiers.open_dossier(household).household.status == "closed"
    with workspace.opened.sessions() as session:
        row = session.get(Household, household)
        assert row is not None
        assert (row.status, row.outcome) == (HouseholdStatus.CLOSED, OutcomeCode.PLAN_AGREED)
    reopened = journal.reopen_dossier(household)
    assert (reopened.status, reopened.outcome) == ("open", None)
    overview = journal.overview(household, TODAY)
    assert (overview.status, overview.outcome) == ("open", None)
    with pytest.raises(NotFound):
        journal.close_dossier(uuid.uuid4(), OutcomeCode.RESOLVED)


# --- energy situation ---------------------------------------------------------------------


@pytest.mark.parametrize(("today", "in_truce", "days_remaining", "days_until_start", "last_day"), [
    (date(2026, 10, 31), False, None, 1, date(2027, 3, 31)),
    (date(2026, 11, 1), True, 151, None, date(2027, 3, 31)),
    (date(2027, 3, 31), True, 1, None, date(2027, 3, 31)),
    (date(2027, 4, 1), False, None, 214, date(2028, 3, 31)),
])
def test_the_truce_on_its_edge_dates(journal: JournalService, household: uuid.UUID,
                                     today: date, in_truce: bool, days_remaining: int | None,
                                     days_until_start: int | None, last_day: date) -> None:
    truce = journal.energy_situation(household, today).truce
    assert (truce.in_truce, truce.days_remaining, truce.days_until_start, truce.last_day) == (
        in_truce, days_remaining, days_until_start, last_day)


def test_without_any_fact_the_situation_is_mostly_unknown(journal: JournalService,
                                                          household: uuid.UUID) -> None:
    energy = journal.energy_situation(household, TODAY)
    assert energy.contracts == () and energy.notice_timeline == ()
    assert (energy.linky, energy.unpaid_bill_on, energy.fsl_last_aid_on,
            energy.energy_voucher_valid_until, energy.attestation_sent_everywhere) == (
        None, None, None, None, None)
    assert energy.autonomy == ()


def test_a_bill_in_october_has_its_cut_postponed_by_the_truce(
        workspace: Workspace, journal: JournalService, household: uuid.UUID) -> None:
    _add_contract(workspace, household, linky=False, bill_on=date(2026, 10, 1))
    energy = journal.energy_situation(household, date(2026, 10, 31))
    events = {e.event: e.on for e in energy.notice_timeline}
    assert not energy.minimum_power_regime
    assert events[NoticeEvent.PAYMENT_DEADLINE] == date(2026, 10, 15)
    assert events[NoticeEvent.CUT_NOTICE] == date(2026, 10, 30)
    assert events[NoticeEvent.CUT_POSTPONED_BY_TRUCE] == date(2026, 11, 19)
    assert events[NoticeEvent.CUT_POSSIBLE] == date(2027, 4, 1)
    next_event = energy.next_notice_event()
    assert next_event is not None and next_event.event is NoticeEvent.CUT_POSTPONED_BY_TRUCE
    [contract] = energy.contracts
    assert (contract.linky, contract.subscribed_kva, contract.truce_power_limit_kva) == (
        False, 6, 3)


def test_interview_answers_give_fsl_voucher_linky_and_the_minimum_power_regime(
        workspace: Workspace, journal: JournalService, household: uuid.UUID) -> None:
    _add_contract(workspace, household, linky=None, attestation=True, kva=3)
    interviews = InterviewService(workspace.opened.sessions, clock=lambda: NOW)
    started = interviews.start(household)
    for key, value in (("situation.fsl_last_aid_on", date(2026, 6, 15)),
                       ("situation.energy_voucher_year", 2026),
                       ("situation.has_linky", True),
                       ("reception.consent.supplier_exchange", Consent(given_on=GIVEN)),
                       ("supplier.unpaid_bill_on", date(2027, 1, 5))):
        interviews.save_answer(started.id, key, value)
    energy = journal.energy_situation(household, date(2027, 3, 31))
    assert energy.fsl_last_aid_on == date(2026, 6, 15) and energy.fsl_aid_recent
    assert energy.energy_voucher_valid_until == date(2027, 3, 31)
    assert energy.linky is True and energy.attestation_sent_everywhere is True
    assert energy.unpaid_bill_on == date(2027, 1, 5) and energy.minimum_power_regime
    events = {e.event: e.on for e in energy.notice_timeline}
    assert events[NoticeEvent.MINIMUM_POWER_FROM] == date(2027, 4, 1)
    assert energy.contracts[0].truce_power_limit_kva is None  # attestation sent: no reduction
    assert not journal.energy_situation(household, date(2027, 6, 15)).fsl_aid_recent


def _closed_interview(workspace: Workspace, household: uuid.UUID, on: datetime,
                      state: InterviewState) -> None:
    interviews = InterviewService(workspace.opened.sessions, clock=lambda: on)
    started = interviews.start(household)
    answered: dict[str, object] = {f"reception.consent.{kind}": Consent(given_on=on.date())
                                   for kind in ("mediation", "supplier_exchange", "storage")}
    answered["supplier.contacts"] = (SupplierContact(on.date(), ContactChannel.PHONE, "Vu"),)
    state = state.with_answers(answered)
    answers = state.to_answers()
    for key in sorted(answers, key=lambda k: not k.startswith("reception.consent.")):
        interviews.save_answer(started.id, key, state.answer(key))
    interviews.close(started.id, today=on.date())


def test_the_autonomy_level_is_followed_across_interviews(
        workspace: Workspace, journal: JournalService, household: uuid.UUID) -> None:
    no = dict.fromkeys(("situation.knows_debt_amount", "situation.knows_supplier",
                        "situation.knows_last_bill_location"), Answer.NO)
    yes = dict.fromkeys(("situation.understands_debt", "situation.knows_last_payment_date"),
                        Answer.YES)
    _closed_interview(workspace, household, datetime(2027, 1, 12, 9, tzinfo=UTC),
                      complete_state(**yes))
    _closed_interview(workspace, household, datetime(2026, 9, 1, 9, tzinfo=UTC),
                      complete_state(**no))
    _closed_interview(workspace, household, datetime(2026, 11, 3, 9, tzinfo=UTC),
                      complete_state())
    autonomy = journal.energy_situation(household, TODAY).autonomy
    assert [(p.on, p.level) for p in autonomy] == [
        (date(2026, 9, 1), AutonomyLevel.LOW), (date(2026, 11, 3), AutonomyLevel.PARTIAL),
        (date(2027, 1, 12), AutonomyLevel.GOOD)]
    assert journal.overview(household, TODAY).energy.autonomy == autonomy
