"""Fixtures of the sync server tests: one server per test, on SQLite and on PostgreSQL.

PostgreSQL: 127.0.0.1:5432 with trust auth; a fresh database is created per test session and
dropped after it; each test starts from emptied tables. If PostgreSQL is unreachable the
PostgreSQL tests FAIL, unless ``MEDIADESK_SKIP_POSTGRES=1`` is set explicitly.
"""

from __future__ import annotations

import getpass
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, text

from mediadesk.sync.client import SyncClient, in_process_client
from mediadesk.sync.protocol import SyncRequest, SyncResponse, WireOp
from mediadesk.sync.server import admin, db
from mediadesk.sync.server.app import create_app
from mediadesk.sync.server.settings import ServerSettings

PG_HOST, PG_PORT = "127.0.0.1", 5432
START_MS = 1_800_000_000_000
BACKENDS = ["sqlite", "postgresql"]


def _pg_admin_user() -> str:
    problems = []
    for user in ("postgres", getpass.getuser()):
        try:
            with psycopg.connect(host=PG_HOST, port=PG_PORT, user=user, dbname="test"):
                return user
        except psycopg.OperationalError as error:
            problems.append(f"{user}: {error}")
    raise ConnectionError("; ".join(problems))


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a fresh PostgreSQL database for this session (dropped afterwards)."""
    try:
        user = _pg_admin_user()
    except ConnectionError as error:
        if os.environ.get("MEDIADESK_SKIP_POSTGRES") == "1":
            pytest.skip("PostgreSQL skipped (MEDIADESK_SKIP_POSTGRES=1)")
        pytest.fail(f"PostgreSQL unreachable on {PG_HOST}:{PG_PORT}: {error}")
    name = f"mediadesk_srv_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(host=PG_HOST, port=PG_PORT, user=user, dbname="test",
                         autocommit=True) as conn:  # fmt: skip
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://{user}@{PG_HOST}:{PG_PORT}/{name}"
    engine = db.make_engine(url, pool_size=2)
    db.init(engine)
    engine.dispose()
    yield url
    with psycopg.connect(host=PG_HOST, port=PG_PORT, user=user, dbname="test",
                         autocommit=True) as conn:  # fmt: skip
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _empty_pg(engine: Engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables if t.name != "server_secret")
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} CASCADE"))


@dataclass
class Clock:
    now: int = START_MS

    def __call__(self) -> int:
        return self.now

    def advance_s(self, seconds: float) -> None:
        self.now += int(seconds * 1000)


@dataclass
class Server:
    """A migrated server database, its app, and helpers to set up teams and devices."""

    settings: ServerSettings
    engine: Engine
    clock: Clock
    app: FastAPI
    clients: list[SyncClient] = field(default_factory=list)

    def team(self, name: str, *members: tuple[str, str]) -> str:
        """Create team ``name`` with its ``(email, role)`` members."""
        team = admin.create_team(self.engine, name)
        for email, role in members:
            self.member(email, name, role)
        return team

    def close(self) -> None:
        for client in self.clients:
            client.close()
        self.app.state.service.engine.dispose()
        self.engine.dispose()

    def member(self, email: str, team: str, role: str = "mediator") -> str:
        return admin.add_user(self.engine, email, team, role)

    def code(self, email: str) -> str:
        return admin.issue_enrolment(
            self.engine, email, self.clock(), self.settings.enrol_code_ttl_s
        )

    def client(self, **options: Any) -> SyncClient:
        client = in_process_client(self.app, **options)
        self.clients.append(client)
        return client

    def device(self, email: str, name: str = "Portable") -> Device:
        """A freshly enrolled device of ``email`` (named ``name``) holding a valid token."""
        client = self.client()
        device_id = uuid.uuid4().hex
        enrolled = client.enrol(self.code(email), device_id, name)
        token = client.token(device_id, enrolled.device_secret).access_token
        return Device(device_id, enrolled.device_secret, token, client)


@dataclass
class Device:
    id: str
    secret: str
    token: str
    client: SyncClient
    next_seq: int = 1

    def push(self, ops: list[WireOp], **request: Any) -> SyncResponse:
        """Push one changeset of ``ops`` (next client_seq) and pull."""
        seq = self.next_seq
        self.next_seq += 1
        body = SyncRequest.model_validate({"changesets": [{"client_seq": seq, "ops": ops}],
                                           **request})  # fmt: skip
        return self.client.sync(self.token, body)

    def pull(self, cursors: dict[str, int] | None = None, page_size: int = 2000) -> SyncResponse:
        return self.client.sync(self.token, SyncRequest(cursors=cursors or {},
                                                        page_size=page_size))  # fmt: skip


def wire(team: str, value: object = "x", *, t: str | None = None, row: str | None = None,
         field: str = "name") -> WireOp:  # fmt: skip
    """A ``set`` op on a household field of ``team``."""
    return WireOp.model_validate({
        "e": "household", "r": row or uuid.uuid4().hex, "f": field, "k": "set", "v": value,
        "b": 0, "t": t or f"{START_MS:015d}:000000:ab", "s": team,
    })  # fmt: skip


@contextmanager
def serving(db_url: str, **settings: Any) -> Iterator[Server]:
    """A fresh server on ``db_url`` (PostgreSQL emptied first), closed afterwards."""
    server = make_server(db_url, postgres=db_url.startswith("postgresql"), **settings)
    try:
        yield server
    finally:
        server.close()


def make_server(db_url: str, *, postgres: bool, **settings: Any) -> Server:
    clock = Clock()
    config = ServerSettings(db_url=db_url, now_ms=clock, **settings)
    engine = db.make_engine(db_url, pool_size=5)
    db.init(engine)
    if postgres:
        _empty_pg(engine)
    return Server(config, engine, clock, create_app(config))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database URL: a SQLite file, or the session's emptied PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server.sqlite3'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def server(backend: str) -> Iterator[Server]:
    with serving(backend) as srv:
        yield srv
