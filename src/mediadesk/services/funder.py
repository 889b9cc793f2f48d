"""The funder activity report's figures, counted from the store without double counting.

Household indicators count distinct households; interventions by register count finished
interviews (an interview with several registers counts once under each). "Supplies maintained"
is not counted yet: the store does not record that outcome.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mediadesk.domain.enums import (
    ContactOutcome,
    InterventionRegister,
    InterviewStatus,
    PartnerKind,
)
from mediadesk.i18n import N_, _
from mediadesk.interview import InterviewState, OptionCode
from mediadesk.reports.data import Count, FunderData
from mediadesk.store.models import (
    ContactAttempt,
    Interview,
    InterviewAnswer,
    LocalSetting,
    Orientation,
    Team,
    User,
)

REGISTER_LABELS = {
    InterventionRegister.LOCAL_PRESENCE: N_("1. Présence active de proximité"),
    InterventionRegister.LIFTING_MISUNDERSTANDINGS: N_("2. Lever les incompréhensions"),
    InterventionRegister.INFORMING: N_("3. Informer, sensibiliser, former"),
    InterventionRegister.CONFLICT_HANDLING: N_("4. Prévenir et gérer les conflits"),
    InterventionRegister.TERRITORY_WATCH: N_("5. Veille sociale et technique"),
    InterventionRegister.FACILITATING_DIALOGUE: N_("6. Faciliter le dialogue"),
    InterventionRegister.PUTTING_IN_TOUCH: N_("7. Mettre en relation avec un partenaire"),
    InterventionRegister.COLLECTIVE_PROJECTS: N_("8. Soutenir des projets collectifs"),
}
_VOUCHER = {OptionCode.ENERGY_VOUCHER_ATTESTATION, OptionCode.ENERGY_VOUCHER_CLAIM}


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (datetime.combine(start, time(0), tzinfo=UTC),
            datetime.combine(end + timedelta(days=1), time(0), tzinfo=UTC))


def funder_data(session: Session, start: date, end: date, today: date) -> FunderData:
    """The figures of the period ``start``..``end`` (inclusive)."""
    low, high = _bounds(start, end)
    interviews = session.execute(
        select(Interview.id, Interview.household_id, Interview.registers,
               # who ran it: the mediator named, else whoever created it on a laptop
               func.coalesce(Interview.mediator_id, Interview.created_by).label("mediator_id"))
        .where(Interview.status == InterviewStatus.DONE, Interview.deleted_at.is_(None),
               Interview.started_at >= low, Interview.started_at < high)).all()
    states = _states(session, [row.id for row in interviews])
    met = {row.household_id for row in interviews}
    plans = {row.household_id for row in interviews if states[row.id].supplier.plan_agreed}
    voucher = {row.household_id for row in interviews
               if _VOUCHER & set(states[row.id].options.chosen)}
    saving = {row.household_id for row in interviews
              if OptionCode.ENERGY_SAVING in states[row.id].options.chosen}
    orientations = session.execute(
        select(Orientation.household_id, Orientation.partner_kind)
        .where(Orientation.deleted_at.is_(None), Orientation.oriented_on >= start,
               Orientation.oriented_on <= end)).all()
    fsl = {row.household_id for row in orientations
           if row.partner_kind in (PartnerKind.FSL, PartnerKind.CCAS)}
    social = {row.household_id for row in orientations
              if row.partner_kind is PartnerKind.SOCIAL_WORKER}
    contacts = session.execute(
        select(ContactAttempt.household_id, ContactAttempt.outcome)
        .where(ContactAttempt.deleted_at.is_(None), ContactAttempt.at >= low,
               ContactAttempt.at < high)).all()
    tried = {row.household_id for row in contacts}
    reached = {row.household_id for row in contacts if row.outcome is ContactOutcome.REACHED}
    unreachable = tried - reached - met

    indicators = (
        Count(_("Foyers accompagnés (au moins un entretien terminé)"), len(met)),
        Count(_("Entretiens terminés"), len(interviews)),
        Count(_("Foyers avec un échéancier conclu"), len(plans)),
        Count(_("Foyers informés sur le chèque énergie"), len(voucher)),
        Count(_("Foyers sensibilisés aux économies d'énergie"), len(saving)),
        Count(_("Foyers orientés vers le FSL ou le CCAS"), len(fsl)),
        Count(_("Foyers orientés vers un travailleur social"), len(social)),
        Count(_("Foyers injoignables (tentatives sans réponse, sans entretien)"),
              len(unreachable)),
    )
    by_register: Counter[int] = Counter()
    for row in interviews:
        by_register.update(set(row.registers or []))
    registers = tuple(Count(_(label), by_register[int(register)])
                      for register, label in REGISTER_LABELS.items())
    by_mediator: Counter[uuid.UUID | None] = Counter(row.mediator_id for row in interviews)
    names = {user.id: user.display_name for user in session.scalars(select(User))}
    mediators = tuple(sorted(
        (Count(names.get(mediator_id, _("non renseigné")) if mediator_id else
               _("non renseigné"), count) for mediator_id, count in by_mediator.items()),
        key=lambda count: (-count.value, count.label.casefold())))
    return FunderData(_team_name(session), start, end, today, indicators, registers, mediators)


def _states(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, InterviewState]:
    answers: dict[uuid.UUID, dict[str, object]] = {interview_id: {} for interview_id in ids}
    if ids:
        rows = session.execute(
            select(InterviewAnswer.interview_id, InterviewAnswer.key, InterviewAnswer.value)
            .where(InterviewAnswer.interview_id.in_(ids), InterviewAnswer.deleted_at.is_(None)))
        for row in rows:
            answers[row.interview_id][row.key] = row.value
    return {interview_id: InterviewState.from_answers(values)  # type: ignore[arg-type]
            for interview_id, values in answers.items()}


def _team_name(session: Session) -> str:
    setting = session.get(LocalSetting, "team_id")
    team = session.get(Team, uuid.UUID(setting.value)) if setting else None
    return team.name if team else ""
