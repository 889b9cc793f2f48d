"""Reste à vivre and payment plans: exact cents, month-end clamping, supplier comparison."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediadesk.interview import (
    Instalment,
    compare_with_supplier,
    propose_plan,
    reste_a_vivre,
)

D = date


@pytest.mark.parametrize(("income", "charges", "size", "total", "per_person", "per_day"), [
    (150_000, 100_000, 2, 50_000, 25_000, 833),
    (100_000, 120_000, 3, -20_000, -6_667, -223),
    (90_000, 90_000, 1, 0, 0, 0),
])
def test_reste_a_vivre_is_income_minus_charges_per_person_rounded_down(
        income: int, charges: int, size: int, total: int, per_person: int, per_day: int) -> None:
    rav = reste_a_vivre(income, charges, size)
    assert (rav.total_cents, rav.per_person_cents, rav.per_person_per_day_cents) == (
        total, per_person, per_day)


@pytest.mark.parametrize(("income", "charges", "size"), [(-1, 0, 1), (0, -1, 1), (1, 1, 0)])
def test_reste_a_vivre_refuses_negative_amounts_and_empty_households(
        income: int, charges: int, size: int) -> None:
    with pytest.raises(ValueError):
        reste_a_vivre(income, charges, size)


@pytest.mark.parametrize(("amount", "start", "capacity", "expected"), [
    (100_000, D(2027, 1, 31), 30_000, [
        (D(2027, 1, 31), 30_000), (D(2027, 2, 28), 30_000),
        (D(2027, 3, 31), 30_000), (D(2027, 4, 30), 10_000)]),
    (60_000, D(2028, 1, 31), 30_000, [(D(2028, 1, 31), 30_000), (D(2028, 2, 29), 30_000)]),
    (25_001, D(2027, 11, 30), 10_000, [
        (D(2027, 11, 30), 10_000), (D(2027, 12, 30), 10_000), (D(2028, 1, 30), 5_001)]),
    (500, D(2027, 5, 5), 10_000, [(D(2027, 5, 5), 500)]),
])
def test_a_plan_pays_the_capacity_each_month_and_the_last_absorbs_the_remainder(
        amount: int, start: date, capacity: int, expected: list[tuple[date, int]]) -> None:
    plan = propose_plan(amount, start, capacity)
    assert [(i.on, i.cents) for i in plan.instalments] == expected
    assert plan.within_capacity


def test_a_plan_longer_than_the_maximum_is_spread_evenly_and_flagged() -> None:
    plan = propose_plan(100_000, D(2027, 1, 1), 1_000, max_months=24)
    assert plan.months == 24
    assert not plan.within_capacity
    assert [i.cents for i in plan.instalments] == [4_166] * 23 + [4_182]
    assert plan.last_on == D(2028, 12, 1)


@pytest.mark.parametrize(("amount", "capacity", "max_months"), [
    (0, 100, 24), (-5, 100, 24), (100, 0, 24), (100, 100, 0),
])
def test_a_plan_refuses_non_positive_inputs(amount: int, capacity: int, max_months: int) -> None:
    with pytest.raises(ValueError):
        propose_plan(amount, D(2027, 1, 1), capacity, max_months=max_months)


@given(
    amount=st.integers(min_value=1, max_value=10_000_000),
    capacity=st.integers(min_value=1, max_value=500_000),
    max_months=st.integers(min_value=1, max_value=60),
    start=st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)),
)
def test_plan_instalments_always_sum_to_the_amount(
        amount: int, capacity: int, max_months: int, start: date) -> None:
    plan = propose_plan(amount, start, capacity, max_months=max_months)
    cents = [i.cents for i in plan.instalments]
    assert sum(cents) == amount
    assert all(c > 0 for c in cents)
    assert plan.months <= max_months
    dates = [i.on for i in plan.instalments]
    assert dates == sorted(set(dates)) and dates[0] == start
    if plan.within_capacity:
        assert all(c == capacity for c in cents[:-1]) and cents[-1] <= capacity
    else:
        assert cents[-1] >= cents[0] and len(set(cents[:-1])) <= 1


def test_a_supplier_plan_above_the_capacity_is_flagged_month_by_month() -> None:
    ours = propose_plan(100_000, D(2027, 2, 1), 25_000)
    comparison = compare_with_supplier(ours, 40_000)
    assert [m.difference_cents for m in comparison.months] == [15_000, 15_000, -5_000, -25_000]
    assert comparison.supplier_exceeds_capacity
    assert comparison.max_excess_cents == 15_000
    assert not comparison.totals_differ


def test_a_supplier_plan_within_the_capacity_is_not_flagged() -> None:
    ours = propose_plan(100_000, D(2027, 2, 1), 25_000)
    comparison = compare_with_supplier(ours, 20_000)
    assert not comparison.supplier_exceeds_capacity
    assert comparison.max_excess_cents == 0
    assert len(comparison.months) == 5


def test_supplier_instalments_for_another_amount_show_the_versions_differ() -> None:
    ours = propose_plan(100_000, D(2027, 2, 1), 50_000)
    theirs = [Instalment(D(2027, 2, 1), 60_000), Instalment(D(2027, 3, 1), 60_000)]
    comparison = compare_with_supplier(ours, theirs)
    assert comparison.totals_differ
    assert (comparison.ours_total_cents, comparison.theirs_total_cents) == (100_000, 120_000)


def test_a_non_positive_supplier_monthly_amount_is_refused() -> None:
    with pytest.raises(ValueError):
        compare_with_supplier(propose_plan(100, D(2027, 1, 1), 50), 0)
