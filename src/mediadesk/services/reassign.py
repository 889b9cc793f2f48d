"""Reassigning a dossier (team leads): another member of the team becomes its referent.

`ReassignService.reassign(household_id, user_id)` sets ``household.referent_id`` in one
transaction with an audit event ``reassign`` (the row change itself is audited as usual); the
change is captured like any edit and syncs to the team's other laptops (the referent is an
important field: a concurrent reassignment elsewhere opens a conflict to review). Only a lead
of the dossier's team may do it (`team_roles`: the role the server gave the user working on
this installation in that team), checked on every call; anyone else gets `ReassignDenied`.
The new referent must be a member of the dossier's team known on this laptop
(`NotATeamMember` otherwise).
Thread: any thread, one call at a time per thread (the UI runs it on the writer lane).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from mediadesk.i18n import _
from mediadesk.services.errors import NotFound, ValidationError
from mediadesk.services.team_roles import leadership, leads_dossier
from mediadesk.store import audit as store_audit
from mediadesk.store.models import Household, User

if TYPE_CHECKING:
    from mediadesk.services.workspace import Workspace

REASSIGN_ACTION = "reassign"


class ReassignDenied(ValidationError):
    """The current user may not reassign this dossier (only a lead of its team may)."""

    def __init__(self) -> None:
        super().__init__("role", _(
            "Seul un responsable d'équipe peut changer le référent d'un dossier, et seulement "
            "pour les dossiers des équipes dont il est responsable."))


class NotATeamMember(ValidationError):
    """The chosen person is not (or no longer) a member of the dossier's team."""

    def __init__(self) -> None:
        super().__init__("referent", _(
            "Cette personne ne fait pas partie de l'équipe du dossier : choisissez un autre "
            "membre de l'équipe."))


@dataclass(frozen=True)
class Member:
    id: uuid.UUID
    name: str
    role: str


@dataclass(frozen=True)
class ReferentChoice:
    """What the reassign dialog shows: the dossier, its referent now, the team's members."""

    household_id: uuid.UUID
    household_name: str
    current: uuid.UUID | None
    members: tuple[Member, ...]


@dataclass(frozen=True)
class Reassigned:
    household_id: uuid.UUID
    previous: uuid.UUID | None
    referent: uuid.UUID


class ReassignService:
    """``actor`` is the user working on this installation (the local identity)."""

    def __init__(self, sessions: sessionmaker[Session], actor: uuid.UUID | None) -> None:
        self._sessions = sessions
        self._actor = actor

    def may_reassign(self, household_id: uuid.UUID | None = None) -> bool:
        """Whether the current user may reassign this dossier (a lead of its team), or without
        one, some dossier (a lead of at least one team): the rule of `team_roles` (a lead of
        one team who is a mediator of another may not reassign the other's dossiers; an admin
        may not, unless also a lead of the dossier's team)."""
        with self._sessions() as session:
            return self._leads(session, household_id)

    def _leads(self, session: Session, household_id: uuid.UUID | None) -> bool:
        conn = session.connection()
        if household_id is None:
            return leadership(conn, self._actor).any
        return leads_dossier(conn, self._actor, household_id)

    def choices(self, household_id: uuid.UUID) -> ReferentChoice:
        """The dossier's referent and its team's members, by name. Raises ReassignDenied,
        NotFound."""
        if not self.may_reassign(household_id):
            raise ReassignDenied
        with self._sessions() as session:
            household = _household(session, household_id)
            return ReferentChoice(household.id, household.name, household.referent_id,
                                  tuple(_members(session, household.scope_id)))

    def reassign(self, household_id: uuid.UUID, user_id: uuid.UUID) -> Reassigned:
        """Make ``user_id`` the dossier's referent, with an audit event. Raises
        ReassignDenied (not a team lead), NotATeamMember, NotFound."""
        if self._actor is None:
            raise ReassignDenied
        with self._sessions.begin() as session:
            if not self._leads(session, household_id):  # checked in the writing transaction
                raise ReassignDenied
            household = _household(session, household_id)
            if user_id not in {m.id for m in _members(session, household.scope_id)}:
                raise NotATeamMember
            previous = household.referent_id
            if previous != user_id:
                household.referent_id = user_id
                store_audit.record(session, REASSIGN_ACTION, household_id=household.id)
        return Reassigned(household_id, previous, user_id)


def _household(session: Session, household_id: uuid.UUID) -> Household:
    household = session.get(Household, household_id)
    if household is None or household.deleted_at is not None:
        raise NotFound(str(household_id))
    return household


def _members(session: Session, team: uuid.UUID | None) -> list[Member]:
    rows = session.scalars(select(User).where(User.scope_id == team, User.deleted_at.is_(None))
                           .order_by(User.display_name))
    return [Member(user.id, user.display_name or user.email or str(user.id), str(user.role))
            for user in rows]


def reassign_service(workspace: Workspace) -> ReassignService:
    """The reassign service over an open workspace's store."""
    return ReassignService(workspace.opened.sessions, workspace.actor.user_id)
