"""What each step lacks, consent gating, and what blocks closing the interview."""

from __future__ import annotations

from datetime import date

import pytest

from mediadesk.domain.enums import (
    Actor,
    ConsentKind,
    ContactChannel,
    ContactInitiator,
    PartnerKind,
)
from mediadesk.interview import (
    Answer,
    ConflictReason,
    Consent,
    InterviewState,
    Issue,
    OrientationEntry,
    PlannedStep,
    Severity,
    Step,
    SupplierContact,
    closing_issues,
    consent_active,
    validate,
)
from mediadesk.interview.codecs import JSON
from tests.interview.helpers import TODAY, complete_state

D = date


def _issues(state: InterviewState, step: Step) -> dict[tuple[str, int | None], Issue]:
    return {(i.key, i.index): i for i in validate(step, state, TODAY)}


def _blocking_keys(state: InterviewState, step: Step) -> set[str]:
    return {i.key for i in validate(step, state, TODAY) if i.blocking}


def _consent(given: date | None, withdrawn: date | None = None) -> InterviewState:
    return InterviewState().with_answer("reception.consent.supplier_exchange",
                                        Consent(given_on=given, withdrawn_on=withdrawn))


@pytest.mark.parametrize(("given", "withdrawn", "at", "active"), [
    (None, None, D(2027, 1, 10), False),
    (D(2027, 1, 10), None, D(2027, 1, 9), False),
    (D(2027, 1, 10), None, D(2027, 1, 10), True),
    (D(2027, 1, 10), D(2027, 2, 1), D(2027, 1, 31), True),
    (D(2027, 1, 10), D(2027, 2, 1), D(2027, 2, 1), False),
    (D(2027, 1, 10), D(2027, 1, 10), D(2027, 1, 10), False),
    (D(2027, 3, 1), D(2027, 2, 1), D(2027, 2, 15), False),   # given again after withdrawal
    (D(2027, 3, 1), D(2027, 2, 1), D(2027, 3, 1), True),
    (None, D(2027, 2, 1), D(2027, 3, 1), False),
])
def test_a_consent_holds_from_its_giving_until_its_withdrawal(
        given: date | None, withdrawn: date | None, at: date, active: bool) -> None:
    assert consent_active(_consent(given, withdrawn), ConsentKind.SUPPLIER_EXCHANGE, at) is active


def test_a_complete_interview_has_nothing_blocking_its_closing() -> None:
    assert closing_issues(complete_state(), TODAY) == []


def test_an_empty_interview_lists_what_blocks_closing_in_step_order() -> None:
    issues = closing_issues(InterviewState(), TODAY)
    assert [i.key for i in issues] == [
        "reception.initiated_by",
        "reception.place",
        "reception.presentation_script_read",
        "reception.consent.mediation",
        "options.chosen",
        "next_step.steps",
        "follow_up.due_on",
        "follow_up.channel",
        "closing.registers",
    ]
    assert [i.step for i in issues] == sorted(i.step for i in issues)
    assert all(i.severity is Severity.BLOCKING and i.message for i in issues)


@pytest.mark.parametrize(("answers", "step", "key"), [
    ({"reception.initiated_by": None}, Step.RECEPTION, "reception.initiated_by"),
    ({"reception.place": None}, Step.RECEPTION, "reception.place"),
    ({"reception.presentation_script_read": False}, Step.RECEPTION,
     "reception.presentation_script_read"),
    ({"reception.consent.mediation": Consent()}, Step.RECEPTION, "reception.consent.mediation"),
    ({"reception.consent.storage": Consent(withdrawn_on=D(2027, 1, 1))}, Step.RECEPTION,
     "reception.consent.storage"),
    ({"reception.consent.storage": Consent(given_on=D(2027, 1, 11))}, Step.RECEPTION,
     "reception.consent.storage"),
    ({"situation.had_fsl_aid": Answer.NO, "situation.fsl_last_aid_on": D(2026, 1, 1)},
     Step.SITUATION, "situation.fsl_last_aid_on"),
    ({"situation.received_energy_voucher": Answer.NO,
      "situation.energy_voucher_attestation_sent": True},
     Step.SITUATION, "situation.energy_voucher_attestation_sent"),
    ({"situation.last_payment_on": D(2027, 1, 11)}, Step.SITUATION, "situation.last_payment_on"),
    ({"options.chosen": []}, Step.OPTIONS, "options.chosen"),
    ({"reception.consent.supplier_exchange": Consent()}, Step.SUPPLIER_LIAISON,
     "reception.consent.supplier_exchange"),
    ({"supplier.contacts": [SupplierContact(None, ContactChannel.PHONE)]},
     Step.SUPPLIER_LIAISON, "supplier.contacts"),
    ({"supplier.contacts": [SupplierContact(D(2027, 1, 9), ContactChannel.PHONE)]},
     Step.SUPPLIER_LIAISON, "supplier.contacts"),
    ({"supplier.plan_agreed": True}, Step.SUPPLIER_LIAISON, "supplier.proposed_monthly_cents"),
    ({"supplier.plan_agreed": True, "supplier.proposed_monthly_cents": 5_000},
     Step.SUPPLIER_LIAISON, "supplier.plan_start_on"),
    ({"next_step.steps": []}, Step.NEXT_STEP, "next_step.steps"),
    ({"next_step.steps": [PlannedStep(Actor.HOUSEHOLD, "Aller au SIP")]},
     Step.NEXT_STEP, "next_step.steps"),
    ({"next_step.steps": [PlannedStep(Actor.HOUSEHOLD, " ", D(2027, 1, 20))]},
     Step.NEXT_STEP, "next_step.steps"),
    ({"next_step.orientations": [OrientationEntry(None, "", D(2027, 2, 1))]},
     Step.NEXT_STEP, "next_step.orientations"),
    ({"next_step.orientations": [OrientationEntry(check_on=None)]},
     Step.NEXT_STEP, "next_step.orientations"),
    ({"follow_up.due_on": None}, Step.FOLLOW_UP, "follow_up.due_on"),
    ({"follow_up.due_on": D(2027, 1, 9)}, Step.FOLLOW_UP, "follow_up.due_on"),
    ({"follow_up.channel": None}, Step.FOLLOW_UP, "follow_up.channel"),
    ({"closing.registers": []}, Step.FOLLOW_UP, "closing.registers"),
])
def test_a_missing_or_inconsistent_answer_blocks_its_step(
        answers: dict[str, object], step: Step, key: str) -> None:
    state = complete_state(**answers)
    assert key in _blocking_keys(state, step)
    assert key in {i.key for i in closing_issues(state, TODAY)}


@pytest.mark.parametrize(("answers", "step", "key"), [
    ({"reception.languages": []}, Step.RECEPTION, "reception.languages"),
    ({"reception.initiated_by": ContactInitiator.PARTNER}, Step.RECEPTION,
     "reception.referred_by"),
    ({"reception.consent.storage": Consent()}, Step.RECEPTION, "reception.consent.storage"),
    ({"reception.consent.mediation": Consent(given_on=D(2027, 1, 1),
                                             withdrawn_on=D(2027, 1, 10))},
     Step.RECEPTION, "reception.consent.mediation"),
    ({"situation.knows_debt_amount": Answer.NOT_ASKED}, Step.SITUATION,
     "situation.knows_debt_amount"),
    ({"situation.declared_debt_cents": None}, Step.SITUATION, "situation.declared_debt_cents"),
    ({"situation.had_fsl_aid": Answer.YES}, Step.SITUATION, "situation.fsl_last_aid_on"),
    ({"situation.main_residence": None}, Step.SITUATION, "situation.main_residence"),
    ({"situation.monthly_income_cents": 100_000}, Step.SITUATION,
     "situation.monthly_charges_cents"),
    ({"supplier.supplier_amount_cents": 90_000}, Step.SUPPLIER_LIAISON,
     "supplier.discrepancies"),
    ({"situation.conflict_reasons": [ConflictReason.LINKY_METER]}, Step.SUPPLIER_LIAISON,
     "supplier.redirected_to_enedis"),
    ({"next_step.steps": [PlannedStep(Actor.PARTNER, "Rendez-vous", D(2027, 1, 20))]},
     Step.NEXT_STEP, "next_step.steps"),
    ({"next_step.steps": [PlannedStep(Actor.HOUSEHOLD, "Payer", D(2027, 1, 5))]},
     Step.NEXT_STEP, "next_step.steps"),
])
def test_a_doubtful_answer_only_warns(answers: dict[str, object], step: Step, key: str) -> None:
    state = complete_state(**answers)
    issues = [i for i in validate(step, state, TODAY) if i.key == key]
    assert issues and all(i.severity is Severity.WARNING for i in issues)
    assert closing_issues(state, TODAY) == []


def test_a_household_who_refused_the_supplier_exchange_can_still_close() -> None:
    state = complete_state(**{"reception.consent.supplier_exchange": Consent()}) \
        .cleared("supplier.supplier_name").cleared("supplier.supplier_amount_cents") \
        .cleared("supplier.contacts")
    assert validate(Step.SUPPLIER_LIAISON, state, TODAY) == []
    assert closing_issues(state, TODAY) == []


def test_an_exchange_after_the_withdrawal_of_consent_is_blocking() -> None:
    state = complete_state(**{
        "reception.consent.supplier_exchange": Consent(D(2027, 1, 2), D(2027, 1, 5)),
        "supplier.contacts": [SupplierContact(D(2027, 1, 3)), SupplierContact(D(2027, 1, 6))],
    })
    issues = _issues(state, Step.SUPPLIER_LIAISON)
    assert issues[("supplier.contacts", 1)].blocking
    assert ("supplier.contacts", 0) not in issues
    consent_issue = issues[("reception.consent.supplier_exchange", None)]
    assert consent_issue.severity is Severity.WARNING
    assert consent_issue.step is Step.SUPPLIER_LIAISON  # raised by step 4, focuses a step-1 key


def test_next_steps_dated_out_of_order_are_warned_on_the_later_one() -> None:
    state = complete_state(**{"next_step.steps": [
        PlannedStep(Actor.HOUSEHOLD, "Appeler", D(2027, 1, 20)),
        PlannedStep(Actor.HOUSEHOLD, "Aller au SIP", D(2027, 1, 15)),
    ]})
    assert _issues(state, Step.NEXT_STEP)[("next_step.steps", 1)].message == (
        "Ce pas est daté avant le pas précédent.")


def test_an_orientation_to_a_social_worker_without_sharing_consent_is_warned() -> None:
    state = complete_state(**{"next_step.orientations": [
        OrientationEntry(check_on=D(2027, 2, 1), partner_kind=PartnerKind.SOCIAL_WORKER)]})
    assert _issues(state, Step.NEXT_STEP)[("next_step.orientations", 0)].severity is (
        Severity.WARNING)
    shared = state.with_answer("reception.consent.social_worker_sharing",
                               Consent(given_on=D(2027, 1, 10)))
    assert validate(Step.NEXT_STEP, shared, TODAY) == []


def test_a_follow_up_today_is_not_in_the_past() -> None:
    assert "follow_up.due_on" not in _blocking_keys(
        complete_state(**{"follow_up.due_on": TODAY}), Step.FOLLOW_UP)


def test_too_few_autonomy_questions_is_warned_with_the_count() -> None:
    state = InterviewState().with_answer("situation.knows_supplier", Answer.YES)
    [issue] = [i for i in validate(Step.SITUATION, state, TODAY)
               if i.key == "situation.knows_debt_amount"]
    assert issue.message == (
        "Niveau d'autonomie non calculable : 1 question abordée, il en faut 5.")


def test_an_unreadable_stored_answer_is_warned_on_its_step() -> None:
    stored: dict[str, JSON] = {"follow_up.channel": "pigeon"}
    state = InterviewState.from_answers(stored)
    assert ("follow_up.channel", None) in _issues(state, Step.FOLLOW_UP)
