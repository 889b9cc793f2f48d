"""Importing a supplier's weekly listing: preview, commit (all or nothing), undo.

Thread: any, one call at a time per thread (sessions never cross threads). Long calls take
``progress(done, total)`` and ``cancel() -> bool``; a cancelled call raises ImportCancelled and
writes nothing.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, or_, select, type_coerce
from sqlalchemy.orm import Session, sessionmaker

from mediadesk.domain.enums import HouseholdStatus, MemberRole
from mediadesk.domain.ids import new_id
from mediadesk.i18n import _
from mediadesk.services.errors import NotFound, ValidationError
from mediadesk.services.listing.matching import KnownHousehold, Matcher, PreviewLine, classify
from mediadesk.services.listing.parsing import (
    Cancel,
    ImportCancelled,
    LineProblem,
    Progress,
    guess_mapping,
    parse_listing,
    read_table,
)
from mediadesk.store import listing_profiles
from mediadesk.store.audit import IMPORT
from mediadesk.store.base import local_day
from mediadesk.store.bulk import BulkInserter, collector_paused, new_ids, page_cache
from mediadesk.store.models import (
    ContactAttempt,
    Debt,
    EnergyContract,
    Household,
    Interview,
    Person,
    Phone,
    ReferralEntry,
    ReferralList,
)
from mediadesk.store.stamping import Actor

if TYPE_CHECKING:
    from mediadesk.services.workspace import Workspace

Clock = Callable[[], datetime]
CREATED = "mediadesk:created"  # keys of ReferralEntry.fields written by the import itself
DEBT = "mediadesk:debt_id"
COMMIT_CHUNK = 1000  # lines written per round of bulk inserts (then indexed)


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ListingPreview:
    source_name: str
    partner: str
    encoding: str
    delimiter: str
    headers: tuple[str, ...]
    mapping: tuple[tuple[str, str], ...]  # (header, field)
    lines: tuple[PreviewLine, ...]

    def of_kind(self, kind: str) -> tuple[PreviewLine, ...]:
        return tuple(line for line in self.lines if line.kind == kind)

    @property
    def problems(self) -> tuple[LineProblem, ...]:
        return tuple(p for line in self.lines for p in line.problems)


@dataclass(frozen=True)
class ImportResult:
    list_id: uuid.UUID
    created: int
    matched: int
    duplicates: int
    skipped_invalid: int
    household_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class UndoResult:
    list_id: uuid.UUID
    entries: int
    households_removed: int


class ListingHasInvalidLines(ValidationError):
    def __init__(self, problems: tuple[LineProblem, ...]) -> None:
        super().__init__("listing", _("{n} ligne(s) invalide(s) : rien n'a été importé.").format(
            n=len({p.line_no for p in problems})))
        self.problems = problems


class ListingService:
    def __init__(self, sessions: sessionmaker[Session], actor: Actor,
                 clock: Clock = _utcnow) -> None:
        self._sessions = sessions
        self._actor = actor  # the rows the commit writes in bulk are stamped with it
        self._clock = clock

    def profile(self, partner: str) -> dict[str, str] | None:
        with self._sessions() as session:
            return listing_profiles.get(session, partner)

    def save_profile(self, partner: str, mapping: Mapping[str, str]) -> None:
        with self._sessions.begin() as session:
            listing_profiles.save(session, partner, dict(mapping))

    def preview(self, data: bytes, *, source_name: str = "", partner: str = "EDF",
                mapping: Mapping[str, str] | None = None, progress: Progress | None = None,
                cancel: Cancel | None = None) -> ListingPreview:
        """Read ``data`` and classify each line. Writes nothing.

        ``mapping`` (header -> field) overrides the partner's saved profile, which overrides
        the guess from the headers (a profile only applies to headers present in the file).
        Raises NotAListing, ImportCancelled.
        """
        saved = self.profile(partner) if mapping is None else None
        table = read_table(data, source_name, known_headers=saved or mapping or ())
        if mapping is None and saved:
            # The profile wins for the headers it knows; the others are still guessed.
            mapping = {**guess_mapping(table.headers),
                       **{h: f for h, f in saved.items() if h in table.headers}}
        parsed = parse_listing(table, mapping, progress=progress, cancel=cancel)
        with self._sessions() as session:
            matcher = Matcher(_known_households(session))
        lines = classify(parsed.lines, parsed.problems, matcher, cancel=cancel)
        return ListingPreview(source_name, partner, table.encoding, table.delimiter,
                              table.headers, tuple(parsed.mapping.items()), lines)

    def commit(self, preview: ListingPreview, *, lines: Collection[int] | None = None,
               skip_invalid: bool = False, received_on: date | None = None,
               progress: Progress | None = None, cancel: Cancel | None = None
               ) -> ImportResult:
        """Import the confirmed lines (``lines``: line numbers; None: every new or matched
        line) in one transaction: all of them or nothing. Rows are written with Core bulk
        inserts (`store.bulk`), stamped by the service's actor, captured for sync and indexed
        for search as ORM rows would be; the audit trail gets one `IMPORT` event per household
        created or completed (naming the list), not one per row. ``progress`` counts the lines
        prepared (each chunk of ``COMMIT_CHUNK`` lines is written right after).

        Raises ListingHasInvalidLines (unless ``skip_invalid``), ImportCancelled.
        """
        invalid = preview.of_kind("invalid")
        if invalid and not skip_invalid:
            raise ListingHasInvalidLines(preview.problems)
        chosen = [p for p in preview.lines if p.kind in ("new", "matched")
                  and (lines is None or p.line_no in lines)]
        now = self._clock()
        household_ids: list[uuid.UUID] = []
        with collector_paused(), self._sessions.begin() as session:
            referral = ReferralList(id=new_id(), partner=preview.partner,
                                    received_on=received_on or local_day(now),
                                    source_name=preview.source_name[:400], imported_at=now)
            session.add(referral)
            session.flush()
            connection = session.connection()
            bulk = BulkInserter(connection, self._actor)

            def tick(done: int) -> None:
                if cancel is not None and cancel():
                    raise ImportCancelled()
                if progress is not None:
                    progress(done, len(chosen))

            def tick_from(start: int, n: int) -> None:
                tick(start + n)

            with page_cache(connection):
                for start in range(0, len(chosen), COMMIT_CHUNK):
                    chunk = chosen[start:start + COMMIT_CHUNK]
                    household_ids += _write_chunk(bulk, referral, chunk, preview.partner,
                                                  functools.partial(tick_from, start))
                bulk.audit_households(IMPORT, ReferralList.__tablename__, referral.id,
                                      household_ids)
            listing_profiles.save(session, preview.partner, dict(preview.mapping))
        return ImportResult(
            referral.id, sum(p.kind == "new" for p in chosen),
            sum(p.kind == "matched" for p in chosen), len(preview.of_kind("duplicate")),
            len(invalid), tuple(household_ids))

    def undo(self, list_id: uuid.UUID) -> UndoResult:
        """Withdraw a whole imported list while nothing was done on its entries.

        Soft-deletes the entries and what the import created; marks the list undone.
        Raises NotFound, ValidationError (already undone, or work done since the import).
        """
        now = self._clock()
        with self._sessions.begin() as session:
            referral = session.get(ReferralList, list_id)
            if referral is None or referral.deleted_at is not None:
                raise NotFound(str(list_id))
            if referral.undone_at is not None:
                raise ValidationError("list", _("Cette liste a déjà été annulée."))
            entries = session.scalars(select(ReferralEntry).where(
                ReferralEntry.list_id == list_id, ReferralEntry.deleted_at.is_(None))).all()
            _refuse_if_worked_on(session, referral, entries)
            removed = 0
            for entry in entries:
                entry.deleted_at = now
                if entry.fields.get(CREATED) == "household" and entry.household_id:
                    _soft_delete_household(session, entry.household_id, now)
                    removed += 1
                elif entry.fields.get(DEBT):
                    debt = session.get(Debt, uuid.UUID(entry.fields[DEBT]))
                    if debt is not None:
                        debt.deleted_at = now
            referral.undone_at = now
            return UndoResult(list_id, len(entries), removed)


def listing_service(workspace: Workspace) -> ListingService:
    """The listing service over an open workspace's store."""
    return ListingService(workspace.opened.sessions, workspace.actor)


def _known_households(session: Session) -> list[KnownHousehold]:
    h, p, c = Household, Person, EnergyContract
    # Ids are grouped by their stored text: only the households' own ids are parsed (a third
    # of the time of this read went to parsing every member's and contract's household id).
    raw = String()
    people: dict[str, list[str]] = {}
    for hid, first_name, last_name in session.execute(
            select(type_coerce(p.household_id, raw), p.first_name, p.last_name)
            .where(p.deleted_at.is_(None))):
        people.setdefault(hid, []).append(f"{first_name} {last_name}")
    refs: dict[str, tuple[list[str], list[str]]] = {}
    for hid, customer_ref, meter_point in session.execute(
            select(type_coerce(c.household_id, raw), c.customer_ref, c.meter_point)
            .where(c.deleted_at.is_(None))):
        pair = refs.setdefault(hid, ([], []))
        if customer_ref:
            pair[0].append(customer_ref)
        if meter_point:
            pair[1].append(meter_point)
    known = []
    for hid, name, street, postal_code, city in session.execute(
            select(type_coerce(h.id, raw), h.name, h.street, h.postal_code, h.city)
            .where(h.deleted_at.is_(None))):
        customer_refs, meters = refs.get(hid, ([], []))
        known.append(KnownHousehold(uuid.UUID(hid), name, tuple(people.get(hid, ())),
                                    street or "", postal_code or "", city or "",
                                    tuple(customer_refs), tuple(meters)))
    return known


def _split_name(name: str, first_name: str) -> tuple[str, str]:
    """(last, first): "DUPONT Marie" -> ("DUPONT", "Marie") when no first-name column."""
    if first_name or " " not in name.strip():
        return name.strip(), first_name.strip()
    words = name.split()
    upper = [w for w in words if w.isupper() and len(w) > 1]
    if upper and len(upper) < len(words):
        return " ".join(upper), " ".join(w for w in words if w not in upper)
    return name.strip(), ""


def _write_chunk(bulk: BulkInserter, referral: ReferralList, chunk: Sequence[PreviewLine],
                 partner: str, tick: Callable[[int], None]) -> list[uuid.UUID]:
    """Write some lines with Core bulk inserts, parents before children (foreign keys are
    checked at once): households, then their members, phones and contracts, then debts and
    entries; then index the new households. ``tick(n)`` is called as each line's rows are made
    (n from 1), before they are written."""
    new_count = sum(item.kind == "new" for item in chunk)
    fresh = iter(new_ids(2 * new_count + len(chunk)))  # households, contracts, debts
    rowids = iter(bulk.search_rowids(new_count))
    household_ids: list[uuid.UUID] = []
    households: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    phones: list[dict[str, Any]] = []
    contracts: list[dict[str, Any]] = []
    debts: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    description = _("Listing {partner} du {day}").format(partner=partner, day=referral.received_on)
    for index, item in enumerate(chunk):
        line = item.line
        assert line is not None  # new and matched lines always carry their parsed line
        fields: dict[str, Any] = dict(line.raw)
        contract_id: uuid.UUID | None = None
        if item.kind == "new":
            household_id = next(fresh)
            last, first = _split_name(line.name, line.first_name)
            households.append({
                "id": household_id, "name": " ".join(x for x in (last, first) if x)[:120],
                "street": line.street[:400] or None,
                "address_extra": line.address_extra[:400] or None,
                "postal_code": line.postal_code[:10] or None, "city": line.city[:120] or None,
                "status": HouseholdStatus.OPEN, "search_rowid": next(rowids)})
            people.append({"household_id": household_id, "position": 0,
                           "first_name": first[:120], "last_name": last[:120],
                           "role": MemberRole.HOLDER})
            phones.extend({"household_id": household_id, "position": position,
                           "number": number[:40]} for position, number in enumerate(line.phones))
            if line.customer_ref or line.meter_point:
                contract_id = next(fresh)
                contracts.append({"id": contract_id, "household_id": household_id,
                                  "supplier": partner[:120],
                                  "customer_ref": line.customer_ref[:40] or None,
                                  "meter_point": line.meter_point[:40] or None})
            fields[CREATED] = "household"
        else:
            assert item.household_id is not None
            household_id = item.household_id
        household_ids.append(household_id)
        if line.amount_cents is not None:
            debt_id = next(fresh)
            debts.append({"id": debt_id, "household_id": household_id,
                          "contract_id": contract_id, "amount_cents": line.amount_cents,
                          "supplier_amount_cents": line.amount_cents, "bill_date": line.due_on,
                          "description": description})
            fields[DEBT] = str(debt_id)
        entries.append({"list_id": referral.id, "household_id": household_id,
                        "line_no": line.line_no, "customer_ref": line.customer_ref[:40] or None,
                        "fields": fields})
        tick(index + 1)
    # Audited once per household by the caller (`IMPORT`), not once per row.
    bulk.insert(Household, households, audit=False)
    bulk.insert(Person, people, audit=False)
    bulk.insert(Phone, phones, audit=False)
    bulk.insert(EnergyContract, contracts, audit=False)
    bulk.insert(Debt, debts, audit=False)
    bulk.insert(ReferralEntry, entries, audit=False)
    # Core inserts bypass the index's session events: the new households are indexed here.
    bulk.index_households(households, people, phones, contracts)
    return household_ids


def _refuse_if_worked_on(session: Session, referral: ReferralList,
                         entries: Collection[ReferralEntry]) -> None:
    entry_ids = [e.id for e in entries]
    household_ids = [e.household_id for e in entries if e.household_id is not None]
    since = referral.imported_at or referral.created_at
    contact = session.scalar(select(ContactAttempt.id).where(
        ContactAttempt.deleted_at.is_(None),
        or_(ContactAttempt.referral_entry_id.in_(entry_ids),
            ContactAttempt.household_id.in_(household_ids) & (ContactAttempt.created_at >= since)),
    ).limit(1))
    interview = session.scalar(select(Interview.id).where(
        Interview.deleted_at.is_(None), Interview.household_id.in_(household_ids),
        Interview.created_at >= since).limit(1))
    if contact is not None or interview is not None:
        raise ValidationError("list", _(
            "Impossible d'annuler cette liste : des foyers ont déjà été contactés ou reçus "
            "depuis l'import."))


def _soft_delete_household(session: Session, household_id: uuid.UUID, now: datetime) -> None:
    models: tuple[Any, ...] = (Person, Phone, EnergyContract, Debt)
    for model in models:
        rows: list[Any] = list(session.scalars(select(model).where(
            model.household_id == household_id, model.deleted_at.is_(None))))
        for row in rows:
            row.deleted_at = now
    household = session.get(Household, household_id)
    if household is not None:
        household.deleted_at = now
