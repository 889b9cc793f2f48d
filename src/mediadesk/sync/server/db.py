"""Storage of the sync server: SQLAlchemy Core tables, the engine, and Alembic migrations.

Runs on SQLite (embedded default: every transaction is ``BEGIN IMMEDIATE``, so writers queue
instead of failing) and on PostgreSQL through psycopg 3 (``postgresql+psycopg://...``).
Timestamps are integer milliseconds from the injected clock; ids are 32 lowercase hex digits.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    literal_column,
    select,
)
from sqlalchemy.engine import Connection

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _id(name: str, *args: Any, **kwargs: Any) -> Column[str]:
    return Column(name, String(32), *args, **kwargs)


team = Table(
    "team",
    metadata,
    _id("id", primary_key=True),
    Column("name", String(120), nullable=False, unique=True),
)
user = Table(
    "user",
    metadata,
    _id("id", primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
)
membership = Table(
    "membership",
    metadata,
    _id("user_id", ForeignKey("user.id"), primary_key=True),
    _id("team_id", ForeignKey("team.id"), primary_key=True),
    Column("role", String(20), nullable=False),
)
device = Table(
    "device",
    metadata,
    _id("id", primary_key=True),
    _id("user_id", ForeignKey("user.id"), nullable=False),
    Column("name", String(120), nullable=False),
    Column("secret_hash", String(200), nullable=False),
    Column("enrolled_at", BigInteger, nullable=False),
    Column("revoked_at", BigInteger, nullable=True),
)
enrolment = Table(
    "enrolment",
    metadata,
    Column("code_hash", String(128), primary_key=True),
    _id("user_id", ForeignKey("user.id"), nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("used_at", BigInteger, nullable=True),
)
team_log = Table(
    "team_log",
    metadata,
    _id("team_id", ForeignKey("team.id"), primary_key=True),
    Column("head_seq", BigInteger, nullable=False),
    Column("checksum", String(16), nullable=False),
    # Compaction (sync.server.compact): ops up to floor_seq may be gone; a device pulling from
    # sequence 0 starts folding from floor_checksum (the fold of the op ids dropped).
    Column("floor_seq", BigInteger, nullable=False, server_default="0"),
    Column("floor_checksum", String(16), nullable=False, server_default="0" * 16),
)
op = Table(
    "op",
    metadata,
    _id("team_id", ForeignKey("team.id"), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    # Not unique: a moved dossier's ops are copied under their own ids into the target team's
    # log, and moved back again later; exactly-once rests on the receipts.
    Column("op_id", String(120), nullable=False),
    Column("entity", String(64), nullable=False),
    _id("row_id", nullable=False),
    Column("field", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("value", Text, nullable=False),
    Column("base", BigInteger, nullable=False),
    Column("hlc", String(64), nullable=False),
    _id("author", nullable=True),
    _id("device", nullable=False),
    Column("received_at", BigInteger, nullable=False),
    Column("checksum", String(16), nullable=False),  # running team checksum up to this seq
)
# A dossier's rows are found through the log (sync.server.purge, .move, .anonymisations): by
# row id, and by the rows whose ``*_id`` value names them (an id's JSON is 34 characters; the
# prefix keeps index entries small whatever a value holds).
Index("ix_op_row_id", op.c.row_id, op.c.team_id)
VALUE_PREFIX = 64
value_prefix = func.substr(op.c.value, literal_column("1"), literal_column(str(VALUE_PREFIX)))
"""The indexed expression: a query must use it as is (literal arguments) to use the index."""
Index("ix_op_value_prefix", value_prefix)
moved_row = Table(
    "moved_row",
    metadata,
    _id("team_id", ForeignKey("team.id"), primary_key=True),  # the team it left
    _id("row_id", primary_key=True),
    _id("to_team", ForeignKey("team.id"), nullable=False),
    Column("seq", BigInteger, nullable=False),  # the source team's head when it left
)
Index("ix_moved_row_row_id", moved_row.c.row_id)
purged_row = Table(
    "purged_row",
    metadata,
    _id("row_id", primary_key=True),  # a row of an anonymised dossier
    _id("team_id", ForeignKey("team.id"), nullable=False),  # the team logging it
    Column("seq", BigInteger, nullable=False),  # that team's head once purged
    _id("device", nullable=False),  # the device that anonymised the dossier
)
receipt = Table(
    "receipt",
    metadata,
    _id("device_id", ForeignKey("device.id"), primary_key=True),
    Column("client_seq", BigInteger, primary_key=True, autoincrement=False),
    Column("body", Text, nullable=False),
)
server_secret = Table(
    "server_secret",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("secret", String(128), nullable=False),
)


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, pool_size: int = 10) -> Engine:
    """An engine for ``url``; SQLite connections get WAL and ``BEGIN IMMEDIATE`` transactions."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                               hide_parameters=True)
        _configure_sqlite(engine)
        return engine
    # No pre-ping: it costs a round trip per request; a dropped connection fails one request
    # (503, retried by the client) and is replaced.
    # Driver errors never quote op values (dossier data) into the server's logs.
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, hide_parameters=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so BEGIN IMMEDIATE below is what runs.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # One writer at a time, taken at BEGIN: sequence allocation is then serialised. (An
        # autocommit read resets the driver's isolation level on return: take control again.)
        driver = connection.connection.driver_connection
        if driver is not None:
            driver.isolation_level = None
        if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            return  # a read-only connection: no transaction, so no writer lock to wait for
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def init(engine: Engine) -> None:
    """Bring the schema to the head revision and create the token-signing secret once.

    Idempotent; safe to run from several processes (the secret insert races are ignored).
    """
    if current_revision(engine) != head_revision():
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "head")
    with engine.begin() as conn:
        if conn.execute(select(server_secret.c.id)).first() is None:
            conn.execute(insert(server_secret).values(id=1, secret=secrets.token_hex(32)))


def load_secret(engine: Engine) -> bytes:
    """The server's signing secret, shared by every process on this database."""
    with engine.begin() as conn:
        text = conn.execute(select(server_secret.c.secret).where(server_secret.c.id == 1)).scalar()
    if text is None:
        raise RuntimeError("server not initialised: run `mediadesk-server init`")
    return bytes.fromhex(text)
