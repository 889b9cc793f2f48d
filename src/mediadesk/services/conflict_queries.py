"""The queries behind the conflict review and the sync badges (on the sync bookkeeping tables).

Rules, stated once:

- A row's *dossier* is the household it belongs to: the household itself, a row of a table with
  ``household_id`` (`store.linkage.direct_tables`), or a child of one (`child_links`).
- A conflict is *open* while ``sync_conflict.status = 'open'`` and no edit made here supersedes
  it yet. The merge closes it when an op whose base is at least the conflicting version comes
  back from the server; until that sync, such an op waiting in ``sync_outbox`` /
  ``sync_pending`` (an edit of the field, an undelete or a confirming delete of the row) already
  means "resolved here": the review does not show it again.
- A dossier is *only on this laptop* when the server never acknowledged any op of its household
  row: no ``sync_history`` entry for it (the history holds exactly the ops known to be on the
  server: own acknowledged ones and pulled ones). *Pending* when a row of the dossier has an op
  in the outbox or in a frozen changeset. Badges exist only once this laptop has pulled from a
  server (a ``sync_scope`` row exists): before enrolment, and in a demo store, every dossier is
  local and a badge would be noise.

- A conflict *counts in a team* (for the team-lead queue, see `team_roles`): its dossier's team,
  or for a record of no dossier (a colleague's account, a site), the record's own team.

Functions take a Connection inside the caller's transaction; badges run three statements
whatever the number of dossiers (no per-dossier query).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, text

from mediadesk.store.linkage import HOUSEHOLD, child_links, direct_tables
from mediadesk.sync.ops import ROW_FIELD

SETTLED_HERE = (
    "(EXISTS (SELECT 1 FROM sync_outbox o WHERE o.row_id = c.row_id AND o.entity = c.entity "
    "AND o.field = c.field AND o.base >= c.version) OR EXISTS (SELECT 1 FROM sync_pending p "
    "WHERE p.row_id = c.row_id AND p.entity = c.entity AND p.field = c.field "
    "AND p.base >= c.version))"
)
"""SQL (over ``sync_conflict AS c``): an op waiting here supersedes the conflict."""


def owner_sql(source: str, keep: Sequence[str]) -> str:
    """SQL mapping each row of ``source`` (a table or CTE with ``entity`` and ``row_id``) to its
    household: selects ``keep`` columns of the source then ``household_id``. Rows of no dossier
    (teams, users, sites...) are left out."""
    cols = "".join(f"s.{name}, " for name in keep)
    parts = [f"SELECT {cols}s.row_id AS household_id FROM {source} s "
             f"WHERE s.entity = '{HOUSEHOLD}'"]
    for table in direct_tables():
        parts.append(f'SELECT {cols}t.household_id FROM {source} s JOIN "{table.name}" t '
                     f"ON t.id = s.row_id WHERE s.entity = '{table.name}'")
    for link in child_links():
        parts.append(
            f'SELECT {cols}p.household_id FROM {source} s JOIN "{link.table.name}" t '
            f'ON t.id = s.row_id JOIN "{link.parent.name}" p ON p.id = t."{link.column.name}" '
            f"WHERE s.entity = '{link.table.name}'")
    return " UNION ALL ".join(parts)


def has_synced(conn: Connection) -> bool:
    """Whether this laptop ever pulled from a server (badges are shown from then on)."""
    return conn.execute(text("SELECT 1 FROM sync_scope LIMIT 1")).first() is not None


def local_only(conn: Connection, household_ids: Sequence[str]) -> set[str]:
    """The households among ``household_ids`` (hex) never acknowledged by the server."""
    rows = conn.execute(text(
        "SELECT h.id FROM household h WHERE h.id IN (SELECT value FROM json_each(:ids)) "
        "AND NOT EXISTS (SELECT 1 FROM sync_history s WHERE s.row_id = h.id "
        f"AND s.entity = '{HOUSEHOLD}')"), {"ids": json.dumps(list(household_ids))})
    return {str(row[0]) for row in rows}


def pending_and_conflicted(conn: Connection) -> tuple[set[str], set[str]]:
    """(households with changes waiting to be sent, households with an open conflict)."""
    source = (
        "SELECT 'p' AS tag, entity, row_id FROM sync_outbox UNION "
        "SELECT 'p', entity, row_id FROM sync_pending UNION "
        "SELECT 'c', c.entity, c.row_id FROM sync_conflict c "
        f"WHERE c.status = 'open' AND NOT {SETTLED_HERE}")
    rows = conn.execute(text(
        f"WITH src(tag, entity, row_id) AS ({source}) "
        f"SELECT DISTINCT tag, household_id FROM ({owner_sql('src', ['tag'])})"))
    pending: set[str] = set()
    conflicted: set[str] = set()
    for tag, household in rows:
        if household is not None:
            (conflicted if tag == "c" else pending).add(str(household))
    return pending, conflicted


@dataclass(frozen=True)
class StoredConflict:
    id: str
    entity: str
    row_id: str
    field: str
    version: int
    policy: str | None
    detail: dict[str, Any]
    household_id: str | None


def open_conflicts(conn: Connection, household_id: str | None = None,
                   ids: Iterable[str] | None = None) -> list[StoredConflict]:
    """Open conflicts not yet resolved here, of one dossier (hex id) or all, or those of
    ``ids``; ordered by dossier, then record and field."""
    where = ["c.status = 'open'", f"NOT {SETTLED_HERE}"]
    params: dict[str, Any] = {}
    if ids is not None:
        where.append("c.id IN (SELECT value FROM json_each(:ids))")
        params["ids"] = json.dumps(list(ids))
    owners = owner_sql("src", ["id", "entity", "row_id", "field", "version", "policy",
                               "detail"])
    rows = conn.execute(text(
        f"WITH src AS (SELECT c.* FROM sync_conflict c WHERE {' AND '.join(where)}) "
        f"SELECT * FROM ({owners})"), params).all()
    found = {str(r.id): r for r in rows}
    if ids is not None or household_id is None:  # rows of no dossier (team, users) too
        for r in conn.execute(text(
                f"SELECT c.id, c.entity, c.row_id, c.field, c.version, c.policy, c.detail, "
                f"NULL AS household_id FROM sync_conflict c WHERE {' AND '.join(where)}"),
                params).all():
            found.setdefault(str(r.id), r)
    result = [StoredConflict(str(r.id), str(r.entity), str(r.row_id), str(r.field),
                             int(r.version), r.policy, json.loads(r.detail),
                             None if r.household_id is None else str(r.household_id))
              for r in found.values()]
    if household_id is not None:
        result = [c for c in result if c.household_id == household_id]
    return sorted(result, key=lambda c: (c.household_id or "", c.entity, c.row_id,
                                         c.field != ROW_FIELD, c.field))


def teams_of(conn: Connection, conflicts: Sequence[StoredConflict],
             tables: Mapping[str, Table]) -> dict[str, uuid.UUID | None]:
    """The team each conflict counts in, by conflict id (None: of no team, or unknown here);
    one statement for the dossiers, one per kind of record of no dossier."""
    households = {c.household_id for c in conflicts if c.household_id}
    scopes = _scopes(conn, HOUSEHOLD, households)
    loose: dict[str, set[str]] = {}
    for conflict in conflicts:
        table = tables.get(conflict.entity)
        if not conflict.household_id and table is not None and "scope_id" in table.c:
            loose.setdefault(conflict.entity, set()).add(conflict.row_id)
    rows = {entity: _scopes(conn, entity, ids) for entity, ids in loose.items()}
    teams: dict[str, uuid.UUID | None] = {}
    for c in conflicts:
        team = scopes.get(c.household_id) if c.household_id else rows.get(c.entity, {}).get(
            c.row_id)
        teams[c.id] = uuid.UUID(hex=team) if team else None
    return teams


def _scopes(conn: Connection, table: str, ids: Iterable[str]) -> dict[str, str | None]:
    """``scope_id`` (hex) of the rows ``ids`` of ``table`` (a synced table's name)."""
    rows = conn.execute(text(f'SELECT id, scope_id FROM "{table}" WHERE id IN '
                             "(SELECT value FROM json_each(:ids))"),
                        {"ids": json.dumps(sorted(set(ids)))})
    return {str(i): None if s is None else str(s) for i, s in rows}


def household_names(conn: Connection, ids: Iterable[str]) -> dict[str, str]:
    rows = conn.execute(text("SELECT id, name FROM household WHERE id IN "
                             "(SELECT value FROM json_each(:ids))"),
                        {"ids": json.dumps(sorted(set(ids)))})
    return {str(i): str(n) for i, n in rows}


def user_names(conn: Connection, ids: Iterable[str]) -> dict[str, str]:
    rows = conn.execute(text("SELECT id, display_name FROM user_account WHERE id IN "
                             "(SELECT value FROM json_each(:ids))"),
                        {"ids": json.dumps(sorted(set(ids)))})
    return {str(i): str(n) for i, n in rows}


def op_fields(conn: Connection, op_ids: Iterable[str]) -> dict[str, str]:
    """The field each op (of the history) wrote: names the edits of a row conflict."""
    rows = conn.execute(text("SELECT op_id, field FROM sync_history WHERE op_id IN "
                             "(SELECT value FROM json_each(:ids))"),
                        {"ids": json.dumps(sorted(set(op_ids)))})
    return {str(i): str(f) for i, f in rows}


def owner_of(conn: Connection, entity: str, row_id: str) -> str | None:
    """The household (hex) a row belongs to, or None."""
    row = conn.execute(text(
        f"WITH src(entity, row_id) AS (SELECT :e, :r) "
        f"SELECT household_id FROM ({owner_sql('src', [])})"), {"e": entity, "r": row_id}).first()
    return None if row is None or row[0] is None else str(row[0])


def household_uuid(household: str | None) -> uuid.UUID | None:
    return uuid.UUID(hex=household) if household else None
