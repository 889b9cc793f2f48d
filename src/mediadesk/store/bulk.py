"""Bulk inserts of new synced rows with Core statements, stamped, audited, captured and
indexed as the ORM path would do it.

Core inserts bypass the session events, so `BulkInserter` does their work itself for the rows
it writes: every `Synced` column is filled as `stamping` fills it (a UUIDv7 id when none is
given, the actor's team as scope, created/updated at, by and on which device, version 1),
every column left out takes its model default, and each row of a household's dossier gets the
``create`` `AuditEvent` that `audit` appends for an ORM insert (table, row id, household; never
a value), itself stamped the same way; or, when the caller asks for it (a listing import),
one event per household for the whole write (`audit_households`). The sync outbox gets for
each row exactly what the insert trigger would write, with one INSERT ... SELECT per
statement (`capture.captured_after`). New households are indexed for search from their rows
in memory (`index_households`), with the documents `search.build_document` makes.

Speed: each table's INSERT is compiled once for the store's dialect and the rows are sent with
the driver's ``executemany``, converted column by column by the columns' own bind processors
(the conversion `Connection.execute` applies) into exact str/int/float values, which the
driver binds without its slow generic adaptation; a value every row shares (the stamp, a
default) is converted once, and a column NULL in every row is left out of the statement. The
ids made here are made in blocks (`new_ids`), already as text. For a large write the caller
may also widen the page cache (`page_cache`) and pause the cycle collector
(`collector_paused`).
Thread: the caller's; ``conn`` is in the caller's transaction (nothing is committed here).
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from itertools import repeat
from operator import itemgetter
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Connection, Table, func, select

from mediadesk.domain.ids import new_id
from mediadesk.store import capture, search
from mediadesk.store.audit import CREATE
from mediadesk.store.base import utcnow
from mediadesk.store.linkage import HOUSEHOLD, child_links, dossier_table_names
from mediadesk.store.models import AuditEvent, Household
from mediadesk.store.stamping import Actor

_AUDIT = cast(Table, AuditEvent.__table__)
_HOUSEHOLD = cast(Table, Household.__table__)
_RAND_B = (1 << 62) - 1  # the low random field of a UUIDv7 (below the variant bits)
Row = Mapping[str, Any]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector (process-wide) for a bulk write, as bulk loaders do: the
    rows built by the thousands trigger collections that rescan every live object (a tenth of
    the CPU time of a 10,000-line import). Reference counting still frees everything else;
    only reference cycles wait until the end. Nested or concurrent uses are safe: each one
    re-enables the collector only if it found it enabled."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextmanager
def page_cache(conn: Connection, mebibytes: int = 128) -> Iterator[None]:
    """Within the block, ``conn``'s page cache may hold ``mebibytes`` (then its size is put
    back). A bulk write whose new pages outgrow the usual cache (32 MiB; a 10,000-line import
    writes about 80) spills them to the log before the commit and reads and decrypts them
    back as the indexes grow; memory is only taken as pages are used."""
    before = int(conn.exec_driver_sql("PRAGMA cache_size").scalar() or 0)
    conn.exec_driver_sql(f"PRAGMA cache_size = {-mebibytes * 1024}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {before}")


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
    """A value already in the form the driver receives (an id as `_write` returns it: 32 hex
    digits), marked so that it is not converted again; sent as an exact str."""

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
        self._compiled: dict[tuple[str, tuple[str, ...]], tuple[str, list[str]]] = {}
        self._processors_of: dict[str, dict[str, Any]] = {}
        self.counts: dict[str, int] = {}  # rows written by table name, audit events included

    def stamp(self) -> dict[str, Any]:
        """The sync columns of a new row (what `stamping` and the column defaults would set)."""
        actor, now = self._actor, self._now
        return {"scope_id": actor.team_id, "created_at": now, "created_by": actor.user_id,
                "created_on_device": actor.device_id, "updated_at": now,
                "updated_by": actor.user_id, "updated_on_device": actor.device_id,
                "deleted_at": None, "deleted_by": None, "version": 1}

    def insert(self, model: Any, rows: Sequence[Row], *, audit: bool = True) -> None:
        """Write ``rows`` (column name -> value) into ``model``'s table. Rows may leave out any
        column: the id is made, the sync columns are stamped, the others take their default.
        As with `stamping`, a sync column given a value keeps it. The rows of a dossier table
        get one ``create`` audit event each, unless ``audit`` is False: the caller then
        records the change itself (`audit_households`). Raises KeyError for an unknown
        column; driver errors propagate (roll the caller's transaction back)."""
        table = _table(model)
        if not rows:
            return
        ids = self._write(table, rows)
        if audit and table.name in dossier_table_names():
            self._audit(table, rows, ids)

    def audit_households(self, action: str, entity: str, entity_id: uuid.UUID | None,
                         household_ids: Iterable[uuid.UUID]) -> None:
        """One audit event per distinct household, all about the same thing (``entity``,
        ``entity_id``: an import batch, say), by the actor, on its device, now. A bulk write
        audited this way logs who changed which dossier, when and from where, with one event
        per dossier rather than one per row."""
        owners = list(dict.fromkeys(household_ids))
        if not owners:
            return
        at = utcnow()
        user, device = self._actor.user_id, self._actor.device_id
        self._write(_AUDIT, [{"at": at, "action": action, "entity": entity,
                              "entity_id": entity_id, "household_id": household_id,
                              "user_id": user, "device_id": device}
                             for household_id in owners])

    def _processors(self, table: Table) -> dict[str, Any]:
        """Each column's bind processor (None when the driver takes the value as it is)."""
        if table.name not in self._processors_of:
            dialect = self._conn.dialect
            # dialect_impl(): a TypeDecorator's own bind_processor would skip its impl's.
            self._processors_of[table.name] = {
                column.key: column.type.dialect_impl(dialect).bind_processor(dialect)
                for column in table.c}
        return self._processors_of[table.name]

    def _insert_sql(self, table: Table, names: tuple[str, ...]) -> tuple[str, list[str]]:
        """The INSERT of these columns, compiled once, and its parameters' order."""
        key = (table.name, names)
        if key not in self._compiled:
            compiled = table.insert().compile(dialect=self._conn.dialect,
                                              column_keys=list(names))
            self._compiled[key] = (str(compiled), list(compiled.positiontup or ()))
        return self._compiled[key]

    def _write(self, table: Table, rows: Sequence[Row]) -> list[Any]:
        """Insert the rows, column by column; the ids written (as given, or made as text).

        A column NULL in every row is left out of the INSERT (SQLite stores NULL all the
        same): the driver would otherwise adapt each None through its slow generic path."""
        given: set[str] = set().union(*rows)
        unknown = given - set(table.c.keys())
        if unknown:
            raise KeyError(f"{table.name}: unknown columns {sorted(unknown)}")
        stamp = self.stamp()
        count = len(rows)
        columns: dict[str, Iterable[Any] | None] = {}  # None: NULL in every row
        ids: list[Any] = []
        for name, process in self._processors(table).items():
            if name == "id":
                values = ([row.get("id") for row in rows] if name in given
                          else list(repeat(None, count)))
                made = iter(self._hex_ids(sum(value is None for value in values)))
                # Made ids are plain text (the driver binds exact str without adapting it).
                ids = [next(made) if value is None else value if process is None
                       else process(value) for value in values]
                columns[name] = ids
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
                columns[name] = _converted(values, process)
            else:
                value = self._fallback(table, name, stamp)
                if callable(value):  # a default like list or dict: one fresh value per row
                    columns[name] = _converted([value() for _row in rows], process)
                elif value is None:
                    columns[name] = None
                else:
                    columns[name] = repeat(value if process is None else process(value), count)
        for name, column in columns.items():
            if column is None and table.c[name].server_default is not None:
                columns[name] = repeat(None, count)  # NULL, not the server's default
        sql, order = self._insert_sql(table, tuple(name for name, column in columns.items()
                                                   if column is not None))
        params = list(zip(*(cast(Iterable[Any], columns[name]) for name in order),
                          strict=False))
        with capture.captured_after(self._conn, table):  # one INSERT ... SELECT, not a trigger
            self._conn.exec_driver_sql(sql, params)
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
    def _hex_ids(count: int) -> list[str]:
        return [f"{value:032x}" for value in _id_ints(count)]

    def _audit(self, table: Table, rows: Sequence[Row], ids: list[Any]) -> None:
        """The ``create`` events the ORM path appends for these dossier rows (``ids`` as
        `_write` returns them: already in the driver's form)."""
        ids = [_Sent(row_id) for row_id in ids]
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
        documents: list[tuple[int, str]] = []
        for row in households:
            household = SimpleNamespace(**{"street": None, "postal_code": None, "city": None,
                                           **row})
            documents.append((int(row["search_rowid"]), search.build_document(
                household, grouped["people"].get(row["id"], ()),
                grouped["phones"].get(row["id"], ()), grouped["contracts"].get(row["id"], ()))))
        if documents:
            self._conn.exec_driver_sql(
                f"INSERT INTO {search.FTS_TABLE}(rowid, doc) VALUES (?, ?)", documents)


def _converted(values: list[Any], process: Any) -> Iterable[Any] | None:
    """The values as the driver receives them (exact types: the driver binds an exact str,
    int or float directly and sends anything else through a slow generic adaptation); None
    when every one is NULL."""
    first = values[0]
    if all(value is first for value in values):
        return None if first is None else repeat(_one(first, process), len(values))
    if process is None:
        return values
    return [None if value is None else _one(value, process) for value in values]


def _one(value: Any, process: Any) -> Any:
    if type(value) is _Sent:
        return str(value)
    return value if process is None else process(value)
