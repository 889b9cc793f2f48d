"""The audit trail: every dossier change and view, no data in it, append-only, pruned."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from mediadesk.domain.enums import Role
from mediadesk.services.audit import (
    AuditAccessDenied,
    AuditService,
    audit_service,
    months_before,
)
from mediadesk.services.interviews import InterviewService
from mediadesk.services.views import Dossier, HouseholdDraft, MemberDraft, PhoneDraft
from mediadesk.services.workspace import Workspace
from mediadesk.store import audit as store_audit
from mediadesk.store.audit import AuditLogIsAppendOnly
from mediadesk.store.models import AuditEvent, Note, NoteRevision
from tests.services.roles import set_role


@pytest.fixture
def lead(workspace: Workspace) -> Workspace:
    """The workspace of a team lead (the only role that reads the trail)."""
    set_role(workspace, Role.TEAM_LEAD)
    return workspace


def _create(workspace: Workspace) -> Dossier:
    draft = HouseholdDraft(name="Famille Bensaïd", street="12 rue des Lilas", postal_code="69003",
                           city="Lyon", email="bensaid@example.org",
                           phones=(PhoneDraft(number="06 12 34 56 78"),),
                           members=(MemberDraft(first_name="Karima", last_name="Bensaïd"),),
                           languages=("fr", "ar"))
    return workspace.dossiers.create_household(draft)


def test_changes_and_views_are_audited_without_values(lead: Workspace) -> None:
    workspace = lead
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


def test_child_rows_resolve_their_household(lead: Workspace) -> None:
    workspace = lead
    household_id = _create(workspace).household.id
    with workspace.opened.sessions.begin() as session:
        note = Note(household_id=household_id, at=datetime.now(UTC))
        session.add(note)
        session.flush()
        session.add(NoteRevision(note_id=note.id, body="Appel au fournisseur"))
    events = audit_service(workspace).events(household_id=household_id)
    assert ("create", "note_revision") in {(e.action, e.entity) for e in events}


def test_updates_and_soft_deletes(lead: Workspace) -> None:
    workspace = lead
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


def test_prune_keeps_the_window(lead: Workspace) -> None:
    workspace = lead
    service = AuditService(workspace.opened.sessions, workspace.actor.user_id)
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


@pytest.mark.parametrize("role", [Role.MEDIATOR, Role.ADMIN])
def test_only_a_team_lead_reads_the_trail(workspace: Workspace, role: Role) -> None:
    household_id = _create(workspace).household.id
    set_role(workspace, role)
    service = audit_service(workspace)
    assert not service.may_read()
    for read in (service.events, lambda: service.events(household_id=household_id)):
        with pytest.raises(AuditAccessDenied) as refused:
            read()
        assert "responsables d'équipe" in refused.value.message
    set_role(workspace, Role.TEAM_LEAD)
    assert service.may_read()
    assert ("create", "household") in {(e.action, e.entity) for e in service.events()}


class _Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def _interview_updates(workspace: Workspace, interview_id: uuid.UUID) -> list[AuditEvent]:
    with workspace.opened.sessions() as session:
        return list(session.scalars(select(AuditEvent).where(
            AuditEvent.entity_id == interview_id, AuditEvent.action == "update")))


def _autosave(workspace: Workspace, clock: Callable[[], datetime]
              ) -> tuple[InterviewService, uuid.UUID, uuid.UUID]:
    household_id = _create(workspace).household.id
    interviews = InterviewService(workspace.opened.sessions, clock=clock)
    return interviews, household_id, interviews.start(household_id).id


def test_autosaved_answers_make_one_interview_event_per_ten_minutes(
    lead: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = _Clock(datetime.now(UTC))
    monkeypatch.setattr(store_audit, "utcnow", clock)  # the time the events are stamped with
    interviews, household_id, interview_id = _autosave(lead, clock)
    typed = ["M", "Mm", "Mme Bensaïd au guichet", "Mme Bensaïd au guichet de la poste"]
    for minute, text in enumerate(typed):
        clock.now += timedelta(minutes=minute)
        interviews.save_answer(interview_id, "reception.person_met", text)
    interviews.save_answer(interview_id, "situation.notes", "Facture de janvier")
    [first] = _interview_updates(lead, interview_id)
    assert (first.entity, first.household_id) == ("interview", household_id)
    assert first.user_id == lead.actor.user_id

    clock.now += timedelta(minutes=10, seconds=1)
    interviews.save_answer(interview_id, "reception.person_met", "Mme Bensaïd")
    interviews.save_answer(interview_id, "reception.person_met", "Mme K. Bensaïd")
    assert len(_interview_updates(lead, interview_id)) == 2

    events = audit_service(lead).events(household_id=household_id)
    assert not {e.entity for e in events} & {"interview_answer"}
    assert ("create", "interview") in {(e.action, e.entity) for e in events}
    with lead.opened.sessions() as session:
        flat = " ".join(" ".join(map(str, row)) for row in session.execute(
            select(AuditEvent.__table__)).all())
    assert "Bensaïd" not in flat and "guichet" not in flat and "janvier" not in flat


def test_another_user_gets_an_event_of_their_own_within_the_window(
    lead: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = _Clock(datetime.now(UTC))
    monkeypatch.setattr(store_audit, "utcnow", clock)
    interviews, _household, interview_id = _autosave(lead, clock)
    interviews.save_answer(interview_id, "reception.person_met", "Mme Bensaïd")
    colleague = uuid.uuid4()
    with lead.opened.sessions.begin() as session:  # a colleague's event, as sync brings it
        session.add(AuditEvent(at=clock.now, action="update", entity="interview",
                               entity_id=interview_id, user_id=colleague))
    clock.now += timedelta(minutes=1)
    interviews.save_answer(interview_id, "reception.person_met", "Mme K. Bensaïd")
    events = _interview_updates(lead, interview_id)
    assert sorted(str(e.user_id) for e in events) == sorted(
        [str(lead.actor.user_id), str(colleague)])
