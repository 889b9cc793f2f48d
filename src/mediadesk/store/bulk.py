"""Bulk inserts of new synced rows with Core statements, stamped, audited and indexed as the
ORM path would do it.

Core inserts bypass the session events, so `BulkInserter` does their work itself for the rows
it writes: every `Synced` column is filled as `stamping` fills it (a UUIDv7 id when none is
given, the actor's team as scope, created/updated at, by and on which device, version 1),
every column left out takes its model default, and each row of a household's dossier gets the
``create`` `AuditEvent` that `audit` appends for an ORM insert (table, row id, household; never
a value), itself stamped the same way. New households are indexed for search from their rows
in memory (`index_households`), with the documents `search.build_document` makes.

Speed: each table's INSERT is compiled once for the store's dialect and the rows are sent with
the driver's ``executemany``, converted column by column by the columns' own bind processors
(the conversion `Connection.execute` applies); a value every row shares (the stamp, a default)
is converted once, and the ids made here are made in blocks (`new_ids`), already as text.
Thread: the caller's; ``conn`` is in the caller's transaction (nothing is committed here).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from itertools import repeat
from operator import itemgetter
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Connection, Table, func, select, text

from mediadesk.domain.ids import new_id
from mediadesk.store import search
from mediadesk.store.audit import CREATE
from mediadesk.store.base import utcnow
from mediadesk.store.linkage import HOUSEHOLD, child_links, dossier_table_names
from mediadesk.store.models import AuditEvent, Household
from mediadesk.store.stamping import Actor

_AUDIT = cast(Table, AuditEvent.__table__)
_HOUSEHOLD = cast(Table, Household.__table__)
_RAND_B = (1 << 62) - 1  # the low random field of a UUIDv7 (below the variant bits)
Row = Mapping[str, Any]


def _id_ints(count: int) -> list[int]:
    """``count`` UUIDv7 values as integers, increasing: blocks counting up from a fresh
    `new_id` (the monotonic counter of RFC 9562, section 6.2), so they sort after every id made
    before and before every id made after (`new_id` never reuses a millisecond)."""
    out: list[int] = []
    while len(out) < count:
        base = new_id().int
        room = _RAND_B - (base & _RAND_B)
        out.extend(range(base, base + min(room, count - len(out)) + 1))
    return out[:count]


def new_ids(count: int) -> list[uuid.UUID]:
    """``count`` fresh UUIDv7 ids, in increasing order (cheaper than `new_id` one by one)."""
    return [uuid.UUID(int=value) for value in _id_ints(count)]


def _table(model: Any) -> Table:
    table = model if isinstance(model, Table) else getattr(model, "__table__", None)
    if not isinstance(table, Table):
        raise TypeError(f"not a table or a mapped class: {model!r}")
    return table


class _Sent(str):
    """A value already in the form the driver receives (an id made here: 32 hex digits)."""

    __slots__ = ()


class BulkInserter:
    """Core INSERTs of new rows on ``conn`` by ``actor``, all stamped at ``now`` (default: now).

    `insert` writes one table's rows and, for a dossier table, their audit events; write
    parents before their children (foreign keys are enforced).
    """

    def __init__(self, conn: Connection, actor: Actor, now: datetime | None = None) -> None:
        self._conn = conn
        self._actor = actor
        self._now = now or utcnow()
        self._compiled: dict[str, tuple[str, list[tuple[str, Any]]]] = {}
        self.counts: dict[str, int] = {}  # rows written by table name, audit events included

    def stamp(self) -> dict[str, Any]:
        """The sync columns of a new row (what `stamping` and the column defaults would set)."""
        actor, now = self._actor, self._now
        return {"scope_id": actor.team_id, "created_at": now, "created_by": actor.user_id,
                "created_on_device": actor.device_id, "updated_at": now,
                "updated_by": actor.user_id, "updated_on_device": actor.device_id,
                "deleted_at": None, "deleted_by": None, "version": 1}

    def insert(self, model: Any, rows: Sequence[Row]) -> None:
        """Write ``rows`` (column name -> value) into ``model``'s table. Rows may leave out any
        column: the id is made, the sync columns are stamped, the others take their default.
        As with `stamping`, a sync column given a value keeps it. Raises KeyError for an
        unknown column; driver errors propagate (roll the caller's transaction back)."""
        table = _table(model)
        if not rows:
            return
        ids = self._write(table, rows)
        if table.name in dossier_table_names():
            self._audit(table, rows, ids)

    def _plan(self, table: Table) -> tuple[str, list[tuple[str, Any]]]:
        if table.name not in self._compiled:
            dialect = self._conn.dialect
            keys = [column.key for column in table.c]
            compiled = table.insert().compile(dialect=dialect, column_keys=keys)
            names = list(compiled.positiontup or ())
            # dialect_impl(): a TypeDecorator's own bind_processor would skip its impl's.
            self._compiled[table.name] = (str(compiled), [
                (name, table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
                for name in names])
        return self._compiled[table.name]

    def _write(self, table: Table, rows: Sequence[Row]) -> list[Any]:
        """Insert the rows, column by column; the ids written (as given, or made as text)."""
        given: set[str] = set().union(*rows)
        unknown = given - set(table.c.keys())
        if unknown:
            raise KeyError(f"{table.name}: unknown columns {sorted(unknown)}")
        stamp = self.stamp()
        sql, plan = self._plan(table)
        count = len(rows)
        columns: list[Iterable[Any]] = []
        ids: list[Any] = []
        for name, process in plan:
            if name == "id" and name in given:
                values = [row.get("id") for row in rows]
                made = iter(self._hex_ids(sum(value is None for value in values)))
                ids = [next(made) if value is None else value for value in values]
                columns.append(_converted(ids, process))
            elif name in given:
                fallback = self._fallback(table, name, stamp)
                if all(name in row for row in rows):
                    values = list(map(itemgetter(name), rows))
                elif callable(fallback):
                    values = [row[name] if name in row else fallback() for row in rows]
                else:
                    values = [row.get(name, fallback) for row in rows]
                if name in stamp:  # as `stamping`: None takes the stamp's value
                    values = [fallback if value is None else value for value in values]
                columns.append(_converted(values, process))
            elif name == "id":
                ids = self._hex_ids(count)
                columns.append(ids)
            else:
                value = self._fallback(table, name, stamp)
                if callable(value):  # a default like list or dict: one fresh value per row
                    columns.append(_converted([value() for _row in rows], process))
                else:
                    columns.append(repeat(value if process is None or value is None
                                          else process(value), count))
        self._conn.exec_driver_sql(sql, list(zip(*columns, strict=False)))
        self.counts[table.name] = self.counts.get(table.name, 0) + count
        return ids

    @staticmethod
    def _fallback(table: Table, name: str, stamp: dict[str, Any]) -> Any:
        """A column's value when a row leaves it out: the stamp, else the column default
        (a callable default is returned as a zero-argument callable)."""
        if name in stamp:
            return stamp[name]
        default: Any = table.c[name].default
        if default is None:
            return None
        if default.is_scalar:
            return default.arg
        if default.is_callable:
            return lambda: default.arg(None)
        raise ValueError(f"{table.name}.{name}: unsupported default {default!r}")

    @staticmethod
    def _hex_ids(count: int) -> list[_Sent]:
        return [_Sent(f"{value:032x}") for value in _id_ints(count)]

    def _audit(self, table: Table, rows: Sequence[Row], ids: list[Any]) -> None:
        """The ``create`` events the ORM path appends for these dossier rows."""
        if table.name == HOUSEHOLD:
            owners: list[Any] = ids
        elif "household_id" in table.c:
            owners = [row.get("household_id") for row in rows]
        else:
            owners = self._owners_through_parent(table, rows)
        at = utcnow()
        user, device = self._actor.user_id, self._actor.device_id
        self._write(_AUDIT, [{"at": at, "action": CREATE, "entity": table.name,
                              "entity_id": row_id, "household_id": owner, "user_id": user,
                              "device_id": device} for row_id, owner in zip(ids, owners,
                                                                           strict=True)])

    def _owners_through_parent(self, table: Table, rows: Sequence[Row]) -> list[Any]:
        for link in child_links():
            if link.table is table:
                parent_ids = list({row.get(link.column.key) for row in rows} - {None})
                owner: dict[Any, Any] = {}
                for start in range(0, len(parent_ids), 500):
                    for parent_id, household_id in self._conn.execute(
                            select(link.parent.c.id, link.parent.c.household_id)
                            .where(link.parent.c.id.in_(parent_ids[start:start + 500]))):
                        owner[parent_id] = household_id
                return [owner.get(row.get(link.column.key)) for row in rows]
        return [None] * len(rows)

    def search_rowids(self, count: int) -> range:
        """Index row numbers for ``count`` new households (give them as ``search_rowid``, then
        call `index_households` with the same rows)."""
        last = self._conn.execute(select(func.max(_HOUSEHOLD.c.search_rowid))).scalar()
        return range(int(last or 0) + 1, int(last or 0) + 1 + count)

    def index_households(self, households: Sequence[Row], people: Iterable[Row],
                         phones: Iterable[Row], contracts: Iterable[Row]) -> None:
        """Add the search documents of households just inserted with a ``search_rowid`` (from
        `search_rowids`), built from their rows as written: what `search.reindex` would read
        back from the tables."""
        grouped: dict[str, dict[Any, list[SimpleNamespace]]] = {
            "people": {}, "phones": {}, "contracts": {}}
        for key, rows in (("people", people), ("phones", phones), ("contracts", contracts)):
            for row in rows:
                grouped[key].setdefault(row["household_id"], []).append(SimpleNamespace(**row))
        documents = []
        for row in households:
            household = SimpleNamespace(**{"street": None, "postal_code": None, "city": None,
                                           **row})
            documents.append({"r": row["search_rowid"], "d": search.build_document(
                household, grouped["people"].get(row["id"], ()),
                grouped["phones"].get(row["id"], ()), grouped["contracts"].get(row["id"], ()))})
        if documents:
            self._conn.execute(text(f"INSERT INTO {search.FTS_TABLE}(rowid, doc) "
                                    "VALUES (:r, :d)"), documents)


def _converted(values: list[Any], process: Any) -> list[Any] | Iterable[Any]:
    if process is None:
        return values
    first = values[0]
    if len(values) > 1 and all(value is first for value in values):
        return repeat(None if first is None else process(first), len(values))
    return [value if value is None or type(value) is _Sent else process(value)
            for value in values]
