"""The task runner: results come back on the GUI thread, newer tasks supersede older ones,
store writes run one at a time, shutdown stops everything."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from mediadesk.ui.tasks import Lane, TaskRunner, TaskState

WAIT_MS = 20_000  # a passing wait returns at once; a loaded CI machine can stall for seconds


def test_results_and_errors_arrive_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner()
    gui = QThread.currentThread()
    seen: list[object] = []

    def check(value: object) -> None:
        assert QThread.currentThread() is gui
        seen.append(value)

    def boom(_state: TaskState) -> None:
        raise ValueError("boom")

    runner.submit("a", lambda _s: threading.get_ident(), on_done=check)
    runner.submit("b", boom, on_error=check)
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=WAIT_MS)
    assert threading.get_ident() not in seen
    assert any(isinstance(value, ValueError) for value in seen)
    runner.shutdown()


def test_a_new_task_with_the_same_key_drops_the_old_result(qtbot: QtBot) -> None:
    runner = TaskRunner()
    release = threading.Event()
    results: list[str] = []

    def slow(state: TaskState) -> str:
        release.wait(5)
        return "ancien"

    runner.submit("search", slow, on_done=results.append)
    runner.submit("search", lambda _s: "nouveau", on_done=results.append)
    qtbot.waitUntil(lambda: results == ["nouveau"], timeout=WAIT_MS)
    release.set()
    qtbot.waitUntil(lambda: not runner.busy(), timeout=WAIT_MS)
    assert results == ["nouveau"]
    runner.shutdown()


def test_writes_run_one_at_a_time_in_order(qtbot: QtBot) -> None:
    runner = TaskRunner()
    running = 0
    most = 0
    order: list[int] = []
    lock = threading.Lock()

    def write(number: int) -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        QThread.msleep(5)
        with lock:
            running -= 1
            order.append(number)

    for number in range(5):
        runner.submit(f"write-{number}", lambda _s, n=number: write(n), lane=Lane.WRITER)
    qtbot.waitUntil(lambda: len(order) == 5, timeout=WAIT_MS)
    assert most == 1
    assert order == [0, 1, 2, 3, 4]
    runner.shutdown()


def test_progress_is_reported_and_shutdown_cancels(qtbot: QtBot) -> None:
    runner = TaskRunner()
    progress: list[tuple[int, int]] = []
    started = threading.Event()

    def long(state: TaskState) -> int:
        state.progress(1, 3)
        started.set()
        while not state.cancelled():
            QThread.msleep(1)
        return 0

    runner.submit("long", long, on_progress=lambda done, total: progress.append((done, total)),
                  on_done=lambda _r: progress.append((-1, -1)))
    qtbot.waitUntil(lambda: progress == [(1, 3)], timeout=WAIT_MS)
    assert started.is_set()
    assert runner.shutdown(timeout_ms=5_000)
    assert (-1, -1) not in progress


def test_every_notice_arrives_in_order_on_the_gui_thread_unthrottled(qtbot: QtBot) -> None:
    runner = TaskRunner()
    notices: list[tuple[object, bool]] = []
    gui = QThread.currentThread()

    def phases(state: TaskState) -> int:
        for event in (True, False, "fin"):  # faster than progress's 50 ms throttle
            state.notify(event)
        return 0

    runner.submit("phases", phases,
                  on_notice=lambda event: notices.append((event, QThread.currentThread() is gui)))
    qtbot.waitUntil(lambda: len(notices) == 3, timeout=WAIT_MS)
    assert notices == [(True, True), (False, True), ("fin", True)]
    assert runner.shutdown(timeout_ms=5_000)
