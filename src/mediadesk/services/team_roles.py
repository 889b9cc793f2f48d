"""Who leads which dossiers on this laptop: the one rule behind every team-lead power.

A person has team-lead powers over a dossier (review its conflicts in the team queue and in
bulk, read its audit trail, reassign it, move it to another team) when their role *in the
dossier's team* is ``team_lead``. The roles are the ones the server gave per team at the last
contact (`sync_teams.remembered_teams`): a lead of one team who is a mediator of another leads
only the first team's dossiers. Before the server ever named them (a store never enrolled, or
enrolled by an older version and not synced since), the local user's role stands, over every
dossier of the laptop (such a store only holds its own team's work).

The admin role gives no dossier powers on a laptop: the admin enrols and revokes laptops and
manages teams on the server (``mediadesk-server admin ...``); an admin who must act on a team's
dossiers is made its team lead there. Without a dossier ("may see the team queue, read the
trail at all"), the question is whether the person leads at least one team, and what they are
then shown is restricted to the teams they lead (`Leadership.leads`). The server applies the
same rule to the moves it is asked for (`sync.server.service`: a lead of both teams).

Functions take a Connection inside the caller's transaction (read only).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Connection, select

from mediadesk.domain.enums import Role
from mediadesk.services.sync_teams import remembered_teams
from mediadesk.store.models import Household, User
from mediadesk.sync.protocol import TeamInfo

LEAD_ROLE = Role.TEAM_LEAD


def is_lead(role: str | None) -> bool:
    """Whether a role (in a team, or the local user's before any sync) gives lead powers."""
    return role == LEAD_ROLE


@dataclass(frozen=True)
class Leadership:
    """The teams a person leads here. ``everywhere``: no roles from the server yet and the local
    user is a team lead, so every dossier of the laptop counts as theirs."""

    teams: frozenset[uuid.UUID] = frozenset()
    everywhere: bool = False

    @property
    def any(self) -> bool:
        """Whether they lead at least one team (the team-wide views are open to them)."""
        return self.everywhere or bool(self.teams)

    def leads(self, team: uuid.UUID | None) -> bool:
        """Whether they lead ``team`` (a dossier's, a record's ``scope_id``)."""
        return self.everywhere or (team is not None and team in self.teams)


NOBODY = Leadership()


def leadership(conn: Connection, user_id: uuid.UUID | None) -> Leadership:
    """The teams ``user_id`` (the user working on this installation, None: nobody) leads."""
    if user_id is None:
        return NOBODY
    teams = remembered_teams(conn)
    if teams is None:  # the server never named the roles here: the local role stands
        role = conn.execute(select(User.role).where(
            User.id == user_id, User.deleted_at.is_(None))).scalar()
        return Leadership(everywhere=True) if is_lead(role) else NOBODY
    return Leadership(frozenset(_team_id(team) for team in led_teams(teams)))


def led_teams(teams: list[TeamInfo]) -> list[TeamInfo]:
    """Those of ``teams`` (the server's list, `sync_teams.known_teams`) the user leads."""
    return [team for team in teams if is_lead(team.role)]


def team_of(conn: Connection, household_id: uuid.UUID) -> uuid.UUID | None:
    """The team of a dossier present on this laptop (None: unknown here, or of no team)."""
    return conn.execute(select(Household.scope_id).where(Household.id == household_id)).scalar()


def leads_dossier(conn: Connection, user_id: uuid.UUID | None,
                  household_id: uuid.UUID) -> bool:
    """Whether ``user_id`` leads the team of this dossier (a dossier unknown here is of no
    team: only a lead ``everywhere`` leads it, and will find it missing)."""
    return leadership(conn, user_id).leads(team_of(conn, household_id))


def _team_id(team: TeamInfo) -> uuid.UUID:
    return uuid.UUID(hex=team.id)
