"""The device side of sync on the encrypted store: freeze the outbox, take receipts, apply pages.

:class:`DeviceSync` is the entry point; it owns the transactions and delegates to:

- :mod:`.device_push` — :meth:`DeviceSync.changesets` returns the frozen changesets awaiting a
  receipt (resent as they are, same ``client_seq``), or freezes the captured outbox into a new
  one (inserts expanded into one op per field). Each op gets a hybrid-logical-clock stamp that is
  later than every stamp this device has seen. :meth:`DeviceSync.acknowledge` moves the ops of a
  receipt into the history (rejected ones into the visible ``sync_rejected`` inbox).
- :mod:`.device_apply` — :meth:`DeviceSync.apply_page` applies one page of a team's log in ONE
  transaction together with the new cursor and checksum, without capturing it again: ops join
  the history, then every touched field's value is re-derived by the pure merge
  (:mod:`mediadesk.sync.merge` and :mod:`.rows`, see :mod:`.device_derive`) from all its
  candidates (history + this device's unsent edits) and written to the row; conflicts are stored
  as derived, identical on every device (:mod:`.device_conflicts`). A page whose checksum does
  not match is refused (:class:`ChecksumMismatch`): the caller restarts that team from zero,
  which is harmless (ops are keyed by id). A pull from zero starts from the page's
  ``floor_checksum``; a mismatch below the server's compaction floor is :class:`CompactedPast`
  (offline beyond the horizon: the same restart, this device's changes having been pushed first
  by that request).
- :mod:`.device_departures` — ``move`` ops (a dossier moved to another team) never join the
  history: the rows are kept under their new team if this device belongs to it, else removed;
  pulled anonymisations and refused edits of anonymised dossiers are purged here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from sqlalchemy import Engine, text

from mediadesk.store import capture
from mediadesk.sync import device_apply, device_push
from mediadesk.sync.device_apply import (
    ChecksumMismatch,
    CompactedPast,
    MassChange,
    MassChangePolicy,
    PageResult,
)
from mediadesk.sync.device_conflicts import conflict_detail
from mediadesk.sync.device_store import count, synced_tables
from mediadesk.sync.protocol import (
    EMPTY_CHECKSUM,
    MAX_OPS_PER_CHANGESET,
    Changeset,
    Receipt,
    ScopePage,
)


def _now_ms() -> int:
    return int(datetime.now(UTC).timestamp() * 1000)


class DeviceSync:
    """Sync bookkeeping of one open store (``engine``) for the device ``device`` (hex id)."""

    def __init__(
        self,
        engine: Engine,
        device: str,
        *,
        now_ms: Callable[[], int] = _now_ms,
        mass_change: MassChangePolicy | None = None,
    ) -> None:
        self.engine = engine
        self.device = device
        self.now_ms = now_ms
        self.mass_change = mass_change or MassChangePolicy()
        self.tables = synced_tables()

    # -- state --------------------------------------------------------------------------------
    def cursors(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT scope, cursor FROM sync_scope")).all()
        return {str(row.scope): int(row.cursor) for row in rows}

    def pending_count(self) -> int:
        """Edits not yet acknowledged by the server (outbox rows + frozen ops)."""
        with self.engine.connect() as conn:
            return count(conn, "SELECT count(*) FROM sync_outbox") + count(
                conn, "SELECT count(*) FROM sync_pending"
            )

    def reset_scope(self, scope: str) -> None:
        """Forget how far a team was pulled: the next sync pulls it again from the start."""
        with self.engine.begin() as conn:
            conn.execute(
                text("UPDATE sync_scope SET cursor = 0, checksum = :c WHERE scope = :s"),
                {"c": EMPTY_CHECKSUM, "s": scope},
            )

    # -- push ---------------------------------------------------------------------------------
    def changesets(self, max_ops: int = MAX_OPS_PER_CHANGESET) -> list[Changeset]:
        """Frozen changesets awaiting a receipt, else new ones frozen now from up to
        ``max_ops`` outbox rows (an insert expands into one op per field: several changesets
        may come out, cut only between outbox rows, so one of a single long insert may exceed
        ``max_ops``; a request carries them together)."""
        with self.engine.begin() as conn:
            frozen = device_push.frozen(conn)
            if frozen:
                return frozen
            device_push.freeze(
                conn, max_ops, device=self.device, tables=self.tables, now_ms=self.now_ms
            )
            return device_push.frozen(conn)

    def renumber(self, first: int) -> None:
        """The server expects ``first`` next (this store was restored from an older backup,
        say): number the frozen changesets from there, keeping their order and content."""
        with self.engine.begin() as conn:
            device_push.renumber(conn, first)

    def acknowledge(self, receipts: Iterable[Receipt]) -> int:
        """Take the server's receipts: acked ops join the history, rejected ones the inbox."""
        with self.engine.begin() as conn:
            return device_push.acknowledge(
                conn, receipts, device=self.device, tables=self.tables, now_ms=self.now_ms
            )

    # -- pull ---------------------------------------------------------------------------------
    def apply_page(
        self, page: ScopePage, *, confirm_mass_change: bool = False, scope_name: str = ""
    ) -> PageResult:
        """Apply one page with its cursor, in one transaction (see the module docstring)."""
        with self.engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            with capture.capture_paused(conn):
                result = device_apply.apply(
                    conn,
                    page,
                    device=self.device,
                    tables=self.tables,
                    mass_change=self.mass_change,
                    confirm=confirm_mass_change,
                    scope_name=scope_name,
                )
        return result


__all__ = [
    "ChecksumMismatch",
    "CompactedPast",
    "DeviceSync",
    "MassChange",
    "MassChangePolicy",
    "PageResult",
    "conflict_detail",
]
