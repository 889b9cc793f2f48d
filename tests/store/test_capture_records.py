"""capture.record_set / record_delete: the ops the triggers cannot see, written as they would."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from sqlalchemy import Connection, Table, text, update

from mediadesk.services.workspace import Workspace
from mediadesk.store import capture
from mediadesk.store.models import Household

HOUSEHOLD = cast(Table, Household.__table__)
AUTHOR = uuid.UUID("0123456789abcdef0123456789abcdef")


def _household(workspace: Workspace) -> str:
    """A household whose city was edited once already (so versions are past their default)."""
    with workspace.opened.sessions.begin() as session:
        household = Household(name="Famille Exemple", city="Lyon", vulnerability_flags=[])
        session.add(household)
        session.flush()
        row = household.id.hex
    with workspace.opened.engine.begin() as conn:
        conn.execute(text("UPDATE household SET city = 'Vénissieux' WHERE id = :i"), {"i": row})
    return row


def _written_by(workspace: Workspace, row: str,
                write: Callable[[Connection], object]) -> tuple[list[Any], list[Any]]:
    """(outbox rows, the row's field versions) after ``write(conn)``, rolled back afterwards."""
    with workspace.opened.engine.connect() as conn, conn.begin() as transaction:
        before = conn.execute(text("SELECT COALESCE(MAX(seq), 0) FROM sync_outbox")).scalar()
        write(conn)
        rows = [tuple(r) for r in conn.execute(text(
            "SELECT entity, row_id, field, kind, value, base, wall_ms, author, scope "
            "FROM sync_outbox WHERE seq > :s ORDER BY seq"), {"s": before})]
        versions = [tuple(r) for r in conn.execute(text(
            "SELECT entity, field, version FROM sync_field_version WHERE row_id = :r "
            "ORDER BY field"), {"r": row})]
        transaction.rollback()
    return rows, versions


@pytest.mark.parametrize(("field", "value"), [("city", "Bron"),
                                              ("vulnerability_flags", ["énergie", "santé"])])
def test_record_set_writes_what_the_update_trigger_writes_for_the_same_change(
        workspace: Workspace, field: str, value: Any) -> None:
    row = _household(workspace)
    change = update(HOUSEHOLD).where(HOUSEHOLD.c.id == uuid.UUID(hex=row)).values(
        {field: value, "updated_by": AUTHOR})
    by_trigger, trigger_versions = _written_by(workspace, row, lambda conn: conn.execute(change))
    assert [(r[2], r[3]) for r in by_trigger] == [(field, "set")]
    wall_ms = by_trigger[0][6]

    def by_hand(conn: Connection) -> None:
        with capture.capture_paused(conn):  # the value is already there: the trigger sees nothing
            conn.execute(change)
        capture.record_set(conn, HOUSEHOLD, row, field, wall_ms=wall_ms, author=AUTHOR.hex)

    assert _written_by(workspace, row, by_hand) == (by_trigger, trigger_versions)


def test_record_delete_writes_what_the_delete_trigger_writes_and_keeps_the_causal_length(
        workspace: Workspace) -> None:
    row = _household(workspace)
    gone = update(HOUSEHOLD).where(HOUSEHOLD.c.id == uuid.UUID(hex=row)).values(
        deleted_at=datetime.now(UTC), updated_by=AUTHOR)
    by_trigger, trigger_versions = _written_by(workspace, row, lambda conn: conn.execute(gone))
    assert [(r[2], r[3]) for r in by_trigger] == [("_row", "delete")]
    assert '"city":2' in by_trigger[0][4]  # the delete carries the versions its author saw
    wall_ms = by_trigger[0][6]

    def by_hand(conn: Connection) -> None:
        with capture.capture_paused(conn):
            conn.execute(gone)
        capture.record_delete(conn, HOUSEHOLD, row, wall_ms=wall_ms, author=AUTHOR.hex)

    rows, versions = _written_by(workspace, row, by_hand)
    assert rows == by_trigger
    # Confirming a delete does not delete again: the row's causal length is not bumped.
    assert ("household", "_row", 1) in trigger_versions
    assert versions == [v for v in trigger_versions if v[1] != "_row"]


def test_record_delete_writes_nothing_for_a_row_that_is_not_deleted(
        workspace: Workspace) -> None:
    row = _household(workspace)
    rows, _ = _written_by(workspace, row, lambda conn: capture.record_delete(
        conn, HOUSEHOLD, row, wall_ms=1, author=None))
    assert rows == []
