"""The call sheet of a campaign session, built from the campaign's entries (see `campaign`).

Thread: any (sessions never cross threads); nothing is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediadesk.i18n import language_name
from mediadesk.reports.call_sheet import CallSheetData, CallSheetRow
from mediadesk.services.campaign_views import CampaignEntry
from mediadesk.services.errors import NotFound
from mediadesk.store.models import Household, HouseholdLanguage, ReferralList, User


def build(session: Session, list_id: uuid.UUID, assignee: uuid.UUID | None,
          entries: Sequence[CampaignEntry], *, letter_after: int, today: date) -> CallSheetData:
    """The sheet of ``entries`` (those still to reach on ``list_id``, for ``assignee`` or all).

    ``letter_after``: failed calls after which a letter or a visit is the channel to use.
    Raises NotFound (no such live list, or an unknown assignee)."""
    referral = session.get(ReferralList, list_id)
    if referral is None or referral.deleted_at is not None or referral.undone_at is not None:
        raise NotFound(str(list_id))
    assignee_name = ""
    if assignee is not None:
        user = session.get(User, assignee)
        if user is None or user.deleted_at is not None:
            raise NotFound(str(assignee))
        assignee_name = user.display_name
    household_ids = list({e.household_id for e in entries if e.household_id is not None})
    spoken: dict[uuid.UUID, list[str]] = {}
    interpreter: dict[uuid.UUID, bool] = {}
    for start in range(0, len(household_ids), 500):
        chunk = household_ids[start:start + 500]
        for household_id, language in session.execute(
                select(HouseholdLanguage.household_id, HouseholdLanguage.language).where(
                    HouseholdLanguage.household_id.in_(chunk),
                    HouseholdLanguage.deleted_at.is_(None))
                .order_by(HouseholdLanguage.language)):
            spoken.setdefault(household_id, []).append(language)
        for household_id, needed in session.execute(
                select(Household.id, Household.interpreter_needed)
                .where(Household.id.in_(chunk))):
            interpreter[household_id] = bool(needed)
    rows = []
    for entry in entries:
        last = entry.attempts[-1] if entry.attempts else None
        rows.append(CallSheetRow(
            household_name=entry.household_name,
            reference=entry.customer_ref or f"#{entry.line_no}",
            phones=tuple(phone.number for phone in entry.phones),
            languages=tuple(language_name(code) for code in spoken.get(entry.household_id, ())
                            ) if entry.household_id else (),
            interpreter=bool(entry.household_id and interpreter.get(entry.household_id)),
            attempts=len(entry.attempts), failed_calls=entry.failed_calls,
            last_attempt_on=last.at.astimezone().date() if last is not None else None,
            last_channel=last.channel if last is not None else "",
            last_outcome=last.outcome if last is not None else "",
            next_attempt_on=entry.next_attempt_on,
            letter_or_visit=entry.failed_calls >= letter_after or not entry.phones,
            advice=entry.suggestion))
    return CallSheetData(partner=referral.partner, received_on=referral.received_on,
                         assignee_name=assignee_name, printed_on=today, rows=tuple(rows))
