"""Stamp every synced row with who changed it, from which device, for which team (scope).

Installed once on the sessionmaker, so no repository or service can forget it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from mediadesk.store.base import Synced, utcnow


@dataclass(frozen=True)
class Actor:
    user_id: uuid.UUID | None
    device_id: uuid.UUID | None
    team_id: uuid.UUID | None


def install_stamping(sessions: sessionmaker[Session], actor: Actor) -> None:
    @event.listens_for(sessions, "before_flush")
    def _stamp(session: Session, _context: Any, _instances: Any) -> None:
        now = utcnow()
        for obj in session.new:
            if isinstance(obj, Synced):
                obj.created_by = obj.created_by or actor.user_id
                obj.created_on_device = obj.created_on_device or actor.device_id
                obj.updated_by = obj.updated_by or actor.user_id
                obj.updated_on_device = obj.updated_on_device or actor.device_id
                if obj.scope_id is None:
                    obj.scope_id = actor.team_id
        for obj in session.dirty:
            if isinstance(obj, Synced) and session.is_modified(obj, include_collections=False):
                obj.updated_at = now
                obj.updated_by = actor.user_id
                obj.updated_on_device = actor.device_id
                obj.version = (obj.version or 0) + 1
