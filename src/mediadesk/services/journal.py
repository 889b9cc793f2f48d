"""The dossier journal: notes (append-only, with revisions), incidents and the team flags they
raise, closing and reopening a dossier, and the household's energy situation.

Notes may be read by the household (right of access, CNIL): the service keeps every revision,
so what was written stays on record even after an edit. Incidents follow seed 004's points of
vigilance (whom the anger targets, hand-over, visit in pairs) and are visible to the whole team.
Thread: any, one call at a time per thread; the UI calls the writes on its writer lane.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from mediadesk.domain.enums import Energy, HouseholdStatus, OutcomeCode, Role
from mediadesk.i18n import _
from mediadesk.interview import (
    Answer,
    AnswerError,
    AutonomyPoint,
    decode_answer,
    energy_voucher_valid_until,
    power_limit_during_truce,
    truce_status,
    unpaid_notice_timeline,
)
from mediadesk.interview.rules import fsl_aid_recent, minimum_power_regime_applies
from mediadesk.services.errors import ValidationError
from mediadesk.services.interviews import InterviewService
from mediadesk.services.journal_views import (
    ColleagueView,
    ContractEnergy,
    DossierStatus,
    EnergySituation,
    IncidentSeverity,
    IncidentTarget,
    IncidentView,
    JournalOverview,
    NoteRevisionView,
    NoteView,
    TeamFlag,
)
from mediadesk.store import households as household_repo
from mediadesk.store.live import live_row
from mediadesk.store.models import (
    Debt,
    EnergyContract,
    Incident,
    Interview,
    InterviewAnswer,
    Note,
    NoteRevision,
    User,
)

Clock = Callable[[], datetime]
NOTE_MAX_CHARS = 20_000

# Interview answers the energy panel reads (keys of mediadesk.interview.FIELDS).
_UNPAID_BILL_ON = "supplier.unpaid_bill_on"
_SUBSCRIBED_KVA = "supplier.subscribed_kva"
_FSL_LAST_AID_ON = "situation.fsl_last_aid_on"
_HAD_FSL_AID = "situation.had_fsl_aid"
_RECEIVED_VOUCHER = "situation.received_energy_voucher"
_VOUCHER_YEAR = "situation.energy_voucher_year"
_HAS_LINKY = "situation.has_linky"
_MAIN_RESIDENCE = "situation.main_residence"
_ENERGY_KEYS = (_UNPAID_BILL_ON, _SUBSCRIBED_KVA, _FSL_LAST_AID_ON, _HAD_FSL_AID,
                _RECEIVED_VOUCHER, _VOUCHER_YEAR, _HAS_LINKY, _MAIN_RESIDENCE)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class JournalService:
    """Notes, incidents, dossier status and energy situation. Every method opens and closes
    its own transaction. Raises NotFound for an unknown or deleted household, note or user."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock = _utcnow) -> None:
        self._sessions = sessions
        self._clock = clock
        self._interviews = InterviewService(sessions, clock)

    # --- notes ----------------------------------------------------------------------------

    def add_note(self, household_id: uuid.UUID, body: str) -> NoteView:
        """Write a new note. Raises ValidationError for an empty or overlong text."""
        text = _note_text(body)
        with self._sessions.begin() as session:
            household_repo.get(session, household_id)
            note = Note(household_id=household_id, at=self._clock())
            session.add(note)
            session.flush()
            session.add(NoteRevision(note_id=note.id, body=text))
            session.flush()
            return _note_view(note, _revisions(session, note.id))

    def revise_note(self, note_id: uuid.UUID, body: str) -> NoteView:
        """Append a revision; the earlier texts stay in the note's history. An unchanged text
        appends nothing. Raises ValidationError, NotFound."""
        text = _note_text(body)
        with self._sessions.begin() as session:
            note = _live_note(session, note_id)
            revisions = _revisions(session, note.id)
            if revisions and revisions[-1].body == text:
                return _note_view(note, revisions)
            session.add(NoteRevision(note_id=note.id, body=text))
            session.flush()
            return _note_view(note, _revisions(session, note.id))

    def note_history(self, note_id: uuid.UUID) -> list[NoteRevisionView]:
        """Every version of the note, oldest first. Raises NotFound."""
        with self._sessions() as session:
            _live_note(session, note_id)
            return [NoteRevisionView(r.id, r.note_id, r.body, r.created_at, r.created_by)
                    for r in _revisions(session, note_id)]

    def notes(self, household_id: uuid.UUID) -> list[NoteView]:
        """The household's notes as they read now, newest first."""
        with self._sessions() as session:
            rows = session.scalars(select(Note).where(
                Note.household_id == household_id, Note.deleted_at.is_(None))).all()
            views = [_note_view(note, _revisions(session, note.id)) for note in rows]
        return sorted(views, key=lambda view: view.at, reverse=True)

    # --- incidents ------------------------------------------------------------------------

    def record_incident(self, household_id: uuid.UUID, *, severity: str,
                        anger_target: str | None, description: str,
                        handed_over_to: uuid.UUID | None = None,
                        visit_in_pairs: bool = False) -> IncidentView:
        """Report a tense or aggressive situation (visible to the whole team).

        ``severity`` is an IncidentSeverity value, ``anger_target`` an IncidentTarget value or
        None, ``handed_over_to`` a colleague's id. Raises ValidationError, NotFound.
        """
        try:
            level = IncidentSeverity(severity)
        except ValueError:
            raise ValidationError("severity", _("Gravité de l'incident non reconnue.")) from None
        try:
            target = IncidentTarget(anger_target) if anger_target is not None else None
        except ValueError:
            raise ValidationError("anger_target",
                                  _("Cible de la colère non reconnue.")) from None
        text = description.strip()
        if not text:
            raise ValidationError("description", _(
                "Décrivez les faits en quelques mots : ce qui s'est passé, sans jugement."))
        with self._sessions.begin() as session:
            household_repo.get(session, household_id)
            if handed_over_to is not None:
                user = session.get(User, handed_over_to)
                if user is None or user.deleted_at is not None:
                    raise ValidationError("handed_over_to",
                                          _("Cette personne ne fait pas partie de l'équipe."))
            incident = Incident(household_id=household_id, at=self._clock(),
                                severity=level.value,
                                anger_target=target.value if target is not None else None,
                                description=text, handed_over_to=handed_over_to,
                                visit_in_pairs=visit_in_pairs)
            session.add(incident)
            session.flush()
            return _incident_view(incident)

    def incidents(self, household_id: uuid.UUID) -> list[IncidentView]:
        """The household's incidents, newest first."""
        with self._sessions() as session:
            return [_incident_view(i) for i in _incidents(session, household_id)]

    def team_flags(self, household_id: uuid.UUID) -> tuple[TeamFlag, ...]:
        """What colleagues must know before contacting the household (e.g. visit in pairs)."""
        with self._sessions() as session:
            return _flags(_incidents(session, household_id))

    def colleagues(self) -> list[ColleagueView]:
        """People an incident can be handed over to: team leads first, then by name."""
        with self._sessions() as session:
            users = session.scalars(select(User).where(User.deleted_at.is_(None))).all()
            views = [ColleagueView(u.id, u.display_name, u.role.value) for u in users]
        return sorted(views, key=lambda c: (c.role != Role.TEAM_LEAD.value, c.name.casefold()))

    # --- dossier status -------------------------------------------------------------------

    def close_dossier(self, household_id: uuid.UUID, outcome: OutcomeCode) -> DossierStatus:
        """Close the dossier with the reason it ends (counted in activity reports)."""
        code = OutcomeCode(outcome)
        with self._sessions.begin() as session:
            household = household_repo.get(session, household_id)
            household.status = HouseholdStatus.CLOSED
            household.outcome = code
            return DossierStatus(household.id, household.status.value, household.outcome)

    def reopen_dossier(self, household_id: uuid.UUID) -> DossierStatus:
        """Open the dossier again; the outcome of the closing is cleared."""
        with self._sessions.begin() as session:
            household = household_repo.get(session, household_id)
            household.status = HouseholdStatus.OPEN
            household.outcome = None
            return DossierStatus(household.id, household.status.value, None)

    # --- energy ---------------------------------------------------------------------------

    def energy_situation(self, household_id: uuid.UUID, today: date) -> EnergySituation:
        """Truce, notice dates, chèque énergie, Linky, FSL and autonomy on ``today``."""
        with self._sessions() as session:
            household_repo.get(session, household_id)
            situation = _energy(session, household_id, today)
        return _with_autonomy(situation, self._interviews.autonomy_history(household_id))

    def overview(self, household_id: uuid.UUID, today: date) -> JournalOverview:
        """Status, outcome, team flags, incidents and energy situation in one read."""
        with self._sessions() as session:
            household = household_repo.get(session, household_id)
            incidents = _incidents(session, household_id)
            situation = _energy(session, household_id, today)
            status, outcome = household.status.value, household.outcome
        return JournalOverview(
            household_id, status, outcome, _flags(incidents),
            tuple(_incident_view(i) for i in incidents),
            _with_autonomy(situation, self._interviews.autonomy_history(household_id)))


# --- notes ------------------------------------------------------------------------------


def _note_text(body: str) -> str:
    text = body.strip()
    if not text:
        raise ValidationError("body", _("La note est vide."))
    if len(text) > NOTE_MAX_CHARS:
        raise ValidationError("body", _("La note est trop longue : scindez-la en plusieurs "
                                        "notes."))
    return text


def _live_note(session: Session, note_id: uuid.UUID) -> Note:
    return live_row(session, Note, note_id)


def _revisions(session: Session, note_id: uuid.UUID) -> list[NoteRevision]:
    # Ids are UUIDv7 (time-ordered): they break ties between revisions of the same instant.
    return list(session.scalars(select(NoteRevision).where(
        NoteRevision.note_id == note_id, NoteRevision.deleted_at.is_(None))
        .order_by(NoteRevision.created_at, NoteRevision.id)))


def _note_view(note: Note, revisions: list[NoteRevision]) -> NoteView:
    latest = revisions[-1] if revisions else None
    return NoteView(note.id, note.household_id, note.at, latest.body if latest else "",
                    latest.created_at if latest is not None and len(revisions) > 1 else None,
                    len(revisions))


# --- incidents --------------------------------------------------------------------------


def _incidents(session: Session, household_id: uuid.UUID) -> list[Incident]:
    return list(session.scalars(select(Incident).where(
        Incident.household_id == household_id, Incident.deleted_at.is_(None))
        .order_by(Incident.at.desc())))


def _incident_view(incident: Incident) -> IncidentView:
    return IncidentView(incident.id, incident.household_id, incident.at, incident.severity,
                        incident.anger_target, incident.description or "",
                        incident.handed_over_to, incident.visit_in_pairs)


def _flags(incidents: Iterable[Incident]) -> tuple[TeamFlag, ...]:
    rows = list(incidents)
    flags: list[TeamFlag] = []
    if any(i.visit_in_pairs for i in rows):
        flags.append(TeamFlag.VISIT_IN_PAIRS)
    if any(i.handed_over_to is not None for i in rows):
        flags.append(TeamFlag.HANDED_OVER)
    if rows:
        flags.append(TeamFlag.INCIDENT_REPORTED)
    return tuple(flags)


# --- energy -----------------------------------------------------------------------------


def _latest_answers(session: Session, household_id: uuid.UUID) -> dict[str, Any]:
    """For each energy key, the typed value of the latest interview that answered it."""
    rows = session.execute(
        select(InterviewAnswer.key, InterviewAnswer.value)
        .join(Interview, Interview.id == InterviewAnswer.interview_id)
        .where(Interview.household_id == household_id, Interview.deleted_at.is_(None),
               InterviewAnswer.deleted_at.is_(None), InterviewAnswer.key.in_(_ENERGY_KEYS))
        .order_by(Interview.started_at, Interview.id)).all()
    answers: dict[str, Any] = {}
    for row in rows:
        if row.value is None:
            continue
        try:
            value = decode_answer(row.key, row.value)
        except AnswerError:
            continue  # unreadable (written by another version): an older answer still counts
        if value is not None and value is not Answer.NOT_ASKED:
            answers[row.key] = value
    return answers


def _latest_bill_on(session: Session, household_id: uuid.UUID,
                    answered: date | None) -> date | None:
    days = [d for d in session.scalars(select(Debt.bill_date).where(
        Debt.household_id == household_id, Debt.deleted_at.is_(None),
        Debt.bill_date.is_not(None))) if d is not None]
    if answered is not None:
        days.append(answered)
    return max(days, default=None)


def _contract(contract: EnergyContract, answered_kva: int | None) -> ContractEnergy:
    electricity = contract.energy is Energy.ELECTRICITY
    kva = contract.subscribed_kva or (answered_kva if electricity else None)
    limit = (power_limit_during_truce(kva, contract.energy_voucher_attestation_sent)
             if electricity and kva is not None and kva >= 1 else None)
    return ContractEnergy(contract.id, contract.supplier, contract.energy.value, contract.linky,
                          contract.energy_voucher_attestation_sent, kva, limit)


def _energy(session: Session, household_id: uuid.UUID, today: date) -> EnergySituation:
    answers = _latest_answers(session, household_id)
    rows = household_repo.contracts(session, household_id)
    contracts = tuple(_contract(c, answers.get(_SUBSCRIBED_KVA)) for c in rows)
    linky_values = [c.linky for c in contracts] + [answers.get(_HAS_LINKY)]
    linky = True if True in linky_values else (False if False in linky_values else None)
    bill_on = _latest_bill_on(session, household_id, answers.get(_UNPAID_BILL_ON))
    voucher_year: int | None = answers.get(_VOUCHER_YEAR)
    fsl_on: date | None = answers.get(_FSL_LAST_AID_ON)
    had_help = (fsl_on is not None or voucher_year is not None
                or answers.get(_HAD_FSL_AID) is Answer.YES
                or answers.get(_RECEIVED_VOUCHER) is Answer.YES
                or any(c.energy_voucher_attestation_sent for c in contracts))
    main_residence = answers.get(_MAIN_RESIDENCE)
    if main_residence is None:
        main_residence = all(c.main_residence for c in rows) if rows else True
    regime = bill_on is not None and minimum_power_regime_applies(
        had_voucher_or_fsl=had_help, has_linky=linky is True, day=bill_on)
    timeline = (unpaid_notice_timeline(bill_on, minimum_power_regime=regime,
                                       main_residence=bool(main_residence))
                if bill_on is not None else ())
    return EnergySituation(
        today=today, truce=truce_status(today), contracts=contracts, linky=linky,
        unpaid_bill_on=bill_on, minimum_power_regime=regime, notice_timeline=timeline,
        energy_voucher_year=voucher_year,
        energy_voucher_valid_until=energy_voucher_valid_until(voucher_year)
        if voucher_year is not None else None,
        fsl_last_aid_on=fsl_on,
        fsl_aid_recent=fsl_on is not None and fsl_aid_recent(fsl_on, today),
        autonomy=())


def _with_autonomy(situation: EnergySituation,
                   points: Iterable[AutonomyPoint]) -> EnergySituation:
    return replace(situation, autonomy=tuple(points))


__all__ = ["JournalService"]
