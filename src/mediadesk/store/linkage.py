"""Which tables make up a household's dossier, derived from the foreign keys of `Base.metadata`.

A table is *direct* when it has a foreign key to ``household.id``; a table is a *child* when it
has a foreign key to a direct table (one level: note revisions, instalments, interview answers).
A new table or column joins the dossier (its audit trail, its access export) by its foreign keys
alone, without a list to keep up to date.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Column, Table

from mediadesk.store import models as _models  # noqa: F401  (every table in the metadata)
from mediadesk.store.base import Base

HOUSEHOLD = "household"


@dataclass(frozen=True)
class ChildLink:
    """``table.column`` points to ``parent`` (a direct table), whose household_id is the owner."""

    table: Table
    column: Column[object]
    parent: Table


def _foreign_targets(table: Table) -> list[tuple[Column[object], Table]]:
    return [(fk.parent, fk.column.table) for fk in table.foreign_keys
            if isinstance(fk.column.table, Table)]


@cache
def direct_tables() -> tuple[Table, ...]:
    """Tables holding ``household_id`` as a foreign key to the household, in metadata order."""
    return tuple(table for table in Base.metadata.sorted_tables
                 if any(target.name == HOUSEHOLD and column.name == "household_id"
                        for column, target in _foreign_targets(table)))


@cache
def child_links() -> tuple[ChildLink, ...]:
    """One level below the direct tables (tables that are neither household nor direct)."""
    direct = {table.name for table in direct_tables()}
    links: list[ChildLink] = []
    for table in Base.metadata.sorted_tables:
        if table.name in direct or table.name == HOUSEHOLD:
            continue
        for column, target in _foreign_targets(table):
            if target.name in direct:
                links.append(ChildLink(table, column, target))
                break
    return tuple(links)


@cache
def dossier_table_names() -> frozenset[str]:
    """Every table whose rows belong to one household's dossier."""
    return frozenset({HOUSEHOLD, *(t.name for t in direct_tables()),
                      *(link.table.name for link in child_links())})
