"""The supplier's weekly list of "fragile" customers, as imported."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from mediadesk.store.base import MEDIUM, SHORT, Base, Synced, UtcDateTime
from mediadesk.store.privacy import LISTING, personal


class ReferralList(Synced, Base):
    __tablename__ = "referral_list"
    partner: Mapped[str] = mapped_column(SHORT)
    received_on: Mapped[date | None] = mapped_column(Date)
    source_name: Mapped[str | None] = mapped_column(MEDIUM)
    imported_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    undone_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ReferralEntry(Synced, Base):
    __tablename__ = "referral_entry"
    list_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral_list.id"), index=True)
    household_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("household.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    customer_ref: Mapped[str | None] = mapped_column(
        String(40), info=personal("rapprocher la ligne du listing d'un foyer", LISTING)
    )
    assigned_to: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[str] = mapped_column(String(30), default="to_contact")
    fields: Mapped[dict[str, str]] = mapped_column(  # the line as sent
        JSON, default=dict, info=personal("la ligne du listing telle qu'envoyée", LISTING)
    )
