"""Change capture: every write to a synced table lands in the sync outbox, in its transaction.

One mechanism for all synced tables: SQLite triggers generated from the models' metadata, so ORM
writes, bulk Core inserts and raw SQL are all captured (``tests/store/test_capture.py`` fails if
a synced table or column escapes). Installed at unlock, recreated when the models change.

- INSERT: one ``insert`` outbox row holding the new row's values as one JSON object; the push
  expands it into one op per field (base version 0). A row inserted then erased before any push
  (an import undone) never leaves the device. Bulk writers (`store.bulk`) pause the trigger and
  write the same outbox rows with one INSERT ... SELECT per statement (`captured_after`).
- UPDATE: one ``set`` op per changed field, with the base version the edit was made from (the
  field's version in ``sync_field_version``; absent means 1, the version a row's fields get at
  insert), then that version is bumped. ``deleted_at`` becoming set / cleared is a ``delete`` /
  ``undelete`` op on the pseudo-field ``_row`` whose base is the row's causal length; a delete
  carries the field versions its author had seen, so a concurrent edit is detected exactly.
- DELETE (hard): a ``delete`` op, so other devices keep a soft, reversible delete.
- An edit the triggers cannot see (a field set to the value it has, a delete confirmed on a row
  already deleted) is written by :func:`record_set` / :func:`record_delete`, built from the
  same SQL as the triggers.
- While remote ops are applied (``sync_guard.applying = 1``, set inside that transaction),
  nothing is captured.
Values are canonical JSON made by SQLite itself (``json_quote`` / ``json``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from sqlalchemy import JSON, Column, Connection, Engine, Table, text

from mediadesk.store.base import Base, Synced

ROW_FIELD = "_row"
INSERT = "insert"

NOT_SYNCED_TABLES = frozenset({"device", "organisation"})
"""Local identity: this laptop's device row and the placeholder organisation stay here."""

META_COLUMNS = frozenset({"id", "scope_id", "version", "updated_at", "updated_by",
                          "updated_on_device", "deleted_at", "deleted_by"})
"""Carried by the op itself (id, scope, author) or derived (version, deletion = ``_row``)."""

LOCAL_COLUMNS = frozenset({("household", "search_rowid"), ("team", "organisation_id")})
"""Columns that only make sense on this device (the search index row, the local organisation)."""

DEMO_SETTING = "store.demo"
"""Local setting present in a store filled with invented demo data (never captured, never
synced)."""

_PREFIX = "sync_capture_"
_NOW_MS = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
_CAPTURING = "COALESCE((SELECT applying FROM sync_guard WHERE id = 1), 0) = 0"
_MAX_ROWID = 2**63 - 1
_OUTBOX = ("INSERT INTO sync_outbox "
           "(entity, row_id, field, kind, value, base, wall_ms, author, scope)")


@cache
def _synced_names() -> frozenset[str]:
    return frozenset(table.name for table in synced_tables())


def synced_tables() -> list[Table]:
    """Every table whose rows travel through sync, by name."""
    tables = [mapper.local_table for mapper in Base.registry.mappers
              if issubclass(mapper.class_, Synced)]
    return sorted((t for t in tables if isinstance(t, Table) and t.name not in NOT_SYNCED_TABLES),
                  key=lambda t: t.name)


def captured_columns(table: Table) -> list[Column[object]]:
    return [c for c in table.columns
            if c.name not in META_COLUMNS and (table.name, c.name) not in LOCAL_COLUMNS]


def is_json(column: Column[object]) -> bool:
    return isinstance(column.type, JSON)


def json_expr(column: Column[object], alias: str = "NEW") -> str:
    """SQL giving the canonical JSON text of ``alias.column`` (``null`` for NULL)."""
    ref = f'{alias}."{column.name}"'
    if is_json(column):
        return f"CASE WHEN {ref} IS NULL THEN 'null' ELSE json({ref}) END"
    return f"json_quote({ref})"


def _version(table: str, field: str, default: int, alias: str = "NEW") -> str:
    return (f"COALESCE((SELECT version FROM sync_field_version WHERE entity = '{table}' "
            f"AND row_id = {alias}.id AND field = '{field}'), {default})")


def snapshot_expr(table: Table, alias: str = "NEW") -> str:
    """SQL giving a row's captured values as one JSON object (plus ``__deleted``)."""
    pairs = []
    for column in captured_columns(table):
        ref = f'{alias}."{column.name}"'
        pairs.append(f"'{column.name}', {f'json({ref})' if is_json(column) else ref}")
    pairs.append(f"'__deleted', {alias}.deleted_at IS NOT NULL")
    return f"json_object({', '.join(pairs)})"


def _insert_trigger(table: Table) -> str:
    return (
        f'CREATE TRIGGER {_PREFIX}{table.name}_ins AFTER INSERT ON "{table.name}" '
        f"WHEN {_CAPTURING} BEGIN "
        f"{_OUTBOX} VALUES ('{table.name}', NEW.id, '{ROW_FIELD}', '{INSERT}', "
        f"{snapshot_expr(table)}, 0, {_NOW_MS}, NEW.updated_by, NEW.scope_id); END"
    )


def _insert_select(table: Table) -> str:
    """The outbox rows `_insert_trigger` writes, for every row of ``table`` past a rowid."""
    return (
        f"{_OUTBOX} SELECT '{table.name}', t.id, '{ROW_FIELD}', '{INSERT}', "
        f"{snapshot_expr(table, 't')}, 0, {_NOW_MS}, t.updated_by, t.scope_id "
        f'FROM "{table.name}" AS t WHERE t.rowid > ? ORDER BY t.rowid'
    )


def _seen(table: str, alias: str) -> str:
    return (f"json_object('seen', json((SELECT json_group_object(field, version) "
            f"FROM sync_field_version WHERE entity = '{table}' AND row_id = {alias}.id "
            f"AND field <> '{ROW_FIELD}')))")


def _set_op(table: str, column: Column[object], alias: str, where: str, *, now: str = _NOW_MS,
            author: str = "", source: str = "") -> str:
    """The ``set`` op of ``alias.column`` with its value, from the field's version (no ``;``).
    ``author`` defaults to ``alias.updated_by``; ``source`` is a FROM clause (with its space)."""
    return (
        f"{_OUTBOX} SELECT '{table}', {alias}.id, '{column.name}', 'set', "
        f"{json_expr(column, alias)}, {_version(table, column.name, 1, alias)}, {now}, "
        f"{author or f'{alias}.updated_by'}, {alias}.scope_id {source}WHERE {where}"
    )


def _bump_version(table: str, field: str, row: str, where: str) -> str:
    """A field's version goes up by one (absent: from 1 to 2), as an edit of it does."""
    return (
        f"INSERT INTO sync_field_version (entity, row_id, field, version) "
        f"SELECT '{table}', {row}, '{field}', 2 WHERE {where} "
        f"ON CONFLICT (entity, row_id, field) DO UPDATE SET version = version + 1"
    )


def _delete_op(table: str, alias: str, where: str, *, now: str = _NOW_MS, author: str = "",
               source: str = "") -> str:
    """The ``delete`` op of row ``alias`` with the field versions seen (no ``;``); ``author``
    and ``source`` as for :func:`_set_op`."""
    return (
        f"{_OUTBOX} SELECT '{table}', {alias}.id, '{ROW_FIELD}', 'delete', {_seen(table, alias)}, "
        f"{_version(table, ROW_FIELD, 0, alias)}, {now}, {author or f'{alias}.updated_by'}, "
        f"{alias}.scope_id {source}WHERE {where}"
    )


def _bump_length(table: str, wants_odd: bool, where: str) -> str:
    parity = 0 if wants_odd else 1  # bump only when not already in the wanted state
    first = 1 if wants_odd else 2
    return (
        f"INSERT INTO sync_field_version (entity, row_id, field, version) "
        f"SELECT '{table}', NEW.id, '{ROW_FIELD}', {first} WHERE {where} "
        f"ON CONFLICT (entity, row_id, field) DO UPDATE SET version = version + 1 "
        f"WHERE version % 2 = {parity};"
    )


def _update_trigger(table: Table) -> str:
    name = table.name
    steps: list[str] = []
    for column in captured_columns(table):
        changed = f'NEW."{column.name}" IS NOT OLD."{column.name}"'
        steps.append(_set_op(name, column, "NEW", changed) + ";")
        steps.append(_bump_version(name, column.name, "NEW.id", changed) + ";")
    deleted = "OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL"
    undeleted = "OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL"
    steps.append(_delete_op(name, "NEW", deleted) + ";")
    steps.append(_bump_length(name, True, deleted))
    steps.append(
        f"{_OUTBOX} SELECT '{name}', NEW.id, '{ROW_FIELD}', 'undelete', 'null', "
        f"{_version(name, ROW_FIELD, 1)}, {_NOW_MS}, NEW.updated_by, NEW.scope_id "
        f"WHERE {undeleted};"
    )
    steps.append(_bump_length(name, False, undeleted))
    return (
        f'CREATE TRIGGER {_PREFIX}{name}_upd AFTER UPDATE ON "{name}" '
        f"WHEN {_CAPTURING} BEGIN {' '.join(steps)} END"
    )


def _delete_trigger(table: Table) -> str:
    return (
        f'CREATE TRIGGER {_PREFIX}{table.name}_del AFTER DELETE ON "{table.name}" '
        f"WHEN {_CAPTURING} AND OLD.deleted_at IS NULL BEGIN "
        f"{_delete_op(table.name, 'OLD', '1')}; END"
    )


def trigger_sql() -> dict[str, str]:
    """Every capture trigger: name -> CREATE statement."""
    result: dict[str, str] = {}
    for table in synced_tables():
        for suffix, build in (("ins", _insert_trigger), ("upd", _update_trigger),
                              ("del", _delete_trigger)):
            result[f"{_PREFIX}{table.name}_{suffix}"] = build(table)
    return result


def fingerprint() -> str:
    statements = trigger_sql()
    joined = "\n".join(statements[name] for name in sorted(statements))
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def install(engine: Engine) -> None:
    """Create the capture triggers, or recreate them when the models changed since."""
    wanted = trigger_sql()
    with engine.begin() as conn:
        rows = conn.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE :p"
        ), {"p": f"{_PREFIX}%"})
        present = {str(name): str(sql) for name, sql in rows}
        if present == wanted:
            return
        for name in present:
            conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
        for statement in wanted.values():
            conn.exec_driver_sql(statement)


@contextmanager
def capture_paused(conn: Connection) -> Iterator[None]:
    """Inside ``conn``'s transaction: writes are not captured (applying remote ops, demo data).
    Reset before leaving, and rolled back with the transaction on any error."""
    conn.exec_driver_sql("UPDATE sync_guard SET applying = 1 WHERE id = 1")
    try:
        yield
    finally:
        conn.exec_driver_sql("UPDATE sync_guard SET applying = 0 WHERE id = 1")


def record_set(conn: Connection, table: Table, row_id: str, field: str, *, wall_ms: int,
               author: str | None) -> None:
    """Inside ``conn``'s transaction: the outbox row and version bump the update trigger writes
    when ``field`` of row ``row_id`` changes, for the field's current value (same SQL as the
    trigger; ``wall_ms`` and ``author`` stand for its clock and the row's ``updated_by``).

    For an edit the trigger cannot see: setting a field to the value it already has (a
    conflict resolved by keeping it). The row must exist; ``field`` must be a captured column
    of ``table`` (``KeyError`` otherwise)."""
    column = table.c[field]
    params = {"row_id": row_id, "wall_ms": wall_ms, "author": author}
    conn.execute(text(_set_op(table.name, column, "t", "t.id = :row_id", now=":wall_ms",
                              author=":author", source=f'FROM "{table.name}" AS t ')), params)
    conn.execute(text(_bump_version(table.name, column.name, ":row_id", "1")), params)


def record_delete(conn: Connection, table: Table, row_id: str, *, wall_ms: int,
                  author: str | None) -> None:
    """Inside ``conn``'s transaction: the ``delete`` op the delete trigger writes (with every
    field version seen) for row ``row_id``, already deleted here; ``wall_ms`` and ``author``
    as for :func:`record_set`. A delete that has seen every edit confirms it everywhere.
    Writes nothing when the row does not exist or is not deleted."""
    conn.execute(text(_delete_op(
        table.name, "t", "t.id = :row_id AND t.deleted_at IS NOT NULL", now=":wall_ms",
        author=":author", source=f'FROM "{table.name}" AS t ')),
        {"row_id": row_id, "wall_ms": wall_ms, "author": author})


@contextmanager
def captured_after(conn: Connection, table: Table) -> Iterator[None]:
    """Inside ``conn``'s transaction: the rows the block INSERTs into ``table`` are captured
    once it ends, by one INSERT ... SELECT, instead of row by row by the insert trigger.

    Same outbox rows as the trigger writes (same values, same order: by rowid, the order of
    insertion), without running the trigger's program for each row (bulk imports: a few per
    cent of a 10,000-line commit; building and writing the snapshots is the real cost). The
    trigger is paused for the block, so the block must only insert into ``table``: any other
    write in it would escape capture. While remote ops are applied (capture paused by the
    caller), nothing is captured, as with the trigger. On an error in the block nothing is
    captured and the guard is reset (the caller rolls its transaction back).
    """
    capturing = table.name in _synced_names() and not conn.exec_driver_sql(
        "SELECT COALESCE((SELECT applying FROM sync_guard WHERE id = 1), 0)").scalar()
    # New rows get rowids above the largest present (no synced table is WITHOUT ROWID or uses
    # AUTOINCREMENT), so "rowid > before" is exactly the rows inserted in the block; past the
    # largest possible rowid SQLite picks them at random: the trigger captures them then.
    before = conn.exec_driver_sql(
        f'SELECT COALESCE(MAX(rowid), 0) FROM "{table.name}"').scalar() if capturing else None
    if before is None or before >= _MAX_ROWID:
        yield
        return
    with capture_paused(conn):
        yield
    conn.exec_driver_sql(_insert_select(table), (before,))


def scrub_history(conn: Connection, rows: dict[str, list[str]]) -> None:
    """After an anonymisation: no earlier value of these rows may survive in the sync
    bookkeeping. Every captured or known value of their fields (outbox, frozen changesets,
    history) becomes the row's current one, and their conflicts and refusals are dropped; op
    ids, versions and order stay, so sync still converges and the blanked values travel."""
    tables = {table.name: table for table in synced_tables()}
    for name, ids in rows.items():
        table = tables.get(name)
        if table is None:
            continue
        for row_id in ids:
            found = conn.execute(text(
                f'SELECT {snapshot_expr(table, "t")} FROM "{name}" AS t WHERE t.id = :i'),
                {"i": row_id}).scalar()
            if found is None:
                continue
            conn.execute(text(
                f"UPDATE sync_outbox SET value = :v WHERE row_id = :i AND kind = '{INSERT}'"),
                {"v": found, "i": row_id})
            for field, value in json.loads(found).items():
                if field.startswith("__"):
                    continue
                encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
                for bookkeeping in ("sync_outbox", "sync_pending", "sync_history"):
                    conn.execute(text(
                        f"UPDATE {bookkeeping} SET value = :v WHERE row_id = :i "
                        f"AND field = :f AND kind = 'set'"),
                        {"v": encoded, "i": row_id, "f": field})
            conn.execute(text("DELETE FROM sync_conflict WHERE row_id = :i"), {"i": row_id})
            conn.execute(text("DELETE FROM sync_rejected WHERE row_id = :i"), {"i": row_id})
