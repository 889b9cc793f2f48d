"""The device's teams as the server last named them, with the user's role in each.

The server sends the device's teams (id, name, role) at enrolment and in every sync answer;
`remember_teams` keeps the last list in the store's local settings (written by `SyncService`),
`known_teams` reads it back, so what a team lead may do (`team_roles`: which dossiers they
lead) is known offline too. The server checks again on every request.
Thread: the caller's (a background lane), inside the caller's transaction.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection

from mediadesk.store.local_settings import get_setting, set_setting
from mediadesk.sync.protocol import TeamInfo

TEAMS_SETTING = "sync.teams"  # JSON list of TeamInfo


def remember_teams(conn: Connection, teams: list[TeamInfo]) -> None:
    """Keep the device's teams as the server just named them (at enrolment, after a sync)."""
    set_setting(conn, TEAMS_SETTING, json.dumps([team.model_dump() for team in teams]))


def known_teams(conn: Connection) -> list[TeamInfo]:
    """The device's teams at the last contact with the server, with the user's role in each
    (empty before enrolment, or until the first sync of a device enrolled by an older version)."""
    return remembered_teams(conn) or []


def remembered_teams(conn: Connection) -> list[TeamInfo] | None:
    """Like `known_teams`, but None when the server never named them to this store (never
    enrolled, or enrolled by an older version and not synced since), and an empty list when it
    did and the user belongs to no team any more."""
    value = get_setting(conn, TEAMS_SETTING)
    return None if not value else [TeamInfo.model_validate(team) for team in json.loads(value)]
