"""Retention: dossiers without contact for 2 years are proposed; anonymisation keeps counts."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import func, select, text

from mediadesk.domain.enums import Role
from mediadesk.domain.text import fold
from mediadesk.services.audit import audit_service
from mediadesk.services.errors import ValidationError
from mediadesk.services.retention import retention_service
from mediadesk.services.workspace import Workspace
from mediadesk.store.models import (
    ContactAttempt,
    Household,
    Interview,
    InterviewAnswer,
    NoteRevision,
    Orientation,
)
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
    service = retention_service(workspace)
    with pytest.raises(ValidationError):
        service.anonymise(household_id, confirmed_by_team_lead=False)
    result = service.anonymise(household_id, confirmed_by_team_lead=True)
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
    set_role(workspace, Role.TEAM_LEAD)
    events = audit_service(workspace).events(household_id=household_id)
    assert "anonymise" in {e.action for e in events}
