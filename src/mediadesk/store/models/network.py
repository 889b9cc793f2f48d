"""The team's network of partners and its collective actions."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mediadesk.domain.enums import PartnerKind
from mediadesk.store.base import MEDIUM, SHORT, Base, Synced, enum_type
from mediadesk.store.privacy import PARTNER, personal


class Partner(Synced, Base):
    __tablename__ = "partner"
    name: Mapped[str] = mapped_column(SHORT, info=personal("annuaire des partenaires", PARTNER))
    kind: Mapped[PartnerKind] = mapped_column(enum_type(PartnerKind))
    body: Mapped[str | None] = mapped_column(SHORT)
    phone: Mapped[str | None] = mapped_column(
        String(40), info=personal("annuaire des partenaires", PARTNER)
    )
    email: Mapped[str | None] = mapped_column(
        SHORT, info=personal("annuaire des partenaires", PARTNER)
    )
    hours: Mapped[str | None] = mapped_column(MEDIUM)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)


class CollectiveAction(Synced, Base):
    """A workshop (eco-gestures, chèque énergie...) counted in activity reports."""

    __tablename__ = "collective_action"
    title: Mapped[str] = mapped_column(SHORT)
    theme: Mapped[str | None] = mapped_column(String(40))
    held_on: Mapped[date] = mapped_column(Date)
    site_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("site.id"))
    attendance: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str | None] = mapped_column(Text)
