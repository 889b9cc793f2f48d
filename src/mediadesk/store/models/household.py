"""The household (foyer), its members, phones and spoken languages."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediadesk.domain.enums import HouseholdStatus, MemberRole, OutcomeCode, PhoneStatus
from mediadesk.store.base import MEDIUM, SHORT, Base, Synced, enum_type
from mediadesk.store.privacy import personal


class Household(Synced, Base):
    __tablename__ = "household"
    name: Mapped[str] = mapped_column(SHORT, info=personal("identifier le foyer et le retrouver"))
    street: Mapped[str | None] = mapped_column(
        MEDIUM, info=personal("courriers et visites à domicile")
    )
    address_extra: Mapped[str | None] = mapped_column(
        MEDIUM, info=personal("courriers et visites à domicile")
    )
    postal_code: Mapped[str | None] = mapped_column(
        String(10),
        info=personal("adresse ; statistiques par territoire (conservé à l'anonymisation)",
                      anonymise=False),
    )
    city: Mapped[str | None] = mapped_column(
        SHORT, info=personal("courriers et visites à domicile")
    )
    email: Mapped[str | None] = mapped_column(SHORT, info=personal("joindre le foyer"))
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    referent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    site_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("site.id"))
    vulnerability_flags: Mapped[list[str]] = mapped_column(
        JSON, default=list,
        info=personal("adapter l'accompagnement ; statistiques (conservé à l'anonymisation)",
                      anonymise=False),
    )
    status: Mapped[HouseholdStatus] = mapped_column(
        enum_type(HouseholdStatus), default=HouseholdStatus.OPEN
    )
    outcome: Mapped[OutcomeCode | None] = mapped_column(enum_type(OutcomeCode))
    last_contact_on: Mapped[date | None] = mapped_column(Date)
    # Incremented integer key of the household's row in the full-text index (see store.search).
    search_rowid: Mapped[int | None] = mapped_column(Integer, unique=True)

    members: Mapped[list[Person]] = relationship(
        back_populates="household", order_by="Person.position", lazy="selectin"
    )
    phones: Mapped[list[Phone]] = relationship(
        back_populates="household", order_by="Phone.position", lazy="selectin"
    )
    languages: Mapped[list[HouseholdLanguage]] = relationship(
        back_populates="household", lazy="selectin"
    )


class Person(Synced, Base):
    __tablename__ = "person"
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    first_name: Mapped[str] = mapped_column(
        SHORT, default="", info=personal("identifier les membres du foyer")
    )
    last_name: Mapped[str] = mapped_column(
        SHORT, default="", info=personal("identifier les membres du foyer")
    )
    role: Mapped[MemberRole] = mapped_column(enum_type(MemberRole), default=MemberRole.HOLDER)
    birth_year: Mapped[int | None] = mapped_column(
        Integer, info=personal("statistiques par âge (conservé à l'anonymisation)", anonymise=False)
    )
    notes: Mapped[str | None] = mapped_column(Text, info=personal("observations du médiateur"))
    household: Mapped[Household] = relationship(back_populates="members")


class Phone(Synced, Base):
    __tablename__ = "phone"
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    person_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    position: Mapped[int] = mapped_column(Integer, default=0)
    number: Mapped[str] = mapped_column(  # E.164 when it parses, else as typed
        String(40), info=personal("joindre le foyer")
    )
    status: Mapped[PhoneStatus] = mapped_column(
        enum_type(PhoneStatus), default=PhoneStatus.UNVERIFIED
    )
    household: Mapped[Household] = relationship(back_populates="phones")


class HouseholdLanguage(Synced, Base):
    """One language spoken in the household (a set element, merged by causal length in sync)."""

    __tablename__ = "household_language"
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    language: Mapped[str] = mapped_column(  # BCP 47 code: fr, ar, tr, ff...
        String(12),
        info=personal("documents dans la langue du foyer ; statistiques", anonymise=False),
    )
    household: Mapped[Household] = relationship(back_populates="languages")
