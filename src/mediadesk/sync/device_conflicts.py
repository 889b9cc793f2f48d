"""Conflicts as the device stores them in ``sync_conflict``: derived by the merge, identical on
every device, kept with their detail (base, candidates, outcome) as JSON."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, text

from mediadesk.sync.ops import Candidate, Conflict


def store_conflicts(conn: Connection, conflicts: list[Conflict]) -> list[str]:
    """Insert or update these conflicts (status and detail); returns the ids of those that
    are open now and were not open before (newly opened or reopened)."""
    if not conflicts:
        return []
    ids = [str(c.id) for c in conflicts]
    marks = ", ".join(f":i{n}" for n in range(len(ids)))
    known = {
        str(i): str(s)
        for i, s in conn.execute(
            text(f"SELECT id, status FROM sync_conflict WHERE id IN ({marks})"),
            {f"i{n}": v for n, v in enumerate(ids)},
        )
    }
    conn.execute(
        text(
            "INSERT INTO sync_conflict (id, entity, row_id, field, version, policy, status, "
            "detail) VALUES (:i, :e, :r, :f, :v, :p, :s, :d) ON CONFLICT (id) DO UPDATE SET "
            "status = excluded.status, detail = excluded.detail"
        ),
        [
            {
                "i": str(c.id),
                "e": c.entity,
                "r": c.row_id,
                "f": c.field,
                "v": c.version,
                "p": None if c.policy is None else c.policy.value,
                "s": c.status.value,
                "d": conflict_detail(c),
            }
            for c in conflicts
        ],
    )
    return [
        str(c.id) for c in conflicts if c.status.value == "open" and known.get(str(c.id)) != "open"
    ]


def conflict_detail(conflict: Conflict) -> str:
    """The conflict as JSON for ``sync_conflict.detail`` (base, candidates, outcome)."""

    def candidate(c: Candidate | None) -> dict[str, Any] | None:
        if c is None:
            return None
        return {
            "op": c.op_id,
            "version": c.version,
            "hlc": c.hlc.encode(),
            "device": c.device,
            "author": c.author,
            "kind": c.kind.value,
            "value": c.value,
        }

    return json.dumps(
        {
            "base": conflict.base_value,
            "candidates": [candidate(c) for c in conflict.candidates],
            "provisional": candidate(conflict.provisional),
            "resolution": candidate(conflict.resolution),
        },
        sort_keys=True,
        ensure_ascii=False,
    )
