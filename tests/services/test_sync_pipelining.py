"""A long pull asks for the next page while the current one is applied (bootstrap speed), and
never applies a page fetched ahead from a position the device did not reach."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mediadesk.services.sync import sync_service
from mediadesk.sync.client import SyncClient
from mediadesk.sync.protocol import ScopePage, SyncRequest, SyncResponse
from tests.sync.laptops import Laptop
from tests.sync.server.fixtures import Server, make_server

WAIT_S = 20.0


class RecordingClient:
    """A client that tells which pull positions were asked for, and when."""

    def __init__(self, inner: SyncClient, asked: dict[tuple[tuple[str, int], ...], threading.Event]
                 ) -> None:
        self._inner = inner
        self._asked = asked

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def sync(self, token: str, request: SyncRequest) -> SyncResponse:
        key = tuple(sorted(request.cursors.items()))
        self._asked.setdefault(key, threading.Event()).set()
        return self._inner.sync(token, request)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    server = make_server(f"sqlite:///{tmp_path / 'server.sqlite3'}", postgres=False)
    server.team("Lyon Est")
    server.member("awa@pimms.test", "Lyon Est")
    server.member("paul@pimms.test", "Lyon Est")
    yield server
    for client in server.clients:
        client.close()
    server.engine.dispose()


def test_the_next_page_is_requested_before_the_current_one_is_applied(
        server: Server, tmp_path: Path) -> None:
    a = Laptop.enrolled(server, tmp_path, "awa", "awa@pimms.test")
    for n in range(40):
        a.new_household(f"Famille Test {n}")
    a.sync()
    b = Laptop.enrolled(server, tmp_path, "paul", "paul@pimms.test")
    asked: dict[tuple[tuple[str, int], ...], threading.Event] = {}
    service = sync_service(b.workspace, lambda _url: RecordingClient(server.client(), asked))
    apply_page = service.device.apply_page
    overlapped: list[bool] = []

    def apply_after_next_request(page: ScopePage, **options: Any) -> Any:
        if page.more and all(overlapped):  # the next page's request must be on its way
            key = tuple(sorted({**service.device.cursors(), page.scope: page.cursor}.items()))
            overlapped.append(asked.setdefault(key, threading.Event()).wait(WAIT_S))
        return apply_page(page, **options)

    service.device.apply_page = apply_after_next_request  # type: ignore[method-assign]
    report = service.sync(page_size=50)
    assert len(overlapped) >= 3 and all(overlapped)
    assert report.received > 0
    b.sync()
    a.sync()
    assert a.dump() == b.dump()
    a.close()
    b.close()


def test_a_page_fetched_ahead_from_a_position_not_reached_is_not_applied(
        server: Server, tmp_path: Path) -> None:
    from mediadesk.sync.device import ChecksumMismatch

    a = Laptop.enrolled(server, tmp_path, "awa", "awa@pimms.test")
    for n in range(30):
        a.new_household(f"Famille Test {n}")
    a.sync()
    b = Laptop.enrolled(server, tmp_path, "paul", "paul@pimms.test")
    service = sync_service(b.workspace, lambda _url: server.client())
    apply_page = service.device.apply_page
    applied: list[tuple[int, int]] = []  # (device cursor before, first sequence of the page)

    def reset_once(page: ScopePage, **options: Any) -> Any:
        if len(applied) == 2:  # as after a checksum mismatch: the team is pulled again
            applied.append((-1, -1))
            service.device.reset_scope(page.scope)
            raise ChecksumMismatch(page.scope)
        if page.ops:
            applied.append((service.device.cursors().get(page.scope, 0), page.ops[0].q))
        return apply_page(page, **options)

    service.device.apply_page = reset_once  # type: ignore[method-assign]
    service.sync(page_size=50)
    after_reset = applied[applied.index((-1, -1)) + 1:]
    assert after_reset and after_reset[0][1] == 1  # pulled again from the start
    assert all(first == before + 1 for before, first in applied if before >= 0)
    b.sync()
    a.sync()
    assert a.dump() == b.dump()
    a.close()
    b.close()
