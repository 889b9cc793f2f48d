"""The nine questions of seed 004 and the autonomy level tracked across interviews."""

from __future__ import annotations

from datetime import date

import pytest

from mediadesk.interview import (
    FIELDS,
    QUESTIONS,
    Answer,
    AutonomyLevel,
    InterviewState,
    Trend,
    autonomy_history,
    autonomy_level,
    autonomy_score,
    level_title,
    overall_trend,
)
from mediadesk.interview.autonomy import question_wording

Y, N, U, X = Answer.YES, Answer.NO, Answer.UNKNOWN, Answer.NOT_ASKED


def _with(*answers: Answer) -> InterviewState:
    padded = list(answers) + [X] * (len(QUESTIONS) - len(answers))
    return InterviewState().with_answers({q.key: a for q, a in zip(QUESTIONS, padded,
                                                                   strict=True)})


def test_there_are_nine_questions_in_the_order_of_seed_004() -> None:
    assert len(QUESTIONS) == 9
    assert all(q.key in FIELDS for q in QUESTIONS)
    assert question_wording(QUESTIONS[0]) == "Est-elle au courant du montant de son endettement ?"
    assert question_wording(QUESTIONS[-1]) == "A-t-elle reçu un chèque énergie ?"


@pytest.mark.parametrize(("answers", "level"), [
    ((), None),
    ((Y, Y, Y, Y), None),                          # 4 asked: too few
    ((Y, Y, Y, Y, X, X, X, X, X), None),
    ((N, N, N, N, N), AutonomyLevel.LOW),
    ((Y, N, N, N, N, N, N, N, N), AutonomyLevel.LOW),
    ((Y, Y, N, N, N, N, N, N, N), AutonomyLevel.LOW),       # 2/9 < 1/3
    ((Y, Y, Y, N, N, N, N, N, N), AutonomyLevel.PARTIAL),   # 3/9 = 1/3
    ((Y, Y, Y, Y, Y, N, N, N, N), AutonomyLevel.PARTIAL),   # 5/9 < 2/3
    ((Y, Y, Y, Y, N, N), AutonomyLevel.GOOD),               # 4/6 = 2/3
    ((Y,) * 9, AutonomyLevel.GOOD),
    ((Y, Y, Y, U, U), AutonomyLevel.PARTIAL),               # unknown counts as asked
    ((Y, Y, Y, U, U, X, X, X, X), AutonomyLevel.PARTIAL),
    ((U, U, U, U, U), AutonomyLevel.LOW),
])
def test_the_level_is_the_share_of_yes_among_asked_questions(
        answers: tuple[Answer, ...], level: AutonomyLevel | None) -> None:
    assert autonomy_level(_with(*answers)) == level


def test_the_score_counts_asked_questions_and_yes_answers() -> None:
    score = autonomy_score(_with(Y, N, U, X, Y))
    assert (score.asked, score.yes) == (4, 2)


@pytest.mark.parametrize(("level", "title"), [
    (AutonomyLevel.LOW, "faible"), (AutonomyLevel.PARTIAL, "partielle"),
    (AutonomyLevel.GOOD, "bonne"),
])
def test_levels_have_french_titles(level: AutonomyLevel, title: str) -> None:
    assert level_title(level) == title


L, P, G = AutonomyLevel.LOW, AutonomyLevel.PARTIAL, AutonomyLevel.GOOD


@pytest.mark.parametrize(("levels", "trends"), [
    ([L, P, G], [None, Trend.IMPROVING, Trend.IMPROVING]),
    ([G, G, L], [None, Trend.STABLE, Trend.WORSE]),
    ([L, None, P], [None, None, Trend.IMPROVING]),
    ([None, None], [None, None]),
])
def test_each_interview_shows_the_trend_since_the_last_known_level(
        levels: list[AutonomyLevel | None], trends: list[Trend | None]) -> None:
    dated = [(date(2027, 1 + i, 1), level) for i, level in enumerate(levels)]
    assert [p.trend for p in autonomy_history(dated)] == trends


def test_the_history_is_ordered_by_day_whatever_the_input_order() -> None:
    history = autonomy_history([(date(2027, 6, 1), G), (date(2027, 1, 1), L)])
    assert [p.on for p in history] == [date(2027, 1, 1), date(2027, 6, 1)]
    assert history[1].trend is Trend.IMPROVING


@pytest.mark.parametrize(("levels", "trend"), [
    ([L, G, L], Trend.STABLE), ([G, P], Trend.WORSE), ([L, None, P], Trend.IMPROVING),
    ([P], None), ([None, P], None),
])
def test_the_overall_trend_compares_the_first_and_last_known_levels(
        levels: list[AutonomyLevel | None], trend: Trend | None) -> None:
    dated = [(date(2027, 1 + i, 1), level) for i, level in enumerate(levels)]
    assert overall_trend(autonomy_history(dated)) is trend
