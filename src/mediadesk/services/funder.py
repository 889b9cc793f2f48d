"""The funder activity report's figures, counted from the store without double counting.

Every indicator is defined once (`funder_indicators.INDICATORS`) over the period's rows
(`funder_period.load_period`). The total counts each fact's key once; the breakdowns count each
key once per site and once per mediator. A partner agreement may ask for a subset of the
indicators, in its own order (`funder_profiles`).

Counting a year over a big store takes seconds: `funder_data` reports ``progress(done, total)``
after each query and indicator and raises `ReportCancelled` as soon as ``cancel()`` is true.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediadesk.i18n import _
from mediadesk.reports.data import Count, Figure, FunderData
from mediadesk.services.funder_indicators import BY_CODE, INDICATORS, Fact
from mediadesk.services.funder_period import LOAD_STEPS, Period, load_period, raw_id
from mediadesk.services.funder_profiles import profile_codes
from mediadesk.store.models import LocalSetting, Site, Team, User

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
ActivityData = FunderData  # the report's figures, named here for ui/ (it may not import reports/)


class ReportCancelled(Exception):
    """The person cancelled the report while it was being counted."""


class _Steps:
    """Progress and cancellation of one count: ``tick()`` after each unit of work."""

    def __init__(self, total: int, progress: Progress | None, cancel: Cancel | None) -> None:
        self.total, self.done = total, 0
        self._progress, self._cancel = progress, cancel

    def tick(self) -> None:
        if self._cancel is not None and self._cancel():
            raise ReportCancelled()
        self.done += 1
        if self._progress is not None:
            self._progress(min(self.done, self.total), self.total)


def _sum(facts: Iterable[Fact]) -> int:
    first: dict[object, int] = {}
    for fact in facts:
        first.setdefault(fact.key, fact.value)
    return sum(first.values())


def _names(session: Session, key: Any, name: Any) -> dict[str, str]:
    return {row[0]: row[1] for row in session.execute(select(raw_id(key), name))}


def _grouped(facts: list[Fact], attribute: str,
             names: dict[str, str]) -> tuple[tuple[str, int], ...]:
    groups: dict[str | None, list[Fact]] = {}
    for fact in facts:
        groups.setdefault(getattr(fact, attribute), []).append(fact)
    unknown = _("non renseigné")
    pairs = [(names.get(key, unknown) if key else unknown, _sum(group))
             for key, group in groups.items()]
    return tuple(sorted(pairs, key=lambda pair: (-pair[1], pair[0].casefold())))


def figures(session: Session, period: Period, codes: Iterable[str] | None = None,
            checkpoint: Callable[[], None] | None = None) -> tuple[Figure, ...]:
    """The chosen indicators (all by default, in registry order) counted over ``period``;
    ``checkpoint()`` is called after each indicator."""
    chosen = [BY_CODE[code] for code in codes] if codes is not None else list(INDICATORS)
    sites = _names(session, Site.id, Site.name)
    users = _names(session, User.id, User.display_name)
    result = []
    for indicator in chosen:
        facts = list(indicator.facts(period))
        result.append(Figure(indicator.code, _(indicator.label), _(indicator.definition),
                             indicator.money, _sum(facts), _grouped(facts, "site", sites),
                             _grouped(facts, "mediator", users)))
        if checkpoint is not None:
            checkpoint()
    return tuple(result)


def funder_data(session: Session, start: date, end: date, today: date,
                profile: str | None = None, *, progress: Progress | None = None,
                cancel: Cancel | None = None) -> FunderData:
    """The figures of the period ``start``..``end`` (inclusive), restricted to the indicators
    of the partner agreement ``profile`` when given. Reports ``progress(done, total)``.
    Raises ValidationError (unknown profile), ReportCancelled (``cancel()`` became true)."""
    codes = profile_codes(session, profile) if profile else None
    steps = _Steps(LOAD_STEPS + len(codes if codes is not None else INDICATORS),
                   progress, cancel)
    period = load_period(session, start, end, steps.tick)
    chosen = figures(session, period, codes, steps.tick)
    indicators = tuple(Count(f.label, f.total, f.money) for f in chosen
                       if not f.code.startswith("register_"))
    registers = tuple(Count(f.label, f.total) for f in chosen
                      if f.code.startswith("register_"))
    interviews = BY_CODE["interviews"]
    users = _names(session, User.id, User.display_name)
    mediators = tuple(Count(name, value) for name, value in _grouped(
        list(interviews.facts(period)), "mediator", users))
    return FunderData(_team_name(session), start, end, today, indicators, registers, mediators,
                      chosen, profile or "")


def _team_name(session: Session) -> str:
    setting = session.get(LocalSetting, "team_id")
    team = session.get(Team, uuid.UUID(setting.value)) if setting else None
    return team.name if team else ""
