"""The work on a dossier: interviews, next steps (actions), orientations, follow-ups."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mediadesk.domain.enums import (
    ActionStatus,
    Actor,
    ContactChannel,
    ContactInitiator,
    InterviewPlace,
    InterviewStatus,
    PartnerKind,
)
from mediadesk.store.base import MEDIUM, Base, Synced, UtcDateTime, enum_type
from mediadesk.store.privacy import personal


class Interview(Synced, Base):
    """One run of the six-step interview. ``answers`` maps field keys to typed values."""

    __tablename__ = "interview"
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    mediator_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    site_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("site.id"))
    place: Mapped[InterviewPlace] = mapped_column(
        enum_type(InterviewPlace), default=InterviewPlace.COUNTER
    )
    initiated_by: Mapped[ContactInitiator | None] = mapped_column(enum_type(ContactInitiator))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[InterviewStatus] = mapped_column(
        enum_type(InterviewStatus), default=InterviewStatus.DRAFT
    )
    current_step: Mapped[str | None] = mapped_column(String(30))
    autonomy_level: Mapped[int | None] = mapped_column(Integer)
    registers: Mapped[list[int]] = mapped_column(JSON, default=list)
    summary: Mapped[str | None] = mapped_column(Text, info=personal("synthèse de l'entretien"))


class InterviewAnswer(Synced, Base):
    """One answer of an interview (key from `mediadesk.interview.FIELDS`, JSON value).

    One row per field, so every keystroke saves one small row and sync merges field by field.
    """

    __tablename__ = "interview_answer"
    __table_args__ = (UniqueConstraint("interview_id", "key"),)
    interview_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("interview.id"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    value: Mapped[Any] = mapped_column(
        JSON, nullable=True,
        info=personal("réponses de l'entretien (codes conservés à l'anonymisation)"),
    )


class Action(Synced, Base):
    """A next step: who must do what by when."""

    __tablename__ = "action"
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    interview_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("interview.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    actor: Mapped[Actor] = mapped_column(enum_type(Actor), default=Actor.HOUSEHOLD)
    description: Mapped[str] = mapped_column(Text, info=personal("prochaines étapes convenues"))
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(
        enum_type(ActionStatus), default=ActionStatus.PLANNED
    )
    done_on: Mapped[date | None] = mapped_column(Date)


class Orientation(Synced, Base):
    """A hand-over to a partner, with a later check that it really happened."""

    __tablename__ = "orientation"
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    interview_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("interview.id"))
    partner_kind: Mapped[PartnerKind] = mapped_column(enum_type(PartnerKind))
    partner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("partner.id"))
    reason: Mapped[str | None] = mapped_column(Text, info=personal("motif (texte libre)"))
    oriented_on: Mapped[date] = mapped_column(Date)
    check_due_on: Mapped[date | None] = mapped_column(Date)
    checked_on: Mapped[date | None] = mapped_column(Date)
    check_outcome: Mapped[str | None] = mapped_column(
        MEDIUM, info=personal("vérifier l'orientation")
    )


class FollowUp(Synced, Base):
    """A scheduled revisit or call. Owned by the team (scope), optionally assigned."""

    __tablename__ = "follow_up"
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[ContactChannel] = mapped_column(
        enum_type(ContactChannel), default=ContactChannel.PHONE
    )
    reason: Mapped[str | None] = mapped_column(Text, info=personal("motif (texte libre)"))
    assigned_to: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
