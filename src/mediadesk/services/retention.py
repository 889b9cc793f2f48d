"""Retention of dossiers (CNIL, social sector): 2 years after the last contact, a dossier is
proposed for closure, archiving with a reason, or anonymisation. Listing the proposals changes
nothing and is open to everyone working on the laptop (they only name dossiers the laptop holds).
Anonymising is irreversible and reaches every laptop and the server's log: only a lead of the
dossier's team may do it (`team_roles`: the role the server gave the user working on this
installation in that team), checked on every call, and only once they confirmed it explicitly;
anyone else gets `AnonymiseDenied`. Every anonymisation is logged in the audit trail.

An anonymised dossier keeps its rows, dates, codes and amounts (it still counts in activity
statistics) but none of the personal fields declared in the model (`mediadesk.store.privacy`).
An encrypted ``pre-purge`` backup of the whole store is taken just before (`services.backups`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from mediadesk.domain.enums import HouseholdStatus
from mediadesk.i18n import _
from mediadesk.services.backups import PRE_PURGE
from mediadesk.services.errors import ValidationError
from mediadesk.services.team_roles import leads_dossier
from mediadesk.store.anonymise import (
    ANONYMISE_ACTION,
    ANONYMISED_NAME,
    anonymise_household,
    compact_search_index,
)
from mediadesk.store.audit import record
from mediadesk.store.errors import NotFound
from mediadesk.store.models import ContactAttempt, Household, Interview

if TYPE_CHECKING:
    from mediadesk.services.workspace import Workspace

RETENTION_YEARS = 2
CLOSE, ARCHIVE, ANONYMISE = "close", "archive", ANONYMISE_ACTION


class AnonymiseDenied(ValidationError):
    """The current user may not anonymise this dossier (only a lead of its team may)."""

    def __init__(self) -> None:
        super().__init__("role", _(
            "Seul un responsable de l'équipe du dossier peut l'anonymiser : demandez-le à un "
            "responsable de cette équipe. Rien n'a été modifié."))


@dataclass(frozen=True)
class Proposal:
    household_id: uuid.UUID
    name: str
    status: str
    last_contact: date
    options: tuple[str, ...]  # close / archive (with a reason) / anonymise


@dataclass(frozen=True)
class Anonymised:
    household_id: uuid.UUID
    fields_blanked: int


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class RetentionService:
    """``actor`` is the user working on this installation (the local identity; None: nobody).
    Thread: any thread, one call at a time per thread."""

    def __init__(self, sessions: sessionmaker[Session], actor: uuid.UUID | None,
                 backup_before_purge: Callable[[], object] | None = None) -> None:
        self._sessions = sessions
        self._actor = actor
        self._backup_before_purge = backup_before_purge

    def proposals(self, today: date) -> list[Proposal]:
        """Dossiers without contact for 2 years (not yet anonymised), oldest contact first."""
        limit = years_before(today, RETENTION_YEARS)
        with self._sessions() as session:
            last = _last_contacts(session)
            rows = session.execute(
                select(Household.id, Household.name, Household.status, Household.created_at)
                .where(Household.deleted_at.is_(None), Household.name != ANONYMISED_NAME)
            ).all()
        found = []
        for row in rows:
            contact = last.get(row.id) or row.created_at.date()
            if contact <= limit:
                options = ((ARCHIVE, ANONYMISE) if row.status == HouseholdStatus.CLOSED
                           else (CLOSE, ARCHIVE, ANONYMISE))
                found.append(Proposal(row.id, row.name, HouseholdStatus(row.status).value,
                                      contact, options))
        return sorted(found, key=lambda p: (p.last_contact, str(p.household_id)))

    def may_anonymise(self, household_id: uuid.UUID) -> bool:
        """Whether the current user leads this dossier's team (the rule of `team_roles`: a
        lead of one team who is a mediator of another may not anonymise the other's dossiers;
        an admin may not, unless also a lead of the dossier's team)."""
        with self._sessions() as session:
            return self._leads(session, household_id)

    def _leads(self, session: Session, household_id: uuid.UUID) -> bool:
        return leads_dossier(session.connection(), self._actor, household_id)

    def anonymise(self, household_id: uuid.UUID, *, confirmed: bool) -> Anonymised:
        """Blank every personal field of the dossier and close it, after a ``pre-purge``
        backup; logged in the audit trail. ``confirmed``: the person explicitly confirmed this
        irreversible step. Nothing is changed, and no backup taken, when refused.
        Raises AnonymiseDenied (not a lead of the dossier's team), ValidationError (not
        confirmed), NotFound."""
        with self._sessions() as session:
            if not self._leads(session, household_id):
                raise AnonymiseDenied
            if session.get(Household, household_id) is None:
                raise NotFound(str(household_id))
        if not confirmed:
            raise ValidationError("confirmation", _(
                "L'anonymisation d'un dossier doit être confirmée par un responsable d'équipe."))
        if self._backup_before_purge is not None:
            self._backup_before_purge()
        with self._sessions.begin() as session:
            if not self._leads(session, household_id):  # checked in the writing transaction
                raise AnonymiseDenied
            household = session.get(Household, household_id)
            if household is None:
                raise NotFound(str(household_id))
            blanked = anonymise_household(session, household_id)
            household.status = HouseholdStatus.CLOSED
            record(session, ANONYMISE, household_id=household_id)
        with self._sessions.begin() as session:
            compact_search_index(session.connection())
        return Anonymised(household_id, blanked)


def _last_contacts(session: Session) -> dict[uuid.UUID, date]:
    last: dict[uuid.UUID, date] = {}

    def keep(household_id: uuid.UUID, value: Any) -> None:
        if value is None:
            return
        day = value.date() if hasattr(value, "date") and callable(value.date) else value
        if household_id not in last or day > last[household_id]:
            last[household_id] = day

    for household_id, day in session.execute(select(Household.id, Household.last_contact_on)):
        keep(household_id, day)
    for model, column in ((ContactAttempt, ContactAttempt.at),
                          (Interview, Interview.started_at)):
        for household_id, moment in session.execute(
                select(model.household_id, func.max(column)).group_by(model.household_id)):
            keep(household_id, moment)
    return last


def retention_service(workspace: Workspace) -> RetentionService:
    """The retention service over an open workspace's store."""
    return RetentionService(workspace.opened.sessions, workspace.actor.user_id,
                            lambda: workspace.backups.create(PRE_PURGE))
