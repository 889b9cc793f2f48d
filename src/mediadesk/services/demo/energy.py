"""Demo energy contracts of a household, their debts and payment plans with instalments."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from mediadesk.services.demo.draw import HISTORY_DAYS, Draw, HouseholdContext, Rows
from mediadesk.services.demo.vocabulary import DEBT_DESCRIPTIONS, REFERENCE_FORMATS, SUPPLIERS


def add_energy(draw: Draw, rows: Rows, ctx: HouseholdContext) -> None:
    rng = draw.rng
    energies = ["electricity"] + (["gas"] if rng.random() < 0.45 else []) + (
        ["water"] if rng.random() < 0.08 else [])
    for energy in energies:
        supplier = rng.pick(SUPPLIERS[energy])
        prefix, digits = REFERENCE_FORMATS[supplier]
        electricity = energy == "electricity"
        contract = draw.row(
            draw.moment(ctx.first_day), household_id=ctx.hh_id, supplier=supplier,
            energy=energy, customer_ref=prefix + draw.digits(digits),
            meter_point=draw.digits(14) if energy != "water" else None,  # PDL / PCE
            linky=rng.random() < 0.88 if electricity else None,
            subscribed_kva=rng.pick((3, 6, 6, 6, 9, 9, 12)) if electricity else None,
            energy_voucher_attestation_sent=rng.random() < 0.3, main_residence=True)
        rows["energy_contract"].append(contract)
        ctx.suppliers.append(supplier)
        for _ in range(rng.pick((0, 1, 1, 1, 2)) if energy != "water" else 1):
            _debt(draw, rows, ctx, contract)

def _debt(draw: Draw, rows: Rows, ctx: HouseholdContext, contract: dict[str, Any]) -> None:
    rng = draw.rng
    amount = int(min(max(rng.lognormvariate(11.3, 0.8), 3_000), 900_000))  # cents
    bill = max(ctx.first_day - timedelta(days=rng.between(15, 120)),
               draw.today - timedelta(days=HISTORY_DAYS))
    period_end = bill - timedelta(days=rng.between(5, 20))
    contested = rng.random() < 0.12
    debt = draw.row(
        draw.moment(ctx.first_day), household_id=ctx.hh_id, contract_id=contract["id"],
        amount_cents=amount, supplier_amount_cents=amount,
        household_amount_cents=(amount - rng.below(amount // 2) if contested else amount)
        if rng.random() < 0.7 else None,
        period_start=period_end - timedelta(days=rng.pick((30, 61, 182, 365))),
        period_end=period_end, bill_date=bill, contested=contested,
        description=rng.pick(DEBT_DESCRIPTIONS))
    rows["debt"].append(debt)
    ctx.amounts.append(amount)
    if rng.random() < 0.35:
        _plan(draw, rows, ctx, debt)

def _plan(draw: Draw, rows: Rows, ctx: HouseholdContext, debt: dict[str, Any]) -> None:
    rng = draw.rng
    total = debt["amount_cents"]
    start = ctx.first_day + timedelta(days=7 + rng.below(50))
    count = rng.pick((3, 4, 6, 6, 6, 10, 12))
    status = rng.pick(("proposed", "agreed", "ongoing", "ongoing", "completed", "broken"))
    plan = draw.row(draw.moment(ctx.first_day), household_id=ctx.hh_id, debt_id=debt["id"],
                     total_cents=total, start_on=start, status=status,
                     proposed_by=rng.pick(("supplier", "mediator")),
                     agreed_on=None if status == "proposed" else start - timedelta(days=5))
    rows["payment_plan"].append(plan)
    ctx.plan_months.append(count)
    base, remainder = divmod(total, count)
    broken_at = rng.between(1, count) if status == "broken" else count
    for position in range(count):
        due = start + timedelta(days=30 * position)
        amount = base + (remainder if position == count - 1 else 0)
        paid = status != "proposed" and due <= draw.today and position < broken_at
        rows["instalment"].append(draw.row(
            plan["created_at"], plan_id=plan["id"], position=position, due_on=due,
            amount_cents=amount,
            paid_on=min(due + timedelta(days=rng.between(-3, 8)), draw.today)
            if paid else None,
            paid_cents=amount if paid else None))
