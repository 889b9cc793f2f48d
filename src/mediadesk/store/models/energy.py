"""Energy contracts, debts and payment plans (money in integer cents)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mediadesk.domain.enums import Energy, PaymentPlanStatus
from mediadesk.store.base import SHORT, Base, Synced, enum_type
from mediadesk.store.privacy import personal


class EnergyContract(Synced, Base):
    __tablename__ = "energy_contract"
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    supplier: Mapped[str] = mapped_column(SHORT)
    energy: Mapped[Energy] = mapped_column(enum_type(Energy), default=Energy.ELECTRICITY)
    customer_ref: Mapped[str | None] = mapped_column(
        String(40), index=True, info=personal("échanger avec le fournisseur")
    )
    meter_point: Mapped[str | None] = mapped_column(  # PDL / PCE
        String(40), index=True, info=personal("échanger avec le fournisseur et Enedis")
    )
    linky: Mapped[bool | None] = mapped_column(Boolean)
    subscribed_kva: Mapped[int | None] = mapped_column(Integer)
    energy_voucher_attestation_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    main_residence: Mapped[bool] = mapped_column(Boolean, default=True)


class Debt(Synced, Base):
    __tablename__ = "debt"
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    contract_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("energy_contract.id"))
    amount_cents: Mapped[int] = mapped_column(
        Integer, info=personal("négocier un échéancier ; statistiques", anonymise=False)
    )
    supplier_amount_cents: Mapped[int | None] = mapped_column(Integer)
    household_amount_cents: Mapped[int | None] = mapped_column(Integer)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    bill_date: Mapped[date | None] = mapped_column(Date)
    contested: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str | None] = mapped_column(Text, info=personal("comprendre la dette"))


class PaymentPlan(Synced, Base):
    """An échéancier: negotiated instalments for a debt."""

    __tablename__ = "payment_plan"
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    debt_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("debt.id"))
    total_cents: Mapped[int] = mapped_column(Integer)
    start_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[PaymentPlanStatus] = mapped_column(
        enum_type(PaymentPlanStatus), default=PaymentPlanStatus.PROPOSED
    )
    proposed_by: Mapped[str | None] = mapped_column(String(20))  # supplier / mediator
    agreed_on: Mapped[date | None] = mapped_column(Date)


class Instalment(Synced, Base):
    __tablename__ = "instalment"
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payment_plan.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Integer)
    paid_on: Mapped[date | None] = mapped_column(Date)
    paid_cents: Mapped[int | None] = mapped_column(Integer)
