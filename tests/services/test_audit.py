"""The audit trail: every dossier change and view, no data in it, append-only, pruned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from mediadesk.services.audit import AuditService, audit_service, months_before
from mediadesk.services.views import Dossier, HouseholdDraft, MemberDraft, PhoneDraft
from mediadesk.services.workspace import Workspace
from mediadesk.store.audit import AuditLogIsAppendOnly
from mediadesk.store.models import AuditEvent, Note, NoteRevision


def _create(workspace: Workspace) -> Dossier:
    draft = HouseholdDraft(name="Famille Bensaïd", street="12 rue des Lilas", postal_code="69003",
                           city="Lyon", email="bensaid@example.org",
                           phones=(PhoneDraft(number="06 12 34 56 78"),),
                           members=(MemberDraft(first_name="Karima", last_name="Bensaïd"),),
                           languages=("fr", "ar"))
    return workspace.dossiers.create_household(draft)


def test_changes_and_views_are_audited_without_values(workspace: Workspace) -> None:
    household_id = _create(workspace).household.id
    workspace.dossiers.open_dossier(household_id)
    events = audit_service(workspace).events(household_id=household_id)
    kinds = {(e.action, e.entity) for e in events}
    assert ("create", "household") in kinds
    assert ("create", "phone") in kinds
    assert ("create", "person") in kinds
    assert ("view", "household") in kinds
    assert all(e.household_id == household_id for e in events)
    assert all(e.user_id == workspace.actor.user_id for e in events)
    assert all(e.device_id == workspace.actor.device_id for e in events)
    with workspace.opened.sessions() as session:
        raw = [tuple(map(str, row)) for row in session.execute(
            select(AuditEvent.__table__)).all()]
    flat = " ".join(" ".join(row) for row in raw)
    for personal in ("Bensaïd", "Lilas", "Lyon", "example.org", "612345678"):
        assert personal not in flat


def test_child_rows_resolve_their_household(workspace: Workspace) -> None:
    household_id = _create(workspace).household.id
    with workspace.opened.sessions.begin() as session:
        note = Note(household_id=household_id, at=datetime.now(UTC))
        session.add(note)
        session.flush()
        session.add(NoteRevision(note_id=note.id, body="Appel au fournisseur"))
    events = audit_service(workspace).events(household_id=household_id)
    assert ("create", "note_revision") in {(e.action, e.entity) for e in events}


def test_updates_and_soft_deletes(workspace: Workspace) -> None:
    household_id = _create(workspace).household.id
    draft = HouseholdDraft(name="Famille Bensaïd", city="Villeurbanne")
    workspace.dossiers.update_household(household_id, draft)
    kinds = {(e.action, e.entity) for e in audit_service(workspace).events(household_id)}
    assert ("update", "household") in kinds
    assert ("delete", "phone") in kinds


def test_audit_events_cannot_be_changed_or_deleted(workspace: Workspace) -> None:
    _create(workspace)
    with pytest.raises(AuditLogIsAppendOnly), workspace.opened.sessions.begin() as session:
        event = session.scalars(select(AuditEvent)).first()
        assert event is not None
        event.action = "view"
        event.entity = "nothing"
    with pytest.raises(AuditLogIsAppendOnly), workspace.opened.sessions.begin() as session:
        event = session.scalars(select(AuditEvent)).first()
        session.delete(event)


def test_prune_keeps_the_window(workspace: Workspace) -> None:
    service = AuditService(workspace.opened.sessions)
    assert service.retention_months() == 12
    assert service.set_retention_months(3) == 6
    assert service.set_retention_months(24) == 12
    service.set_retention_months(6)
    _create(workspace)
    total = len(service.events())
    assert service.prune(now=datetime.now(UTC)) == 0
    in_seven_months = datetime.now(UTC) + timedelta(days=215)
    assert service.prune(now=in_seven_months) == total + 1  # the first prune was logged too
    remaining = service.events()
    assert [(e.action, e.entity) for e in remaining] == [("prune", "audit_event")]
    since = datetime.now(UTC) - timedelta(minutes=5)
    assert service.events(since=since) == remaining


def test_months_before_clamps_the_day() -> None:
    assert months_before(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 12) == datetime(2025, 1, 15, tzinfo=UTC)
