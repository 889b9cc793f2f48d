"""The funder activity report's figures, counted from the store without double counting.

Every indicator is defined once in ``INDICATORS``: a code, a label, the definition printed in
the report's annex and a function listing the *facts* it counts. A fact names what is counted
once (a household, an interview, a collective action), the site and the mediator it belongs
to, and a value (1, or an amount in cents). The total counts each key once; the breakdowns count
each key once per site and once per mediator.

A partner agreement may ask for a subset of the indicators, in its own order: a *profile*,
stored as a JSON list of codes in the local setting ``report_profile:<partner>``.

Counting a year over a big store takes seconds: `funder_data` reports ``progress(done, total)``
after each query and indicator and raises `ReportCancelled` as soon as ``cancel()`` is true.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.orm import Session, aliased

from mediadesk.domain.enums import (
    ContactOutcome,
    InterventionRegister,
    InterviewStatus,
    PartnerKind,
)
from mediadesk.i18n import N_, _
from mediadesk.interview import InterviewState, OptionCode
from mediadesk.reports.data import Count, Figure, FunderData
from mediadesk.services.errors import ValidationError
from mediadesk.store.models import (
    CollectiveAction,
    ContactAttempt,
    Household,
    Incident,
    Interview,
    InterviewAnswer,
    LocalSetting,
    Orientation,
    Site,
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
PROFILE_PREFIX = "report_profile:"
Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
_LOAD_STEPS = 6  # the queries of `load_period`
MAX_PROFILE_NAME = 45  # the setting's key holds 60 characters, prefix included
_VOUCHER = {OptionCode.ENERGY_VOUCHER_ATTESTATION, OptionCode.ENERGY_VOUCHER_CLAIM}
# The only interview answers the report reads: loading these alone keeps a year fast.
_ANSWER_KEYS = ("options.chosen", "supplier.plan_agreed", "supplier.supplier_amount_cents",
                "supplier.negotiated_delay_until", "situation.declared_debt_cents")


ActivityData = FunderData  # the report's figures, named here for ui/ (it may not import reports/)


class ReportCancelled(Exception):
    """The person cancelled the report while it was being counted."""


@dataclass(frozen=True)
class IndicatorChoice:
    """An indicator a partner profile may include: its code, label and definition
    (translated)."""

    code: str
    label: str
    definition: str
    money: bool


@dataclass(frozen=True)
class ReportProfile:
    """A partner agreement's indicators, in the order its report prints them."""

    name: str
    codes: tuple[str, ...]


class _Steps:
    """Progress and cancellation of one count: ``tick()`` after each unit of work."""

    def __init__(self, total: int, progress: Progress | None, cancel: Cancel | None) -> None:
        self.total, self.done = total, 0
        self._progress, self._cancel = progress, cancel

    def tick(self) -> None:
        if self._cancel is not None and self._cancel():
            raise ReportCancelled()
        self.done += 1
        if self._progress is not None:
            self._progress(min(self.done, self.total), self.total)


@dataclass(frozen=True)
class Fact:
    """One counted thing: ``key`` is counted once per total, site and mediator."""

    key: object
    site: str | None
    mediator: str | None
    value: int = 1


@dataclass(frozen=True)
class _Done:
    id: str
    household: str
    site: str | None
    mediator: str | None
    registers: frozenset[int]
    state: InterviewState


@dataclass(frozen=True)
class _Row:
    id: str
    household: str
    site: str | None
    mediator: str | None
    kind: str  # partner kind, contact outcome, incident severity


@dataclass(frozen=True)
class Period:
    """What the period holds, loaded once and read by every indicator."""

    interviews: tuple[_Done, ...]
    orientations: tuple[_Row, ...]
    contacts: tuple[_Row, ...]
    incidents: tuple[_Row, ...]
    actions: tuple[tuple[str, str | None, int, str | None], ...]


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str  # marked with N_, translated when printed
    definition: str  # idem
    facts: Callable[[Period], Iterable[Fact]]
    money: bool = False


def _households(rows: Iterable[_Done | _Row]) -> list[Fact]:
    return [Fact(row.household, row.site, row.mediator) for row in rows]


def _plan_amount(state: InterviewState) -> int:
    return (state.supplier.supplier_amount_cents or state.situation.declared_debt_cents or 0)


def _unreachable(period: Period) -> list[Fact]:
    # ``period.contacts`` holds only households with attempts, none reached, none met.
    return [Fact(row.household, row.site, row.mediator) for row in period.contacts]


def _register(register: InterventionRegister) -> Callable[[Period], list[Fact]]:
    def facts(period: Period) -> list[Fact]:
        return [Fact(row.id, row.site, row.mediator) for row in period.interviews
                if int(register) in row.registers]
    return facts


INDICATORS: tuple[Indicator, ...] = (
    Indicator("households_met", N_("Foyers accompagnés (au moins un entretien terminé)"),
              N_("Foyers distincts ayant eu au moins un entretien terminé commencé dans la "
                 "période."),
              lambda p: _households(p.interviews)),
    Indicator("interviews", N_("Entretiens terminés"),
              N_("Entretiens terminés commencés dans la période (un foyer reçu deux fois "
                 "compte deux entretiens)."),
              lambda p: [Fact(r.id, r.site, r.mediator) for r in p.interviews]),
    Indicator("supply_maintained", N_("Foyers dont la fourniture est maintenue"),
              N_("Foyers distincts pour lesquels un entretien de la période a obtenu un "
                 "échéancier conclu ou un délai du fournisseur."),
              lambda p: _households(r for r in p.interviews if r.state.supplier.plan_agreed
                                    or r.state.supplier.negotiated_delay_until)),
    Indicator("energy_saving", N_("Foyers sensibilisés aux économies d'énergie"),
              N_("Foyers distincts dont un entretien de la période a retenu la piste "
                 "« éco-gestes »."),
              lambda p: _households(r for r in p.interviews
                                    if OptionCode.ENERGY_SAVING in r.state.options.chosen)),
    Indicator("energy_voucher", N_("Foyers informés sur le chèque énergie"),
              N_("Foyers distincts dont un entretien de la période a retenu l'attestation ou "
                 "la réclamation du chèque énergie."),
              lambda p: _households(r for r in p.interviews
                                    if _VOUCHER & set(r.state.options.chosen))),
    Indicator("payment_plans", N_("Foyers avec un échéancier conclu"),
              N_("Foyers distincts dont un entretien de la période a conclu un échéancier "
                 "avec le fournisseur."),
              lambda p: _households(r for r in p.interviews if r.state.supplier.plan_agreed)),
    Indicator("payment_plan_amount", N_("Montant des dettes couvertes par un échéancier"),
              N_("Pour chaque foyer avec un échéancier conclu dans la période, la dette selon "
                 "le fournisseur (à défaut celle déclarée) du premier entretien qui l'a "
                 "conclu ; chaque foyer compte une fois."),
              lambda p: [Fact(r.household, r.site, r.mediator, _plan_amount(r.state))
                         for r in p.interviews if r.state.supplier.plan_agreed],
              money=True),
    Indicator("orientation_fsl", N_("Foyers orientés vers le FSL ou le CCAS"),
              N_("Foyers distincts ayant une orientation vers le FSL ou un CCAS datée de la "
                 "période."),
              lambda p: _households(r for r in p.orientations
                                    if r.kind in (PartnerKind.FSL.value, PartnerKind.CCAS.value))),
    Indicator("orientation_social", N_("Foyers orientés vers un travailleur social"),
              N_("Foyers distincts ayant une orientation vers un travailleur social datée de "
                 "la période."),
              lambda p: _households(r for r in p.orientations
                                    if r.kind == PartnerKind.SOCIAL_WORKER.value)),
    Indicator("unreachable", N_("Foyers injoignables (tentatives sans réponse, sans entretien)"),
              N_("Foyers distincts ayant des tentatives de contact dans la période, aucune "
                 "aboutie et aucun entretien terminé dans la période."),
              _unreachable),
    Indicator("incidents", N_("Incidents"),
              N_("Incidents (situations tendues ou agressives) consignés dans la période."),
              lambda p: [Fact(r.id, r.site, r.mediator) for r in p.incidents]),
    Indicator("collective_actions", N_("Actions collectives"),
              N_("Actions collectives (ateliers) tenues dans la période."),
              lambda p: [Fact(i, s, m) for i, s, _n, m in p.actions]),
    Indicator("collective_attendance", N_("Participants aux actions collectives"),
              N_("Somme des participants déclarés aux actions collectives de la période "
                 "(une personne venue à deux ateliers compte deux fois)."),
              lambda p: [Fact(i, s, m, n) for i, s, n, m in p.actions]),
    *(Indicator(f"register_{int(register)}", label,
                N_("Entretiens terminés de la période rattachés à ce registre "
                   "d'intervention (un entretien compte sous chacun de ses registres)."),
                _register(register))
      for register, label in REGISTER_LABELS.items()),
)
BY_CODE = {indicator.code: indicator for indicator in INDICATORS}


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (datetime.combine(start, time(0), tzinfo=UTC),
            datetime.combine(end + timedelta(days=1), time(0), tzinfo=UTC))


def _raw(column: Any) -> Any:
    """An id column read as its stored text: the report only compares ids, and parsing
    hundreds of thousands of UUIDs would cost seconds on a big store."""
    return type_coerce(column, String)


def load_period(session: Session, start: date, end: date,
                checkpoint: Callable[[], None] | None = None) -> Period:
    """Everything the indicators of ``start``..``end`` (inclusive) read, in a few queries;
    ``checkpoint()`` is called after each of them (it may raise to stop)."""
    step = checkpoint or (lambda: None)
    low, high = _bounds(start, end)
    home = _raw(Household.site_id)
    interviews = session.execute(
        select(_raw(Interview.id).label("id"), _raw(Interview.household_id).label("household"),
               Interview.registers,
               func.coalesce(_raw(Interview.site_id), home).label("site"),
               # who ran it: the mediator named, else whoever created it on a laptop
               func.coalesce(_raw(Interview.mediator_id), _raw(Interview.created_by))
               .label("mediator"))
        .join(Household, Household.id == Interview.household_id)
        .where(Interview.status == InterviewStatus.DONE, Interview.deleted_at.is_(None),
               Interview.started_at >= low, Interview.started_at < high)
        .order_by(Interview.started_at)).all()
    step()
    states = _states(session, [row.id for row in interviews])
    step()
    done = tuple(_Done(row.id, row.household, row.site, row.mediator,
                       frozenset(int(r) for r in row.registers or ()), states[row.id])
                 for row in interviews)
    orientations = tuple(
        _Row(row.id, row.household, row.site, row.mediator, str(row.kind.value))
        for row in session.execute(
            select(_raw(Orientation.id).label("id"),
                   _raw(Orientation.household_id).label("household"), home.label("site"),
                   _raw(Orientation.created_by).label("mediator"),
                   Orientation.partner_kind.label("kind"))
            .join(Household, Household.id == Orientation.household_id)
            .where(Orientation.deleted_at.is_(None), Orientation.oriented_on >= start,
                   Orientation.oriented_on <= end)))
    step()
    # Contacts are many: only the attempts of households never reached nor met in the period
    # are loaded, one row per household and author.
    in_period = (ContactAttempt.deleted_at.is_(None), ContactAttempt.at >= low,
                 ContactAttempt.at < high)
    other = aliased(ContactAttempt)  # not correlated with the outer query
    reached = select(other.household_id).where(
        other.deleted_at.is_(None), other.at >= low, other.at < high,
        other.outcome == ContactOutcome.REACHED)
    met = select(Interview.household_id).where(
        Interview.status == InterviewStatus.DONE, Interview.deleted_at.is_(None),
        Interview.started_at >= low, Interview.started_at < high)
    contacts = tuple(
        _Row(row.household, row.household, row.site, row.mediator,
             ContactOutcome.NO_ANSWER.value)
        for row in session.execute(
            select(_raw(ContactAttempt.household_id).label("household"), home.label("site"),
                   _raw(ContactAttempt.created_by).label("mediator"))
            .join(Household, Household.id == ContactAttempt.household_id)
            .where(*in_period, ContactAttempt.household_id.not_in(reached),
                   ContactAttempt.household_id.not_in(met))
            .group_by(ContactAttempt.household_id, ContactAttempt.created_by)))
    step()
    incidents = tuple(
        _Row(row.id, row.household, row.site, row.mediator, row.severity)
        for row in session.execute(
            select(_raw(Incident.id).label("id"), _raw(Incident.household_id).label("household"),
                   home.label("site"), _raw(Incident.created_by).label("mediator"),
                   Incident.severity)
            .join(Household, Household.id == Incident.household_id)
            .where(Incident.deleted_at.is_(None), Incident.at >= low, Incident.at < high)))
    step()
    actions = tuple(
        (row.id, row.site, row.attendance or 0, row.mediator)
        for row in session.execute(
            select(_raw(CollectiveAction.id).label("id"),
                   _raw(CollectiveAction.site_id).label("site"), CollectiveAction.attendance,
                   _raw(CollectiveAction.created_by).label("mediator"))
            .where(CollectiveAction.deleted_at.is_(None), CollectiveAction.held_on >= start,
                   CollectiveAction.held_on <= end)))
    step()
    return Period(done, orientations, contacts, incidents, actions)


def _sum(facts: Iterable[Fact]) -> int:
    first: dict[object, int] = {}
    for fact in facts:
        first.setdefault(fact.key, fact.value)
    return sum(first.values())


def _names(session: Session, key: Any, name: Any) -> dict[str, str]:
    return {row[0]: row[1] for row in session.execute(select(_raw(key), name))}


def _grouped(facts: list[Fact], attribute: str,
             names: dict[str, str]) -> tuple[tuple[str, int], ...]:
    groups: dict[str | None, list[Fact]] = {}
    for fact in facts:
        groups.setdefault(getattr(fact, attribute), []).append(fact)
    unknown = _("non renseigné")
    pairs = [(names.get(key, unknown) if key else unknown, _sum(group))
             for key, group in groups.items()]
    return tuple(sorted(pairs, key=lambda pair: (-pair[1], pair[0].casefold())))


def figures(session: Session, period: Period, codes: Iterable[str] | None = None,
            checkpoint: Callable[[], None] | None = None) -> tuple[Figure, ...]:
    """The chosen indicators (all by default, in registry order) counted over ``period``;
    ``checkpoint()`` is called after each indicator."""
    chosen = [BY_CODE[code] for code in codes] if codes is not None else list(INDICATORS)
    sites = _names(session, Site.id, Site.name)
    users = _names(session, User.id, User.display_name)
    result = []
    for indicator in chosen:
        facts = list(indicator.facts(period))
        result.append(Figure(indicator.code, _(indicator.label), _(indicator.definition),
                             indicator.money, _sum(facts), _grouped(facts, "site", sites),
                             _grouped(facts, "mediator", users)))
        if checkpoint is not None:
            checkpoint()
    return tuple(result)


def funder_data(session: Session, start: date, end: date, today: date,
                profile: str | None = None, *, progress: Progress | None = None,
                cancel: Cancel | None = None) -> FunderData:
    """The figures of the period ``start``..``end`` (inclusive), restricted to the indicators
    of the partner agreement ``profile`` when given. Reports ``progress(done, total)``.
    Raises ValidationError (unknown profile), ReportCancelled (``cancel()`` became true)."""
    codes = profile_codes(session, profile) if profile else None
    steps = _Steps(_LOAD_STEPS + len(codes if codes is not None else INDICATORS),
                   progress, cancel)
    period = load_period(session, start, end, steps.tick)
    chosen = figures(session, period, codes, steps.tick)
    indicators = tuple(Count(f.label, f.total, f.money) for f in chosen
                       if not f.code.startswith("register_"))
    registers = tuple(Count(f.label, f.total) for f in chosen
                      if f.code.startswith("register_"))
    interviews = BY_CODE["interviews"]
    users = _names(session, User.id, User.display_name)
    mediators = tuple(Count(name, value) for name, value in _grouped(
        list(interviews.facts(period)), "mediator", users))
    return FunderData(_team_name(session), start, end, today, indicators, registers, mediators,
                      chosen, profile or "")


def profile_codes(session: Session, profile: str) -> tuple[str, ...]:
    """The indicator codes of the partner agreement ``profile``. Raises ValidationError."""
    setting = session.get(LocalSetting, PROFILE_PREFIX + profile)
    if setting is None:
        raise ValidationError("profile", _("Profil de rapport inconnu : {name}").format(
            name=profile))
    try:
        codes = json.loads(setting.value)
    except ValueError:
        codes = None
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        raise ValidationError("profile", _("Profil de rapport illisible : {name}").format(
            name=profile))
    _check_codes(codes)
    return tuple(codes)


def indicator_choices() -> tuple[IndicatorChoice, ...]:
    """Every indicator a profile may include, in the registry's order (translated)."""
    return tuple(IndicatorChoice(i.code, _(i.label), _(i.definition), i.money)
                 for i in INDICATORS)


def list_profiles(session: Session) -> tuple[ReportProfile, ...]:
    """The stored partner profiles, by name; unreadable ones are listed without indicators
    (saving them again repairs them)."""
    rows = session.execute(select(LocalSetting.key).where(
        LocalSetting.key.startswith(PROFILE_PREFIX, autoescape=True))).scalars()
    profiles = []
    for key in rows:
        name = key[len(PROFILE_PREFIX):]
        try:
            codes = profile_codes(session, name)
        except ValidationError:
            codes = ()
        profiles.append(ReportProfile(name, codes))
    return tuple(sorted(profiles, key=lambda p: p.name.casefold()))


def delete_profile(session: Session, profile: str) -> None:
    """Forget a partner profile (nothing happens when it does not exist)."""
    setting = session.get(LocalSetting, PROFILE_PREFIX + profile)
    if setting is not None:
        session.delete(setting)


def save_profile(session: Session, profile: str, codes: Iterable[str]) -> None:
    """Store the indicator selection of a partner agreement. Raises ValidationError."""
    chosen = list(dict.fromkeys(codes))
    if not profile.strip() or not chosen:
        raise ValidationError("profile", _("Un profil a un nom et au moins un indicateur."))
    if len(profile.strip()) > MAX_PROFILE_NAME:
        raise ValidationError("profile", _(
            "Le nom d'un profil compte au plus {n} caractères.").format(n=MAX_PROFILE_NAME))
    _check_codes(chosen)
    session.merge(LocalSetting(key=PROFILE_PREFIX + profile.strip(),
                               value=json.dumps(chosen)))


def _check_codes(codes: Iterable[str]) -> None:
    unknown = [code for code in codes if code not in BY_CODE]
    if unknown:
        raise ValidationError("profile", _("Indicateurs inconnus : {codes}").format(
            codes=", ".join(unknown)))


def _states(session: Session, ids: list[str]) -> dict[str, InterviewState]:
    answers: dict[str, dict[str, object]] = {interview_id: {} for interview_id in ids}
    if ids:
        for chunk in range(0, len(ids), 900):
            rows = session.execute(
                select(_raw(InterviewAnswer.interview_id), InterviewAnswer.key,
                       InterviewAnswer.value)
                .where(_raw(InterviewAnswer.interview_id).in_(ids[chunk:chunk + 900]),
                       InterviewAnswer.key.in_(_ANSWER_KEYS),
                       InterviewAnswer.deleted_at.is_(None)))
            for row in rows:
                answers[row[0]][row.key] = row.value
    empty = InterviewState()
    return {interview_id: InterviewState.from_answers(values) if values else empty  # type: ignore[arg-type]
            for interview_id, values in answers.items()}


def _team_name(session: Session) -> str:
    setting = session.get(LocalSetting, "team_id")
    team = session.get(Team, uuid.UUID(setting.value)) if setting else None
    return team.name if team else ""
