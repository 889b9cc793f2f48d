"""Queries of the follow-up worklist: open follow-ups and orientation checks still to make.

Functions take a Session and never commit. Only live rows count: not soft-deleted, in a
household that is neither deleted nor closed, owned by the given team (``scope_id``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, case, select
from sqlalchemy.orm import Session

from mediadesk.domain.enums import HouseholdStatus, PhoneStatus
from mediadesk.store.errors import NotFound
from mediadesk.store.live import live_row
from mediadesk.store.models import (
    FollowUp,
    Household,
    LocalSetting,
    Orientation,
    Partner,
    Phone,
    User,
)


def local_team_id(session: Session) -> uuid.UUID | None:
    """The team this installation works for (set when the store was created)."""
    row = session.get(LocalSetting, "team_id")
    return uuid.UUID(row.value) if row is not None else None


def _first_phone() -> Any:
    """The household's best number: valid first, then in the order typed; never a wrong one."""
    rank = case((Phone.status == PhoneStatus.VALID, 0),
                (Phone.status == PhoneStatus.UNVERIFIED, 1), else_=2)
    return (
        select(Phone.number)
        .where(Phone.household_id == Household.id, Phone.deleted_at.is_(None),
               Phone.status != PhoneStatus.WRONG_NUMBER)
        .order_by(rank, Phone.position)
        .limit(1)
        .correlate(Household)
        .scalar_subquery()
    )


def _live_household() -> list[Any]:
    return [Household.deleted_at.is_(None), Household.status != HouseholdStatus.CLOSED]


def open_follow_ups(
    session: Session, team_id: uuid.UUID | None, *, due_from: date | None = None,
    due_to: date | None = None, assigned_to: uuid.UUID | None = None,
    unassigned_only: bool = False,
) -> Sequence[Row[Any]]:
    """Follow-ups not done, due within [due_from, due_to] (each bound optional).

    Rows: id, household_id, household_name, phone (E.164 or None), due_on, reason, channel,
    assigned_to, assignee_name. ``assigned_to`` keeps one mediator's; ``unassigned_only``
    keeps those nobody has taken. Ordered by due date, then household name.
    """
    query = (
        select(FollowUp.id, FollowUp.household_id, Household.name.label("household_name"),
               _first_phone().label("phone"), FollowUp.due_on, FollowUp.reason,
               FollowUp.channel, FollowUp.assigned_to,
               User.display_name.label("assignee_name"))
        .join(Household, Household.id == FollowUp.household_id)
        .outerjoin(User, User.id == FollowUp.assigned_to)
        .where(FollowUp.deleted_at.is_(None), FollowUp.done_at.is_(None), *_live_household())
        .order_by(FollowUp.due_on, Household.name)
    )
    if team_id is not None:
        query = query.where(FollowUp.scope_id == team_id)
    if due_from is not None:
        query = query.where(FollowUp.due_on >= due_from)
    if due_to is not None:
        query = query.where(FollowUp.due_on <= due_to)
    if unassigned_only:
        query = query.where(FollowUp.assigned_to.is_(None))
    elif assigned_to is not None:
        query = query.where(FollowUp.assigned_to == assigned_to)
    return session.execute(query).all()


def pending_checks(
    session: Session, team_id: uuid.UUID | None, *, due_from: date | None = None,
    due_to: date | None = None,
) -> Sequence[Row[Any]]:
    """Orientations with a check date and no check yet, due within [due_from, due_to].

    Rows: id, household_id, household_name, phone, due_on, reason, partner_kind, partner_name.
    """
    query = (
        select(Orientation.id, Orientation.household_id,
               Household.name.label("household_name"), _first_phone().label("phone"),
               Orientation.check_due_on.label("due_on"), Orientation.reason,
               Orientation.partner_kind, Partner.name.label("partner_name"))
        .join(Household, Household.id == Orientation.household_id)
        .outerjoin(Partner, Partner.id == Orientation.partner_id)
        .where(Orientation.deleted_at.is_(None), Orientation.check_due_on.is_not(None),
               Orientation.checked_on.is_(None), *_live_household())
        .order_by(Orientation.check_due_on, Household.name)
    )
    if team_id is not None:
        query = query.where(Orientation.scope_id == team_id)
    if due_from is not None:
        query = query.where(Orientation.check_due_on >= due_from)
    if due_to is not None:
        query = query.where(Orientation.check_due_on <= due_to)
    return session.execute(query).all()


def team_users(session: Session, team_id: uuid.UUID | None) -> Sequence[User]:
    """The team's live users, by name."""
    query = select(User).where(User.deleted_at.is_(None)).order_by(User.display_name)
    if team_id is not None:
        query = query.where(User.scope_id == team_id)
    return session.scalars(query).all()


def team_user(session: Session, user_id: uuid.UUID, team_id: uuid.UUID | None) -> User:
    """Raises NotFound unless ``user_id`` is a live user of the team."""
    user = session.get(User, user_id)
    if user is None or user.deleted_at is not None or (
            team_id is not None and user.scope_id != team_id):
        raise NotFound(str(user_id))
    return user


def follow_up(session: Session, follow_up_id: uuid.UUID) -> FollowUp:
    """Raises NotFound when the follow-up does not exist or is deleted."""
    return live_row(session, FollowUp, follow_up_id)


def orientation(session: Session, orientation_id: uuid.UUID) -> Orientation:
    """Raises NotFound when the orientation does not exist or is deleted."""
    return live_row(session, Orientation, orientation_id)
