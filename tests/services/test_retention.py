"""Retention: dossiers without contact for 2 years are proposed (to anyone); only a lead of the
dossier's team anonymises it, and the anonymised dossier keeps its counts."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import func, select, text

from mediadesk.domain.enums import Role
from mediadesk.domain.text import fold
from mediadesk.services.audit import audit_service
from mediadesk.services.errors import ValidationError
from mediadesk.services.retention import AnonymiseDenied, retention_service
from mediadesk.services.sync_teams import remember_teams
from mediadesk.services.workspace import Workspace
from mediadesk.store.anonymise import ANONYMISED_NAME
from mediadesk.store.models import (
    ContactAttempt,
    Household,
    Interview,
    InterviewAnswer,
    NoteRevision,
    Orientation,
)
from mediadesk.sync.protocol import TeamInfo
from tests.services.dossier_builder import PERSONAL, build_full_household
from tests.services.roles import set_role

# Words of PERSONAL found nowhere else (folded as the search index stores them).
DISTINCTIVE = ("quennehen", "zoubir", "yasmina", "glycines", "perrichon", "vauclair", "orchidee",
               "arvalis", "nassim", "glycinergie", "99887766", "14725836914", "611223344")


def _dump(workspace: Workspace) -> str:
    """Every value of every table of the store (FTS shadow tables included), as text."""
    parts: list[str] = []
    with workspace.opened.sessions() as session:
        names = session.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'table'")).scalars().all()
        for name in names:
            for row in session.execute(text(f'SELECT * FROM "{name}"')):
                for value in row:
                    if isinstance(value, bytes):
                        parts.append(value.decode("utf-8", "ignore"))
                    elif value is not None:
                        parts.append(str(value))
    return "\n".join(parts)


def _counts(workspace: Workspace, household_id: uuid.UUID) -> dict[str, object]:
    with workspace.opened.sessions() as session:
        interview = session.scalars(select(Interview).where(
            Interview.household_id == household_id)).one()
        return {
            "interviews": session.scalar(select(func.count()).select_from(Interview).where(
                Interview.household_id == household_id)),
            "registers": list(interview.registers),
            "autonomy": interview.autonomy_level,
            "answers": session.scalar(select(func.count()).select_from(InterviewAnswer)),
            "answer": session.scalars(select(InterviewAnswer.value)).one()["answer"],
            "attempts": session.scalar(select(func.count()).select_from(ContactAttempt)),
            "orientations": session.scalar(select(func.count()).select_from(Orientation)),
            "revisions": session.scalar(select(func.count()).select_from(NoteRevision)),
            "households": session.scalar(select(func.count()).select_from(Household)),
        }


def _name(workspace: Workspace, household_id: uuid.UUID) -> str:
    with workspace.opened.sessions() as session:
        household = session.get(Household, household_id)
        assert household is not None
        return household.name


def _team(workspace: Workspace, household_id: uuid.UUID) -> uuid.UUID:
    with workspace.opened.sessions() as session:
        household = session.get(Household, household_id)
        assert household is not None and household.scope_id is not None
        return household.scope_id


def _server_named(workspace: Workspace, *roles: tuple[uuid.UUID, str]) -> None:
    """The user's role in each team, as the server would have named them at the last sync."""
    with workspace.opened.engine.begin() as conn:
        remember_teams(conn, [TeamInfo(id=team.hex, name=f"Équipe {number}", role=role)
                              for number, (team, role) in enumerate(roles)])


def _assert_refused(workspace: Workspace, household_id: uuid.UUID) -> None:
    """Anonymising is refused, even confirmed, and changes nothing (no backup either)."""
    service = retention_service(workspace)
    before = _dump(workspace)
    assert not service.may_anonymise(household_id)
    with pytest.raises(AnonymiseDenied) as refused:
        service.anonymise(household_id, confirmed=True)
    assert "Seul un responsable de l'équipe du dossier" in refused.value.message
    assert _name(workspace, household_id) == PERSONAL["household.name"]
    assert _dump(workspace) == before
    assert workspace.backups.backups() == []


def test_proposals_after_two_years_without_contact(workspace: Workspace) -> None:
    old = build_full_household(workspace, last_contact_on=date(2024, 3, 4))
    service = retention_service(workspace)
    assert service.proposals(date(2026, 3, 3)) == []
    [proposal] = service.proposals(date(2026, 3, 5))
    assert proposal.household_id == old
    assert proposal.last_contact == date(2024, 3, 4)
    assert proposal.options == ("close", "archive", "anonymise")


def test_anonymised_dossier_has_no_personal_data_but_still_counts(workspace: Workspace) -> None:
    household_id = build_full_household(workspace)
    assert workspace.dossiers.find_households("Quennehen")
    before = _counts(workspace, household_id)
    dump = _dump(workspace)
    assert all(value in dump for value in PERSONAL.values())
    set_role(workspace, Role.TEAM_LEAD)  # never synced: the local role stands
    service = retention_service(workspace)
    with pytest.raises(ValidationError):
        service.anonymise(household_id, confirmed=False)
    result = service.anonymise(household_id, confirmed=True)
    assert result.fields_blanked >= len(PERSONAL) - 1
    dump = _dump(workspace)
    folded = fold(dump)
    for field, value in PERSONAL.items():
        assert value not in dump, field
    for word in DISTINCTIVE:  # also as folded in the search index
        assert word not in folded, word
    assert _counts(workspace, household_id) == before
    assert not workspace.dossiers.find_households("Quennehen")
    assert service.proposals(date(2030, 1, 1)) == []
    events = audit_service(workspace).events(household_id=household_id)
    assert "anonymise" in {e.action for e in events}


def test_a_mediator_lists_the_proposals_but_may_not_anonymise(workspace: Workspace) -> None:
    household_id = build_full_household(workspace)  # a fresh store's user is a mediator
    proposals = retention_service(workspace).proposals(date(2026, 6, 1))
    assert [p.household_id for p in proposals] == [household_id]
    _assert_refused(workspace, household_id)


def test_a_lead_of_another_team_may_not_anonymise_the_dossier(workspace: Workspace) -> None:
    household_id = build_full_household(workspace)
    set_role(workspace, Role.TEAM_LEAD)  # no longer counts once the server named the roles
    _server_named(workspace, (_team(workspace, household_id), "mediator"),
                  (uuid.uuid4(), "team_lead"))
    _assert_refused(workspace, household_id)


def test_a_lead_of_the_dossiers_team_anonymises_it(workspace: Workspace) -> None:
    household_id = build_full_household(workspace)  # a mediator locally, a lead per the server
    _server_named(workspace, (uuid.uuid4(), "mediator"),
                  (_team(workspace, household_id), "team_lead"))
    service = retention_service(workspace)
    assert service.may_anonymise(household_id)
    assert service.anonymise(household_id, confirmed=True).household_id == household_id
    assert _name(workspace, household_id) == ANONYMISED_NAME
