"""The six-step interview: start, autosave field by field, resume, close.

Answers are stored one row per field (`InterviewAnswer`), values encoded by
`mediadesk.interview.encode_answer`, so a save is one small row written in its own transaction:
a crash or a killed process loses nothing that was saved. Consents given in an interview are
mirrored into the dossier's `Consent` rows, so a withdrawal holds for every later interview.
Thread: any, one call at a time per thread; the UI calls `save_answer` on its writer lane.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from mediadesk.domain.enums import (
    ActionStatus,
    ConsentKind,
    InterviewPlace,
    InterviewStatus,
)
from mediadesk.domain.ids import element_id
from mediadesk.i18n import _
from mediadesk.interview import (
    JSON,
    AnswerError,
    InterviewState,
    Severity,
    Step,
    autonomy_history,
    autonomy_level,
    closing_issues,
    consent_active,
    decode_answer,
    encode_answer,
)
from mediadesk.interview.autonomy import AutonomyLevel, AutonomyPoint
from mediadesk.services.errors import ValidationError
from mediadesk.services.views import InterviewSummary, InterviewView, SavedAnswer
from mediadesk.store import households as household_repo
from mediadesk.store.base import local_day
from mediadesk.store.live import live_row
from mediadesk.store.models import (
    Action,
    Consent,
    FollowUp,
    Household,
    Interview,
    InterviewAnswer,
    Orientation,
)

CONSENT_PREFIX = "reception.consent."
Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class InterviewService:
    def __init__(self, sessions: sessionmaker[Session], clock: Clock = _utcnow) -> None:
        self._sessions = sessions
        self._clock = clock

    def start(self, household_id: uuid.UUID, *, place: str = InterviewPlace.COUNTER.value
              ) -> InterviewView:
        """Open a new draft interview; the dossier's current consents are carried over."""
        with self._sessions.begin() as session:
            household = household_repo.get(session, household_id)
            interview = Interview(household_id=household.id, place=InterviewPlace(place),
                                  started_at=self._clock(), status=InterviewStatus.DRAFT,
                                  current_step=Step.RECEPTION.key)
            session.add(interview)
            session.flush()
            for consent in _dossier_consents(session, household.id):
                key = CONSENT_PREFIX + consent.kind.value
                value: dict[str, JSON] = {"given_on": consent.given_at.date().isoformat(),
                         "withdrawn_on": consent.withdrawn_at.date().isoformat()
                         if consent.withdrawn_at else None, "method": consent.method}
                session.add(InterviewAnswer(id=element_id(interview.id, key),
                                            interview_id=interview.id, key=key,
                                            value=encode_answer(key, decode_answer(key, value))))
            session.flush()
            return _view(session, interview)

    def open(self, interview_id: uuid.UUID) -> InterviewView:
        """Raises NotFound."""
        with self._sessions() as session:
            return _view(session, _get(session, interview_id))

    def drafts(self, household_id: uuid.UUID) -> list[InterviewSummary]:
        """Interviews of the household that can be resumed, newest first."""
        with self._sessions() as session:
            rows = session.scalars(
                select(Interview).where(Interview.household_id == household_id,
                                        Interview.status == InterviewStatus.DRAFT,
                                        Interview.deleted_at.is_(None))
                .order_by(Interview.started_at.desc())).all()
            return [_summary(row) for row in rows]

    def save_answer(self, interview_id: uuid.UUID, key: str, value: object) -> SavedAnswer:
        """Save one field as typed. Raises ValidationError (unknown key, unreadable value, a
        closed interview, supplier data without the household's consent), NotFound."""
        try:
            encoded = encode_answer(key, value)
        except AnswerError as exc:
            raise ValidationError(key, _("Valeur non reconnue pour ce champ.")) from exc
        now = self._clock()
        with self._sessions.begin() as session:
            interview = _get(session, interview_id)
            if interview.status is InterviewStatus.DONE:
                raise ValidationError(key, _("Cet entretien est clos : il ne peut plus changer."))
            if key.startswith(Step.SUPPLIER_LIAISON.key + "."):
                state = _state(session, interview.id)
                if not consent_active(state, ConsentKind.SUPPLIER_EXCHANGE, local_day(now)):
                    raise ValidationError(key, _(
                        "Le foyer n'a pas donné son accord pour l'échange avec le fournisseur."))
            _upsert(session, interview.id, key, encoded)
            if key.startswith(CONSENT_PREFIX):
                _mirror_consent(session, interview.household_id, key, value)
            return SavedAnswer(interview.id, key, now)

    def set_step(self, interview_id: uuid.UUID, step: Step) -> None:
        """Remember where the mediator is, so the interview resumes there."""
        with self._sessions.begin() as session:
            _get(session, interview_id).current_step = step.key

    def close(self, interview_id: uuid.UUID, *, today: date | None = None) -> InterviewView:
        """Close the interview when nothing blocks it; record its next steps, orientations and
        follow-up in the dossier. Raises ValidationError naming the first blocking issue."""
        now = self._clock()
        day = today or local_day(now)
        with self._sessions.begin() as session:
            interview = _get(session, interview_id)
            if interview.status is InterviewStatus.DONE:
                return _view(session, interview)
            state = _state(session, interview.id)
            blocking = [i for i in closing_issues(state, day) if i.severity is Severity.BLOCKING]
            if blocking:
                raise ValidationError(blocking[0].key, blocking[0].message)
            level = autonomy_level(state)
            interview.status = InterviewStatus.DONE
            interview.finished_at = now
            interview.autonomy_level = int(level) if level is not None else None
            interview.registers = [int(r) for r in state.closing.registers]
            interview.summary = state.closing.summary or None
            _record_outcomes(session, interview, state)
            household = session.get(Household, interview.household_id)
            if household is not None:
                household.last_contact_on = day
            session.flush()
            return _view(session, interview)

    def autonomy_history(self, household_id: uuid.UUID) -> list[AutonomyPoint]:
        """The autonomy level of each finished interview, oldest first, with its trend."""
        with self._sessions() as session:
            rows = session.execute(
                select(Interview.started_at, Interview.autonomy_level)
                .where(Interview.household_id == household_id,
                       Interview.status == InterviewStatus.DONE,
                       Interview.deleted_at.is_(None))).all()
        return autonomy_history(
            (row.started_at.date(), AutonomyLevel(row.autonomy_level)
             if row.autonomy_level is not None else None) for row in rows)


def _get(session: Session, interview_id: uuid.UUID) -> Interview:
    return live_row(session, Interview, interview_id)


def _answers(session: Session, interview_id: uuid.UUID) -> dict[str, object]:
    rows = session.execute(
        select(InterviewAnswer.key, InterviewAnswer.value)
        .where(InterviewAnswer.interview_id == interview_id,
               InterviewAnswer.deleted_at.is_(None))).all()
    return {row.key: row.value for row in rows}


def _state(session: Session, interview_id: uuid.UUID) -> InterviewState:
    return InterviewState.from_answers(_answers(session, interview_id))  # type: ignore[arg-type]


def _upsert(session: Session, interview_id: uuid.UUID, key: str, encoded: object) -> None:
    row = session.scalar(select(InterviewAnswer).where(
        InterviewAnswer.interview_id == interview_id, InterviewAnswer.key == key))
    if row is None:
        session.add(InterviewAnswer(id=element_id(interview_id, key), interview_id=interview_id,
                                    key=key, value=encoded))
    elif row.value != encoded or row.deleted_at is not None:
        row.value = encoded
        row.deleted_at = None


def _dossier_consents(session: Session, household_id: uuid.UUID) -> list[Consent]:
    return list(session.scalars(select(Consent).where(
        Consent.household_id == household_id, Consent.deleted_at.is_(None))))


def _at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def _mirror_consent(session: Session, household_id: uuid.UUID, key: str, value: object) -> None:
    """Keep the dossier's consent of this kind in step with what the interview recorded."""
    kind = ConsentKind(key.removeprefix(CONSENT_PREFIX))
    consent = decode_answer(key, encode_answer(key, value))
    existing = next((c for c in _dossier_consents(session, household_id) if c.kind is kind), None)
    if consent.given_on is None:
        if existing is not None:
            existing.deleted_at = _utcnow()
        return
    if existing is None:
        existing = Consent(household_id=household_id, kind=kind,
                           given_at=_at_noon(consent.given_on))
        session.add(existing)
    existing.given_at = _at_noon(consent.given_on)
    existing.withdrawn_at = _at_noon(consent.withdrawn_on) if consent.withdrawn_on else None
    existing.method = consent.method.value if consent.method else "oral"


def _record_outcomes(session: Session, interview: Interview, state: InterviewState) -> None:
    for position, planned in enumerate(state.next_step.steps):
        session.add(Action(household_id=interview.household_id, interview_id=interview.id,
                           position=position, actor=planned.actor,
                           description=planned.description, due_on=planned.due_on,
                           status=ActionStatus.PLANNED))
    for entry in state.next_step.orientations:
        if entry.partner_kind is not None:
            session.add(Orientation(household_id=interview.household_id,
                                    interview_id=interview.id, partner_kind=entry.partner_kind,
                                    reason=entry.reason or None,
                                    oriented_on=interview.started_at.date(),
                                    check_due_on=entry.check_on))
    follow = state.follow_up
    if follow.due_on is not None:
        session.add(FollowUp(household_id=interview.household_id, due_on=follow.due_on,
                             reason=follow.note or None,
                             **({"channel": follow.channel} if follow.channel else {})))


def _summary(row: Interview) -> InterviewSummary:
    step = next((s for s in Step if s.key == row.current_step), Step.RECEPTION)
    return InterviewSummary(row.id, row.household_id, row.started_at, row.status.value,
                            int(step), row.place.value)


def _view(session: Session, interview: Interview) -> InterviewView:
    household = session.get(Household, interview.household_id)
    return InterviewView(_summary(interview), household.name if household else "",
                         _state(session, interview.id), interview.finished_at,
                         interview.autonomy_level)


__all__ = ["InterviewService"]
