"""Suggested options and rule warnings, each with the reason it came up."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pytest

from mediadesk.interview import (
    Answer,
    ConflictReason,
    InterviewState,
    OptionCode,
    WarningCode,
    rule_warnings,
    suggest_options,
)
from mediadesk.interview.codes import AngerTarget
from tests.interview.helpers import answers_of

TODAY = date(2027, 6, 10)
IN_DEBT = {"situation.declared_debt_cents": 84_000}
POOR = {**IN_DEBT, "situation.monthly_income_cents": 90_000,
        "situation.monthly_charges_cents": 80_000, "situation.household_size": 3}
COMFORTABLE = {**IN_DEBT, "situation.monthly_income_cents": 300_000,
               "situation.monthly_charges_cents": 100_000, "situation.household_size": 1}


def _codes(answers: Mapping[str, object], today: date = TODAY) -> list[OptionCode]:
    state = InterviewState().with_answers(answers)
    return [s.code for s in suggest_options(state, today)]


@pytest.mark.parametrize(("answers", "code"), [
    ({"situation.understands_debt": Answer.NO}, OptionCode.BILL_EXPLANATION),
    ({"situation.knows_debt_amount": Answer.NO}, OptionCode.BILL_EXPLANATION),
    ({"situation.bills_estimated": True}, OptionCode.BILL_EXPLANATION),
    ({"situation.conflict_reasons": [ConflictReason.UNEXPECTED_BILL]},
     OptionCode.BILL_EXPLANATION),
    (IN_DEBT, OptionCode.PAYMENT_PLAN),
    (COMFORTABLE, OptionCode.PAYMENT_PLAN),
    ({"situation.received_energy_voucher": Answer.YES}, OptionCode.ENERGY_VOUCHER_ATTESTATION),
    ({"situation.received_energy_voucher": Answer.YES,
      "situation.energy_voucher_attestation_sent": False},
     OptionCode.ENERGY_VOUCHER_ATTESTATION),
    ({"situation.received_energy_voucher": Answer.NO}, OptionCode.ENERGY_VOUCHER_CLAIM),
    (POOR, OptionCode.FSL_SOCIAL_WORKER),
    ({**POOR, "situation.fsl_last_aid_on": date(2026, 6, 9)}, OptionCode.FSL_SOCIAL_WORKER),
    ({"situation.conflict_reasons": [ConflictReason.PAYS_TOO_MUCH]}, OptionCode.ENERGY_SAVING),
    (POOR, OptionCode.ENERGY_SAVING),
    ({"situation.conflict_reasons": [ConflictReason.LINKY_METER]}, OptionCode.ENEDIS_LINKY),
    ({"situation.bills_estimated": True, "situation.has_linky": True}, OptionCode.ENEDIS_LINKY),
    ({"situation.conflict_reasons": [ConflictReason.UNEXPECTED_BILL]},
     OptionCode.WRITTEN_COMPLAINT),
    ({"supplier.written_complaint_on": date(2027, 3, 1)}, OptionCode.ENERGY_OMBUDSMAN),
    ({"situation.anger_target": AngerTarget.NAMED_PERSON, "situation.tension_persists": True},
     OptionCode.HAND_OVER),
])
def test_the_situation_brings_up_the_option(answers: dict[str, object], code: OptionCode) -> None:
    assert code in _codes(answers)


@pytest.mark.parametrize(("answers", "code"), [
    ({}, OptionCode.PAYMENT_PLAN),
    ({"situation.declared_debt_cents": 0}, OptionCode.PAYMENT_PLAN),
    ({**IN_DEBT, "situation.monthly_income_cents": 80_000,
      "situation.monthly_charges_cents": 90_000}, OptionCode.PAYMENT_PLAN),
    ({"situation.received_energy_voucher": Answer.YES,
      "situation.energy_voucher_attestation_sent": True},
     OptionCode.ENERGY_VOUCHER_ATTESTATION),
    ({"situation.received_energy_voucher": Answer.UNKNOWN}, OptionCode.ENERGY_VOUCHER_CLAIM),
    (COMFORTABLE, OptionCode.FSL_SOCIAL_WORKER),
    ({**POOR, "situation.fsl_last_aid_on": date(2026, 12, 1)}, OptionCode.FSL_SOCIAL_WORKER),
    ({"situation.bills_estimated": True, "situation.has_linky": False},
     OptionCode.ENEDIS_LINKY),
    ({"situation.conflict_reasons": [ConflictReason.UNEXPECTED_BILL],
      "supplier.written_complaint_on": date(2027, 3, 1)}, OptionCode.WRITTEN_COMPLAINT),
    ({"supplier.written_complaint_on": date(2027, 5, 1)}, OptionCode.ENERGY_OMBUDSMAN),
    ({"supplier.written_complaint_on": date(2027, 3, 1),
      "supplier.complaint_answer_satisfactory": True}, OptionCode.ENERGY_OMBUDSMAN),
    ({"supplier.written_complaint_on": date(2026, 5, 1)}, OptionCode.ENERGY_OMBUDSMAN),
    ({"situation.anger_target": AngerTarget.NAMED_PERSON}, OptionCode.HAND_OVER),
])
def test_the_option_is_not_suggested_without_its_grounds(
        answers: dict[str, object], code: OptionCode) -> None:
    assert code not in _codes(answers)


def test_an_empty_interview_suggests_nothing() -> None:
    assert suggest_options(InterviewState(), TODAY) == []


def test_every_suggestion_has_a_title_and_all_its_reasons_in_french() -> None:
    state = answers_of(situation__understands_debt=Answer.NO, situation__bills_estimated=True)
    [suggestion] = suggest_options(state, TODAY)
    assert suggestion.title == "Explication de facture"
    assert suggestion.reasons == ("La personne n'a pas compris sa dette.",
                                  "Les factures sont établies sur estimation.")
    assert suggestion.reason == suggestion.reasons[0]


def test_suggestions_come_in_a_stable_order() -> None:
    codes = _codes({**POOR, "situation.received_energy_voucher": Answer.NO,
                    "situation.understands_debt": Answer.NO})
    assert codes == sorted(codes, key=list(OptionCode).index)


def test_the_payment_plan_reason_names_the_debt_and_the_monthly_margin() -> None:
    [plan] = [s for s in suggest_options(InterviewState().with_answers(COMFORTABLE), TODAY)
              if s.code is OptionCode.PAYMENT_PLAN]
    assert "840,00" in plan.reason and "2\u202f000,00" in plan.reason


def test_the_voucher_claim_points_to_the_sip_and_the_helpline() -> None:
    [claim] = suggest_options(answers_of(situation__received_energy_voucher=Answer.NO), TODAY)
    assert "SIP" in claim.reason and "0 805 204 805" in claim.reason


def _warnings(answers: Mapping[str, object], today: date) -> dict[WarningCode, str]:
    state = InterviewState().with_answers(answers)
    return {w.code: w.message for w in rule_warnings(state, today)}


@pytest.mark.parametrize(("today", "expected"), [
    (date(2028, 3, 10), "La trêve hivernale se termine dans 22 jours (le 31 mars 2028)."),
    (date(2028, 3, 31), "La trêve hivernale se termine dans 1 jour (le 31 mars 2028)."),
])
def test_the_end_of_the_truce_is_announced_in_its_last_month(today: date, expected: str) -> None:
    assert _warnings(IN_DEBT, today)[WarningCode.TRUCE_ENDING] == expected


@pytest.mark.parametrize(("answers", "today"), [
    (IN_DEBT, date(2028, 2, 28)),
    (IN_DEBT, date(2028, 4, 1)),
    ({}, date(2028, 3, 10)),
    ({**IN_DEBT, "situation.main_residence": False}, date(2028, 3, 10)),
])
def test_no_truce_warning_out_of_its_last_month_or_without_debt(
        answers: dict[str, object], today: date) -> None:
    assert WarningCode.TRUCE_ENDING not in _warnings(answers, today)


def test_a_secondary_home_is_warned_it_has_no_truce() -> None:
    assert WarningCode.NOT_MAIN_RESIDENCE in _warnings(
        {**IN_DEBT, "situation.main_residence": False}, date(2027, 12, 1))


@pytest.mark.parametrize(("attestation", "warned"), [(False, True), (None, True), (True, False)])
def test_power_reduction_in_the_truce_is_warned_unless_the_attestation_was_sent(
        attestation: bool | None, warned: bool) -> None:
    answers = {**IN_DEBT, "supplier.subscribed_kva": 9,
               "situation.energy_voucher_attestation_sent": attestation}
    warnings = _warnings(answers, date(2027, 12, 1))
    assert (WarningCode.POWER_REDUCTION_IN_TRUCE in warnings) is warned
    if warned:
        assert "3 kVA" in warnings[WarningCode.POWER_REDUCTION_IN_TRUCE]


@pytest.mark.parametrize(("today", "message"), [
    (date(2027, 6, 10), "Une coupure est possible à partir du 20 juil. 2027."),
    (date(2027, 7, 20), "Une coupure est possible dès maintenant (depuis le 20 juil. 2027)."),
])
def test_the_earliest_cut_date_is_announced(today: date, message: str) -> None:
    answers = {**IN_DEBT, "supplier.unpaid_bill_on": date(2027, 6, 1)}
    assert _warnings(answers, today)[WarningCode.CUT_POSSIBLE] == message


def test_the_2023_regime_delays_the_cut_for_a_voucher_holder_with_linky() -> None:
    answers = {**IN_DEBT, "supplier.unpaid_bill_on": date(2027, 6, 1),
               "situation.received_energy_voucher": Answer.YES, "situation.has_linky": True}
    warnings = _warnings(answers, date(2027, 6, 10))
    assert WarningCode.MINIMUM_POWER_REGIME in warnings
    assert warnings[WarningCode.CUT_POSSIBLE].endswith("18 sept. 2027.")


@pytest.mark.parametrize(("today", "warned"), [
    (date(2028, 1, 30), False), (date(2028, 1, 31), True), (date(2028, 3, 31), True),
    (date(2028, 4, 1), False),
])
def test_a_voucher_about_to_expire_is_announced_in_its_last_60_days(
        today: date, warned: bool) -> None:
    answers = {"situation.received_energy_voucher": Answer.YES,
               "situation.energy_voucher_year": 2027}
    assert (WarningCode.VOUCHER_EXPIRING in _warnings(answers, today)) is warned


@pytest.mark.parametrize(("today", "code"), [
    (date(2027, 4, 30), WarningCode.OMBUDSMAN_TOO_EARLY),
    (date(2028, 3, 2), WarningCode.OMBUDSMAN_EXPIRED),
])
def test_the_mediateur_window_is_announced_when_not_open(today: date, code: WarningCode) -> None:
    assert code in _warnings({"supplier.written_complaint_on": date(2027, 3, 1)}, today)


def test_warnings_are_sorted_by_date_undated_last() -> None:
    answers = {**IN_DEBT, "supplier.unpaid_bill_on": date(2028, 2, 1),
               "situation.received_energy_voucher": Answer.YES, "situation.has_linky": True,
               "situation.energy_voucher_year": 2027}
    warnings = rule_warnings(InterviewState().with_answers(answers), date(2028, 3, 10))
    dated = [w.on for w in warnings if w.on is not None]
    assert dated == sorted(dated)
    assert warnings[-1].on is None
