"""French energy-law rules that drive warnings and dates (shared/domain.md).

Every date, delay and amount lives in :class:`EnergyRules` below with the text it comes from, so
a change of law is a change of data; the functions take ``rules=`` for tests and "what if"s.
Days are calendar days (``datetime.date``); nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from mediadesk.i18n import N_, _
from mediadesk.interview.dates import add_months, month_day_in_year

MonthDay = tuple[int, int]


@dataclass(frozen=True)
class EnergyRules:
    """The rules in force, each with its source."""

    # Code de l'action sociale et des familles L115-3 (and Code de l'énergie L115-3 for the
    # wording used by suppliers): no cut for non-payment at a main residence, 1 Nov .. 31 Mar.
    truce_first_day: MonthDay = (11, 1)
    truce_last_day: MonthDay = (3, 31)
    # Same article: during the truce power may be reduced (to 3 kVA from 6 kVA subscribed, to
    # 2 kVA below) except for chèque énergie holders who sent the attestation (Code de l'énergie
    # L124-1, R124-16 and décret 2008-780 art. 1-1 as amended).
    truce_reduction_threshold_kva: int = 6
    truce_reduction_high_kva: int = 3
    truce_reduction_low_kva: int = 2
    # Décret 2014-274: suppliers tell customers in arrears about the winter ban 1 Nov .. 15 Mar.
    truce_information_last_day: MonthDay = (3, 15)
    # Décret 2008-780 art. 1 and 2: 14 days to pay, a reminder giving 15 more days, then a
    # written notice at least 20 days before a reduction or cut.
    days_to_pay: int = 14
    reminder_extra_days: int = 15
    cut_notice_days: int = 20
    # Décret 2023-133 (in force 1 April 2023): households that had the chèque énergie or FSL aid
    # and have a communicating (Linky) meter keep at least 1 kVA for 60 days before any cut;
    # the 60 days do not run during the truce.
    minimum_power_since: date = date(2023, 4, 1)
    minimum_power_days: int = 60
    minimum_power_kva: int = 1
    # Chèque énergie (Code de l'énergie L124-1, R124-1 ss.): valid until 31 March of the year
    # after it was issued; amount from 48 to 277 euros a year.
    energy_voucher_last_day: MonthDay = (3, 31)
    energy_voucher_min_cents: int = 4_800
    energy_voucher_max_cents: int = 27_700
    # Médiateur national de l'énergie (Code de l'énergie L122-1, R122-1): referral possible
    # 2 months after a written complaint, and within the following 10 months (service-public.fr
    # F20820: "entre 2 mois et 1 an après une réclamation écrite").
    ombudsman_wait_months: int = 2
    ombudsman_referral_months: int = 10
    # FSL: departmental rules; most départements grant one energy aid per 12 months.
    fsl_interval_months: int = 12
    # Helplines (free calls): chèque énergie; Energie-Info, run by the Médiateur.
    energy_voucher_helpline: str = "0 805 204 805"
    energie_info_helpline: str = "0 800 112 212"


RULES = EnergyRules()
"""The rules in force (as gathered in 2026)."""

SOURCES: tuple[str, ...] = (
    "Code de l'action sociale et des familles, art. L115-3 (trêve hivernale)",
    "Code de l'énergie, art. L115-3, L122-1, L124-1",
    "Décret n° 2008-780 du 13 août 2008 (procédure en cas d'impayés)",
    "Décret n° 2014-274 du 27 février 2014 (information sur la trêve)",
    "Décret n° 2023-133 du 24 février 2023 (période minimale d'alimentation à 1 kVA)",
    "service-public.fr F20820 (Médiateur national de l'énergie)",
    "chequeenergie.gouv.fr (validité, attestation, 0 805 204 805)",
)


# Winter truce -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TruceStatus:
    """Where a day stands against the winter truce.

    ``first_day``/``last_day`` (inclusive) are the truce containing the day, or the next one.
    ``days_remaining`` counts the truce days left including the day (31 March -> 1), None out
    of the truce; ``days_until_start`` counts days to the next truce (31 October -> 1), None
    inside it.
    """

    day: date
    in_truce: bool
    first_day: date
    last_day: date
    days_remaining: int | None
    days_until_start: int | None

    @property
    def first_day_after(self) -> date:
        """The first day cuts may happen again (1 April)."""
        return self.last_day + timedelta(days=1)


def truce_status(day: date, rules: EnergyRules = RULES) -> TruceStatus:
    """The truce status of ``day`` (the truce runs over the new year)."""
    start = month_day_in_year(day.year, rules.truce_first_day)
    end_this_year = month_day_in_year(day.year, rules.truce_last_day)
    if day <= end_this_year:
        first, last = month_day_in_year(day.year - 1, rules.truce_first_day), end_this_year
    else:
        first, last = start, month_day_in_year(day.year + 1, rules.truce_last_day)
    if first <= day <= last:
        return TruceStatus(day, True, first, last, (last - day).days + 1, None)
    return TruceStatus(day, False, start, month_day_in_year(day.year + 1, rules.truce_last_day),
                       None, (start - day).days)


def in_truce(day: date, rules: EnergyRules = RULES) -> bool:
    return truce_status(day, rules).in_truce


def truce_information_due(day: date, rules: EnergyRules = RULES) -> bool:
    """Whether suppliers must inform customers in arrears of the truce (1 Nov .. 15 Mar)."""
    status = truce_status(day, rules)
    info_last = month_day_in_year(status.last_day.year, rules.truce_information_last_day)
    return status.in_truce and day <= info_last


def power_limit_during_truce(
    subscribed_kva: int, voucher_attestation_sent: bool, rules: EnergyRules = RULES
) -> int | None:
    """The power (kVA) a supplier may reduce a household to during the truce.

    None when no reduction is allowed (chèque énergie attestation sent to this supplier).
    Never more than the subscribed power. Raises ValueError for a non-positive power.
    """
    if subscribed_kva < 1:
        raise ValueError(f"subscribed power must be positive, got {subscribed_kva}")
    if voucher_attestation_sent:
        return None
    if subscribed_kva >= rules.truce_reduction_threshold_kva:
        limit = rules.truce_reduction_high_kva
    else:
        limit = rules.truce_reduction_low_kva
    return min(limit, subscribed_kva)


# Unpaid-bill procedure --------------------------------------------------------------------


class NoticeEvent(StrEnum):
    BILL_ISSUED = "bill_issued"
    PAYMENT_DEADLINE = "payment_deadline"
    REMINDER_DEADLINE = "reminder_deadline"
    MINIMUM_POWER_FROM = "minimum_power_from"
    MINIMUM_POWER_UNTIL = "minimum_power_until"
    CUT_NOTICE = "cut_notice"
    CUT_POSTPONED_BY_TRUCE = "cut_postponed_by_truce"
    CUT_POSSIBLE = "cut_possible"


_EVENT_TITLES = {
    NoticeEvent.BILL_ISSUED: N_("Facture émise"),
    NoticeEvent.PAYMENT_DEADLINE: N_("Date limite de paiement (14 jours)"),
    NoticeEvent.REMINDER_DEADLINE: N_("Fin du délai de la relance (15 jours)"),
    NoticeEvent.MINIMUM_POWER_FROM: N_("Puissance réduite à 1 kVA au plus tôt"),
    NoticeEvent.MINIMUM_POWER_UNTIL: N_("Fin des 60 jours à 1 kVA"),
    NoticeEvent.CUT_NOTICE: N_("Préavis de coupure de 20 jours au plus tôt"),
    NoticeEvent.CUT_POSTPONED_BY_TRUCE: N_("Coupure reportée par la trêve hivernale"),
    NoticeEvent.CUT_POSSIBLE: N_("Coupure possible au plus tôt"),
}


def event_title(event: NoticeEvent) -> str:
    return _(_EVENT_TITLES[event])


@dataclass(frozen=True)
class TimelineEvent:
    on: date
    event: NoticeEvent


def _first_day_outside_truce(day: date, rules: EnergyRules) -> date:
    status = truce_status(day, rules)
    return status.first_day_after if status.in_truce else day


def _count_days_outside_truce(start: date, days: int, rules: EnergyRules) -> date:
    """The day after ``days`` counted days from ``start``, truce days not counted."""
    day, counted = start, 0
    while counted < days:
        day = _first_day_outside_truce(day, rules)
        status = truce_status(day, rules)
        assert status.days_until_start is not None  # day is outside the truce
        run = min(days - counted, status.days_until_start)
        counted += run
        day += timedelta(days=run)
    return day


def unpaid_notice_timeline(
    bill_on: date,
    *,
    minimum_power_regime: bool,
    main_residence: bool = True,
    rules: EnergyRules = RULES,
) -> tuple[TimelineEvent, ...]:
    """The earliest dates of the unpaid-bill procedure for a bill issued on ``bill_on``.

    Each step starts when the previous delay ends (earliest dates: a supplier may be slower).
    Base regime (décret 2008-780): +14 days to pay, +15 after the reminder, +20 days of notice.
    ``minimum_power_regime`` (décret 2023-133): after the reminder, 60 days at 1 kVA that do not
    run during the truce (a reduction falling in the truce starts on 1 April), then the notice.
    For a main residence a cut falling in the truce is postponed to the day after it
    (CUT_POSTPONED_BY_TRUCE marks the day it would have happened).
    """
    events = [TimelineEvent(bill_on, NoticeEvent.BILL_ISSUED)]
    deadline = bill_on + timedelta(days=rules.days_to_pay)
    events.append(TimelineEvent(deadline, NoticeEvent.PAYMENT_DEADLINE))
    notice = deadline + timedelta(days=rules.reminder_extra_days)
    events.append(TimelineEvent(notice, NoticeEvent.REMINDER_DEADLINE))
    if minimum_power_regime:
        start = _first_day_outside_truce(notice, rules) if main_residence else notice
        events.append(TimelineEvent(start, NoticeEvent.MINIMUM_POWER_FROM))
        if main_residence:
            notice = _count_days_outside_truce(start, rules.minimum_power_days, rules)
        else:
            notice = start + timedelta(days=rules.minimum_power_days)
        events.append(TimelineEvent(notice, NoticeEvent.MINIMUM_POWER_UNTIL))
    events.append(TimelineEvent(notice, NoticeEvent.CUT_NOTICE))
    cut = notice + timedelta(days=rules.cut_notice_days)
    if main_residence and in_truce(cut, rules):
        events.append(TimelineEvent(cut, NoticeEvent.CUT_POSTPONED_BY_TRUCE))
        cut = _first_day_outside_truce(cut, rules)
    events.append(TimelineEvent(cut, NoticeEvent.CUT_POSSIBLE))
    return tuple(events)


def earliest_cut(timeline: tuple[TimelineEvent, ...]) -> date:
    """The CUT_POSSIBLE day of a timeline."""
    return next(e.on for e in timeline if e.event is NoticeEvent.CUT_POSSIBLE)


def minimum_power_regime_applies(
    *, had_voucher_or_fsl: bool, has_linky: bool, day: date, rules: EnergyRules = RULES
) -> bool:
    """Décret 2023-133: chèque énergie or FSL beneficiary, communicating meter, from 1 Apr 2023."""
    return had_voucher_or_fsl and has_linky and day >= rules.minimum_power_since


# Chèque énergie, FSL, Médiateur -----------------------------------------------------------


def energy_voucher_valid_until(issue_year: int, rules: EnergyRules = RULES) -> date:
    """Last day a chèque énergie issued in ``issue_year`` can be used (31 March next year)."""
    return month_day_in_year(issue_year + 1, rules.energy_voucher_last_day)


def fsl_aid_recent(last_aid_on: date, day: date, rules: EnergyRules = RULES) -> bool:
    """Whether an FSL aid on ``last_aid_on`` is less than 12 months before ``day``."""
    return day < add_months(last_aid_on, rules.fsl_interval_months)


class WindowStatus(StrEnum):
    TOO_EARLY = "too_early"
    OPEN = "open"
    EXPIRED = "expired"


@dataclass(frozen=True)
class OmbudsmanWindow:
    """When the Médiateur national de l'énergie can be seized (both days inclusive)."""

    complaint_on: date
    earliest: date
    latest: date

    def status(self, day: date) -> WindowStatus:
        if day < self.earliest:
            return WindowStatus.TOO_EARLY
        if day > self.latest:
            return WindowStatus.EXPIRED
        return WindowStatus.OPEN


def ombudsman_window(complaint_on: date, rules: EnergyRules = RULES) -> OmbudsmanWindow:
    """Referral window after a written complaint: from +2 months to +12 months (2 + 10).

    Months are calendar months clamped to the month end (31 Dec -> 28/29 Feb); the latest day
    is counted from the complaint itself, not from the clamped earliest day.
    """
    wait = rules.ombudsman_wait_months
    return OmbudsmanWindow(
        complaint_on,
        add_months(complaint_on, wait),
        add_months(complaint_on, wait + rules.ombudsman_referral_months),
    )
