"""The nine autonomy questions of seed 004 and the autonomy level derived from them.

Scoring (documented contract, the constants below can be tuned in one place):
- a question is *asked* when its answer is YES, NO or UNKNOWN (UNKNOWN: the person could not
  tell, which is itself a sign of low autonomy, so it counts as asked and not as a yes);
- with fewer than :data:`MIN_ASKED` questions asked there is no level (``None``): the mediator
  lets the person talk and asks as little as possible, so a partial picture is normal;
- otherwise the share of YES among the asked questions gives the level: below 1/3 LOW
  ("faible"), below 2/3 PARTIAL ("partielle"), from 2/3 GOOD ("bonne").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum
from fractions import Fraction

from mediadesk.i18n import N_, _
from mediadesk.interview.codes import Answer
from mediadesk.interview.state import InterviewState

__all__ = [
    "MIN_ASKED",
    "QUESTIONS",
    "Answer",
    "AutonomyLevel",
    "AutonomyPoint",
    "AutonomyQuestion",
    "AutonomyScore",
    "Trend",
    "autonomy_history",
    "autonomy_level",
    "autonomy_score",
    "level_title",
    "overall_trend",
    "question_wording",
]

MIN_ASKED = 5
"""Fewer asked questions than this give no level (5 = a majority of the nine)."""
PARTIAL_FROM = Fraction(1, 3)
GOOD_FROM = Fraction(2, 3)


@dataclass(frozen=True)
class AutonomyQuestion:
    """One question: its answer key, its attribute in ``Situation`` and its French wording."""

    key: str
    attr: str
    wording: str


def _q(attr: str, wording: str) -> AutonomyQuestion:
    return AutonomyQuestion(f"situation.{attr}", attr, wording)


QUESTIONS: tuple[AutonomyQuestion, ...] = (
    _q("knows_debt_amount", N_("Est-elle au courant du montant de son endettement ?")),
    _q("understands_debt", N_("L'a-t-elle compris ?")),
    _q("knows_supplier", N_("Connaît-elle le nom de son fournisseur ?")),
    _q("knows_last_bill_location", N_("Sait-elle où trouver sa dernière facture ?")),
    _q("knows_last_payment_date", N_("Peut-elle communiquer la date de son dernier versement ?")),
    _q("had_fsl_aid", N_("A-t-elle déjà bénéficié d'une aide FSL ?")),
    _q("followed_by_social_worker", N_("Est-elle déjà en relation avec un travailleur social ?")),
    _q("has_solution_ideas", N_("A-t-elle des pistes de solutions ?")),
    _q("received_energy_voucher", N_("A-t-elle reçu un chèque énergie ?")),
)
"""The nine questions, in the order of seed 004."""


def question_wording(question: AutonomyQuestion) -> str:
    """The question as the mediator reads it, in the active language."""
    return _(question.wording)


class AutonomyLevel(IntEnum):
    """Stored as its number (Interview.autonomy_level)."""

    LOW = 1
    PARTIAL = 2
    GOOD = 3


_LEVEL_TITLES = {
    AutonomyLevel.LOW: N_("faible"),
    AutonomyLevel.PARTIAL: N_("partielle"),
    AutonomyLevel.GOOD: N_("bonne"),
}


def level_title(level: AutonomyLevel) -> str:
    """"faible", "partielle" or "bonne", in the active language."""
    return _(_LEVEL_TITLES[level])


@dataclass(frozen=True)
class AutonomyScore:
    """The counts behind a level: how many questions were asked, how many answered yes."""

    asked: int
    yes: int

    @property
    def level(self) -> AutonomyLevel | None:
        if self.asked < MIN_ASKED:
            return None
        share = Fraction(self.yes, self.asked)
        if share < PARTIAL_FROM:
            return AutonomyLevel.LOW
        if share < GOOD_FROM:
            return AutonomyLevel.PARTIAL
        return AutonomyLevel.GOOD


def autonomy_score(state: InterviewState) -> AutonomyScore:
    """Count the asked questions and the yes answers of step 2."""
    answers = [getattr(state.situation, q.attr) for q in QUESTIONS]
    return AutonomyScore(
        asked=sum(1 for a in answers if a is not Answer.NOT_ASKED),
        yes=sum(1 for a in answers if a is Answer.YES),
    )


def autonomy_level(state: InterviewState) -> AutonomyLevel | None:
    """The autonomy level of this interview, or None when too few questions were asked."""
    return autonomy_score(state).level


class Trend(StrEnum):
    IMPROVING = "improving"
    STABLE = "stable"
    WORSE = "worse"


@dataclass(frozen=True)
class AutonomyPoint:
    """One interview in the history: its day, its level, the trend since the previous level."""

    on: date
    level: AutonomyLevel | None
    trend: Trend | None


def _compare(before: AutonomyLevel, after: AutonomyLevel) -> Trend:
    if after > before:
        return Trend.IMPROVING
    if after < before:
        return Trend.WORSE
    return Trend.STABLE


def autonomy_history(
    levels: Iterable[tuple[date, AutonomyLevel | None]],
) -> list[AutonomyPoint]:
    """Order dated levels by day and give each the trend since the last known level.

    The first known level and interviews without a level have no trend; an interview without
    a level does not break the comparison (the next one compares with the last known level).
    Several interviews on one day keep their given order.
    """
    points: list[AutonomyPoint] = []
    last: AutonomyLevel | None = None
    for on, level in sorted(levels, key=lambda item: item[0]):
        trend = _compare(last, level) if last is not None and level is not None else None
        points.append(AutonomyPoint(on, level, trend))
        if level is not None:
            last = level
    return points


def overall_trend(points: Iterable[AutonomyPoint]) -> Trend | None:
    """First known level against the last one; None with fewer than two known levels."""
    known = [p.level for p in points if p.level is not None]
    if len(known) < 2:
        return None
    return _compare(known[0], known[-1])
