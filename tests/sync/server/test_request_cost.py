"""What one sync request costs the server: a fixed, small number of SQL statements, and a bounded
number of requests worked on at once per process."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import anyio.to_thread
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from mediadesk.sync.server.app import create_app
from mediadesk.sync.server.settings import ServerSettings
from tests.sync.server.fixtures import Server, wire


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_push_and_pull_runs_the_same_few_statements_whatever_its_size(server: Server) -> None:
    team = server.team("Nord")
    server.member("awa@exemple.fr", "Nord")
    device = server.device("awa@exemple.fr")
    cursor = device.push([wire(team)]).pages[0].cursor  # warm: tokens, pools
    engine = server.app.state.service.engine
    counts = []
    for size in (10, 100):
        with _statements(engine) as seen:
            response = device.push([wire(team) for _ in range(size)], cursors={team: cursor})
        assert response.receipts[0].accepted == size
        assert len(response.pages[0].ops) == size
        cursor = response.pages[0].cursor
        counts.append(len(seen))
    assert counts[0] == counts[1]
    # PostgreSQL: device and teams, receipts, locks with heads, moved/purged flags, ops (one
    # executemany), new head, receipt, then the page with its log row. SQLite adds a BEGIN
    # IMMEDIATE per transaction and reads the log row apart.
    assert counts[0] <= (12 if server.engine.dialect.name == "sqlite" else 8)


def test_a_server_process_works_on_at_most_request_threads_requests_at_once() -> None:
    settings = ServerSettings.from_env(
        {"MEDIADESK_DB_URL": "sqlite://", "MEDIADESK_REQUEST_THREADS": "3"}
    )
    assert settings.request_threads == 3
    with TestClient(create_app(settings)) as client:  # runs the lifespan
        assert client.portal is not None
        limit = client.portal.call(lambda: anyio.to_thread.current_default_thread_limiter())
        assert limit.total_tokens == 3


def test_request_threads_never_exceed_the_database_pool() -> None:
    settings = ServerSettings(db_url="sqlite://", request_threads=50, db_pool_size=6)
    with TestClient(create_app(settings)) as client:
        assert client.portal is not None
        limit = client.portal.call(lambda: anyio.to_thread.current_default_thread_limiter())
        assert limit.total_tokens == 6
