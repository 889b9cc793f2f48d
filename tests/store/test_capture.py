"""Change capture: every synced table and column reaches the outbox, by any way of writing."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from contextlib import nullcontext
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from sqlalchemy import Connection, Table, insert, text

from mediadesk.services.workspace import Workspace
from mediadesk.store import capture
from mediadesk.store.base import Base, Synced
from mediadesk.store.bulk import BulkInserter, new_ids
from mediadesk.store.models import Household, Person, Phone
from mediadesk.store.stamping import Actor


def _outbox(workspace: Workspace) -> list[tuple[str, str, str, str]]:
    with workspace.opened.engine.connect() as conn:
        return [(r.entity, r.row_id, r.field, r.kind) for r in conn.execute(text(
            "SELECT entity, row_id, field, kind FROM sync_outbox ORDER BY seq"))]


def _clear(workspace: Workspace) -> None:
    with workspace.opened.engine.begin() as conn:
        conn.execute(text("DELETE FROM sync_outbox"))


def test_every_synced_table_has_its_three_triggers(workspace: Workspace) -> None:
    synced = {cast(Table, m.local_table).name for m in Base.registry.mappers
              if issubclass(m.class_, Synced)}
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
        conn.execute(insert(cast(Table, Phone.__table__)).values(
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


def _captured_by(workspace: Workspace, write: Callable[[Connection], None]) -> list[Any]:
    """The outbox rows ``write(conn)`` adds (without their sequence number and clock), rolled
    back afterwards."""
    with workspace.opened.engine.connect() as conn, conn.begin() as transaction:
        before = conn.execute(text("SELECT COALESCE(MAX(seq), 0) FROM sync_outbox")).scalar()
        write(conn)
        rows = list(conn.execute(text(
            "SELECT entity, row_id, field, kind, value, base, author, scope "
            "FROM sync_outbox WHERE seq > :s ORDER BY seq"), {"s": before}))
        guard: int = conn.execute(text("SELECT applying FROM sync_guard")).scalar_one()
        transaction.rollback()
    return [*rows, ("guard", guard)]


def _bulk_write(actor: Actor, now: datetime) -> Callable[[Connection], None]:
    households, people = new_ids(3), new_ids(3)

    def write(conn: Connection) -> None:
        bulk = BulkInserter(conn, actor, now)
        bulk.insert(Household, [{"id": h, "name": f"Famille {n}", "city": "Lyon", "street": None,
                                 "vulnerability_flags": ["énergie"] * n}
                                for n, h in enumerate(households)], audit=False)
        bulk.insert(Person, [{"id": p, "household_id": h, "first_name": "Zoé",
                              "last_name": f"Martin-{n}"}
                             for n, (p, h) in enumerate(zip(people, households, strict=True))],
                    audit=False)  # audit events get fresh ids and times

    return write


def test_bulk_inserts_reach_the_outbox_exactly_as_the_insert_trigger_writes_them(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    write = _bulk_write(workspace.actor, datetime.now(UTC))
    in_bulk = _captured_by(workspace, write)
    # The same rows, captured row by row by the trigger.
    monkeypatch.setattr(capture, "captured_after", lambda _conn, _table: nullcontext())
    by_trigger = _captured_by(workspace, write)
    assert in_bulk == by_trigger
    kinds = [(row[0], row[2], row[3]) for row in in_bulk[:-1]]
    assert kinds.count(("household", "_row", "insert")) == 3
    assert kinds.count(("person", "_row", "insert")) == 3 and len(kinds) == 6
    assert in_bulk[-1] == ("guard", 0)
    values = [json.loads(row[4]) for row in in_bulk[:-1] if row[0] == "household"]
    assert [v["vulnerability_flags"] for v in values] == [[], ["énergie"], ["énergie"] * 2]


def test_bulk_inserts_are_not_captured_while_remote_ops_are_applied(
        workspace: Workspace) -> None:
    write = _bulk_write(workspace.actor, datetime.now(UTC))

    def paused(conn: Connection) -> None:
        with capture.capture_paused(conn):
            write(conn)
            assert conn.execute(text("SELECT applying FROM sync_guard")).scalar_one() == 1

    assert _captured_by(workspace, paused) == [("guard", 0)]
