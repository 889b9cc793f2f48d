"""Reading one live synced row: deletes are soft, so a row found but deleted is not there."""

from __future__ import annotations

import uuid
from typing import TypeVar

from sqlalchemy.orm import Session

from mediadesk.store.base import Synced
from mediadesk.store.errors import NotFound

SyncedRow = TypeVar("SyncedRow", bound=Synced)


def live_row(session: Session, model: type[SyncedRow], row_id: uuid.UUID) -> SyncedRow:
    """The row ``row_id`` of ``model``. Raises NotFound when it does not exist or is deleted."""
    row = session.get(model, row_id)
    if row is None or row.deleted_at is not None:
        raise NotFound(str(row_id))
    return row
