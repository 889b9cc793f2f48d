"""The interview state: answer keys, typed answers, and an exact JSON round trip."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediadesk.domain.enums import (
    Actor,
    ConsentKind,
    ContactInitiator,
    InterventionRegister,
    PartnerKind,
)
from mediadesk.interview import (
    FIELDS,
    Answer,
    AnswerError,
    Consent,
    InterviewState,
    PlannedStep,
    Step,
    UnknownAnswerKey,
    decode_answer,
    encode_answer,
    step_keys,
)
from mediadesk.interview.codecs import JSON
from tests.interview.helpers import complete_state, json_values, states, unknown_keys

EXPECTED_KEYS = [
    "reception.initiated_by",
    "reception.presentation_script_read",
    "reception.consent.supplier_exchange",
    "situation.knows_debt_amount",
    "situation.received_energy_voucher",
    "situation.declared_debt_cents",
    "situation.fsl_last_aid_on",
    "options.chosen",
    "supplier.supplier_amount_cents",
    "supplier.contacts",
    "next_step.steps",
    "next_step.orientations",
    "follow_up.due_on",
    "closing.registers",
]


@pytest.mark.parametrize("key", EXPECTED_KEYS)
def test_the_answer_key_scheme_is_section_dot_field(key: str) -> None:
    assert key in FIELDS


def test_every_consent_kind_has_its_own_key() -> None:
    for kind in ConsentKind:
        assert f"reception.consent.{kind.value}" in FIELDS


def test_every_key_belongs_to_one_step_and_steps_cover_all_keys() -> None:
    by_step = [key for step in Step for key in step_keys(step)]
    assert sorted(by_step) == sorted(FIELDS)
    assert "closing.registers" in step_keys(Step.FOLLOW_UP)
    assert all(key.startswith("supplier.") for key in step_keys(Step.SUPPLIER_LIAISON))


def test_a_fresh_state_answers_defaults_and_writes_nothing() -> None:
    state = InterviewState()
    assert state.answer("situation.knows_debt_amount") is Answer.NOT_ASKED
    assert state.answer("follow_up.by_team") is True
    assert state.to_answers() == {}


@pytest.mark.parametrize(("key", "value", "typed"), [
    ("situation.knows_debt_amount", "yes", Answer.YES),
    ("situation.knows_debt_amount", Answer.NO, Answer.NO),
    ("reception.initiated_by", "walk_in", ContactInitiator.WALK_IN),
    ("situation.declared_debt_cents", 12_345, 12_345),
    ("situation.fsl_last_aid_on", "2028-02-29", date(2028, 2, 29)),
    ("situation.fsl_last_aid_on", date(2026, 5, 1), date(2026, 5, 1)),
    ("closing.registers", [2, 7], (InterventionRegister(2), InterventionRegister(7))),
    ("reception.languages", ["fr", "ar"], ("fr", "ar")),
    ("next_step.steps", [{"description": "Appeler", "due_on": "2027-01-20"}],
     (PlannedStep(Actor.HOUSEHOLD, "Appeler", date(2027, 1, 20)),)),
])
def test_with_answer_accepts_typed_values_or_their_json_form(
        key: str, value: object, typed: object) -> None:
    assert InterviewState().with_answer(key, value).answer(key) == typed


@pytest.mark.parametrize(("key", "value"), [
    ("situation.knows_debt_amount", "maybe"),
    ("situation.knows_debt_amount", None),
    ("situation.declared_debt_cents", -1),
    ("situation.declared_debt_cents", 12.5),
    ("situation.declared_debt_cents", True),
    ("situation.household_size", 0),
    ("situation.fsl_last_aid_on", "2027-02-29"),
    ("situation.fsl_last_aid_on", "29/02/2028"),
    ("situation.fsl_last_aid_on", datetime(2028, 2, 29, 10, 0)),
    ("reception.presentation_script_read", 1),
    ("closing.registers", [9]),
    ("closing.registers", [2, 2]),
    ("closing.registers", ["2"]),
    ("next_step.steps", [{"actor": "neighbour"}]),
    ("reception.consent.mediation", "yes"),
])
def test_with_answer_refuses_a_value_that_does_not_fit(key: str, value: object) -> None:
    with pytest.raises(AnswerError):
        InterviewState().with_answer(key, value)


def test_an_unknown_key_is_refused_when_answering_and_reading() -> None:
    with pytest.raises(UnknownAnswerKey):
        InterviewState().with_answer("situation.favourite_colour", "blue")
    with pytest.raises(KeyError):
        InterviewState().answer("situation.favourite_colour")


def test_the_state_is_immutable_and_answering_returns_a_new_one() -> None:
    before = InterviewState()
    after = before.with_answer("situation.knows_supplier", Answer.YES)
    assert before.situation.knows_supplier is Answer.NOT_ASKED
    assert after.situation.knows_supplier is Answer.YES
    with pytest.raises(AttributeError):
        after.situation = before.situation  # type: ignore[misc]


def test_answers_are_stored_as_plain_json() -> None:
    answers = complete_state().to_answers()
    assert json.loads(json.dumps(answers)) == answers
    assert answers["reception.consent.mediation"] == {
        "given_on": "2027-01-10", "withdrawn_on": None, "method": None}
    assert answers["closing.registers"] == [2, 7]


def test_unknown_keys_from_a_newer_version_survive_a_round_trip() -> None:
    stored: dict[str, JSON] = {"situation.knows_supplier": "yes",
                               "situation.pets": {"cats": 2}, "step7.magic": [1, None]}
    state = InterviewState.from_answers(stored)
    assert state.unknown_keys() == ("situation.pets", "step7.magic")
    edited = state.with_answer("situation.knows_debt_amount", Answer.NO)
    assert edited.to_answers() == {**stored, "situation.knows_debt_amount": "no"}


def test_unknown_attributes_of_a_record_survive_a_round_trip() -> None:
    stored: dict[str, JSON] = {"next_step.orientations": [
        {"partner_kind": "ccas", "reason": "", "check_on": None, "room": "B12"}]}
    state = InterviewState.from_answers(stored)
    assert state.next_step.orientations[0].partner_kind is PartnerKind.CCAS
    assert state.to_answers() == stored


def test_an_unreadable_value_is_kept_verbatim_and_replaced_only_when_answered() -> None:
    stored: dict[str, JSON] = {"situation.knows_debt_amount": "probably"}
    state = InterviewState.from_answers(stored)
    assert state.answer("situation.knows_debt_amount") is Answer.NOT_ASKED
    assert state.unreadable_keys() == ("situation.knows_debt_amount",)
    assert state.to_answers() == stored
    answered = state.with_answer("situation.knows_debt_amount", "yes")
    assert answered.unreadable_keys() == ()
    assert answered.to_answers() == {"situation.knows_debt_amount": "yes"}


def test_strict_reading_raises_on_an_unreadable_value() -> None:
    with pytest.raises(AnswerError):
        InterviewState.from_answers({"situation.household_size": 0}, strict=True)


def test_a_key_set_to_its_default_is_still_written_back() -> None:
    stored: dict[str, JSON] = {"situation.knows_debt_amount": "not_asked"}
    assert InterviewState.from_answers(stored).to_answers() == stored
    state = InterviewState().with_answer("follow_up.by_team", True)
    assert state.to_answers() == {"follow_up.by_team": True}
    assert state.cleared("follow_up.by_team").to_answers() == {}


def test_encode_and_decode_answer_are_the_per_field_api_of_the_store() -> None:
    consent = Consent(given_on=date(2027, 1, 10))
    raw = encode_answer("reception.consent.storage", consent)
    assert raw == {"given_on": "2027-01-10", "withdrawn_on": None, "method": None}
    assert decode_answer("reception.consent.storage", raw) == consent


@given(states())
def test_any_state_round_trips_through_its_answers(state: InterviewState) -> None:
    assert InterviewState.from_answers(state.to_answers()) == state


@given(states())
def test_stored_answers_round_trip_exactly(state: InterviewState) -> None:
    stored = json.loads(json.dumps(state.to_answers()))
    assert InterviewState.from_answers(stored).to_answers() == stored


@given(st.dictionaries(st.sampled_from(sorted(k for k, s in FIELDS.items()
                                              if "steps" not in k and "orientations" not in k
                                              and "contacts" not in k and "consent" not in k))
                       | unknown_keys, json_values, max_size=6))
def test_any_json_object_of_plain_fields_is_written_back_unchanged(
        stored: dict[str, JSON]) -> None:
    assert InterviewState.from_answers(stored).to_answers() == stored
