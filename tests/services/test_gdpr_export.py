"""Right of access: everything held on a household, in a password-protected archive."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
import pyzipper
from pypdf import PdfReader
from sqlalchemy import select

from mediadesk.domain.enums import Role
from mediadesk.services.audit import audit_service
from mediadesk.services.errors import ValidationError
from mediadesk.services.gdpr import (
    JSON_NAME,
    PDF_NAME,
    gdpr_service,
    one_month_after,
    to_json_value,
)
from mediadesk.services.workspace import Workspace
from mediadesk.store.base import Base
from mediadesk.store.linkage import dossier_table_names
from mediadesk.store.models import AuditEvent
from tests.services.dossier_builder import PERSONAL, build_full_household
from tests.services.roles import set_role

PASSWORD = "mot de passe du foyer"


def _open(path: Path, password: str = PASSWORD) -> dict[str, bytes]:
    with pyzipper.AESZipFile(path) as archive:
        archive.setpassword(password.encode())
        return {name: archive.read(name) for name in archive.namelist()}


def test_every_column_of_every_dossier_row_is_exported(workspace: Workspace,
                                                       tmp_path: Path) -> None:
    household_id = build_full_household(workspace)
    workspace.dossiers.open_dossier(household_id)
    out = tmp_path / "acces.zip"
    result = gdpr_service(workspace).export_household(household_id, out, PASSWORD)
    assert result.path == out and result.rows > 20
    files = _open(out)
    assert set(files) == {JSON_NAME, PDF_NAME}
    text = files[JSON_NAME].decode()
    for field, value in PERSONAL.items():
        assert value in text, field
    tables = json.loads(text)["tables"]
    assert dossier_table_names() | {"audit_event"} == set(tables)
    # Every column of every row in the store that belongs to the household, as stored.
    with workspace.opened.sessions() as session:
        for name in dossier_table_names():
            table = Base.metadata.tables[name]
            exported = {row["id"]: row for row in tables[name]}
            assert exported, name
            for row in session.execute(select(table).where(
                    table.c.id.in_([_uuid(i) for i in exported]))):
                for key, value in row._mapping.items():
                    assert exported[str(row.id)][key] == to_json_value(value), (name, key)
    actions = {row["action"] for row in tables["audit_event"]}
    assert {"create", "view"} <= actions
    pdf = PdfReader(io.BytesIO(files[PDF_NAME]))
    pdf_text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Quennehen" in pdf_text and "Glycines" in pdf_text


def _uuid(value: str) -> object:
    import uuid

    return uuid.UUID(value)


def test_the_archive_needs_the_password(workspace: Workspace, tmp_path: Path) -> None:
    household_id = build_full_household(workspace)
    out = tmp_path / "acces.zip"
    gdpr_service(workspace).export_household(household_id, out, PASSWORD)
    raw = out.read_bytes()
    for value in PERSONAL.values():
        assert value.encode() not in raw
    with zipfile.ZipFile(out) as plain, pytest.raises(RuntimeError):
        plain.read(JSON_NAME)
    with pytest.raises(RuntimeError):
        _open(out, password="")
    with pytest.raises(RuntimeError):
        _open(out, password="pas le bon mot de passe")


def test_export_is_audited_and_answers_the_register(workspace: Workspace,
                                                    tmp_path: Path) -> None:
    household_id = build_full_household(workspace)
    service = gdpr_service(workspace)
    request = service.register_request(household_id, received_on=date(2026, 1, 31))
    assert request.due_on == date(2026, 2, 28) and request.answered_on is None
    service.export_household(household_id, tmp_path / "a.zip", PASSWORD)
    [answered] = service.requests()
    assert answered.id == request.id and answered.answered_on is not None
    set_role(workspace, Role.TEAM_LEAD)
    events = audit_service(workspace).events(household_id=household_id)
    assert "export" in {e.action for e in events}
    with workspace.opened.sessions() as session:
        assert session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()


def test_a_short_password_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    household_id = build_full_household(workspace)
    with pytest.raises(ValidationError):
        gdpr_service(workspace).export_household(household_id, tmp_path / "a.zip", "court")
    assert not (tmp_path / "a.zip").exists()


def test_one_month_after() -> None:
    assert one_month_after(date(2026, 1, 31)) == date(2026, 2, 28)
    assert one_month_after(date(2026, 12, 15)) == date(2027, 1, 15)
