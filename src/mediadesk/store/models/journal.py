"""Append-only records: contact attempts, notes (with revisions), incidents, consents."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mediadesk.domain.enums import ConsentKind, ContactChannel, ContactOutcome
from mediadesk.store.base import MEDIUM, SHORT, Base, Synced, UtcDateTime, enum_type
from mediadesk.store.privacy import personal


class ContactAttempt(Synced, Base):
    __tablename__ = "contact_attempt"
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    referral_entry_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("referral_entry.id"))
    phone_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("phone.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    channel: Mapped[ContactChannel] = mapped_column(enum_type(ContactChannel))
    outcome: Mapped[ContactOutcome] = mapped_column(enum_type(ContactOutcome))
    next_attempt_on: Mapped[date | None] = mapped_column(Date)
    comment: Mapped[str | None] = mapped_column(Text, info=personal("suivi des prises de contact"))


class Note(Synced, Base):
    """A journal entry. Its text lives in revisions: an edit appends, nothing is overwritten."""

    __tablename__ = "note"
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class NoteRevision(Synced, Base):
    __tablename__ = "note_revision"
    note_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("note.id"), index=True)
    body: Mapped[str] = mapped_column(
        Text, info=personal("journal du dossier (communiqué au droit d'accès)")
    )


class Incident(Synced, Base):
    """A tense or aggressive situation (seed 004, points of vigilance)."""

    __tablename__ = "incident"
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    severity: Mapped[str] = mapped_column(String(20), default="tense")
    anger_target: Mapped[str | None] = mapped_column(SHORT, info=personal("sécurité de l'équipe"))
    handed_over_to: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    visit_in_pairs: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str | None] = mapped_column(Text, info=personal("sécurité de l'équipe"))


class Consent(Synced, Base):
    __tablename__ = "consent"
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[ConsentKind] = mapped_column(enum_type(ConsentKind))
    given_at: Mapped[datetime] = mapped_column(UtcDateTime)
    method: Mapped[str] = mapped_column(String(20), default="oral")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    comment: Mapped[str | None] = mapped_column(MEDIUM, info=personal("preuve du consentement"))
