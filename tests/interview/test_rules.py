"""Energy-law date rules, table-driven around the edges: 31 Oct, 1 Nov, 31 Mar, 1 Apr, 29 Feb."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediadesk.interview import (
    RULES,
    NoticeEvent,
    energy_voucher_valid_until,
    ombudsman_window,
    power_limit_during_truce,
    truce_status,
    unpaid_notice_timeline,
)
from mediadesk.interview.dates import add_months
from mediadesk.interview.rules import (
    WindowStatus,
    earliest_cut,
    event_title,
    fsl_aid_recent,
    in_truce,
    minimum_power_regime_applies,
    truce_information_due,
)

D = date
days = st.dates(min_value=D(2001, 1, 1), max_value=D(2098, 12, 31))


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2027, 1, 31), 1, D(2027, 2, 28)),
    (D(2028, 1, 31), 1, D(2028, 2, 29)),
    (D(2028, 2, 29), 12, D(2029, 2, 28)),
    (D(2027, 12, 15), 1, D(2028, 1, 15)),
    (D(2028, 1, 31), -2, D(2027, 11, 30)),
    (D(2027, 11, 30), 3, D(2028, 2, 29)),
])
def test_adding_months_clamps_to_the_end_of_the_month(
        day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(("day", "in_it", "first", "last", "remaining", "until_start"), [
    (D(2027, 10, 31), False, D(2027, 11, 1), D(2028, 3, 31), None, 1),
    (D(2027, 11, 1), True, D(2027, 11, 1), D(2028, 3, 31), 152, None),
    (D(2027, 12, 31), True, D(2027, 11, 1), D(2028, 3, 31), 92, None),
    (D(2028, 1, 1), True, D(2027, 11, 1), D(2028, 3, 31), 91, None),
    (D(2028, 2, 29), True, D(2027, 11, 1), D(2028, 3, 31), 32, None),
    (D(2028, 3, 31), True, D(2027, 11, 1), D(2028, 3, 31), 1, None),
    (D(2028, 4, 1), False, D(2028, 11, 1), D(2029, 3, 31), None, 214),
    (D(2027, 3, 31), True, D(2026, 11, 1), D(2027, 3, 31), 1, None),
])
def test_the_winter_truce_runs_from_1_november_to_31_march_inclusive(
        day: date, in_it: bool, first: date, last: date, remaining: int | None,
        until_start: int | None) -> None:
    status = truce_status(day)
    assert (status.in_truce, status.first_day, status.last_day) == (in_it, first, last)
    assert (status.days_remaining, status.days_until_start) == (remaining, until_start)
    assert status.first_day_after == last + timedelta(days=1)


@given(days)
def test_the_truce_is_exactly_the_months_november_to_march(day: date) -> None:
    assert in_truce(day) == (day.month in (11, 12, 1, 2, 3))


@pytest.mark.parametrize(("day", "due"), [
    (D(2027, 10, 31), False), (D(2027, 11, 1), True), (D(2028, 3, 15), True),
    (D(2028, 3, 16), False), (D(2028, 3, 31), False),
])
def test_suppliers_inform_about_the_truce_from_1_november_to_15_march(
        day: date, due: bool) -> None:
    assert truce_information_due(day) is due


BASE, NEW = False, True


@pytest.mark.parametrize(("bill", "regime", "main", "cut"), [
    (D(2027, 6, 1), BASE, True, D(2027, 7, 20)),       # 14 + 15 + 20 days
    (D(2027, 9, 12), BASE, True, D(2027, 10, 31)),     # last day before the truce
    (D(2027, 9, 13), BASE, True, D(2028, 4, 1)),       # would be 1 Nov: pushed to 1 April
    (D(2027, 9, 13), BASE, False, D(2027, 11, 1)),     # no truce for a secondary home
    (D(2028, 2, 10), BASE, True, D(2028, 4, 1)),       # 30 March in the truce
    (D(2028, 2, 29), BASE, True, D(2028, 4, 18)),      # leap day bill
    (D(2027, 12, 31), BASE, True, D(2028, 4, 1)),      # across the new year
    (D(2027, 6, 1), NEW, True, D(2027, 9, 18)),        # + 60 days at 1 kVA
    (D(2027, 8, 1), NEW, True, D(2028, 4, 1)),         # notice ends in the truce
    (D(2027, 9, 1), NEW, True, D(2028, 5, 19)),        # 60 days paused by the truce
    (D(2027, 12, 15), NEW, True, D(2028, 6, 20)),      # reduction waits for 1 April
    (D(2027, 9, 1), NEW, False, D(2027, 12, 19)),      # secondary home: no pause
])
def test_the_earliest_cut_date_follows_the_decrees_and_the_truce(
        bill: date, regime: bool, main: bool, cut: date) -> None:
    timeline = unpaid_notice_timeline(bill, minimum_power_regime=regime, main_residence=main)
    assert earliest_cut(timeline) == cut


def test_the_base_timeline_lists_each_step_of_decree_2008_780() -> None:
    timeline = unpaid_notice_timeline(D(2027, 6, 1), minimum_power_regime=False)
    assert [(e.on, e.event) for e in timeline] == [
        (D(2027, 6, 1), NoticeEvent.BILL_ISSUED),
        (D(2027, 6, 15), NoticeEvent.PAYMENT_DEADLINE),
        (D(2027, 6, 30), NoticeEvent.REMINDER_DEADLINE),
        (D(2027, 6, 30), NoticeEvent.CUT_NOTICE),
        (D(2027, 7, 20), NoticeEvent.CUT_POSSIBLE),
    ]


def test_the_2023_timeline_marks_the_60_days_and_a_postponed_cut() -> None:
    timeline = unpaid_notice_timeline(D(2027, 8, 1), minimum_power_regime=True)
    assert [(e.on, e.event) for e in timeline][3:] == [
        (D(2027, 8, 30), NoticeEvent.MINIMUM_POWER_FROM),
        (D(2027, 10, 29), NoticeEvent.MINIMUM_POWER_UNTIL),
        (D(2027, 10, 29), NoticeEvent.CUT_NOTICE),
        (D(2027, 11, 18), NoticeEvent.CUT_POSTPONED_BY_TRUCE),
        (D(2028, 4, 1), NoticeEvent.CUT_POSSIBLE),
    ]
    assert event_title(NoticeEvent.CUT_POSSIBLE) == "Coupure possible au plus tôt"


@given(days, st.booleans())
def test_a_cut_at_a_main_residence_never_falls_in_the_truce(bill: date, regime: bool) -> None:
    timeline = unpaid_notice_timeline(bill, minimum_power_regime=regime)
    assert not in_truce(earliest_cut(timeline))
    assert [e.on for e in timeline] == sorted(e.on for e in timeline)


@given(days)
def test_the_2023_regime_never_brings_a_cut_earlier(bill: date) -> None:
    base = earliest_cut(unpaid_notice_timeline(bill, minimum_power_regime=False))
    new = earliest_cut(unpaid_notice_timeline(bill, minimum_power_regime=True))
    assert new >= base + timedelta(days=RULES.minimum_power_days) or new.month == 4


@pytest.mark.parametrize(("voucher_or_fsl", "linky", "day", "applies"), [
    (True, True, D(2023, 3, 31), False),
    (True, True, D(2023, 4, 1), True),
    (False, True, D(2027, 1, 1), False),
    (True, False, D(2027, 1, 1), False),
])
def test_the_minimum_power_regime_needs_an_aid_a_linky_and_1_april_2023(
        voucher_or_fsl: bool, linky: bool, day: date, applies: bool) -> None:
    assert minimum_power_regime_applies(
        had_voucher_or_fsl=voucher_or_fsl, has_linky=linky, day=day) is applies


@pytest.mark.parametrize(("kva", "attestation", "limit"), [
    (12, False, 3), (9, False, 3), (6, False, 3), (5, False, 2), (3, False, 2),
    (2, False, 2), (1, False, 1), (9, True, None), (3, True, None),
])
def test_power_may_be_reduced_in_the_truce_unless_the_attestation_was_sent(
        kva: int, attestation: bool, limit: int | None) -> None:
    assert power_limit_during_truce(kva, attestation) == limit


def test_a_non_positive_subscribed_power_is_refused() -> None:
    with pytest.raises(ValueError):
        power_limit_during_truce(0, False)


@pytest.mark.parametrize(("year", "until"), [
    (2025, D(2026, 3, 31)), (2027, D(2028, 3, 31)), (2028, D(2029, 3, 31)),
])
def test_a_cheque_energie_is_valid_until_31_march_of_the_next_year(
        year: int, until: date) -> None:
    assert energy_voucher_valid_until(year) == until


@pytest.mark.parametrize(("complaint", "earliest", "latest"), [
    (D(2027, 1, 15), D(2027, 3, 15), D(2028, 1, 15)),
    (D(2027, 12, 31), D(2028, 2, 29), D(2028, 12, 31)),
    (D(2026, 12, 31), D(2027, 2, 28), D(2027, 12, 31)),
    (D(2028, 2, 29), D(2028, 4, 29), D(2029, 2, 28)),
    (D(2027, 10, 31), D(2027, 12, 31), D(2028, 10, 31)),
])
def test_the_mediateur_can_be_seized_from_2_months_to_12_months_after_the_complaint(
        complaint: date, earliest: date, latest: date) -> None:
    window = ombudsman_window(complaint)
    assert (window.earliest, window.latest) == (earliest, latest)


@pytest.mark.parametrize(("day", "status"), [
    (D(2027, 3, 14), WindowStatus.TOO_EARLY),
    (D(2027, 3, 15), WindowStatus.OPEN),
    (D(2028, 1, 15), WindowStatus.OPEN),
    (D(2028, 1, 16), WindowStatus.EXPIRED),
])
def test_the_mediateur_window_includes_both_ends(day: date, status: WindowStatus) -> None:
    assert ombudsman_window(D(2027, 1, 15)).status(day) is status


@pytest.mark.parametrize(("last_aid", "day", "recent"), [
    (D(2027, 1, 31), D(2028, 1, 30), True),
    (D(2027, 1, 31), D(2028, 1, 31), False),
    (D(2028, 2, 29), D(2029, 2, 27), True),
    (D(2028, 2, 29), D(2029, 2, 28), False),
])
def test_an_fsl_aid_counts_as_recent_for_12_months(
        last_aid: date, day: date, recent: bool) -> None:
    assert fsl_aid_recent(last_aid, day) is recent


def test_the_rules_name_their_sources_and_helplines() -> None:
    from mediadesk.interview.rules import SOURCES

    joined = " ".join(SOURCES)
    for source in ("2008-780", "2014-274", "2023-133", "L115-3", "L122-1"):
        assert source in joined
    assert RULES.energy_voucher_helpline == "0 805 204 805"
    assert RULES.energie_info_helpline == "0 800 112 212"
