"""Giving the user of a test workspace a role (the audit trail is for team leads only)."""

from __future__ import annotations

from mediadesk.domain.enums import Role
from mediadesk.services.workspace import Workspace
from mediadesk.store.models import User


def set_role(workspace: Workspace, role: Role) -> None:
    """Make the local user of ``workspace`` a ``role`` (as a team lead's enrolment would)."""
    with workspace.opened.sessions.begin() as session:
        user = session.get(User, workspace.actor.user_id)
        assert user is not None
        user.role = role
