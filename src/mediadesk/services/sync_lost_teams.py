"""A team this device no longer belongs to: its dossiers leave the device.

Called by `SyncService` after each answer of the server, which names the device's teams; the
caller holds the store's exchange lock (`sync_lock`). Thread: the caller's (a background lane).
"""

from __future__ import annotations

from sqlalchemy import Engine, text

from mediadesk.store import capture
from mediadesk.store.capture import capture_paused


def drop_lost_teams(engine: Engine, current: set[str]) -> list[str]:
    """Remove the rows and sync bookkeeping of every known team not in ``current`` (team ids,
    32 hex digits); returns the names of the teams removed."""
    removed: list[str] = []
    with engine.begin() as conn:
        known = {str(r.scope): str(r.name) for r in conn.execute(
            text("SELECT scope, name FROM sync_scope")).all()}
        for scope, name in known.items():
            if scope in current:
                continue
            with capture_paused(conn):
                conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
                for table in reversed(capture.synced_tables()):
                    conn.execute(text(f'DELETE FROM "{table.name}" WHERE scope_id = :s'),
                                 {"s": scope})
                for bookkeeping in ("sync_history", "sync_pending", "sync_outbox"):
                    conn.execute(text(f"DELETE FROM {bookkeeping} WHERE scope = :s"),
                                 {"s": scope})
                conn.execute(text("DELETE FROM sync_scope WHERE scope = :s"), {"s": scope})
            removed.append(name or scope)
    if removed:
        from mediadesk.store.search import rebuild

        with engine.begin() as conn:
            rebuild(conn)
    return removed
