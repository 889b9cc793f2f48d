"""Audit events: who viewed or changed which dossier. Append-only; never holds the data itself."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from mediadesk.store.base import Base, Synced, UtcDateTime


class AuditEvent(Synced, Base):
    __tablename__ = "audit_event"
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    action: Mapped[str] = mapped_column(String(20))  # view / create / update / delete / export
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    household_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
