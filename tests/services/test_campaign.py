"""The contact campaign over an imported listing, against a real temporary encrypted store."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from mediadesk.domain.enums import OutcomeCode, PhoneStatus
from mediadesk.services.campaign import (
    FAILED_CALLS_BEFORE_LETTER,
    CampaignService,
    campaign_service,
)
from mediadesk.services.errors import NotFound, ValidationError
from mediadesk.services.listing import listing_service
from mediadesk.services.workspace import Workspace
from mediadesk.store.models import (
    ContactAttempt,
    Household,
    HouseholdLanguage,
    Phone,
    ReferralEntry,
    User,
)
from tests.services.listing.files import csv_bytes

NOW = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)


def row(name: str, first: str, ref: str, phone: str = "", street: str = "1 rue Neuve"
        ) -> list[str]:
    return [name, first, ref, "", street, "77000", "Melun", phone, "", ""]


@pytest.fixture
def service(workspace: Workspace) -> CampaignService:
    return CampaignService(workspace.opened.sessions, clock=lambda: NOW)


def import_list(workspace: Workspace, rows: list[list[str]]) -> uuid.UUID:
    listing = listing_service(workspace)
    preview = listing.preview(csv_bytes(rows), source_name="edf.csv")
    return listing.commit(preview).list_id


def add_phone(workspace: Workspace, entry_id: uuid.UUID, number: str) -> uuid.UUID:
    with workspace.opened.sessions.begin() as session:
        entry = session.get(ReferralEntry, entry_id)
        assert entry is not None and entry.household_id is not None
        phone = Phone(household_id=entry.household_id, position=5, number=number)
        session.add(phone)
        session.flush()
        return phone.id


def test_entries_offer_the_next_phone_and_never_a_wrong_one(
        workspace: Workspace, service: CampaignService) -> None:
    list_id = import_list(workspace, [row("MARTIN", "Léa", "CR1", "06 12 34 56 78")])
    [entry] = service.entries(list_id)
    assert entry.customer_ref == "CR1" and entry.status == "to_contact"
    assert entry.next_phone is not None and entry.suggestion == ""
    first = entry.next_phone.id
    second = add_phone(workspace, entry.id, "+33698765432")
    after = service.record_attempt(entry.id, "phone", "wrong_number", phone_id=first)
    assert after.next_phone is not None and after.next_phone.id == second
    assert first not in {p.id for p in after.phones}
    assert after.status == "in_progress" and len(after.attempts) == 1
    with workspace.opened.sessions() as session:
        phone = session.get(Phone, first)
        assert phone is not None and phone.status == PhoneStatus.WRONG_NUMBER
    with pytest.raises(ValidationError):
        service.record_attempt(entry.id, "phone", "no_answer", phone_id=first)
    after = service.record_attempt(entry.id, "phone", "wrong_number", phone_id=second)
    assert after.next_phone is None and "courrier" in after.suggestion


def test_a_letter_or_visit_is_suggested_after_n_failed_calls(
        workspace: Workspace, service: CampaignService) -> None:
    list_id = import_list(workspace, [row("NGUYEN", "Paul", "CR2", "0612345678")])
    [entry] = service.entries(list_id)
    assert entry.next_phone is not None
    for count in range(FAILED_CALLS_BEFORE_LETTER):
        assert "courrier" not in entry.suggestion
        entry = service.record_attempt(entry.id, "phone", "no_answer",
                                       phone_id=entry.next_phone.id,
                                       next_attempt_on=date(2026, 12, 1 + count))
        assert entry.next_phone is not None
    assert entry.failed_calls == FAILED_CALLS_BEFORE_LETTER
    assert "visite à domicile" in entry.suggestion
    assert entry.next_attempt_on == date(2026, 12, 3)


def test_reached_closes_the_entry_and_dates_the_last_contact(
        workspace: Workspace, service: CampaignService) -> None:
    list_id = import_list(workspace, [row("MARTIN", "Léa", "CR1", "0612345678"),
                                      row("BERNARD", "Jo", "CR3", "")])
    first, second = service.entries(list_id)
    assert first.next_phone is not None
    done = service.record_attempt(first.id, "phone", "reached", phone_id=first.next_phone.id,
                                  comment="  rappel avec la fille  ")
    assert done.status == "reached" and done.attempts[-1].comment == "rappel avec la fille"
    assert [e.id for e in service.entries(list_id)] == [second.id]
    assert {e.id for e in service.entries(include_done=True)} == {first.id, second.id}
    with workspace.opened.sessions() as session:
        household = session.get(Household, first.household_id)
        assert household is not None and household.last_contact_on == NOW.date()
        attempt = session.scalars(select(ContactAttempt)).one()
        assert attempt.referral_entry_id == first.id


def test_record_attempt_refuses_bad_input(workspace: Workspace,
                                          service: CampaignService) -> None:
    list_id = import_list(workspace, [row("MARTIN", "Léa", "CR1", "0612345678")])
    [entry] = service.entries(list_id)
    with pytest.raises(ValidationError):
        service.record_attempt(entry.id, "pigeon", "reached")
    with pytest.raises(ValidationError):
        service.record_attempt(entry.id, "phone", "wrong_number")
    with pytest.raises(ValidationError):
        service.record_attempt(entry.id, "letter", "no_answer",
                               next_attempt_on=date(2026, 11, 1))
    with pytest.raises(NotFound):
        service.record_attempt(uuid.uuid4(), "letter", "no_answer")
    with pytest.raises(NotFound):
        service.record_attempt(entry.id, "phone", "no_answer", phone_id=uuid.uuid4())


def test_suggest_assignee_by_language_and_assign(workspace: Workspace,
                                                 service: CampaignService) -> None:
    list_id = import_list(workspace, [row("DIALLO", "Mariam", "CR4")])
    [entry] = service.entries(list_id)
    assert service.suggest_assignee(entry.id) is None
    with workspace.opened.sessions.begin() as session:
        session.add(HouseholdLanguage(household_id=entry.household_id, language="fr"))
        session.add(HouseholdLanguage(household_id=entry.household_id, language="ff"))
        session.add(User(display_name="Binta", languages=["fr", "ff"]))
        session.add(User(display_name="Karim", languages=["fr", "ar"]))
    suggested = service.suggest_assignee(entry.id)
    assert suggested is not None and suggested.name == "Binta" and "ff" in suggested.reason
    service.assign(entry.id, suggested.id)
    [mine] = service.entries(assignee=suggested.id)
    assert mine.id == entry.id and mine.assignee_name == "Binta"
    assert service.entries(assignee=uuid.uuid4()) == []
    with pytest.raises(NotFound):
        service.assign(entry.id, uuid.uuid4())
    service.assign(entry.id, None)
    assert service.entries(list_id)[0].assignee_id is None


def test_partner_return_has_only_the_reference_an_outcome_and_a_date(
        workspace: Workspace, service: CampaignService) -> None:
    list_id = import_list(workspace, [
        row("MARTIN", "Léa", "CR1", "0612345678"), row("NGUYEN", "Paul", "CR2", "0611111111"),
        row("PETIT", "Ana", "CR3"), row("ROUX", "Eve", "CR4"), row("BLANC", "Ida", "CR5")])
    e1, e2, e3, e4, _e5 = service.entries(list_id)
    assert e1.next_phone is not None and e2.next_phone is not None
    service.record_attempt(e1.id, "phone", "reached", phone_id=e1.next_phone.id)
    for _n in range(FAILED_CALLS_BEFORE_LETTER):
        service.record_attempt(e2.id, "phone", "no_answer", phone_id=e2.next_phone.id)
    with workspace.opened.sessions.begin() as session:
        for entry, outcome in ((e3, OutcomeCode.PLAN_AGREED), (e4, OutcomeCode.HANDED_OVER)):
            household = session.get(Household, entry.household_id)
            assert household is not None
            household.outcome = outcome
    data = service.partner_return_csv(list_id)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["reference_client", "resultat", "date"],
                    ["CR1", "reached", "2026-11-29"], ["CR2", "unreachable", "2026-11-29"],
                    ["CR3", "plan_negotiated", ""], ["CR4", "handed_over", ""],
                    ["CR5", "pending", ""]]
    for personal in (b"MARTIN", b"Melun", b"rue", b"0612"):
        assert personal not in data
    with pytest.raises(NotFound):
        service.partner_return_csv(uuid.uuid4())


def test_campaign_service_of_a_workspace(workspace: Workspace) -> None:
    assert campaign_service(workspace).entries() == []
