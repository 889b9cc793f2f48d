"""Integrity checks of an unlocked store. Each returns a list of problems (empty = healthy)."""

from __future__ import annotations

from sqlalchemy import Engine, text

from mediadesk.store import migrate
from mediadesk.store.search import FTS_TABLE


def check(engine: Engine) -> list[str]:
    """Run every check: SQLCipher page HMACs, SQLite structure, foreign keys, schema, index."""
    problems: list[str] = []
    with engine.connect() as conn:
        for (row,) in conn.exec_driver_sql("PRAGMA cipher_integrity_check"):
            problems.append(f"cipher: {row}")
        for (row,) in conn.exec_driver_sql("PRAGMA integrity_check"):
            if row != "ok":
                problems.append(f"sqlite: {row}")
        for row in conn.exec_driver_sql("PRAGMA foreign_key_check"):
            problems.append(f"foreign key: table {row[0]} rowid {row[1]} -> {row[2]}")
        revision = migrate.current_revision(engine)
        if revision != migrate.head_revision():
            problems.append(f"schema: at {revision}, expected {migrate.head_revision()}")
            return problems
        try:
            conn.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('integrity-check')"))
        except Exception as exc:
            problems.append(f"search index: {exc.__class__.__name__}")
        indexed: int = conn.execute(text(f"SELECT count(*) FROM {FTS_TABLE}")).scalar_one()
        live: int = conn.execute(
            text("SELECT count(*) FROM household WHERE deleted_at IS NULL")
        ).scalar_one()
        if indexed != live:
            problems.append(f"search index: {indexed} entries for {live} households")
        conn.rollback()
    return problems
