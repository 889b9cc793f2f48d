"""On the embedded SQLite server, pulls and token checks read without waiting for a writer."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import text

from tests.sync.server.fixtures import serving, wire


def test_a_pull_is_answered_while_another_request_holds_the_write_lock(tmp_path: Path) -> None:
    with serving(f"sqlite:///{tmp_path / 'server.sqlite3'}") as server:
        team = server.team("Lyon Est", ("awa@pimms.test", "mediator"))
        writer_device, reader = server.device("awa@pimms.test"), server.device("awa@pimms.test")
        writer_device.push([wire(team, "Lyon")])
        with ThreadPoolExecutor(max_workers=1) as pool, server.engine.begin() as writer:
            writer.execute(text("SELECT 1"))  # BEGIN IMMEDIATE: the write lock is held here
            answer = pool.submit(reader.pull, {team: 0})
            try:
                response = answer.result(timeout=10)
            finally:
                writer.rollback()
        assert [op.v for page in response.pages for op in page.ops] == ["Lyon"]
