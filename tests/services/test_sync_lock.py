"""One exchange with the sync server at a time per store: a move asked while the sync panel's
sync is in flight waits for it, a cancelled waiting sync gives up, another process syncing the
same store is refused with a French message (real encrypted stores, the real server in process).
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

import pytest

from mediadesk.services.dossier_move import MoveRefused, dossier_move_service
from mediadesk.services.sync import SyncBusy, SyncCancelled, sync_service
from mediadesk.services.sync_lock import ExchangeLock
from mediadesk.sync.client import SyncClient
from mediadesk.sync.protocol import MoveResponse, SyncRequest, SyncResponse
from tests.sync.laptops import Laptop
from tests.sync.server.fixtures import Server, make_server

LEAD, EAST, WEST = "chef@pimms.test", "awa@pimms.test", "zoe@pimms.test"
WAIT_S = 30.0
T = TypeVar("T")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    srv = make_server(f"sqlite:///{tmp_path / 'server.sqlite3'}", postgres=False)
    for team in ("Lyon Est", "Lyon Ouest"):
        srv.team(team)
        srv.member(LEAD, team, "team_lead")
    srv.member(EAST, "Lyon Est")
    srv.member(WEST, "Lyon Ouest")
    yield srv
    srv.close()


@pytest.fixture
def laptops(server: Server, tmp_path: Path) -> Iterator[tuple[Laptop, Laptop, Laptop]]:
    """The lead of both teams, a mediator of each team, all synced once."""
    lead = Laptop.enrolled(server, tmp_path, "chef", LEAD)
    east = Laptop.enrolled(server, tmp_path, "awa", EAST)
    west = Laptop.enrolled(server, tmp_path, "zoe", WEST)
    for laptop in (lead, east, west):
        laptop.sync()
    yield lead, east, west
    for laptop in (lead, east, west):
        laptop.close()


class Exchanges:
    """The order in which requests reach the server, by who sent them."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self.log: list[str] = []

    def add(self, who: str) -> None:
        with self._guard:
            self.log.append(who)

    def seen(self, who: str) -> bool:
        with self._guard:
            return who in self.log


class RecordingClient:
    """The server's client, noting each sync and move request; ``gate`` (if given) holds the
    first sync request until set, after setting ``in_flight``."""

    def __init__(self, inner: SyncClient, who: str, exchanges: Exchanges,
                 in_flight: threading.Event | None = None,
                 gate: threading.Event | None = None) -> None:
        self._inner, self._who, self._exchanges = inner, who, exchanges
        self._in_flight, self._gate = in_flight, gate

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def sync(self, token: str, request: SyncRequest) -> SyncResponse:
        self._exchanges.add(self._who)
        if self._gate is not None and self._in_flight is not None:
            gate, self._gate = self._gate, None
            self._in_flight.set()
            assert gate.wait(WAIT_S), "the test never released the gate"
        return self._inner.sync(token, request)

    def move_dossier(self, token: str, household: str, to_team: str) -> MoveResponse:
        self._exchanges.add(f"{self._who}:move")
        return self._inner.move_dossier(token, household, to_team)


def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


class Worker(threading.Thread, Generic[T]):
    """Runs ``work`` in a thread of its own, keeping its result or its error."""

    def __init__(self, work: Callable[[], T]) -> None:
        super().__init__(daemon=True)
        self._work = work
        self.result: T | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._work()
        except BaseException as error:  # handed to the test
            self.error = error

    def outcome(self) -> T:
        self.join(WAIT_S)
        assert not self.is_alive(), "still running"
        if self.error is not None:
            raise self.error
        return cast(T, self.result)


def test_a_move_asked_while_a_sync_is_in_flight_waits_for_it_and_both_finish(
    server: Server, laptops: tuple[Laptop, Laptop, Laptop]
) -> None:
    lead, east, west = laptops
    household = east.new_household("Famille Fakeroux", city="Bron")
    east.sync()
    lead.sync()
    lead.edit(household, street="3 rue des Essais")  # sent by the panel's sync
    other = east.new_household("Famille Testelin")
    east.sync()  # pulled by the panel's sync
    exchanges = Exchanges()
    in_flight, gate = threading.Event(), threading.Event()
    panel = sync_service(lead.workspace, lambda _url: RecordingClient(
        server.client(), "panel", exchanges, in_flight, gate))
    move = dossier_move_service(lead.workspace, lambda _url: RecordingClient(
        server.client(), "move", exchanges))
    [target] = move.teams_for_move(uuid.UUID(hex=household)).targets

    syncing = Worker(panel.sync)
    syncing.start()
    assert in_flight.wait(WAIT_S)
    moving = Worker(lambda: move.move(uuid.UUID(hex=household), target.id))
    moving.start()
    # The move either waits for the store's lock or (without it) reaches the server at once.
    _until(lambda: lead.workspace.sync_lock.waiting() == 1 or exchanges.seen("move"))
    assert not exchanges.seen("move")
    gate.set()

    report = syncing.outcome()
    moved = moving.outcome()

    assert report.sent >= 1 and report.received >= 1
    first_move = exchanges.log.index("move")
    assert set(exchanges.log[:first_move]) == {"panel"}
    assert set(exchanges.log[first_move:]) == {"move", "move:move"}
    assert moved.here and lead.value(other, "name") == "Famille Testelin"
    assert lead.service.pending() == 0
    west.sync()
    assert west.value(household, "street") == "3 rue des Essais"
    east.sync()
    assert east.value(household, "name") is None  # gone from the old team's laptop
    lead.sync()
    assert {k: v for k, v in lead.dump()["household"].items() if k != other} == \
        west.dump()["household"]


def test_a_sync_asked_during_a_move_runs_after_it(
    server: Server, laptops: tuple[Laptop, Laptop, Laptop]
) -> None:
    lead, east, _ = laptops
    household = east.new_household("Famille Fakeroux")
    east.sync()
    lead.sync()
    exchanges = Exchanges()
    in_flight, gate = threading.Event(), threading.Event()
    move = dossier_move_service(lead.workspace, lambda _url: RecordingClient(
        server.client(), "move", exchanges, in_flight, gate))
    panel = sync_service(lead.workspace, lambda _url: RecordingClient(
        server.client(), "panel", exchanges))
    [target] = move.teams_for_move(uuid.UUID(hex=household)).targets

    moving = Worker(lambda: move.move(uuid.UUID(hex=household), target.id))
    moving.start()
    assert in_flight.wait(WAIT_S)  # the move's first sync is at the server
    syncing = Worker(panel.sync)
    syncing.start()
    _until(lambda: lead.workspace.sync_lock.waiting() == 1 or exchanges.seen("panel"))
    gate.set()
    moved = moving.outcome()
    syncing.outcome()

    assert moved.here
    last_move = max(i for i, who in enumerate(exchanges.log) if who.startswith("move"))
    assert exchanges.log.index("panel") > last_move  # not between the move's steps


def test_a_cancelled_sync_waiting_for_the_store_gives_up_without_asking_the_server(
    server: Server, laptops: tuple[Laptop, Laptop, Laptop]
) -> None:
    lead, _, _ = laptops
    asked: list[str] = []

    def connect(url: str) -> SyncClient:
        asked.append(url)
        return server.client()

    panel = sync_service(lead.workspace, connect)
    cancel = threading.Event()

    with lead.workspace.sync_lock.held():  # another thread's exchange (a move, say)
        waiting = Worker(lambda: panel.sync(cancelled=cancel.is_set))
        waiting.start()
        _until(lambda: lead.workspace.sync_lock.waiting() == 1)
        cancel.set()
        with pytest.raises(SyncCancelled):
            waiting.outcome()

    assert asked == []
    assert lead.sync().requests >= 1  # the lock was left free


_HOLDER = """
import sys
from pathlib import Path
from mediadesk.services.sync_lock import ExchangeLock
with ExchangeLock(Path(sys.argv[1])).held():
    print("held", flush=True)
    sys.stdin.readline()
"""


class OtherProcess:
    """Another process exchanging with the server for the store at ``path`` (`mediadesk sync`
    from a terminal, say): it holds the store's lock until `finish`."""

    def __init__(self, path: Path) -> None:
        self._child = subprocess.Popen([sys.executable, "-c", _HOLDER, str(path)], text=True,
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self._child.stdout is not None
        assert self._child.stdout.readline().strip() == "held"

    def finish(self) -> None:
        assert self._child.stdin is not None
        if not self._child.stdin.closed:
            self._child.stdin.close()
        assert self._child.wait(WAIT_S) == 0


def test_a_store_synced_by_another_process_is_refused_in_french_then_syncs_once_it_is_done(
    server: Server, laptops: tuple[Laptop, Laptop, Laptop]
) -> None:
    lead, east, _ = laptops
    household = east.new_household("Famille Fakeroux")
    east.sync()
    lead.sync()
    lead.edit(household, street="3 rue des Essais")
    pending = lead.service.pending()
    other = OtherProcess(lead.path)
    try:
        with pytest.raises(SyncBusy) as busy:
            lead.sync()
        mover = dossier_move_service(lead.workspace, lambda _url: server.client())
        [target] = mover.teams_for_move(uuid.UUID(hex=household)).targets
        with pytest.raises(MoveRefused) as refused:
            mover.move(uuid.UUID(hex=household), target.id)
    finally:
        other.finish()

    assert "déjà en cours dans une autre fenêtre de MediaDesk" in str(busy.value)
    assert "déjà en cours" in refused.value.message
    assert pending and lead.service.pending() == pending  # nothing was sent
    east.sync()
    assert east.value(household, "street") is None
    lead.sync()
    east.sync()
    assert east.value(household, "street") == "3 rue des Essais"


def test_the_lock_is_reentrant_in_a_thread_and_exclusive_across_threads(tmp_path: Path) -> None:
    lock = ExchangeLock(tmp_path / "store.mediadesk", poll_s=0.01)
    order: list[str] = []

    def second() -> None:
        with lock.held():
            order.append("second")

    with lock.held():
        with lock.held():  # a move holds it around its syncs
            other = Worker(second)
            other.start()
            _until(lambda: lock.waiting() == 1)
        order.append("first")  # still held after the inner block
    other.outcome()

    assert order == ["first", "second"] and lock.waiting() == 0
