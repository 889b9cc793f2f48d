"""Concurrent pushes to one team never make a pull skip a sequence number.

Also: two real ``mediadesk-server run`` processes on one PostgreSQL database serve devices
pushing through either and pulling everything (the API keeps no state in memory).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from mediadesk.sync.client import SyncClient
from mediadesk.sync.protocol import Changeset, SyncRequest
from mediadesk.sync.server import admin
from tests.sync.server.fixtures import Device, Server, make_server, wire
from tests.sync.server.processes import server_process

PUSHERS, CHANGESETS, OPS = 8, 12, 5


@pytest.fixture
def pg_server(pg_url: str) -> Iterator[Server]:
    srv = make_server(pg_url, postgres=True)
    yield srv
    srv.close()


def _pull_loop(device: Device, team: str, total: int, seen: list[int], errors: list[str]) -> None:
    cursor = 0
    while cursor < total:
        page = device.pull({team: cursor}, page_size=7).pages[0]
        expected = list(range(cursor + 1, cursor + 1 + len(page.ops)))
        if [op.q for op in page.ops] != expected:
            errors.append(f"after {cursor}: got {[op.q for op in page.ops]}")
            return
        seen += expected
        cursor = page.cursor


def test_interleaved_pushes_never_make_a_pull_skip_a_row(server: Server) -> None:
    """On PostgreSQL (team row locks) and on SQLite (BEGIN IMMEDIATE) alike."""
    pg_server = server
    team = pg_server.team("Nord")
    for n in range(PUSHERS + 1):
        pg_server.member(f"m{n}@exemple.fr", "Nord")
    pushers = [pg_server.device(f"m{n}@exemple.fr") for n in range(PUSHERS)]
    puller = pg_server.device(f"m{PUSHERS}@exemple.fr")
    total = PUSHERS * CHANGESETS * OPS
    seen: list[int] = []
    errors: list[str] = []

    def push(device: Device) -> None:
        for _ in range(CHANGESETS):
            device.push([wire(team) for _ in range(OPS)], page_size=1)

    threads = [threading.Thread(target=push, args=(d,)) for d in pushers]
    threads.append(threading.Thread(target=_pull_loop, args=(puller, team, total, seen, errors)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    assert not errors
    assert seen == list(range(1, total + 1))
    ids = {op.i for op in puller.pull({team: 0}, page_size=total).pages[0].ops}
    assert len(ids) == total


def _enrolled(url: str, srv: Server, email: str) -> tuple[SyncClient, str]:
    client = SyncClient(url, retries=2)
    device_id = uuid.uuid4().hex
    secret = client.enrol(srv.code(email), device_id, "Portable").device_secret
    return client, client.token(device_id, secret).access_token


def test_two_server_processes_share_one_postgresql_database(
    pg_server: Server, tmp_path: Path
) -> None:
    team = pg_server.team("Nord")
    emails = [f"m{n}@exemple.fr" for n in range(4)]
    for email in emails:
        admin.add_user(pg_server.engine, email, "Nord", "mediator")
    url = pg_server.settings.db_url
    with server_process(url, tmp_path / "a.log") as url_a, \
            server_process(url, tmp_path / "b.log") as url_b:  # fmt: skip
        devices = [_enrolled(url_a if n % 2 else url_b, pg_server, e)
                   for n, e in enumerate(emails)]  # fmt: skip
        for seq in (1, 2, 3):
            for n, (client, token) in enumerate(devices):
                # the token from one process is accepted by the other
                other = SyncClient(url_b if n % 2 else url_a, retries=2)
                request = SyncRequest(
                    changesets=[Changeset(client_seq=seq, ops=[wire(team), wire(team)])]
                )
                assert (other if seq == 2 else client).sync(token, request).receipts[0].accepted
                other.close()
        heads = set()
        for client, token in devices:
            page = client.sync(token, SyncRequest()).pages[0]
            assert [op.q for op in page.ops] == list(range(1, 25))
            heads.add(page.checksum)
            client.close()
        assert len(heads) == 1
