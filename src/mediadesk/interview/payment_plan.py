"""Reste à vivre and payment plans (échéanciers), in integer cents.

Contracts: amounts are integer cents; a plan's instalments always sum exactly to its amount;
monthly dates are computed from the start day and clamped to the month end (31 Jan, 28/29 Feb,
31 Mar...), so they never drift.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from mediadesk.interview.dates import add_months

DAYS_PER_MONTH = 30
"""Days used for a "per day" reste à vivre (the usual social-work convention)."""


@dataclass(frozen=True)
class ResteAVivre:
    """What is left each month once the fixed charges are paid (may be negative)."""

    total_cents: int
    per_person_cents: int
    per_person_per_day_cents: int


def reste_a_vivre(income_cents: int, charges_cents: int, household_size: int) -> ResteAVivre:
    """Monthly income minus monthly charges, overall, per person and per person per day.

    Divisions round toward minus infinity (a negative remainder is never shown as better than
    it is). Raises ValueError for negative amounts or a household of fewer than one person.
    """
    if income_cents < 0 or charges_cents < 0:
        raise ValueError("income and charges must not be negative")
    if household_size < 1:
        raise ValueError(f"a household has at least one person, got {household_size}")
    total = income_cents - charges_cents
    per_person = total // household_size
    return ResteAVivre(total, per_person, per_person // DAYS_PER_MONTH)


@dataclass(frozen=True)
class Instalment:
    on: date
    cents: int


@dataclass(frozen=True)
class Plan:
    """A schedule of monthly instalments.

    ``within_capacity`` is False when the debt could not be paid within ``max_months`` at the
    household's capacity: the plan is then spread evenly over ``max_months`` and exceeds it.
    """

    amount_cents: int
    monthly_capacity_cents: int
    instalments: tuple[Instalment, ...]
    within_capacity: bool

    @property
    def months(self) -> int:
        return len(self.instalments)

    @property
    def monthly_cents(self) -> int:
        """The regular instalment (the first one)."""
        return self.instalments[0].cents

    @property
    def last_on(self) -> date:
        return self.instalments[-1].on


def monthly_dates(start: date, count: int) -> tuple[date, ...]:
    """``count`` monthly dates from ``start``, each clamped to its month end."""
    return tuple(add_months(start, i) for i in range(count))


def _schedule(amount: int, start: date, regular: int, count: int) -> tuple[Instalment, ...]:
    amounts = [regular] * (count - 1) + [amount - regular * (count - 1)]
    return tuple(Instalment(on, cents) for on, cents in zip(monthly_dates(start, count), amounts,
                                                             strict=True))


def propose_plan(
    amount_cents: int, start: date, monthly_capacity_cents: int, *, max_months: int = 24
) -> Plan:
    """The plan the mediator can defend: the household's capacity each month, the last
    instalment absorbing the remainder (never more than the capacity).

    When that would take more than ``max_months``, the amount is spread over ``max_months``
    (equal instalments, the last absorbing the remainder) and ``within_capacity`` is False.
    Raises ValueError for a non-positive amount, capacity or ``max_months``.
    """
    if amount_cents <= 0:
        raise ValueError(f"amount must be positive, got {amount_cents}")
    if monthly_capacity_cents <= 0:
        raise ValueError(f"monthly capacity must be positive, got {monthly_capacity_cents}")
    if max_months < 1:
        raise ValueError(f"max_months must be at least 1, got {max_months}")
    months = -(-amount_cents // monthly_capacity_cents)
    if months <= max_months:
        instalments = _schedule(amount_cents, start, monthly_capacity_cents, months)
        return Plan(amount_cents, monthly_capacity_cents, instalments, True)
    instalments = _schedule(amount_cents, start, amount_cents // max_months, max_months)
    return Plan(amount_cents, monthly_capacity_cents, instalments, False)


@dataclass(frozen=True)
class MonthComparison:
    """Month ``index`` (0-based): our instalment, the supplier's, theirs minus ours."""

    index: int
    ours_cents: int
    theirs_cents: int

    @property
    def difference_cents(self) -> int:
        return self.theirs_cents - self.ours_cents


@dataclass(frozen=True)
class Comparison:
    """Our plan against the supplier's, month by month (a missing month counts as 0)."""

    months: tuple[MonthComparison, ...]
    capacity_cents: int
    ours_total_cents: int
    theirs_total_cents: int

    @property
    def supplier_exceeds_capacity(self) -> bool:
        return any(m.theirs_cents > self.capacity_cents for m in self.months)

    @property
    def max_excess_cents(self) -> int:
        """The largest amount by which a supplier instalment exceeds the capacity (0 if none)."""
        return max([0, *(m.theirs_cents - self.capacity_cents for m in self.months)])

    @property
    def totals_differ(self) -> bool:
        """True when the two plans do not settle the same debt (versions to reconcile)."""
        return self.ours_total_cents != self.theirs_total_cents


def compare_with_supplier(plan: Plan, supplier: int | Sequence[Instalment]) -> Comparison:
    """Compare ``plan`` with the supplier's proposal.

    ``supplier`` is either their monthly amount (the same debt, from the same start, the last
    month absorbing the remainder) or their instalments in order. Raises ValueError for a
    non-positive monthly amount.
    """
    if isinstance(supplier, int):
        if supplier <= 0:
            raise ValueError(f"supplier monthly amount must be positive, got {supplier}")
        months = -(-plan.amount_cents // supplier)
        theirs = [i.cents for i in _schedule(plan.amount_cents, plan.instalments[0].on,
                                             supplier, months)]
    else:
        theirs = [i.cents for i in supplier]
    ours = [i.cents for i in plan.instalments]
    count = max(len(ours), len(theirs))
    ours += [0] * (count - len(ours))
    theirs += [0] * (count - len(theirs))
    rows = tuple(MonthComparison(i, o, t) for i, (o, t) in enumerate(zip(ours, theirs,
                                                                        strict=True)))
    return Comparison(rows, plan.monthly_capacity_cents, sum(ours), sum(theirs))
