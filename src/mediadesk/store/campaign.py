"""Queries of the contact campaign: the entries of imported supplier lists still to reach.

Functions take a Session and never commit. Only live rows count: not soft-deleted entries of
lists that are neither deleted nor undone.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediadesk.store.models import (
    ContactAttempt,
    Household,
    HouseholdLanguage,
    Phone,
    ReferralEntry,
    ReferralList,
    User,
)


def entries(session: Session, *, list_id: uuid.UUID | None = None,
            assignee: uuid.UUID | None = None,
            statuses: Collection[str] | None = None
            ) -> Sequence[tuple[ReferralEntry, ReferralList, Household | None]]:
    """Live entries (of ``list_id``, else of every list not undone), in list then line order."""
    query = (select(ReferralEntry, ReferralList, Household)
             .join(ReferralList, ReferralList.id == ReferralEntry.list_id)
             .outerjoin(Household, Household.id == ReferralEntry.household_id)
             .where(ReferralEntry.deleted_at.is_(None), ReferralList.deleted_at.is_(None),
                    ReferralList.undone_at.is_(None)))
    if list_id is not None:
        query = query.where(ReferralEntry.list_id == list_id)
    if assignee is not None:
        query = query.where(ReferralEntry.assigned_to == assignee)
    if statuses is not None:
        query = query.where(ReferralEntry.status.in_(list(statuses)))
    query = query.order_by(ReferralList.received_on, ReferralList.imported_at,
                           ReferralEntry.line_no)
    return [(row[0], row[1], row[2]) for row in session.execute(query)]


def live_entry(session: Session, entry_id: uuid.UUID) -> ReferralEntry | None:
    entry = session.get(ReferralEntry, entry_id)
    return entry if entry is not None and entry.deleted_at is None else None


def attempts(session: Session, entry_ids: Collection[uuid.UUID]
             ) -> dict[uuid.UUID, list[ContactAttempt]]:
    """Live attempts of each entry, oldest first."""
    out: dict[uuid.UUID, list[ContactAttempt]] = {}
    if not entry_ids:
        return out
    for attempt in session.scalars(select(ContactAttempt).where(
            ContactAttempt.deleted_at.is_(None),
            ContactAttempt.referral_entry_id.in_(list(entry_ids)))
            .order_by(ContactAttempt.at)):
        assert attempt.referral_entry_id is not None
        out.setdefault(attempt.referral_entry_id, []).append(attempt)
    return out


def phones(session: Session, household_ids: Collection[uuid.UUID]
           ) -> dict[uuid.UUID, list[Phone]]:
    out: dict[uuid.UUID, list[Phone]] = {}
    if not household_ids:
        return out
    for phone in session.scalars(select(Phone).where(
            Phone.deleted_at.is_(None), Phone.household_id.in_(list(household_ids)))
            .order_by(Phone.position)):
        out.setdefault(phone.household_id, []).append(phone)
    return out


def languages(session: Session, household_id: uuid.UUID) -> list[str]:
    return list(session.scalars(select(HouseholdLanguage.language).where(
        HouseholdLanguage.household_id == household_id, HouseholdLanguage.deleted_at.is_(None))))


def users(session: Session) -> list[User]:
    return list(session.scalars(select(User).where(User.deleted_at.is_(None))
                                .order_by(User.display_name)))


def open_load(session: Session) -> dict[uuid.UUID, int]:
    """How many entries still to reach each user has been assigned."""
    load: dict[uuid.UUID, int] = {}
    for user_id in session.scalars(select(ReferralEntry.assigned_to).where(
            ReferralEntry.deleted_at.is_(None), ReferralEntry.assigned_to.is_not(None),
            ReferralEntry.status.in_(("to_contact", "in_progress")))):
        if user_id is not None:
            load[user_id] = load.get(user_id, 0) + 1
    return load
