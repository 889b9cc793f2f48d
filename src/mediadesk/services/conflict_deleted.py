"""Dossiers deleted elsewhere while this user edited them: the mediator's own way to them.

A dossier deleted on another device while someone edited it raises an "edited while deleted"
conflict (a ``_row`` conflict of the household). The dossier then no longer opens nor appears
in search, and the team queue is for leads only: the person whose edit met the deletion would
never see it again. They are shown here, with their rule stated once:

- the conflict is open and not resolved here (`conflict_queries.open_conflicts`), on the
  household row itself (``_row``), and the dossier is deleted on this laptop (a dossier still
  shown has its own badge and review);
- one of its candidates is *their own edit*: not a deletion, written by the current user or on
  this device; and the deletion came from *elsewhere* (another device);
- the dossier is of one of their teams (the teams the server last named, `sync_teams`; before
  it ever did, every dossier of the laptop, which then holds only its own team's work).

A colleague's edit on another deleted dossier is not shown (need-to-know): the team lead sees it
in the team queue. Resolving uses the ordinary resolutions of `ConflictService` (restore the
row, or confirm the deletion). Functions take a Connection inside the caller's transaction.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, text

from mediadesk.services import conflict_queries as queries
from mediadesk.services.conflict_views import ConflictView, DeletedElsewhere
from mediadesk.services.sync_teams import remembered_teams
from mediadesk.store.linkage import HOUSEHOLD
from mediadesk.sync.ops import ROW_FIELD


def is_own(candidate: dict[str, Any], user_hex: str | None, device_hex: str) -> bool:
    """A candidate written by the current user, or on this device (whoever was signed in)."""
    author, device = str(candidate.get("author") or ""), str(candidate.get("device") or "")
    return bool((user_hex and author == user_hex) or (device_hex and device == device_hex))


def _deleted_elsewhere(candidate: dict[str, Any], device_hex: str) -> bool:
    return candidate.get("kind") == "delete" and str(candidate.get("device") or "") != device_hex


def own_conflicts(conn: Connection, user_hex: str | None,
                  device_hex: str) -> list[queries.StoredConflict]:
    """The open conflicts of the rule above: the open conflicts read once
    (`conflict_queries.open_conflicts`), then one statement for their dossiers."""
    rows = [c for c in queries.open_conflicts(conn)
            if c.entity == HOUSEHOLD and c.field == ROW_FIELD and c.household_id]
    mine = [c for c in rows if _matches(c.detail.get("candidates", []), user_hex, device_hex)]
    if not mine:
        return []
    deleted: dict[str, str] = {str(i): "" if s is None else str(s) for i, s in conn.execute(text(
        "SELECT id, scope_id FROM household WHERE deleted_at IS NOT NULL AND id IN "
        "(SELECT value FROM json_each(:ids))"),
        {"ids": json.dumps(sorted({c.household_id for c in mine}))})}
    teams = remembered_teams(conn)
    allowed = None if teams is None else {uuid.UUID(hex=t.id).hex for t in teams}
    return [c for c in mine if c.household_id in deleted
            and (allowed is None or deleted[c.household_id] in allowed)]


def _matches(candidates: Sequence[dict[str, Any]], user_hex: str | None,
             device_hex: str) -> bool:
    return (any(c.get("kind") != "delete" and is_own(c, user_hex, device_hex)
                for c in candidates)
            and any(_deleted_elsewhere(c, device_hex) for c in candidates))


def entry(view: ConflictView, stored: queries.StoredConflict, user_hex: str | None,
          device_hex: str) -> DeletedElsewhere:
    """What the list shows of one conflict of `own_conflicts` (``view`` is its review view)."""
    raw = stored.detail.get("candidates", [])
    deletion = max((view.candidates[i] for i, c in enumerate(raw)
                    if _deleted_elsewhere(c, device_hex)), key=lambda c: (c.at, c.index))
    edits = tuple(view.candidates[i] for i, c in enumerate(raw)
                  if c.get("kind") != "delete" and is_own(c, user_hex, device_hex))
    assert view.household_id is not None  # own_conflicts keeps dossier conflicts only
    return DeletedElsewhere(conflict_id=view.id, household_id=view.household_id,
                            dossier=view.dossier, deleted_by=deletion.author,
                            deleted_on=deletion.device, deleted_at=deletion.at, edits=edits)
