"""The call sheet of a campaign session: built by the campaign service from a real encrypted
store, rendered, encrypted, and read back with pypdf."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from mediadesk.reports.call_sheet import CallSheetData, CallSheetRow, render_call_sheet
from mediadesk.services.campaign import FAILED_CALLS_BEFORE_LETTER, CampaignService
from mediadesk.services.errors import NotFound
from mediadesk.services.export_protection import ExportPasswordError
from mediadesk.services.listing import listing_service
from mediadesk.services.workspace import Workspace
from mediadesk.store.models import Household, HouseholdLanguage, ReferralEntry, User
from tests.reports.helpers import all_text, spaces
from tests.services.listing.files import csv_bytes

NOW = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)
PASSWORD = "appels-du-lundi"


def row(name: str, first: str, ref: str, phone: str) -> list[str]:
    return [name, first, ref, "", "1 rue Neuve", "77000", "Melun", phone, "", ""]


@pytest.fixture
def service(workspace: Workspace) -> CampaignService:
    return CampaignService(workspace.opened.sessions, clock=lambda: NOW)


def _import(workspace: Workspace) -> uuid.UUID:
    listing = listing_service(workspace)
    rows = [row("MARTIN", "Léa", "CR-0001", "06 12 34 56 78"),
            row("HADDAD", "Karim", "CR-0002", "07 11 22 33 44"),
            row("NGUYEN", "Paul", "CR-0003", "01 45 67 89 10")]
    preview = listing.preview(csv_bytes(rows), source_name="edf.csv")
    return listing.commit(preview, received_on=date(2026, 11, 23)).list_id


def _read(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.is_encrypted
    with pytest.raises(FileNotDecryptedError):
        reader.pages[0].extract_text()
    reader.decrypt(PASSWORD)
    return " ".join(spaces("\n".join(page.extract_text() for page in reader.pages)).split())


def test_the_sheet_lists_who_to_call_and_never_a_wrong_number(
        workspace: Workspace, service: CampaignService) -> None:
    list_id = _import(workspace)
    _martin, haddad, nguyen = service.entries(list_id)
    assert haddad.next_phone is not None and nguyen.next_phone is not None
    with workspace.opened.sessions.begin() as session:
        session.add(HouseholdLanguage(household_id=haddad.household_id, language="ar"))
        household = session.get(Household, haddad.household_id)
        assert household is not None
        household.interpreter_needed = True
    service.record_attempt(haddad.id, "phone", "wrong_number", phone_id=haddad.next_phone.id)
    for _count in range(FAILED_CALLS_BEFORE_LETTER):
        service.record_attempt(nguyen.id, "phone", "no_answer", phone_id=nguyen.next_phone.id,
                               next_attempt_on=date(2026, 12, 2))
    text = _read(service.call_sheet_pdf(list_id, password=PASSWORD))
    assert "CONFIDENTIEL" in text
    assert "Feuille d'appels : listing EDF du 23 nov. 2026" in text
    for name, reference in (("MARTIN Léa", "CR-0001"), ("HADDAD Karim", "CR-0002"),
                            ("NGUYEN Paul", "CR-0003")):
        assert name in text and reference in text
    assert "06 12 34 56 78" in text and "01 45 67 89 10" in text
    assert "07 11 22 33 44" not in text  # marked wrong: never offered
    assert "aucun numéro utilisable" in text
    assert "arabe" in text and "interprète" in text
    assert "dont 3 appels infructueux" in text
    assert "à rappeler le 2 déc. 2026" in text
    assert text.count("Courrier ou visite") == 2  # Haddad (no number left), Nguyen (3 calls)
    assert "Résultat" in text and "Rappel le" in text and "Notes" in text


def test_the_sheet_of_one_assignee_holds_only_their_entries(
        workspace: Workspace, service: CampaignService) -> None:
    list_id = _import(workspace)
    martin, haddad, _nguyen = service.entries(list_id)
    with workspace.opened.sessions() as session:
        user = session.query(User).one()
    service.assign(haddad.id, user.id)
    data = service.call_sheet_data(list_id, assignee=user.id)
    assert [r.household_name for r in data.rows] == ["HADDAD Karim"]
    assert data.assignee_name == user.display_name
    text = _read(service.call_sheet_pdf(list_id, password=PASSWORD, assignee=user.id))
    assert f"Pour {user.display_name}" in text and "MARTIN" not in text
    # Reached entries are not called again.
    assert martin.next_phone is not None
    service.record_attempt(martin.id, "phone", "reached", phone_id=martin.next_phone.id)
    assert "MARTIN Léa" not in [r.household_name for r in service.call_sheet_data(list_id).rows]


def test_unknown_list_or_assignee_and_weak_password_are_refused(
        workspace: Workspace, service: CampaignService) -> None:
    list_id = _import(workspace)
    with pytest.raises(NotFound):
        service.call_sheet_data(uuid.uuid4())
    with pytest.raises(NotFound):
        service.call_sheet_data(list_id, assignee=uuid.uuid4())
    with pytest.raises(ExportPasswordError):
        service.call_sheet_pdf(list_id, password="court")
    listing_service(workspace).undo(list_id)
    with pytest.raises(NotFound):
        service.call_sheet_data(list_id)
    with workspace.opened.sessions() as session:
        assert session.query(ReferralEntry).count() == 3


def test_an_empty_sheet_and_long_names_still_render() -> None:
    empty = render_call_sheet(CallSheetData("Engie", None, "", date(2026, 11, 29)))
    assert "Personne à joindre sur cette liste." in all_text(empty)
    many = tuple(CallSheetRow(f"FOYER {n} " + "TRÈS-LONG-NOM " * 4, f"R{n}", ("06 00 00 00 00",),
                              ("français",), False, 0, 0, None, "", "", None, False, "")
                 for n in range(60))
    text = all_text(render_call_sheet(CallSheetData("EDF", None, "Awa", date(2026, 11, 29),
                                                    many)))
    assert "FOYER 59" in text and "Page 2" in text
