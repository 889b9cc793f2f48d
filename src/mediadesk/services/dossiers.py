"""Finding, opening, creating and editing household dossiers."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from mediadesk.domain.enums import HouseholdStatus, MemberRole, PhoneStatus
from mediadesk.domain.ids import element_id
from mediadesk.domain.phones import PhoneError, format_phone, normalise_phone
from mediadesk.i18n import N_, _
from mediadesk.services.errors import ValidationError
from mediadesk.services.views import (
    ContractView,
    DebtView,
    Dossier,
    HouseholdDraft,
    HouseholdHit,
    HouseholdView,
    MemberView,
    PhoneView,
    TimelineItem,
)
from mediadesk.store import households as repo
from mediadesk.store.audit import record_view
from mediadesk.store.models import Household, HouseholdLanguage, Person, Phone

_CHANNELS = {
    "phone": N_("Appel"), "sms": N_("SMS"), "letter": N_("Courrier"),
    "home_visit": N_("Visite à domicile"), "email": N_("Courriel"), "counter": N_("Accueil"),
}
_OUTCOMES = {
    "reached": N_("joint"), "no_answer": N_("pas de réponse"), "wrong_number": N_("faux numéro"),
    "refused": N_("refus"), "message_left": N_("message laissé"),
}


class DossierService:
    """Household dossiers. Every method opens and closes its own transaction.

    Thread: any thread, one call at a time per thread (sessions never cross threads).
    """

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def find_households(self, text: str, limit: int = 50) -> list[HouseholdHit]:
        """Type-ahead search on names, address, phones, customer references and meter points."""
        with self._sessions() as session:
            ids = repo.find_ids(session, text, limit)
            return [_hit(row, numbers) for row, numbers in repo.hits(session, ids)]

    def open_dossier(self, household_id: uuid.UUID) -> Dossier:
        """Raises NotFound when the household does not exist or is deleted."""
        with self._sessions.begin() as session:
            dossier = _dossier(session, repo.get(session, household_id))
            record_view(session, household_id)
            return dossier

    def create_household(self, draft: HouseholdDraft) -> Dossier:
        """Create a household from what was typed. Raises ValidationError."""
        phones = _validated(draft)
        with self._sessions.begin() as session:
            household = Household(status=HouseholdStatus.OPEN)
            session.add(household)
            _apply(session, household, draft, phones)
            session.flush()
            return _dossier(session, household)

    def update_household(self, household_id: uuid.UUID, draft: HouseholdDraft) -> Dossier:
        """Replace the core fields, phones, languages and members. Raises ValidationError,
        NotFound."""
        phones = _validated(draft)
        with self._sessions.begin() as session:
            household = repo.get(session, household_id)
            _apply(session, household, draft, phones)
            session.flush()
            return _dossier(session, household)


def _validated(draft: HouseholdDraft) -> list[tuple[str, str]]:
    if not draft.name.strip():
        raise ValidationError("name", _("Le nom du foyer est obligatoire."))
    if draft.postal_code.strip() and not (
        draft.postal_code.strip().isdigit() and len(draft.postal_code.strip()) == 5
    ):
        raise ValidationError("postal_code", _("Le code postal doit compter 5 chiffres."))
    if draft.email.strip() and "@" not in draft.email:
        raise ValidationError("email", _("L'adresse électronique n'est pas valide."))
    phones = []
    for index, phone in enumerate(draft.phones):
        if not phone.number.strip():
            continue
        try:
            phones.append((normalise_phone(phone.number), PhoneStatus(phone.status).value))
        except PhoneError as exc:
            raise ValidationError(
                f"phones.{index}",
                _("Numéro de téléphone non reconnu : {number}").format(number=phone.number),
            ) from exc
    return phones


def _apply(
    session: Session, household: Household, draft: HouseholdDraft, phones: list[tuple[str, str]]
) -> None:
    household.name = draft.name.strip()
    household.street = draft.street.strip() or None
    household.address_extra = draft.address_extra.strip() or None
    household.postal_code = draft.postal_code.strip() or None
    household.city = draft.city.strip() or None
    household.email = draft.email.strip() or None
    household.interpreter_needed = draft.interpreter_needed
    session.flush()
    _sync_children(
        session, household.phones, phones, key=lambda p: (p.number, p.status.value),
        make=lambda i, value: Phone(household_id=household.id, position=i, number=value[0],
                                    status=PhoneStatus(value[1])),
    )
    wanted_languages = list(dict.fromkeys(lang.strip() for lang in draft.languages if lang.strip()))
    _sync_languages(session, household, wanted_languages)
    members = [(m.first_name.strip(), m.last_name.strip(), MemberRole(m.role).value, m.birth_year)
               for m in draft.members if (m.first_name.strip() or m.last_name.strip())]
    _sync_children(
        session, household.members, members,
        key=lambda p: (p.first_name, p.last_name, p.role.value, p.birth_year),
        make=lambda i, value: Person(household_id=household.id, position=i, first_name=value[0],
                                     last_name=value[1], role=MemberRole(value[2]),
                                     birth_year=value[3]),
    )


def _sync_children(session: Session, current: Iterable[Any], wanted: list[Any],
                   key: Any, make: Any) -> None:
    """Soft-delete children no longer wanted, add new ones, keep unchanged ones (so their
    ids and history survive an edit)."""
    live = [child for child in current if child.deleted_at is None]
    remaining = list(wanted)
    now = datetime.now(UTC)
    for child in live:
        value = key(child)
        if value in remaining:
            remaining.remove(value)
        else:
            child.deleted_at = now
    start = len(live)
    for offset, value in enumerate(remaining):
        session.add(make(start + offset, value))


def _sync_languages(session: Session, household: Household, wanted: list[str]) -> None:
    """Languages are a set: one row per language, its id derived from the household and the
    language, removed by a soft delete and added back by undeleting that same row (so two
    devices adding "ar" offline make one element, merged by causal length in sync)."""
    now = datetime.now(UTC)
    rows: dict[str, HouseholdLanguage] = {}
    for row in household.languages:
        if row.language not in rows or row.deleted_at is None:
            rows[row.language] = row
    for language, row in rows.items():
        if row.deleted_at is None and language not in wanted:
            row.deleted_at = now
    for language in wanted:
        existing = rows.get(language)
        if existing is None:
            session.add(HouseholdLanguage(id=element_id(household.id, language),
                                          household_id=household.id, language=language))
        elif existing.deleted_at is not None:
            existing.deleted_at = None


def _hit(row: Any, numbers: list[str]) -> HouseholdHit:
    town = " ".join(part for part in (row.postal_code, row.city) if part)
    address = ", ".join(part for part in (row.street, town) if part)
    return HouseholdHit(
        id=row.id, name=row.name, address=address,
        phones=tuple(format_phone(n) for n in numbers), status=str(row.status),
    )


def _dossier(session: Session, household: Household) -> Dossier:
    session.refresh(household)
    view = HouseholdView(
        id=household.id, name=household.name, street=household.street or "",
        address_extra=household.address_extra or "", postal_code=household.postal_code or "",
        city=household.city or "", email=household.email or "",
        languages=tuple(sorted(lang.language for lang in household.languages
                               if lang.deleted_at is None)),
        interpreter_needed=household.interpreter_needed, status=household.status.value,
        version=household.version,
    )
    members = tuple(
        MemberView(p.id, p.first_name, p.last_name, p.role.value, p.birth_year)
        for p in household.members if p.deleted_at is None
    )
    phones = tuple(
        PhoneView(p.id, format_phone(p.number), p.status.value)
        for p in household.phones if p.deleted_at is None
    )
    contracts = tuple(
        ContractView(c.id, c.supplier, c.energy.value, c.customer_ref, c.meter_point, c.linky,
                     c.energy_voucher_attestation_sent)
        for c in repo.contracts(session, household.id)
    )
    debts = tuple(
        DebtView(d.id, d.contract_id, d.amount_cents, d.period_start, d.period_end, d.contested)
        for d in repo.debts(session, household.id)
    )
    return Dossier(view, members, phones, contracts, debts, _timeline(session, household.id))


def _at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def _timeline(session: Session, household_id: uuid.UUID) -> tuple[TimelineItem, ...]:
    rows = repo.timeline_rows(session, household_id)
    items = [
        TimelineItem(i.id, i.started_at, "interview",
                     _("Entretien (terminé)") if i.status.value == "done"
                     else _("Entretien (en cours)"), i.summary or "")
        for i in rows["interview"]
    ]
    items += [
        TimelineItem(c.id, c.at, "contact",
                     _("{channel} : {outcome}").format(
                         channel=_(_CHANNELS.get(c.channel.value, c.channel.value)),
                         outcome=_(_OUTCOMES.get(c.outcome.value, c.outcome.value))),
                     c.comment or "")
        for c in rows["contact"]
    ]
    items += [TimelineItem(n.id, n.at, "note", _("Note"), n.body) for n in rows["note"]]
    items += [
        TimelineItem(a.id, _at(a.due_on) if a.due_on else a.created_at, "action",
                     _("Prochain pas"), a.description, all_day=a.due_on is not None)
        for a in rows["action"]
    ]
    items += [
        TimelineItem(o.id, _at(o.oriented_on), "orientation", _("Orientation"),
                     o.reason or "", all_day=True)
        for o in rows["orientation"]
    ]
    items += [
        TimelineItem(i.id, i.at, "incident", _("Incident"), i.description or "")
        for i in rows["incident"]
    ]
    items += [
        TimelineItem(f.id, _at(f.due_on), "follow_up", _("Suivi prévu"),
                     f.reason or "", all_day=True)
        for f in rows["follow_up"]
    ]
    items.sort(key=lambda item: item.at, reverse=True)
    return tuple(items)

