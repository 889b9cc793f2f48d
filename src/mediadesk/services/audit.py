"""Reading and pruning the audit trail (team leads): who viewed or changed which dossier.

The trail is written by `mediadesk.store.audit` on every dossier change and view; it names the
table, the row and the household, never the data itself. It is kept 6 to 12 months
(local setting ``audit_retention_months``, 12 by default), then pruned.

Only a team lead reads it, and only about the teams they lead (`team_roles`: the role the
server gave the user working on this installation in each team). `AuditService.events` checks
it on every call and raises `AuditAccessDenied` (a French message) for a user who leads no
team, or asks about a dossier of a team they do not lead. The trail shown is restricted to the
teams they lead: an event counts in its dossier's team when the dossier is on this laptop, else
(a dossier moved away or purged, an event of no dossier such as a prune) in the team it was
recorded in; an event of no dossier and no team (recorded before the laptop joined a team)
names nobody's data and is shown to any lead.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from mediadesk.i18n import _
from mediadesk.services.errors import ValidationError
from mediadesk.services.team_roles import Leadership, leadership, team_of
from mediadesk.store import audit as store_audit
from mediadesk.store.base import utcnow
from mediadesk.store.models import AuditEvent, Household, LocalSetting

if TYPE_CHECKING:
    from mediadesk.services.workspace import Workspace

AUDIT_RETENTION_MONTHS = "audit_retention_months"
DEFAULT_RETENTION_MONTHS = 12
MIN_RETENTION_MONTHS, MAX_RETENTION_MONTHS = 6, 12


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    user_id: uuid.UUID | None
    device_id: uuid.UUID | None
    action: str
    entity: str
    entity_id: uuid.UUID | None
    household_id: uuid.UUID | None


def months_before(moment: datetime, months: int) -> datetime:
    """The same day ``months`` calendar months earlier (clamped to the month's last day)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


def clamp_retention(months: int) -> int:
    return max(MIN_RETENTION_MONTHS, min(MAX_RETENTION_MONTHS, months))


class AuditAccessDenied(ValidationError):
    """The current user may not read the audit trail (only a team lead may)."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__("role", message or _(
            "Le journal d'audit est réservé aux responsables d'équipe : votre rôle ne permet "
            "pas de le consulter."))


class AuditOutsideTeams(AuditAccessDenied):
    """The dossier asked about belongs to a team the current user does not lead."""

    def __init__(self) -> None:
        super().__init__(_(
            "Ce dossier appartient à une équipe dont vous n'êtes pas responsable : son "
            "journal d'audit ne vous est pas accessible."))


class AuditService:
    """Thread: any thread, one call at a time per thread. ``reader`` is the user working on
    this installation (the local identity): reading the trail is checked against their role."""

    def __init__(self, sessions: sessionmaker[Session], reader: uuid.UUID | None) -> None:
        self._sessions = sessions
        self._reader = reader

    def may_read(self) -> bool:
        """Whether the current user may read the trail at all (a lead of at least one team)."""
        with self._sessions() as session:
            return leadership(session.connection(), self._reader).any

    def events(self, household_id: uuid.UUID | None = None,
               since: datetime | None = None) -> list[AuditEntry]:
        """Audit entries of the teams the current user leads (see the module docstring),
        oldest first, optionally about one household and/or since a moment. Raises
        AuditAccessDenied unless they lead a team, AuditOutsideTeams when ``household_id`` is
        a dossier of a team they do not lead."""
        with self._sessions() as session:
            conn = session.connection()
            led = leadership(conn, self._reader)
            if not led.any:
                raise AuditAccessDenied
            if household_id is not None and not led.everywhere:
                team = team_of(conn, household_id)
                if team is not None and not led.leads(team):
                    raise AuditOutsideTeams
            query = (select(AuditEvent)
                     .outerjoin(Household, Household.id == AuditEvent.household_id)
                     .where(AuditEvent.deleted_at.is_(None), _visible(led)))
            if household_id is not None:
                query = query.where(AuditEvent.household_id == household_id)
            if since is not None:
                query = query.where(AuditEvent.at >= since)
            return [_entry(row) for row in session.scalars(
                query.order_by(AuditEvent.at, AuditEvent.created_at))]

    def retention_months(self) -> int:
        with self._sessions() as session:
            row = session.get(LocalSetting, AUDIT_RETENTION_MONTHS)
        try:
            return clamp_retention(int(row.value)) if row else DEFAULT_RETENTION_MONTHS
        except ValueError:
            return DEFAULT_RETENTION_MONTHS

    def set_retention_months(self, months: int) -> int:
        """Store the window, clamped to 6..12 months; the value kept."""
        value = clamp_retention(months)
        with self._sessions.begin() as session:
            row = session.get(LocalSetting, AUDIT_RETENTION_MONTHS)
            if row is None:
                session.add(LocalSetting(key=AUDIT_RETENTION_MONTHS, value=str(value)))
            else:
                row.value = str(value)
        return value

    def prune(self, older_than_months: int | None = None, *, now: datetime | None = None) -> int:
        """Delete the events older than the window (6..12 months; the setting by default).
        The prune itself is logged. Returns the number of events deleted."""
        months = clamp_retention(older_than_months if older_than_months is not None
                                 else self.retention_months())
        cutoff = months_before(now or utcnow(), months)
        with self._sessions.begin() as session:
            count = store_audit.prune_before(session, cutoff)
            store_audit.record(session, "prune", household_id=None, entity="audit_event")
        return count


def _visible(led: Leadership) -> ColumnElement[bool]:
    """SQL (over audit_event outer-joined to its household): the event counts in a team led."""
    if led.everywhere:
        return AuditEvent.id.is_not(None)
    team = func.coalesce(Household.scope_id, AuditEvent.scope_id)
    return or_(team.in_(sorted(led.teams)),
               and_(AuditEvent.household_id.is_(None), AuditEvent.scope_id.is_(None)))


def _entry(row: AuditEvent) -> AuditEntry:
    return AuditEntry(at=row.at, user_id=row.user_id, device_id=row.device_id, action=row.action,
                      entity=row.entity, entity_id=row.entity_id, household_id=row.household_id)


def audit_service(workspace: Workspace) -> AuditService:
    """The audit service over an open workspace's store."""
    return AuditService(workspace.opened.sessions, workspace.actor.user_id)
