"""Laptops for sync tests: real encrypted workspaces enrolled on a real server (in process)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from mediadesk.services.sync import SyncReport, SyncService, sync_service
from mediadesk.services.workspace import Workspace, create_workspace, unlock_workspace
from mediadesk.store import capture
from mediadesk.store.keyslots import TEST_KDF
from mediadesk.store.models import Household
from tests.sync.server.fixtures import Server

PASSPHRASE = "ronces violettes sur le canal"
SERVER_URL = "http://sync.test"
# Columns that legitimately differ between devices holding the same data.
LOCAL_ONLY = {"updated_at", "updated_by", "updated_on_device", "version", "search_rowid",
              "deleted_by", "organisation_id"}


@dataclass
class Laptop:
    name: str
    path: Path
    server: Server
    workspace: Workspace
    service: SyncService

    @classmethod
    def enrolled(cls, server: Server, folder: Path, name: str, email: str) -> Laptop:
        path = folder / f"{name}.mediadesk"
        workspace = create_workspace(path, PASSPHRASE, user_name=name, kdf=TEST_KDF)
        service = sync_service(workspace, lambda _url: server.client())
        service.enrol(SERVER_URL, server.code(email), device_name=f"portable-{name}")
        workspace.close()  # the identity changed: reopen, as the app does after enrolment
        return cls.open(server, path, name)

    @classmethod
    def open(cls, server: Server, path: Path, name: str) -> Laptop:
        workspace = unlock_workspace(path, PASSPHRASE)
        service = sync_service(workspace, lambda _url: server.client())
        return cls(name, path, server, workspace, service)

    @classmethod
    def pair(cls, server: Server, folder: Path, first: tuple[str, str],
             second: tuple[str, str]) -> tuple[Laptop, Laptop]:
        """Two enrolled laptops ``(name, email)`` that have seen each other's enrolment."""
        a = cls.enrolled(server, folder, *first)
        b = cls.enrolled(server, folder, *second)
        a.sync(), b.sync(), a.sync()  # each enrolment (team, user rows) reaches the other
        return a, b

    def sync(self, **options: Any) -> SyncReport:
        return self.service.sync(**options)

    def new_household(self, name: str, city: str = "Lyon") -> str:
        with self.workspace.opened.sessions.begin() as session:
            household = Household(name=name, city=city)
            session.add(household)
            session.flush()
            return household.id.hex

    def edit(self, row_id: str, **values: Any) -> None:
        import uuid

        with self.workspace.opened.sessions.begin() as session:
            household = session.get(Household, uuid.UUID(hex=row_id))
            assert household is not None
            for key, value in values.items():
                setattr(household, key, value)

    def delete(self, row_id: str) -> None:
        self.edit(row_id, deleted_at=datetime.now(UTC))

    def undelete(self, row_id: str) -> None:
        self.edit(row_id, deleted_at=None)

    def value(self, row_id: str, column: str) -> Any:
        with self.workspace.opened.engine.connect() as conn:
            return conn.execute(text(f'SELECT "{column}" FROM household WHERE id = :i'),
                                {"i": row_id}).scalar()

    def dump(self) -> dict[str, dict[str, tuple[Any, ...]]]:
        """Every synced row's shared columns, by table and id (rows of the teams synced)."""
        result: dict[str, dict[str, tuple[Any, ...]]] = {}
        with self.workspace.opened.engine.connect() as conn:
            for table in capture.synced_tables():
                names = [c.name for c in table.columns
                         if c.name not in LOCAL_ONLY and c.name not in ("id", "deleted_at")]
                cols = ", ".join(f'"{n}"' for n in names)
                rows = conn.execute(text(
                    f'SELECT id, deleted_at IS NOT NULL, {cols} FROM "{table.name}" '
                    f"WHERE scope_id IN (SELECT scope FROM sync_scope)")).all()
                result[table.name] = {str(r[0]): tuple(r[1:]) for r in rows}
        return result

    def open_conflicts(self) -> list[tuple[str, str, str]]:
        with self.workspace.opened.engine.connect() as conn:
            return [(str(r.row_id), str(r.field), str(r.detail)) for r in conn.execute(text(
                "SELECT row_id, field, detail FROM sync_conflict WHERE status = 'open' "
                "ORDER BY id")).all()]

    def close(self) -> None:
        self.workspace.close()
