"""Change capture: every synced table and column reaches the outbox, by any way of writing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import insert, text

from mediadesk.services.workspace import Workspace
from mediadesk.store import capture
from mediadesk.store.base import Base, Synced
from mediadesk.store.models import Household, Phone


def _outbox(workspace: Workspace) -> list[tuple[str, str, str, str]]:
    with workspace.opened.engine.connect() as conn:
        return [(r.entity, r.row_id, r.field, r.kind) for r in conn.execute(text(
            "SELECT entity, row_id, field, kind FROM sync_outbox ORDER BY seq"))]


def _clear(workspace: Workspace) -> None:
    with workspace.opened.engine.begin() as conn:
        conn.execute(text("DELETE FROM sync_outbox"))


def test_every_synced_table_has_its_three_triggers(workspace: Workspace) -> None:
    synced = {m.local_table.name for m in Base.registry.mappers if issubclass(m.class_, Synced)}
    # Only these stay on the laptop; adding a table here is a decision, not an accident.
    assert {"device", "organisation"} == capture.NOT_SYNCED_TABLES
    with workspace.opened.engine.connect() as conn:
        triggers = {str(r[0]) for r in conn.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'sync_capture_%'"))}
    expected = {f"sync_capture_{name}_{kind}" for name in synced - capture.NOT_SYNCED_TABLES
                for kind in ("ins", "upd", "del")}
    assert triggers == expected


def test_no_column_escapes_capture() -> None:
    assert {("household", "search_rowid"), ("team", "organisation_id")} == capture.LOCAL_COLUMNS
    for table in capture.synced_tables():
        captured = {c.name for c in capture.captured_columns(table)}
        expected = ({c.name for c in table.columns} - capture.META_COLUMNS
                    - {c for t, c in capture.LOCAL_COLUMNS if t == table.name})
        assert captured == expected, table.name
        update = capture.trigger_sql()[f"sync_capture_{table.name}_upd"]
        for name in captured:
            assert f"NEW.\"{name}\" IS NOT OLD.\"{name}\"" in update, (table.name, name)


def test_orm_raw_sql_and_bulk_writes_are_all_captured(workspace: Workspace) -> None:
    sessions = workspace.opened.sessions
    with sessions.begin() as session:
        household = Household(name="Famille Leroy", city="Lyon")
        session.add(household)
        session.flush()
        row = household.id.hex
    assert (("household", row, "_row", "insert") in _outbox(workspace))
    _clear(workspace)
    with sessions.begin() as session:
        found = session.get(Household, uuid.UUID(hex=row))
        assert found is not None
        found.city = "Bron"
    assert ("household", row, "city", "set") in _outbox(workspace)
    _clear(workspace)
    with workspace.opened.engine.begin() as conn:
        conn.execute(text("UPDATE household SET street = '3 rue Garibaldi' WHERE id = :i"),
                     {"i": row})
        phone = uuid.uuid4()
        conn.execute(insert(Phone.__table__).values(
            id=phone, household_id=uuid.UUID(hex=row), position=0, number="+33612345678",
            status="valid", created_at=datetime.now(UTC), updated_at=datetime.now(UTC),
            version=1))
    assert _outbox(workspace) == [("household", row, "street", "set"),
                                  ("phone", phone.hex, "_row", "insert")]
    _clear(workspace)
    with sessions.begin() as session:
        found = session.get(Household, uuid.UUID(hex=row))
        assert found is not None
        found.deleted_at = datetime.now(UTC)
    assert ("household", row, "_row", "delete") in _outbox(workspace)


def test_remote_changes_are_not_captured_again(workspace: Workspace) -> None:
    with workspace.opened.sessions.begin() as session:
        household = Household(name="Famille Morel", city="Lyon")
        session.add(household)
        session.flush()
        row = household.id.hex
    _clear(workspace)
    with workspace.opened.engine.begin() as conn, capture.capture_paused(conn):
        conn.execute(text("UPDATE household SET city = 'Givors' WHERE id = :i"), {"i": row})
    assert _outbox(workspace) == []
    with workspace.opened.engine.connect() as conn:
        assert conn.execute(text("SELECT applying FROM sync_guard")).scalar_one() == 0
