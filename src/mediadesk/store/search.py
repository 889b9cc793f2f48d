"""Type-ahead search over households, with SQLite FTS5 *inside* the encrypted file.

The index holds one document per household: folded names of the household and its members,
street, postal code and town, phone numbers (national and international digits), customer
references and meter points (as typed and compacted). Text is folded in Python
(`mediadesk.domain.text`) both when indexing and when querying, so accents, case and
punctuation never matter. There is never a clear-text index beside the database.

The index is kept current by `track_changes`: any flush that touches a household or one of its
indexed children marks the household, and the index rows are rewritten in the same transaction
just before it commits. Bulk writers (demo data, imports) call `reindex` themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from mediadesk.domain.phones import phone_search_forms
from mediadesk.domain.text import compact, search_tokens
from mediadesk.store.models import EnergyContract, Household, Person, Phone

FTS_TABLE = "household_search"
CREATE_FTS = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "doc, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')"
)
DROP_FTS = f"DROP TABLE IF EXISTS {FTS_TABLE}"
_DIRTY = "mediadesk.search.dirty"
RANKED = 1000  # matches ranked at most per query (see `search`)
_INDEXED = (Household, Person, Phone, EnergyContract)


def _household_id_of(obj: object) -> uuid.UUID | None:
    if isinstance(obj, Household):
        return obj.id
    if isinstance(obj, Person | Phone | EnergyContract):
        return obj.household_id
    return None


def track_changes(sessions: sessionmaker[Session]) -> None:
    """Keep the index in step with every ORM write made through ``sessions``."""

    @event.listens_for(sessions, "after_flush")
    def _collect(session: Session, _context: Any) -> None:
        dirty: set[uuid.UUID] = session.info.setdefault(_DIRTY, set())
        for obj in (*session.new, *session.dirty, *session.deleted):
            if isinstance(obj, _INDEXED):
                household_id = _household_id_of(obj)
                if household_id is not None:
                    dirty.add(household_id)

    @event.listens_for(sessions, "before_commit")
    def _reindex(session: Session) -> None:
        session.flush()
        dirty = session.info.pop(_DIRTY, set())
        if dirty:
            reindex(session.connection(), dirty)

    @event.listens_for(sessions, "after_rollback")
    def _forget(session: Session) -> None:
        session.info.pop(_DIRTY, None)


@lru_cache(maxsize=32768)
def _tokens(value: str) -> tuple[str, ...]:
    # Names, streets and towns repeat a lot: folding them once each halves a bulk reindex.
    return tuple(search_tokens(value))


def _field_tokens(value: str | None) -> list[str]:
    return list(_tokens(value)) if value else []


def _phone_forms(number: str) -> list[str]:
    """`phone_search_forms`, without parsing a metropolitan French number in E.164 form, the
    common case (parsing was a third of the time of indexing an imported listing)."""
    national = number[3:]
    if (len(number) == 12 and number.startswith("+33") and national.isascii()
            and national.isdigit() and national[0] != "0"):
        return ["0" + national, "33" + national]
    return phone_search_forms(number)


def build_document(
    household: Any, people: Iterable[Any], phones: Iterable[Any], contracts: Iterable[Any]
) -> str:
    """The text indexed for one household (rows need the mapped attribute names)."""
    words: list[str] = []
    words += _field_tokens(household.name)
    for person in people:
        words += _field_tokens(person.first_name) + _field_tokens(person.last_name)
    words += _field_tokens(household.street)
    words += _field_tokens(household.postal_code)
    words += _field_tokens(household.city)
    for phone in phones:
        words += _phone_forms(phone.number)
    for contract in contracts:
        for ref in (contract.customer_ref, contract.meter_point):
            if ref:
                words += _field_tokens(ref)
                words.append(compact(ref))
    return " ".join(dict.fromkeys(words))


def reindex(conn: Connection, household_ids: Iterable[uuid.UUID]) -> None:
    """Rewrite the index rows of these households (deleted ones are removed from the index)."""
    ids = list(household_ids)
    for start in range(0, len(ids), 500):
        _reindex_chunk(conn, ids[start : start + 500])


def _reindex_chunk(conn: Connection, ids: Sequence[uuid.UUID]) -> None:
    h = cast(Table, Household.__table__)
    households = conn.execute(
        select(h.c.id, h.c.name, h.c.street, h.c.postal_code, h.c.city,
               h.c.deleted_at, h.c.search_rowid).where(h.c.id.in_(ids))
    ).all()
    people = _grouped(conn, Person, ids, Person.first_name, Person.last_name)
    phones = _grouped(conn, Phone, ids, Phone.number)
    contracts = _grouped(conn, EnergyContract, ids, EnergyContract.customer_ref,
                         EnergyContract.meter_point)
    next_rowid: int | None = None
    # One executemany per statement: per-row round trips dominated bulk loads.
    stale: list[dict[str, Any]] = []
    numbered: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    for row in households:
        rowid = row.search_rowid
        if rowid is not None:
            stale.append({"r": rowid})
        if row.deleted_at is not None:
            continue
        if rowid is None:
            if next_rowid is None:
                next_rowid = _max_rowid(conn) + 1
            rowid, next_rowid = next_rowid, next_rowid + 1
            numbered.append({"b_id": row.id, "b_rowid": rowid})
        doc = build_document(row, people.get(row.id, ()), phones.get(row.id, ()),
                             contracts.get(row.id, ()))
        documents.append({"r": rowid, "d": doc})
    if stale:
        conn.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :r"), stale)
    if numbered:
        conn.execute(h.update().where(h.c.id == bindparam("b_id"))
                     .values(search_rowid=bindparam("b_rowid")), numbered)
    if documents:
        conn.execute(text(f"INSERT INTO {FTS_TABLE}(rowid, doc) VALUES (:r, :d)"), documents)


def _grouped(conn: Connection, model: Any, ids: Sequence[uuid.UUID], *columns: Any
             ) -> dict[uuid.UUID, list[Any]]:
    rows = conn.execute(
        select(model.household_id, *columns)
        .where(model.household_id.in_(ids), model.deleted_at.is_(None))
    ).all()
    grouped: dict[uuid.UUID, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row.household_id, []).append(row)
    return grouped


def _max_rowid(conn: Connection) -> int:
    h = cast(Table, Household.__table__)
    value = conn.execute(select(h.c.search_rowid).order_by(h.c.search_rowid.desc()).limit(1))
    return int(value.scalar() or 0)


def rebuild(conn: Connection) -> None:
    """Rebuild the whole index from the tables (after a migration or a bulk load)."""
    conn.execute(text(f"DELETE FROM {FTS_TABLE}"))
    h = cast(Table, Household.__table__)
    conn.execute(h.update().values(search_rowid=None))
    ids: Sequence[uuid.UUID] = conn.execute(select(h.c.id).order_by(h.c.id)).scalars().all()
    reindex(conn, ids)


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for a type-ahead query, or None when nothing is searchable."""
    tokens = search_tokens(query)
    if not tokens:
        return None
    return " ".join(f'"{token}"*' for token in tokens)


def search(conn: Connection, query: str, limit: int = 50) -> list[uuid.UUID]:
    """Ids of the households matching ``query``, best first (ties: most recently indexed first).

    A query matching more than ``RANKED`` households (the first letter or two of a common name)
    lists the most recently indexed ones first, unranked: ranking costs a lookup per matching
    document, 15 ms for a two-letter prefix on 50,000 households, for an order that means
    nothing while the person is still typing. Narrower queries are ranked in full, as before.
    """
    expression = match_expression(query)
    if expression is None:
        return []
    params = {"q": expression, "limit": limit, "over": RANKED + 1}
    matches: int = conn.execute(text(
        f"SELECT count(*) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q "
        f"LIMIT :over)"), params).scalar_one()
    order = "s.rowid DESC" if matches > RANKED else "s.rank, s.rowid DESC"
    rows: Sequence[Any] = conn.execute(
        text(
            f"SELECT h.id FROM {FTS_TABLE} AS s JOIN household AS h ON h.search_rowid = s.rowid "
            f"WHERE {FTS_TABLE} MATCH :q ORDER BY {order} LIMIT :limit"
        ),
        params,
    ).scalars().all()
    return [uuid.UUID(hex=value) if isinstance(value, str) else value for value in rows]
