"""Printed documents: builds plain report data from the store and renders it with `reports/`.

Thread: any thread, one call at a time per thread (sessions never cross threads). Rendering is
CPU work of a second or so: from the UI, run it through the task runner.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from mediadesk.i18n import N_, _, format_money
from mediadesk.interview import Answer, InterviewState
from mediadesk.interview.codes import choice_title
from mediadesk.reports.data import (
    DatedItem,
    DebtLine,
    DossierData,
    FunderData,
    InterviewBlock,
    Line,
    PlanLine,
    SheetData,
    SheetStep,
    WorklistData,
    WorklistRow,
)
from mediadesk.reports.dossier import render_dossier
from mediadesk.reports.funder import render_funder
from mediadesk.reports.sheet import render_sheet
from mediadesk.reports.sheet_texts import sheet_languages
from mediadesk.reports.worklist import render_worklist
from mediadesk.services.dossiers import DossierService
from mediadesk.services.errors import ValidationError
from mediadesk.services.funder import Cancel, Progress, funder_data
from mediadesk.services.funder_profiles import (
    IndicatorChoice,
    ReportProfile,
    delete_profile,
    indicator_choices,
    list_profiles,
    save_profile,
)
from mediadesk.services.interviews import InterviewService
from mediadesk.services.settings import SettingsService
from mediadesk.services.views import Dossier, InterviewView
from mediadesk.services.worklist import WorklistService
from mediadesk.services.worklist_views import Assignee
from mediadesk.store.models import Interview, LocalSetting, Team, User

Clock = Callable[[], datetime]
DESK_PHONE_SETTING = "desk_phone"  # the mediators' desk number printed on household sheets

_ROLES = {"holder": N_("titulaire"), "spouse": N_("conjoint"), "child": N_("enfant"),
          "relative": N_("proche"), "other": N_("autre")}
_ENERGIES = {"electricity": N_("électricité"), "gas": N_("gaz"), "water": N_("eau"),
             "other": N_("autre")}
_YES_NO = {True: N_("oui"), False: N_("non")}


def _utcnow() -> datetime:
    return datetime.now(UTC)


def write_atomically(target: Path, content: bytes) -> Path:
    """Write ``content`` to ``target`` through a temporary file in the same folder renamed
    over it: a crash never leaves a half-written PDF. Raises OSError."""
    target = Path(target)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                         dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


class ReportService:
    """The dossier summary, the household sheet and the follow-up worklist."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock = _utcnow) -> None:
        self._sessions = sessions
        self._clock = clock
        self._dossiers = DossierService(sessions)
        self._interviews = InterviewService(sessions)
        self._settings = SettingsService(sessions)

    def _today(self) -> date:
        return self._clock().astimezone().date()

    # Household sheet --------------------------------------------------------------------

    def sheet_data(self, household_id: uuid.UUID, language: str | None = None) -> SheetData:
        """The next-step sheet of the household's latest interview (a finished one first).

        ``language``: a sheet language; by default the one chosen in the interview, else the
        household's first language that has a sheet, else French. Raises NotFound,
        ValidationError (no sheet in that language).
        """
        dossier = self._dossiers.open_dossier(household_id)
        view = self._latest_interview(household_id)
        state = view.state if view is not None else InterviewState()
        language = language or _default_language(state, dossier)
        if language not in sheet_languages():
            raise ValidationError("language", _(
                "Pas de feuille dans cette langue : {language} (disponibles : {available})."
            ).format(language=language, available=", ".join(sheet_languages())))
        supplier = state.supplier
        debt = (supplier.supplier_amount_cents or state.situation.declared_debt_cents
                or dossier.total_debt_cents or None)
        mediator = self._mediator_name(view)
        return SheetData(
            language=language,
            household_name=dossier.household.name,
            made_on=(view.summary.started_at.astimezone().date() if view else self._today()),
            steps=tuple(SheetStep(step.actor.value, step.description, step.due_on)
                        for step in state.next_step.steps),
            supplier=supplier.supplier_name or _first_supplier(dossier),
            debt_cents=debt,
            monthly_cents=supplier.supplier_monthly_cents or supplier.proposed_monthly_cents,
            plan_start_on=supplier.plan_start_on,
            delay_until=supplier.negotiated_delay_until,
            follow_up_on=state.follow_up.due_on,
            mediator_name=mediator,
            desk_phone=self._settings.get(DESK_PHONE_SETTING) or "",
        )

    def render_sheet(self, household_id: uuid.UUID, language: str | None = None) -> bytes:
        return render_sheet(self.sheet_data(household_id, language))

    # Dossier summary --------------------------------------------------------------------

    def dossier_data(self, household_id: uuid.UUID) -> DossierData:
        """Everything the summary prints. Raises NotFound."""
        dossier = self._dossiers.open_dossier(household_id)
        household = dossier.household
        identity = [Line(_("Nom"), household.name), Line(_("Adresse"), household.address)]
        identity += [Line(_("Téléphone"), ", ".join(p.number for p in dossier.phones))]
        if household.email:
            identity.append(Line(_("Courriel"), household.email))
        identity.append(Line(_("Langues"), ", ".join(household.languages) + (
            " — " + _("interprète nécessaire") if household.interpreter_needed else "")))
        members = tuple(
            Line(f"{m.first_name} {m.last_name}".strip(),
                 ", ".join(part for part in (
                     _(_ROLES.get(m.role, m.role)),
                     _("né(e) en {year}").format(year=m.birth_year) if m.birth_year else "",
                 ) if part))
            for m in dossier.members)
        contracts = {c.id: c for c in dossier.contracts}
        debts = tuple(
            DebtLine(contracts[d.contract_id].supplier if d.contract_id in contracts else "",
                     _(_ENERGIES.get(contracts[d.contract_id].energy, ""))
                     if d.contract_id in contracts else "",
                     d.amount_cents, d.period_start, d.period_end, d.contested)
            for d in dossier.debts)
        views = [self._interviews.open(item.id) for item in dossier.timeline
                 if item.kind == "interview"]
        latest = views[0].state if views else None
        plans = tuple(
            PlanLine(v.state.supplier.supplier_name, v.state.supplier.supplier_monthly_cents
                     or v.state.supplier.proposed_monthly_cents, v.state.supplier.plan_start_on,
                     v.state.supplier.negotiated_delay_until, v.state.supplier.plan_agreed)
            for v in views if _has_plan(v.state))
        return DossierData(
            household_name=household.name,
            printed_on=self._today(),
            identity=tuple(identity),
            members=members,
            situation=_situation(latest, dossier) if latest else (),
            debts=debts,
            total_debt_cents=dossier.total_debt_cents,
            plans=plans,
            interviews=tuple(_interview_block(v) for v in views),
            next_steps=_dated(dossier, "action"),
            orientations=_dated(dossier, "orientation"),
            follow_ups=_dated(dossier, "follow_up"),
        )

    def render_dossier(self, household_id: uuid.UUID) -> bytes:
        return render_dossier(self.dossier_data(household_id))

    # Worklist ---------------------------------------------------------------------------

    def worklist_data(self, start: date | None, end: date | None,
                      assignee: Assignee = None) -> WorklistData:
        """The open follow-ups and orientation checks due between ``start`` and ``end``
        (inclusive, None: unbounded) for the team, what nobody took (``"team"``) or one
        mediator (a user id). Raises ValidationError when ``start`` is after ``end``."""
        if start and end and start > end:
            raise ValidationError("start", _("La date de début est après la date de fin."))
        today = self._today()
        items = WorklistService(self._sessions, self._clock).items(
            today=today, window="all_open", assignee=assignee)
        rows = tuple(
            WorklistRow(i.due_on, i.household_name, i.phone, i.kind.value,
                        i.reason or i.partner, i.assignee_name, i.days_late if i.overdue else 0)
            for i in items
            if (start is None or i.due_on >= start) and (end is None or i.due_on <= end))
        team_name, scope = self._scope(assignee)
        return WorklistData(team_name, scope, start, end, today, rows)

    def render_worklist(self, start: date | None, end: date | None,
                        assignee: Assignee = None) -> bytes:
        return render_worklist(self.worklist_data(start, end, assignee))

    # Funder activity report --------------------------------------------------------------

    def funder_data(self, start: date, end: date, profile: str | None = None, *,
                    progress: Progress | None = None,
                    cancel: Cancel | None = None) -> FunderData:
        """Indicators of ``start``..``end`` (inclusive), those of the partner agreement
        ``profile`` when given; ``progress(done, total)`` after each step. Raises
        ValidationError when ``start`` is after ``end`` or the profile is unknown,
        ReportCancelled as soon as ``cancel()`` is true."""
        if start > end:
            raise ValidationError("start", _("La date de début est après la date de fin."))
        with self._sessions() as session:
            return funder_data(session, start, end, self._today(), profile,
                               progress=progress, cancel=cancel)

    def render_funder(self, start: date, end: date, profile: str | None = None, *,
                      progress: Progress | None = None, cancel: Cancel | None = None) -> bytes:
        return render_funder(self.funder_data(start, end, profile, progress=progress,
                                              cancel=cancel))

    def indicator_choices(self) -> tuple[IndicatorChoice, ...]:
        """Every indicator a partner profile may include, in the default order."""
        return indicator_choices()

    def report_profiles(self) -> tuple[ReportProfile, ...]:
        """The partner agreements' profiles, by name."""
        with self._sessions() as session:
            return list_profiles(session)

    def save_report_profile(self, name: str, codes: list[str]) -> None:
        """Store a partner agreement's indicator selection, in the order given. Raises
        ValidationError."""
        with self._sessions.begin() as session:
            save_profile(session, name, codes)

    def delete_report_profile(self, name: str) -> None:
        """Forget a partner agreement's profile."""
        with self._sessions.begin() as session:
            delete_profile(session, name)

    # Helpers ----------------------------------------------------------------------------

    def _latest_interview(self, household_id: uuid.UUID) -> InterviewView | None:
        with self._sessions() as session:
            rows = session.execute(
                select(Interview.id, Interview.status).where(
                    Interview.household_id == household_id, Interview.deleted_at.is_(None))
                .order_by(Interview.started_at.desc())).all()
        chosen = next((row.id for row in rows if row.status.value == "done"),
                      rows[0].id if rows else None)
        return self._interviews.open(chosen) if chosen is not None else None

    def _mediator_name(self, view: InterviewView | None) -> str:
        with self._sessions() as session:
            mediator_id = None
            if view is not None:
                mediator_id = session.scalar(
                    select(func.coalesce(Interview.mediator_id, Interview.created_by))
                    .where(Interview.id == view.id))
            if mediator_id is None:
                setting = session.get(LocalSetting, "user_id")
                mediator_id = uuid.UUID(setting.value) if setting else None
            user = session.get(User, mediator_id) if mediator_id else None
            return user.display_name if user else ""

    def _scope(self, assignee: Assignee) -> tuple[str, str]:
        with self._sessions() as session:
            setting = session.get(LocalSetting, "team_id")
            team = session.get(Team, uuid.UUID(setting.value)) if setting else None
            team_name = team.name if team else ""
            if isinstance(assignee, uuid.UUID):
                user = session.get(User, assignee)
                return team_name, user.display_name if user else str(assignee)
        if assignee == "team":
            return team_name, _("Ce que personne n'a pris")
        return team_name, _("Toute l'équipe")


def render_funder_data(data: FunderData) -> bytes:
    """The activity report PDF of already counted figures (export them alongside)."""
    return render_funder(data)


def _default_language(state: InterviewState, dossier: Dossier) -> str:
    available = sheet_languages()
    wanted = [state.next_step.sheet_language, *state.reception.languages,
              *dossier.household.languages]
    return next((lang for lang in wanted if lang in available), "fr")


def _first_supplier(dossier: Dossier) -> str:
    return dossier.contracts[0].supplier if dossier.contracts else ""


def _has_plan(state: InterviewState) -> bool:
    s = state.supplier
    return any(value is not None for value in (
        s.supplier_monthly_cents, s.proposed_monthly_cents, s.plan_start_on,
        s.negotiated_delay_until)) or s.plan_agreed


def _money(cents: int | None) -> str:
    return format_money(cents) if cents is not None else ""


def _flag(value: bool | None) -> str:
    return _(_YES_NO[value]) if value is not None else ""


def _situation(state: InterviewState, dossier: Dossier) -> tuple[Line, ...]:
    s = state.situation
    lines = [
        Line(_("Dette déclarée par le foyer"), _money(s.declared_debt_cents)),
        Line(_("Dette selon le fournisseur"), _money(state.supplier.supplier_amount_cents)),
        Line(_("Revenus mensuels"), _money(s.monthly_income_cents)),
        Line(_("Charges mensuelles"), _money(s.monthly_charges_cents)),
        Line(_("Personnes au foyer"), str(s.household_size) if s.household_size else ""),
        Line(_("Résidence principale"), _flag(s.main_residence)),
        Line(_("Compteur Linky"), _flag(s.has_linky)),
        Line(_("Factures estimées"), _flag(s.bills_estimated)),
        Line(_("Attestation chèque énergie envoyée"), _flag(s.energy_voucher_attestation_sent)),
        Line(_("Fournisseurs"), ", ".join(
            f"{c.supplier} ({_(_ENERGIES.get(c.energy, c.energy))})" for c in dossier.contracts)),
        Line(_("Notes"), s.notes),
    ]
    return tuple(line for line in lines if line.value)


def _answered(value: Answer) -> str:
    return "" if value is Answer.NOT_ASKED else choice_title(value)


def _interview_block(view: InterviewView) -> InterviewBlock:
    state: InterviewState = view.state
    s = state.situation
    answers = [
        Line(_("Connaît le montant de sa dette"), _answered(s.knows_debt_amount)),
        Line(_("Comprend sa dette"), _answered(s.understands_debt)),
        Line(_("A reçu le chèque énergie"), _answered(s.received_energy_voucher)),
        Line(_("Suivi par un travailleur social"), _answered(s.followed_by_social_worker)),
        Line(_("Motifs du conflit"), ", ".join(choice_title(r) for r in s.conflict_reasons)),
        Line(_("Pistes retenues"), ", ".join(choice_title(o) for o in state.options.chosen)),
        Line(_("Fournisseur"), state.supplier.supplier_name),
        Line(_("Écarts avec le fournisseur"), state.supplier.discrepancies),
        Line(_("Résumé"), state.closing.summary),
    ]
    return InterviewBlock(
        started_on=view.summary.started_at.astimezone().date(),
        done=view.summary.status == "done",
        autonomy_level=view.autonomy_level,
        answers=tuple(line for line in answers if line.value),
    )


def _dated(dossier: Dossier, kind: str) -> tuple[DatedItem, ...]:
    items = [item for item in dossier.timeline if item.kind == kind]
    items.sort(key=lambda item: item.at)
    # The section heading already says what kind of item it is: print what was written.
    return tuple(DatedItem(item.at.astimezone().date() if not item.all_day else item.at.date(),
                           item.detail or item.title) for item in items)
