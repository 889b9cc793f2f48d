"""Right of access (RGPD art. 15): everything held on one household, in a protected archive.

`GdprService.export_household` writes an AES-encrypted ZIP holding ``dossier.json`` (every column
of every row of the dossier, found through the foreign keys of the model, plus the audit events
about the household) and ``dossier.pdf`` (the same, readable). A new table or column linked to
the household is exported without touching this module. The export is itself audited, and the
register of access requests (kept with the one-month due date) is updated.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session, sessionmaker

from mediadesk.i18n import _, format_day
from mediadesk.reports.access import AccessSection, render_access_export
from mediadesk.services.export_protection import check_export_password, protect_files
from mediadesk.store import households as repo
from mediadesk.store.audit import record
from mediadesk.store.base import local_day, utcnow
from mediadesk.store.linkage import HOUSEHOLD, child_links, direct_tables
from mediadesk.store.models import AuditEvent, Household, LocalSetting

if TYPE_CHECKING:
    from mediadesk.services.workspace import Workspace

FORMAT = "mediadesk-access-export/1"
JSON_NAME, PDF_NAME = "dossier.json", "dossier.pdf"
REGISTER_KEY = "gdpr_access_requests"
EXPORT = "export"


@dataclass(frozen=True)
class AccessRequest:
    id: str
    household_id: uuid.UUID
    received_on: date
    due_on: date  # one month after reception (extendable by two when the person is told)
    answered_on: date | None


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    request: AccessRequest


def one_month_after(day: date) -> date:
    year, month = divmod(day.year * 12 + day.month, 12)
    for candidate in range(day.day, 0, -1):
        try:
            return date(year, month + 1, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def to_json_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def collect(session: Session, household_id: uuid.UUID) -> dict[str, list[dict[str, Any]]]:
    """Every row held on the household, table by table, every column (soft-deleted rows too)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    household: Any = Household.__table__
    tables[HOUSEHOLD] = _rows(session, household, household.c.id == household_id)
    ids: dict[str, list[Any]] = {}
    for table in direct_tables():
        rows = _rows(session, table, table.c.household_id == household_id)
        tables[table.name] = rows
        ids[table.name] = [uuid.UUID(row["id"]) for row in rows]
    for link in child_links():
        parents = ids.get(link.parent.name, [])
        tables[link.table.name] = (_rows(session, link.table, link.table.c[link.column.name]
                                         .in_(parents)) if parents else [])
    audit: Any = AuditEvent.__table__
    tables[audit.name] = _rows(session, audit, audit.c.household_id == household_id)
    return tables


def _rows(session: Session, table: Table, where: Any) -> list[dict[str, Any]]:
    order = [table.c.created_at] if "created_at" in table.c else []
    return [{key: to_json_value(value) for key, value in row._mapping.items()}
            for row in session.execute(select(table).where(where).order_by(*order))]


def check_password(password: str) -> None:
    check_export_password(password)


class GdprService:
    """Thread: any thread, one call at a time per thread."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def requests(self) -> list[AccessRequest]:
        """The register of access requests, oldest first."""
        with self._sessions() as session:
            return _load_register(session)

    def register_request(self, household_id: uuid.UUID,
                         received_on: date | None = None) -> AccessRequest:
        """Record an access request (due one month after it was received)."""
        with self._sessions.begin() as session:
            repo.get(session, household_id)
            register = _load_register(session)
            request = _new_request(household_id, received_on or local_day(utcnow()))
            _save_register(session, [*register, request])
            return request

    def export_household(self, household_id: uuid.UUID, out_path: Path, password: str,
                         *, received_on: date | None = None) -> ExportResult:
        """Write the access export to ``out_path`` (password-protected); answer the oldest open
        request for the household in the register (one is created when none is open).
        Raises NotFound, ValidationError."""
        check_password(password)
        today = local_day(utcnow())
        with self._sessions.begin() as session:
            repo.get(session, household_id)
            tables = collect(session, household_id)
            register = _load_register(session)
            open_requests = [r for r in register
                             if r.household_id == household_id and r.answered_on is None]
            request = open_requests[0] if open_requests else _new_request(
                household_id, received_on or today)
            answered = AccessRequest(request.id, request.household_id, request.received_on,
                                     request.due_on, today)
            register = [answered if r.id == request.id else r for r in register]
            if not open_requests:
                register.append(answered)
            _save_register(session, register)
            record(session, EXPORT, household_id=household_id)
        generated = utcnow()
        document = {"format": FORMAT, "household_id": str(household_id),
                    "generated_at": generated.isoformat(), "tables": tables}
        data = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False).encode()
        pdf = render_access_export(
            _("Données détenues sur le foyer"),
            _("Export du droit d'accès, établi le {day}.").format(day=format_day(today)),
            [AccessSection(name, [[(key, _text(value)) for key, value in row.items()]
                                  for row in rows]) for name, rows in tables.items()],
        )
        out_path.write_bytes(protect_files({JSON_NAME: data, PDF_NAME: pdf}, password))
        return ExportResult(out_path, sum(len(rows) for rows in tables.values()), answered)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _new_request(household_id: uuid.UUID, received_on: date) -> AccessRequest:
    return AccessRequest(str(uuid.uuid4()), household_id, received_on,
                         one_month_after(received_on), None)


def _load_register(session: Session) -> list[AccessRequest]:
    row = session.get(LocalSetting, REGISTER_KEY)
    if row is None:
        return []
    return [AccessRequest(item["id"], uuid.UUID(item["household_id"]),
                          date.fromisoformat(item["received_on"]),
                          date.fromisoformat(item["due_on"]),
                          date.fromisoformat(item["answered_on"]) if item["answered_on"]
                          else None) for item in json.loads(row.value)]


def _save_register(session: Session, register: Sequence[AccessRequest]) -> None:
    value = json.dumps([{"id": r.id, "household_id": str(r.household_id),
                         "received_on": r.received_on.isoformat(),
                         "due_on": r.due_on.isoformat(),
                         "answered_on": r.answered_on.isoformat() if r.answered_on else None}
                        for r in register])
    row = session.get(LocalSetting, REGISTER_KEY)
    if row is None:
        session.add(LocalSetting(key=REGISTER_KEY, value=value))
    else:
        row.value = value


def gdpr_service(workspace: Workspace) -> GdprService:
    """The GDPR service over an open workspace's store."""
    return GdprService(workspace.opened.sessions)
