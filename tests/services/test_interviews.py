from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from mediadesk.domain.enums import ConsentKind
from mediadesk.interview import Answer, Consent, InterviewState, Step
from mediadesk.services.errors import NotFound, ValidationError
from mediadesk.services.interviews import InterviewService
from mediadesk.services.views import HouseholdDraft
from mediadesk.services.workspace import Workspace
from mediadesk.store.models import Action, FollowUp, Household, Orientation
from mediadesk.store.models import Consent as ConsentRow
from tests.interview.helpers import GIVEN, TODAY, complete_state

NOW = datetime(2027, 1, 10, 9, 30, tzinfo=UTC)


@pytest.fixture
def interviews(workspace: Workspace) -> InterviewService:
    return InterviewService(workspace.opened.sessions, clock=lambda: NOW)


@pytest.fixture
def household(workspace: Workspace) -> uuid.UUID:
    return workspace.dossiers.create_household(HouseholdDraft(name="Famille Garnier")).household.id


def _save_all(interviews: InterviewService, interview_id: uuid.UUID, state: InterviewState
              ) -> None:
    answers = state.to_answers()
    for key in sorted(answers, key=lambda k: not k.startswith("reception.consent.")):
        interviews.save_answer(interview_id, key, state.answer(key))


def test_every_field_saved_is_there_when_the_interview_is_reopened(
    interviews: InterviewService, household: uuid.UUID
) -> None:
    started = interviews.start(household, place="home")
    assert started.summary.status == "draft" and started.household_name == "Famille Garnier"
    state = complete_state()
    _save_all(interviews, started.id, state)
    interviews.set_step(started.id, Step.NEXT_STEP)
    reopened = interviews.open(started.id)
    assert reopened.state == state
    assert reopened.summary.current_step == Step.NEXT_STEP
    assert [d.id for d in interviews.drafts(household)] == [started.id]


def test_saving_the_same_field_again_keeps_one_value(interviews: InterviewService,
                                                     household: uuid.UUID) -> None:
    started = interviews.start(household)
    for value in (Answer.YES, Answer.NO, Answer.UNKNOWN):
        interviews.save_answer(started.id, "situation.knows_debt_amount", value)
    assert interviews.open(started.id).state.answer("situation.knows_debt_amount") is (
        Answer.UNKNOWN)


def test_unknown_keys_and_unreadable_values_are_refused(interviews: InterviewService,
                                                        household: uuid.UUID) -> None:
    started = interviews.start(household)
    with pytest.raises(ValidationError):
        interviews.save_answer(started.id, "situation.shoe_size", 42)
    with pytest.raises(ValidationError):
        interviews.save_answer(started.id, "situation.declared_debt_cents", "beaucoup")
    with pytest.raises(NotFound):
        interviews.save_answer(uuid.uuid4(), "situation.knows_debt_amount", Answer.YES)


def test_supplier_liaison_is_blocked_until_the_consent_is_recorded(
    interviews: InterviewService, household: uuid.UUID
) -> None:
    started = interviews.start(household)
    with pytest.raises(ValidationError) as refused:
        interviews.save_answer(started.id, "supplier.supplier_amount_cents", 50_000)
    assert "accord" in refused.value.message
    interviews.save_answer(started.id, "reception.consent.supplier_exchange",
                           Consent(given_on=GIVEN))
    interviews.save_answer(started.id, "supplier.supplier_amount_cents", 50_000)
    interviews.save_answer(started.id, "reception.consent.supplier_exchange",
                           Consent(given_on=GIVEN, withdrawn_on=GIVEN))
    with pytest.raises(ValidationError):
        interviews.save_answer(started.id, "supplier.supplier_amount_cents", 60_000)


def test_consents_belong_to_the_dossier_and_a_withdrawal_holds_afterwards(
    workspace: Workspace, interviews: InterviewService, household: uuid.UUID
) -> None:
    first = interviews.start(household)
    interviews.save_answer(first.id, "reception.consent.supplier_exchange",
                           Consent(given_on=date(2027, 1, 3), withdrawn_on=date(2027, 1, 5)))
    with workspace.opened.sessions() as session:
        rows = session.query(ConsentRow).filter_by(household_id=household).all()
        assert [(r.kind, r.withdrawn_at is not None) for r in rows] == [
            (ConsentKind.SUPPLIER_EXCHANGE, True)]
    second = interviews.start(household)
    carried = second.state.reception.consent(ConsentKind.SUPPLIER_EXCHANGE)
    assert (carried.given_on, carried.withdrawn_on) == (date(2027, 1, 3), date(2027, 1, 5))
    with pytest.raises(ValidationError):
        interviews.save_answer(second.id, "supplier.supplier_amount_cents", 1)


def test_closing_is_refused_while_something_blocks_it(interviews: InterviewService,
                                                      household: uuid.UUID) -> None:
    started = interviews.start(household)
    interviews.save_answer(started.id, "situation.knows_debt_amount", Answer.YES)
    with pytest.raises(ValidationError):
        interviews.close(started.id, today=TODAY)
    assert interviews.open(started.id).summary.status == "draft"


def test_closing_records_next_steps_orientations_and_follow_up_in_the_dossier(
    workspace: Workspace, interviews: InterviewService, household: uuid.UUID
) -> None:
    started = interviews.start(household)
    _save_all(interviews, started.id, complete_state())
    closed = interviews.close(started.id, today=TODAY)
    assert closed.summary.status == "done" and closed.finished_at == NOW
    assert closed.autonomy_level is not None
    with workspace.opened.sessions() as session:
        actions = session.query(Action).filter_by(household_id=household).order_by(
            Action.position).all()
        assert [a.description for a in actions] == [
            "Se rendre au SIP", "Appeler le numéro vert chèque énergie"]
        assert session.query(Orientation).filter_by(household_id=household).count() == 1
        assert session.query(FollowUp).filter_by(household_id=household).one().due_on == (
            date(2027, 2, 10))
    kinds = {item.kind for item in workspace.dossiers.open_dossier(household).timeline}
    assert {"interview", "action", "orientation", "follow_up"} <= kinds
    assert interviews.drafts(household) == []
    with pytest.raises(ValidationError):
        interviews.save_answer(started.id, "situation.knows_debt_amount", Answer.NO)
    assert [p.level for p in interviews.autonomy_history(household)] == [closed.autonomy_level]


@pytest.fixture
def paris(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The computer's clock in France."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_an_interview_closed_after_midnight_is_dated_by_the_computer_s_day_not_utc_s(
    workspace: Workspace, household: uuid.UUID, paris: None
) -> None:
    half_past_midnight = datetime(2027, 1, 10, 23, 30, tzinfo=UTC)  # 00:30 on the 11th in Paris
    interviews = InterviewService(workspace.opened.sessions, clock=lambda: half_past_midnight)
    started = interviews.start(household)
    _save_all(interviews, started.id, complete_state())
    interviews.save_answer(started.id, "reception.consent.mediation",
                           Consent(given_on=date(2027, 1, 11)))  # "today", as typed at 00:30
    interviews.close(started.id)  # was refused: a consent "in the future" by the UTC day
    with workspace.opened.sessions() as session:
        found = session.get(Household, household)
        assert found is not None and found.last_contact_on == date(2027, 1, 11)
