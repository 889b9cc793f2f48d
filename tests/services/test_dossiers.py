from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from mediadesk.domain.enums import ContactChannel, ContactOutcome, InterviewStatus
from mediadesk.services.errors import NotFound, ValidationError
from mediadesk.services.views import HouseholdDraft, MemberDraft, PhoneDraft
from mediadesk.services.workspace import Workspace
from mediadesk.store.models import (
    ContactAttempt,
    Debt,
    Household,
    Interview,
    Note,
    NoteRevision,
    Phone,
)

DRAFT = HouseholdDraft(
    name="Moreau Inès", street="5 impasse des Tilleuls", postal_code="77100", city="Meaux",
    email="ines.moreau@example.org", languages=("fr", "ar"), interpreter_needed=True,
    phones=(PhoneDraft("06 11 22 33 44"), PhoneDraft("01 60 00 00 01", "wrong_number")),
    members=(MemberDraft("Inès", "Moreau"), MemberDraft("Yanis", "Moreau", "child", 2015)),
)


def test_creating_a_household_returns_its_dossier(workspace: Workspace) -> None:
    dossier = workspace.dossiers.create_household(DRAFT)
    h = dossier.household
    assert (h.name, h.city, h.postal_code, h.languages, h.interpreter_needed) == (
        "Moreau Inès", "Meaux", "77100", ("ar", "fr"), True)
    assert h.address == "5 impasse des Tilleuls, 77100 Meaux"
    assert [(p.number, p.status) for p in dossier.phones] == [
        ("06 11 22 33 44", "unverified"), ("01 60 00 00 01", "wrong_number")]
    assert [(m.first_name, m.role, m.birth_year) for m in dossier.members] == [
        ("Inès", "holder", None), ("Yanis", "child", 2015)]


def test_rows_are_stamped_with_user_device_and_team(workspace: Workspace) -> None:
    dossier = workspace.dossiers.create_household(DRAFT)
    actor = workspace.actor
    with workspace.opened.sessions() as session:
        household = session.get(Household, dossier.household.id)
        assert household is not None
        assert household.created_by == actor.user_id
        assert household.created_on_device == actor.device_id
        assert household.scope_id == actor.team_id
        phone = session.query(Phone).filter_by(household_id=household.id).first()
        assert phone is not None and phone.scope_id == actor.team_id


def test_editing_keeps_unchanged_children_and_bumps_the_version(workspace: Workspace) -> None:
    created = workspace.dossiers.create_household(DRAFT)
    kept_phone = created.phones[0].id
    edited = workspace.dossiers.update_household(created.household.id, HouseholdDraft(
        name="Moreau Inès", city="Chelles", postal_code="77500",
        phones=(PhoneDraft("06 11 22 33 44"),), members=DRAFT.members))
    assert edited.household.city == "Chelles"
    assert edited.household.version == created.household.version + 1
    assert [p.id for p in edited.phones] == [kept_phone]
    assert [m.id for m in edited.members] == [m.id for m in created.members]
    with workspace.opened.sessions() as session:
        removed = session.query(Phone).filter(Phone.deleted_at.is_not(None)).all()
        assert [p.number for p in removed] == ["+33160000001"]  # soft-deleted, not lost


@pytest.mark.parametrize(("draft", "field"), [
    (HouseholdDraft(name="  "), "name"),
    (HouseholdDraft(name="X", postal_code="7700"), "postal_code"),
    (HouseholdDraft(name="X", email="pas-une-adresse"), "email"),
    (HouseholdDraft(name="X", phones=(PhoneDraft("12"),)), "phones.0"),
])
def test_invalid_input_names_the_field_in_french(
    workspace: Workspace, draft: HouseholdDraft, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        workspace.dossiers.create_household(draft)
    assert caught.value.field == field
    assert caught.value.message  # a sentence for the mediator
    assert workspace.dossiers.find_households("X") == []


def test_opening_an_unknown_household_is_not_found(workspace: Workspace) -> None:
    with pytest.raises(NotFound):
        workspace.dossiers.open_dossier(uuid.uuid4())


def test_the_timeline_merges_every_kind_newest_first(workspace: Workspace) -> None:
    ident = workspace.dossiers.create_household(DRAFT).household.id
    now = datetime.now(UTC)
    with workspace.opened.sessions.begin() as session:
        session.add(Interview(household_id=ident, started_at=now - timedelta(days=3),
                              status=InterviewStatus.DONE, summary="Échéancier proposé"))
        session.add(ContactAttempt(household_id=ident, at=now - timedelta(days=1),
                                   channel=ContactChannel.PHONE,
                                   outcome=ContactOutcome.NO_ANSWER))
        note = Note(household_id=ident, at=now - timedelta(days=2))
        session.add(note)
        session.flush()
        session.add(NoteRevision(note_id=note.id, body="Première version"))
        session.add(Debt(household_id=ident, amount_cents=123456))
    with workspace.opened.sessions.begin() as session:
        session.add(NoteRevision(note_id=note.id, body="Version corrigée"))
    dossier = workspace.dossiers.open_dossier(ident)
    assert [item.kind for item in dossier.timeline] == ["contact", "note", "interview"]
    assert dossier.timeline[1].detail == "Version corrigée"
    assert dossier.total_debt_cents == 123456
