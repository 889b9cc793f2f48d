"""The SQLCipher engine: raw 256-bit key, WAL, foreign keys, explicit transactions.

Every connection is keyed with the data key from the key slots (never a passphrase), and checked
by reading the schema before the pool hands it out: a wrong key or a damaged file fails here, with
nothing written to the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from mediadesk.store.errors import StoreCorrupted

BUSY_TIMEOUT_MS = 10_000


def _key_pragma(data_key: bytes) -> str:
    # A raw key in SQLCipher's x'...' notation skips its own PBKDF2: our key is already random.
    return f"PRAGMA key = \"x'{data_key.hex()}'\""


def connect_raw(path: Path, data_key: bytes, *, check: bool = True) -> Any:
    """Open one keyed DB-API connection (autocommit mode: transactions are explicit).

    Raises StoreCorrupted when the file cannot be read with this key.
    """
    conn = sqlcipher.connect(str(path), check_same_thread=False, isolation_level=None)
    try:
        # SQLCipher logs decryption failures to stderr by itself; we report them as errors.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(_key_pragma(data_key))
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if check:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA temp_store = MEMORY")
        # Decrypted pages are cached per connection: 32 MiB keeps type-ahead search off the
        # cipher for a 50,000-household store (see docs/benchmarks.md).
        conn.execute("PRAGMA cache_size = -32768")
    except sqlcipher.DatabaseError as exc:
        conn.close()
        raise StoreCorrupted(str(path)) from exc
    return conn


def make_engine(path: Path, data_key: bytes) -> Engine:
    """Build the engine of one unlocked store. Connections are created lazily by the pool."""

    def creator() -> Any:
        return connect_raw(path, data_key)

    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        creator=creator,
        module=sqlcipher,
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
        hide_parameters=True,  # driver errors would otherwise quote dossier values in logs
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # pysqlite's implicit transactions are disabled (isolation_level=None): begin explicitly.
        conn.exec_driver_sql("BEGIN")

    return engine


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def enable_wal(path: Path, data_key: bytes) -> None:
    conn = connect_raw(path, data_key)
    try:
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
    finally:
        conn.close()
