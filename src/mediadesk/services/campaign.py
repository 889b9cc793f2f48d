"""The contact campaign over imported supplier lists: who to reach, by whom, how it went.

Every attempt is recorded (channel, outcome, next attempt planned). A number found wrong is
never offered again; after ``FAILED_CALLS_BEFORE_LETTER`` failed calls a letter or a home visit
is suggested. The return file to the partner carries its own customer reference, an outcome code
and a date: nothing more than the partner sent.
Thread: any, one call at a time per thread (sessions never cross threads).
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable, Collection
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from mediadesk.domain.enums import ContactChannel, ContactOutcome, OutcomeCode, PhoneStatus
from mediadesk.domain.phones import format_phone
from mediadesk.i18n import _
from mediadesk.reports.call_sheet import CallSheetData, render_call_sheet
from mediadesk.services import campaign_sheet
from mediadesk.services.campaign_views import (
    IN_PROGRESS,
    OPEN_STATUSES,
    REACHED,
    REFUSED,
    RETURN_HANDED_OVER,
    RETURN_PENDING,
    RETURN_PLAN,
    RETURN_REACHED,
    RETURN_UNREACHABLE,
    AttemptView,
    CampaignEntry,
    MediatorChoice,
    PhoneChoice,
)
from mediadesk.services.errors import NotFound, ValidationError
from mediadesk.services.export_protection import (
    check_export_password,
    protect_files,
    protect_pdf,
)
from mediadesk.store import campaign as repo
from mediadesk.store.base import local_day
from mediadesk.store.models import (
    ContactAttempt,
    Household,
    Phone,
    ReferralEntry,
    ReferralList,
    User,
)

if TYPE_CHECKING:
    from mediadesk.services.workspace import Workspace

Clock = Callable[[], datetime]
#: Failed phone calls after which a letter or a home visit is suggested.
FAILED_CALLS_BEFORE_LETTER = 3
FAILED = frozenset({ContactOutcome.NO_ANSWER, ContactOutcome.WRONG_NUMBER,
                    ContactOutcome.MESSAGE_LEFT})
COMMENT_MAX = 2000
_PHONE_RANK = {PhoneStatus.VALID: 0, PhoneStatus.UNVERIFIED: 1, PhoneStatus.NO_ANSWER: 2}


def _utcnow() -> datetime:
    return datetime.now(UTC)


def failed_calls(attempts: list[ContactAttempt]) -> int:
    return sum(a.channel == ContactChannel.PHONE and a.outcome in FAILED for a in attempts)


def suggestion(failed: int, callable_phones: int, status: str) -> str:
    """French advice for the next step ("" when calling the next number is the way)."""
    if status not in OPEN_STATUSES:
        return ""
    if failed >= FAILED_CALLS_BEFORE_LETTER:
        return _("{n} appels sans réponse : envoyer un courrier ou faire une visite à "
                 "domicile").format(n=failed)
    if callable_phones == 0:
        return _("Aucun numéro utilisable : envoyer un courrier ou faire une visite à domicile")
    return ""


def return_code(entry: ReferralEntry, household: Household | None,
                attempts: list[ContactAttempt]) -> str:
    """The outcome code sent back to the partner for one listed customer."""
    if household is not None and household.outcome == OutcomeCode.PLAN_AGREED:
        return RETURN_PLAN
    if household is not None and household.outcome == OutcomeCode.HANDED_OVER:
        return RETURN_HANDED_OVER
    if entry.status in (REACHED, REFUSED) or any(
            a.outcome in (ContactOutcome.REACHED, ContactOutcome.REFUSED) for a in attempts):
        return RETURN_REACHED
    if household is not None and household.outcome == OutcomeCode.UNREACHABLE:
        return RETURN_UNREACHABLE
    if sum(a.outcome in FAILED for a in attempts) >= FAILED_CALLS_BEFORE_LETTER:
        return RETURN_UNREACHABLE
    return RETURN_PENDING


class CampaignService:
    def __init__(self, sessions: sessionmaker[Session], clock: Clock = _utcnow) -> None:
        self._sessions = sessions
        self._clock = clock

    def entries(self, list_id: uuid.UUID | None = None, *, assignee: uuid.UUID | None = None,
                include_done: bool = False) -> list[CampaignEntry]:
        """The entries of ``list_id`` (None: every open list) still to reach (``include_done``:
        all of them), optionally only those assigned to ``assignee``."""
        with self._sessions() as session:
            rows = repo.entries(session, list_id=list_id, assignee=assignee,
                                statuses=None if include_done else OPEN_STATUSES)
            by_entry = repo.attempts(session, [e.id for e, _l, _h in rows])
            by_household = repo.phones(session, {e.household_id for e, _l, _h in rows
                                                 if e.household_id is not None})
            names = {u.id: u.display_name for u in repo.users(session)}
            out = []
            for entry, referral, household in rows:
                attempts = by_entry.get(entry.id, [])
                phones = _callable(by_household.get(entry.household_id, [])
                                   if entry.household_id else [], attempts)
                failed = failed_calls(attempts)
                number_of = {p.id: p.number for p in by_household.get(entry.household_id, [])
                             } if entry.household_id else {}
                out.append(CampaignEntry(
                    id=entry.id, list_id=referral.id, partner=referral.partner,
                    line_no=entry.line_no, customer_ref=entry.customer_ref or "",
                    household_id=entry.household_id,
                    household_name=household.name if household is not None else "",
                    status=entry.status, assignee_id=entry.assigned_to,
                    assignee_name=names.get(entry.assigned_to, "") if entry.assigned_to
                    else "",
                    next_phone=phones[0] if phones else None, phones=tuple(phones),
                    attempts=tuple(_attempt_view(a, number_of) for a in attempts),
                    failed_calls=failed,
                    next_attempt_on=attempts[-1].next_attempt_on if attempts else None,
                    suggestion=suggestion(failed, len(phones), entry.status)))
            return out

    def entry(self, entry_id: uuid.UUID) -> CampaignEntry:
        with self._sessions() as session:
            entry = repo.live_entry(session, entry_id)
            if entry is None:
                raise NotFound(str(entry_id))
            list_id = entry.list_id
        found = [e for e in self.entries(list_id, include_done=True) if e.id == entry_id]
        if not found:
            raise NotFound(str(entry_id))
        return found[0]

    def record_attempt(self, entry_id: uuid.UUID, channel: ContactChannel | str,
                       outcome: ContactOutcome | str, *, phone_id: uuid.UUID | None = None,
                       next_attempt_on: date | None = None, comment: str = "") -> CampaignEntry:
        """Record one attempt to reach the entry's household.

        wrong_number marks the phone called as wrong (never offered again); reached marks the
        number valid and the entry reached; refused marks it refused; any other outcome leaves it
        in progress. Reached and refused set the household's last contact date.
        Raises NotFound, ValidationError.
        """
        try:
            channel = ContactChannel(channel)
            outcome = ContactOutcome(outcome)
        except ValueError as error:
            raise ValidationError("attempt", _("Canal ou résultat inconnu.")) from error
        if len(comment) > COMMENT_MAX:
            raise ValidationError("comment", _("Commentaire trop long."))
        now = self._clock()
        if next_attempt_on is not None and next_attempt_on < local_day(now):
            raise ValidationError("next_attempt_on",
                                  _("La prochaine tentative ne peut pas être dans le passé."))
        with self._sessions.begin() as session:
            entry = repo.live_entry(session, entry_id)
            if entry is None or entry.household_id is None:
                raise NotFound(str(entry_id))
            phone: Phone | None = None
            if phone_id is not None:
                phone = session.get(Phone, phone_id)
                if (phone is None or phone.deleted_at is not None
                        or phone.household_id != entry.household_id):
                    raise NotFound(str(phone_id))
                if phone.status == PhoneStatus.WRONG_NUMBER:
                    raise ValidationError("phone", _("Ce numéro est marqué comme erroné."))
            elif outcome == ContactOutcome.WRONG_NUMBER:
                raise ValidationError("phone", _("Indiquez le numéro erroné."))
            session.add(ContactAttempt(
                household_id=entry.household_id, referral_entry_id=entry.id,
                phone_id=phone_id, at=now, channel=channel, outcome=outcome,
                next_attempt_on=next_attempt_on, comment=comment.strip() or None))
            if phone is not None:
                if outcome == ContactOutcome.WRONG_NUMBER:
                    phone.status = PhoneStatus.WRONG_NUMBER
                elif outcome == ContactOutcome.REACHED:
                    phone.status = PhoneStatus.VALID
                elif outcome == ContactOutcome.NO_ANSWER and phone.status == PhoneStatus.UNVERIFIED:
                    phone.status = PhoneStatus.NO_ANSWER
            if outcome in (ContactOutcome.REACHED, ContactOutcome.REFUSED):
                entry.status = REACHED if outcome == ContactOutcome.REACHED else REFUSED
                household = session.get(Household, entry.household_id)
                if household is not None:
                    household.last_contact_on = local_day(now)
            elif entry.status in OPEN_STATUSES:
                entry.status = IN_PROGRESS
        return self.entry(entry_id)

    def mediators(self) -> list[MediatorChoice]:
        with self._sessions() as session:
            return [MediatorChoice(u.id, u.display_name, tuple(u.languages or ()), "")
                    for u in repo.users(session)]

    def suggest_assignee(self, entry_id: uuid.UUID) -> MediatorChoice | None:
        """The mediator who speaks a language of the household (besides French when it has
        another), the least loaded first; None when nobody matches. Raises NotFound."""
        with self._sessions() as session:
            entry = repo.live_entry(session, entry_id)
            if entry is None:
                raise NotFound(str(entry_id))
            spoken = repo.languages(session, entry.household_id) if entry.household_id else []
            wanted = [lang for lang in spoken if lang != "fr"] or spoken
            if not wanted:
                return None
            load = repo.open_load(session)
            candidates: list[tuple[int, str, User, str]] = []
            for user in repo.users(session):
                common = [lang for lang in wanted if lang in (user.languages or ())]
                if common:
                    candidates.append((load.get(user.id, 0), user.display_name, user, common[0]))
            if not candidates:
                return None
            _load, _name, user, language = min(candidates, key=lambda c: (c[0], c[1]))
            return MediatorChoice(user.id, user.display_name, tuple(user.languages or ()),
                                  _("parle la langue du foyer ({lang})").format(lang=language))

    def assign(self, entry_id: uuid.UUID, user_id: uuid.UUID | None) -> None:
        """Assign the entry to a mediator (None: back to the team). Raises NotFound."""
        self.assign_many([entry_id], user_id)

    def assign_many(self, entry_ids: Collection[uuid.UUID], user_id: uuid.UUID | None) -> int:
        """Assign these entries to a mediator (None: back to the team), all or none; how many.
        Raises NotFound (an entry or the mediator)."""
        with self._sessions.begin() as session:
            if user_id is not None:
                user = session.get(User, user_id)
                if user is None or user.deleted_at is not None:
                    raise NotFound(str(user_id))
            for entry_id in entry_ids:
                entry = repo.live_entry(session, entry_id)
                if entry is None:
                    raise NotFound(str(entry_id))
                entry.assigned_to = user_id
            return len(entry_ids)

    def call_sheet_data(self, list_id: uuid.UUID, *, assignee: uuid.UUID | None = None
                        ) -> CallSheetData:
        """The call sheet of the entries of ``list_id`` still to reach (those assigned to
        ``assignee`` when given). Raises NotFound (list or assignee)."""
        entries = self.entries(list_id, assignee=assignee)
        with self._sessions() as session:
            return campaign_sheet.build(session, list_id, assignee, entries,
                                        letter_after=FAILED_CALLS_BEFORE_LETTER,
                                        today=self._clock().astimezone().date())

    def render_call_sheet(self, list_id: uuid.UUID, *, assignee: uuid.UUID | None = None
                          ) -> bytes:
        """The call sheet as PDF bytes, in memory and in clear: encrypt before writing it
        anywhere (`call_sheet_pdf`). Slow (rendering): not on the GUI thread. Raises NotFound."""
        return render_call_sheet(self.call_sheet_data(list_id, assignee=assignee))

    def call_sheet_pdf(self, list_id: uuid.UUID, *, password: str,
                       assignee: uuid.UUID | None = None) -> bytes:
        """The call sheet as a PDF encrypted with ``password`` (AES-256). Slow (rendering):
        not on the GUI thread. Raises NotFound, ExportPasswordError (before any work)."""
        check_export_password(password)
        return protect_pdf(self.render_call_sheet(list_id, assignee=assignee), password)

    def partner_return_archive(self, list_id: uuid.UUID, *, password: str) -> bytes:
        """The partner's return file (`partner_return_csv`) in an AES-256 ZIP protected by
        ``password``. Raises NotFound, ExportPasswordError (before any work)."""
        check_export_password(password)
        data = self.partner_return_csv(list_id)
        return protect_files({self.partner_return_name(list_id): data}, password)

    def partner_return_name(self, list_id: uuid.UUID) -> str:
        """The file name of the return CSV: retour-<partner>-<day received>.csv."""
        with self._sessions() as session:
            referral = session.get(ReferralList, list_id)
            if referral is None or referral.deleted_at is not None:
                raise NotFound(str(list_id))
            partner = "".join(ch if ch.isalnum() else "-" for ch in referral.partner).strip("-")
            day = (referral.received_on or local_day(self._clock())).isoformat()
        return f"retour-{partner.lower() or 'partenaire'}-{day}.csv"

    def partner_return_csv(self, list_id: uuid.UUID) -> bytes:
        """The return file of one list: UTF-8 with BOM, semicolons; the partner's customer
        reference (or its line number when it sent none), an outcome code, a date."""
        with self._sessions() as session:
            rows = repo.entries(session, list_id=list_id)
            if not rows:
                raise NotFound(str(list_id))
            by_entry = repo.attempts(session, [e.id for e, _l, _h in rows])
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
            writer.writerow(("reference_client", "resultat", "date"))
            for entry, _referral, household in rows:
                attempts = by_entry.get(entry.id, [])
                when = attempts[-1].at.date().isoformat() if attempts else ""
                writer.writerow((entry.customer_ref or f"#{entry.line_no}",
                                 return_code(entry, household, attempts), when))
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _callable(phones: list[Phone], attempts: list[ContactAttempt]) -> list[PhoneChoice]:
    """Numbers that may still be called, best first: valid, then by fewest failed calls."""
    failed: dict[uuid.UUID, int] = {}
    for attempt in attempts:
        if attempt.phone_id is not None and attempt.outcome in FAILED:
            failed[attempt.phone_id] = failed.get(attempt.phone_id, 0) + 1
    usable = [p for p in phones if p.status != PhoneStatus.WRONG_NUMBER]
    usable.sort(key=lambda p: (_PHONE_RANK.get(p.status, 3), failed.get(p.id, 0), p.position))
    return [PhoneChoice(p.id, format_phone(p.number), str(p.status)) for p in usable]


def _attempt_view(attempt: ContactAttempt, number_of: dict[uuid.UUID, str]) -> AttemptView:
    number = number_of.get(attempt.phone_id, "") if attempt.phone_id else ""
    return AttemptView(attempt.id, attempt.at, str(attempt.channel), str(attempt.outcome),
                       format_phone(number) if number else "", attempt.next_attempt_on,
                       attempt.comment or "")


def campaign_service(workspace: Workspace) -> CampaignService:
    """The campaign service over an open workspace's store."""
    return CampaignService(workspace.opened.sessions)
