"""Blanking the personal columns of one household's dossier (see `mediadesk.store.privacy`).

Columns declared ``info=personal(...)`` with ``anonymise=True`` are emptied in every row of the
dossier, soft-deleted rows included; everything else (dates, codes, amounts, counts) stays, so the
dossier still counts in activity statistics. Functions take a Session and never commit.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import JSON, Column, Connection, Table, select, text
from sqlalchemy.orm import Session

from mediadesk.store import capture
from mediadesk.store.base import Base
from mediadesk.store.linkage import HOUSEHOLD, child_links, direct_tables
from mediadesk.store.models import Household
from mediadesk.store.search import FTS_TABLE

ANONYMISED_NAME = "Foyer anonymisé"
# Answer values kept by an anonymisation: codes such as "yes", "not_asked", "fsl", "2024-03-04".
_CODE = re.compile(r"^[a-z0-9_.:-]{1,40}$")


def anonymise_columns(table: Table) -> list[Column[Any]]:
    return [column for column in table.c
            if column.info.get("personal") and column.info.get("anonymise", True)]


def blank_value(column: Column[Any], value: Any) -> Any:
    """What replaces ``value`` in ``column``: None when allowed, else an empty value."""
    if isinstance(column.type, JSON):
        return scrub(value)
    if column.table.name == HOUSEHOLD and column.name == "name":
        return ANONYMISED_NAME
    if column.nullable:
        return None
    return ""


def scrub(value: Any) -> Any:
    """Keep the codes, numbers and booleans of a JSON value; drop every free text."""
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub(item) for item in value]
    if isinstance(value, str):
        return value if _CODE.match(value) else None
    return value


ANONYMISE_ACTION = "anonymise"
"""The audit action logged by an anonymisation; a device that pulls it scrubs its own copy of
the dossier's sync history too (the purge propagates)."""


def dossier_rows(conn: Connection, household_id: str) -> dict[str, list[str]]:
    """Ids (hex) of every row of the dossier, by table: the household, its direct tables and
    one level of children."""
    rows: dict[str, list[str]] = {HOUSEHOLD: [household_id]}
    for table in direct_tables():
        direct: Any = conn.execute(
            text(f'SELECT id FROM "{table.name}" WHERE household_id = :h'), {"h": household_id})
        rows[table.name] = [str(row_id) for (row_id,) in direct]
    for link in child_links():
        parents = rows.get(link.parent.name)
        if parents:
            marks = ", ".join(f":p{n}" for n in range(len(parents)))
            found: Any = conn.execute(text(
                f'SELECT id FROM "{link.table.name}" WHERE "{link.column.name}" IN ({marks})'),
                {f"p{n}": p for n, p in enumerate(parents)})
            rows.setdefault(link.table.name, []).extend(str(row_id) for (row_id,) in found)
    return rows


def anonymise_household(session: Session, household_id: uuid.UUID) -> int:
    """Blank the personal columns of every row of the dossier; the number of values blanked."""
    blanked = 0
    ids: dict[str, list[Any]] = {}
    household: Any = Household.__table__
    targets: list[tuple[Table, Any]] = [(household, household.c.id == household_id)]
    for table in direct_tables():
        targets.append((table, table.c.household_id == household_id))
    for table, where in targets:
        blanked += _blank(session, table, where)
        if table.name != HOUSEHOLD:
            ids[table.name] = list(session.scalars(select(table.c.id).where(where)))
    for link in child_links():
        parents = ids.get(link.parent.name)
        if parents:
            where = link.table.c[link.column.name].in_(parents)
            blanked += _blank(session, link.table, where)
            ids.setdefault(link.table.name, []).extend(
                session.scalars(select(link.table.c.id).where(where)))
    session.flush()  # the blanked values are in the rows (and captured) before the scrub
    ids[HOUSEHOLD] = [household_id]
    capture.scrub_history(session.connection(),
                          {name: [i.hex for i in found] for name, found in ids.items()})
    return blanked


def _blank(session: Session, table: Table, where: Any) -> int:
    columns = anonymise_columns(table)
    if not columns:
        return 0
    mapper: Any = next(m for m in Base.registry.mappers if m.local_table is table)
    blanked = 0
    rows: list[Any] = list(session.scalars(select(mapper.class_).where(where)))
    for obj in rows:
        for column in columns:
            key = mapper.get_property_by_column(column).key
            value = getattr(obj, key)
            new = blank_value(column, value)
            if new != value:
                setattr(obj, key, new)
                blanked += 1
    return blanked


def compact_search_index(conn: Connection) -> None:
    """Merge the full-text index so tokens of deleted documents are really gone."""
    conn.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')"))
