"""The team's follow-up worklist: what is due, for the whole team or for one mediator.

Two kinds of work share the list: open follow-ups (a call or visit the team planned, owned by
the team and optionally assigned to one mediator) and orientation checks (a hand-over to a
partner whose check date has come and that nobody has checked yet). Both leave the list when
done; both can be postponed. Only follow-ups can be assigned: an orientation has no assignee
and its check stays with the team.
Thread: any, one call at a time per thread (sessions never cross threads).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from mediadesk.domain.phones import format_phone
from mediadesk.i18n import _
from mediadesk.services.errors import ValidationError
from mediadesk.services.worklist_views import (
    TEAM,
    Assignee,
    Mediator,
    Window,
    WorkKind,
    WorklistCounts,
    WorklistItem,
)
from mediadesk.store import worklist as repo
from mediadesk.store.errors import NotFound
from mediadesk.store.models import FollowUp, Orientation

Clock = Callable[[], datetime]
OUTCOME_MAX = 400  # the orientation's check_outcome column


def _utcnow() -> datetime:
    return datetime.now(UTC)


def window_bounds(window: Window, today: date) -> tuple[date | None, date | None]:
    """First and last due date (inclusive, None: unbounded) of ``window`` seen on ``today``.

    "week" runs from today to Sunday of the current week: what is already late is under
    "overdue", so a mediator planning the week does not see it twice.
    """
    if window == "overdue":
        return None, today - timedelta(days=1)
    if window == "today":
        return today, today
    if window == "week":
        return today, today + timedelta(days=6 - today.weekday())
    if window == "all_open":
        return None, None
    raise ValueError(f"unknown window {window!r}")


class WorklistService:
    """The worklist of this installation's team (or of ``team_id`` when given)."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock = _utcnow, *,
                 team_id: uuid.UUID | None = None) -> None:
        self._sessions = sessions
        self._clock = clock
        self._team_id = team_id

    def items(self, *, today: date, window: Window = "all_open",
              assignee: Assignee = None) -> list[WorklistItem]:
        """What is due in ``window``, most urgent first (due date, then household name).

        ``assignee``: None for the whole team's list, ``"team"`` for what nobody has taken
        (orientation checks included), a user id for the follow-ups assigned to that mediator.
        """
        due_from, due_to = window_bounds(window, today)
        with self._sessions() as session:
            return self._items(session, today, due_from, due_to, assignee)

    def counts(self, *, today: date, assignee: Assignee = None) -> WorklistCounts:
        """How many items each window holds for ``assignee`` (one read for all four)."""
        with self._sessions() as session:
            due = [item.due_on for item in self._items(session, today, None, None, assignee)]
        _start, sunday = window_bounds("week", today)
        assert sunday is not None
        return WorklistCounts(
            overdue=sum(day < today for day in due), today=sum(day == today for day in due),
            week=sum(today <= day <= sunday for day in due), all_open=len(due))

    def mediators(self) -> list[Mediator]:
        """The team's members, by name (to filter by, or to assign to)."""
        with self._sessions() as session:
            team_id = self._team(session)
            return [Mediator(user.id, user.display_name)
                    for user in repo.team_users(session, team_id)]

    def mark_done(self, item: WorklistItem, outcome: str = "", *,
                  today: date | None = None) -> WorklistItem:
        """A follow-up is done now; an orientation is checked ``today`` (default: the clock's
        local day) with ``outcome`` (what happened, optional; ignored for a follow-up).

        Raises ValidationError when the item is no longer to do or the outcome is too long.
        """
        outcome = outcome.strip()
        if len(outcome) > OUTCOME_MAX:
            raise ValidationError("outcome", _("Le résultat ne doit pas dépasser {count} "
                                               "caractères.").format(count=OUTCOME_MAX))
        day = today or self._today()
        with self._sessions.begin() as session:
            row = self._open_row(session, item)
            if isinstance(row, FollowUp):
                row.done_at = self._clock()
            else:
                row.checked_on = day
                row.check_outcome = outcome or None
        return dataclasses.replace(item, done=True)

    def postpone(self, item: WorklistItem, new_date: date, *,
                 today: date | None = None) -> WorklistItem:
        """Move the item's due date. Raises ValidationError for a day before ``today`` or an
        item no longer to do."""
        day = today or self._today()
        if new_date < day:
            raise ValidationError("due_on", _("Choisissez aujourd'hui ou un jour à venir."))
        with self._sessions.begin() as session:
            row = self._open_row(session, item)
            if isinstance(row, FollowUp):
                row.due_on = new_date
            else:
                row.check_due_on = new_date
        return dataclasses.replace(item, due_on=new_date, overdue=new_date < day,
                                   days_late=_days_late(new_date, day))

    def assign(self, item: WorklistItem, user_id: uuid.UUID | None) -> WorklistItem:
        """Give a follow-up to one mediator of the team, or back to the team (None).

        Raises ValidationError for an orientation check, a user outside the team or an item
        no longer to do.
        """
        if not item.assignable:
            raise ValidationError("assignee", _("Une vérification d'orientation reste à "
                                                "l'équipe : elle ne peut pas être attribuée."))
        with self._sessions.begin() as session:
            row = self._open_row(session, item)
            assert isinstance(row, FollowUp)
            name = ""
            if user_id is not None:
                try:
                    name = repo.team_user(session, user_id, self._team(session)).display_name
                except NotFound as exc:
                    raise ValidationError("assignee", _("Cette personne ne fait pas partie "
                                                        "de l'équipe.")) from exc
            row.assigned_to = user_id
        return dataclasses.replace(item, assignee_id=user_id, assignee_name=name)

    # --- helpers ------------------------------------------------------------------------

    def _today(self) -> date:
        return self._clock().astimezone().date()

    def _team(self, session: Session) -> uuid.UUID | None:
        if self._team_id is None:
            self._team_id = repo.local_team_id(session)
        return self._team_id

    def _items(self, session: Session, today: date, due_from: date | None,
               due_to: date | None, assignee: Assignee) -> list[WorklistItem]:
        team_id = self._team(session)
        follow_ups = repo.open_follow_ups(
            session, team_id, due_from=due_from, due_to=due_to,
            assigned_to=assignee if isinstance(assignee, uuid.UUID) else None,
            unassigned_only=assignee == TEAM)
        items = [_follow_up_item(row, today) for row in follow_ups]
        if not isinstance(assignee, uuid.UUID):
            checks = repo.pending_checks(session, team_id, due_from=due_from, due_to=due_to)
            items += [_check_item(row, today) for row in checks]
        items.sort(key=lambda item: (item.due_on, item.household_name.casefold(), item.kind))
        return items

    def _open_row(self, session: Session, item: WorklistItem) -> FollowUp | Orientation:
        """The item's row, still to do. Raises ValidationError otherwise."""
        gone = ValidationError("item", _("Ce suivi n'est plus à faire (il a été fait, "
                                         "déplacé ou supprimé entre-temps)."))
        try:
            if item.kind is WorkKind.FOLLOW_UP:
                follow_up = repo.follow_up(session, item.id)
                if follow_up.done_at is not None:
                    raise gone
                return follow_up
            orientation = repo.orientation(session, item.id)
        except NotFound as exc:
            raise gone from exc
        if orientation.checked_on is not None:
            raise gone
        return orientation


def _days_late(due_on: date, today: date) -> int:
    return max((today - due_on).days, 0)


def _phone(number: str | None) -> str:
    return format_phone(number) if number else ""


def _follow_up_item(row: Any, today: date) -> WorklistItem:
    return WorklistItem(
        id=row.id, kind=WorkKind.FOLLOW_UP, household_id=row.household_id,
        household_name=row.household_name, phone=_phone(row.phone), due_on=row.due_on,
        reason=row.reason or "", channel=row.channel.value, partner_kind=None, partner="",
        assignee_id=row.assigned_to, assignee_name=row.assignee_name or "",
        overdue=row.due_on < today, days_late=_days_late(row.due_on, today))


def _check_item(row: Any, today: date) -> WorklistItem:
    return WorklistItem(
        id=row.id, kind=WorkKind.ORIENTATION_CHECK, household_id=row.household_id,
        household_name=row.household_name, phone=_phone(row.phone), due_on=row.due_on,
        reason=row.reason or "", channel=None, partner_kind=row.partner_kind.value,
        partner=row.partner_name or "", assignee_id=None, assignee_name="",
        overdue=row.due_on < today, days_late=_days_late(row.due_on, today))

