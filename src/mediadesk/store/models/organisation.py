"""Who works: organisation, teams (the sync scopes), sites, users and their devices."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from mediadesk.domain.enums import Role
from mediadesk.store.base import MEDIUM, SHORT, Base, Synced, UtcDateTime, enum_type
from mediadesk.store.privacy import STAFF, personal


class Organisation(Synced, Base):
    __tablename__ = "organisation"
    name: Mapped[str] = mapped_column(SHORT)


class Team(Synced, Base):
    """A team is the sync scope: the unit of authorisation, ordering and re-download."""

    __tablename__ = "team"
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisation.id"))
    name: Mapped[str] = mapped_column(SHORT)


class Site(Synced, Base):
    """A desk where mediators receive people: post office, PIMMS, town hall."""

    __tablename__ = "site"
    name: Mapped[str] = mapped_column(SHORT)
    address: Mapped[str | None] = mapped_column(MEDIUM)
    phone: Mapped[str | None] = mapped_column(String(40))


class User(Synced, Base):
    __tablename__ = "user_account"
    display_name: Mapped[str] = mapped_column(
        SHORT, info=personal("identifier le médiateur", STAFF)
    )
    email: Mapped[str | None] = mapped_column(SHORT, info=personal("joindre le médiateur", STAFF))
    role: Mapped[Role] = mapped_column(enum_type(Role), default=Role.MEDIATOR)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)


class Device(Synced, Base):
    __tablename__ = "device"
    name: Mapped[str] = mapped_column(SHORT)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    enrolled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    server_device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
