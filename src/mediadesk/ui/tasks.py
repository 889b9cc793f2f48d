"""Background work for the UI: a task runner on two QThreadPools.

- the *writer* lane has one thread: store writes run one after the other, in submission order;
- the *parallel* lane runs everything else (key derivation, searches, reads) side by side.

A task is a plain function ``work(state) -> result`` run on a worker thread. It must never touch
a widget; it may report progress with ``state.progress(done, total)`` and should stop early when
``state.cancelled()`` becomes true. Its result, its error and its (throttled) progress come back to
the GUI thread through queued signals, where the callbacks given to `TaskRunner.submit` are called.

Each task has a *key* (usually one per screen and purpose, e.g. ``"search"``). Submitting a task
under a key that is still running cancels the previous task and drops its result: only the last
one's callbacks are called. `TaskRunner.shutdown` cancels everything and waits for the workers.
"""

from __future__ import annotations

import enum
import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from PySide6.QtCore import QMetaMethod, QObject, QThreadPool, Signal, Slot

from mediadesk.ui.errors import log_unexpected

log = logging.getLogger(__name__)
T = TypeVar("T")
PROGRESS_INTERVAL_S = 0.05


class Lane(enum.Enum):
    WRITER = "writer"
    PARALLEL = "parallel"


class TaskState:
    """What a running task sees of the outside world. Thread: any (thread-safe)."""

    def __init__(self, report: Callable[[int, int], None],
                 notice: Callable[[object], None] = lambda _event: None) -> None:
        self._cancelled = threading.Event()
        self._report = report
        self._notice = notice
        self._last_report = 0.0

    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        self._cancelled.set()

    def progress(self, done: int, total: int) -> None:
        """Report progress; throttled to one report every 50 ms (the last step always goes)."""
        now = time.monotonic()
        if done >= total or now - self._last_report >= PROGRESS_INTERVAL_S:
            self._last_report = now
            self._report(done, total)

    def notify(self, event: object) -> None:
        """Tell the GUI of a change of phase (e.g. waiting for a lock); never throttled."""
        self._notice(event)


@dataclass
class _Task:
    id: int
    key: str
    state: TaskState
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    on_progress: Callable[[int, int], None] | None
    on_notice: Callable[[Any], None] | None
    wanted: bool = field(default=True)  # False once superseded, cancelled or shut down


class _Relay(QObject):
    """Carries results from worker threads to the GUI thread (lives in the GUI thread)."""

    finished = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, int, int)
    noticed = Signal(int, object)


class TaskRunner(QObject):
    """Runs tasks off the GUI thread. Create, use and shut down on the GUI thread only.

    A task submitted without ``on_error`` that fails is unexpected: it goes to
    `unexpected_error` (key, error) when something listens (the crash handler), else to the log.
    """

    busy_changed = Signal(bool)
    unexpected_error = Signal(str, object)

    def __init__(self, parent: QObject | None = None, *, parallel_threads: int = 4) -> None:
        super().__init__(parent)
        self._writer = QThreadPool(self)
        self._writer.setMaxThreadCount(1)
        self._parallel = QThreadPool(self)
        self._parallel.setMaxThreadCount(parallel_threads)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_finished)
        self._relay.failed.connect(self._on_failed)
        self._relay.progressed.connect(self._on_progress)
        self._relay.noticed.connect(self._on_notice)
        self._ids = itertools.count(1)
        self._tasks: dict[int, _Task] = {}
        self._current: dict[str, int] = {}
        self._closed = False

    def submit(
        self,
        key: str,
        work: Callable[[TaskState], T],
        *,
        lane: Lane = Lane.PARALLEL,
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        on_notice: Callable[[Any], None] | None = None,
    ) -> None:
        """Run ``work`` on ``lane``; supersede the running task of the same ``key``.

        Callbacks are called on the GUI thread, only for the latest task of ``key``.
        Ignored (with a log line) after `shutdown`.
        """
        if self._closed:
            log.warning("task %r submitted after shutdown: ignored", key)
            return
        self.cancel(key)
        task_id = next(self._ids)
        relay = self._relay
        state = TaskState(lambda done, total: relay.progressed.emit(task_id, done, total),
                          lambda event: relay.noticed.emit(task_id, event))
        task = _Task(task_id, key, state, on_done, on_error, on_progress, on_notice)
        was_busy = self.busy()
        self._tasks[task_id] = task
        self._current[key] = task_id
        pool = self._writer if lane is Lane.WRITER else self._parallel
        pool.start(lambda: self._run(task_id, work, state))
        if not was_busy:
            self.busy_changed.emit(True)

    def cancel(self, key: str) -> None:
        """Ask the running task of ``key`` to stop and forget its callbacks."""
        task_id = self._current.pop(key, None)
        if task_id is not None and task_id in self._tasks:
            task = self._tasks[task_id]
            task.wanted = False
            task.state.cancel()

    def is_running(self, key: str) -> bool:
        return key in self._current

    def busy(self) -> bool:
        """Whether any task, wanted or not, is still queued or running."""
        return bool(self._tasks)

    def wait_for_writes(self, timeout_ms: int = 5_000) -> bool:
        """Block until the writer lane has run every queued task (GUI thread, at close only:
        their callbacks come later, if ever). False when still busy after ``timeout_ms``."""
        done = self._writer.waitForDone(timeout_ms)
        if not done:
            log.error("store writes still running after %d ms", timeout_ms)
        return done

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Cancel every task, drop queued ones and wait for the running ones (GUI thread).

        Returns False when some worker was still running after ``timeout_ms``.
        """
        self._closed = True
        for task in self._tasks.values():
            task.wanted = False
            task.state.cancel()
        self._current.clear()
        self._writer.clear()
        self._parallel.clear()
        done = self._writer.waitForDone(timeout_ms) & self._parallel.waitForDone(timeout_ms)
        if not done:
            log.error("background tasks still running after %d ms", timeout_ms)
        self._tasks.clear()
        return done

    # --- worker thread ------------------------------------------------------------------

    def _run(self, task_id: int, work: Callable[[TaskState], Any], state: TaskState) -> None:
        """Thread: worker. Touches nothing but the relay's signals."""
        if state.cancelled():
            self._relay.finished.emit(task_id, None)
            return
        try:
            result = work(state)
        except Exception as exc:  # every error goes back to the GUI thread, none is lost
            self._relay.failed.emit(task_id, exc)
        else:
            self._relay.finished.emit(task_id, result)

    # --- GUI thread ---------------------------------------------------------------------

    def _take(self, task_id: int) -> _Task | None:
        task = self._tasks.pop(task_id, None)
        if task is not None and self._current.get(task.key) == task_id:
            del self._current[task.key]
        if task is not None and not self._tasks:
            self.busy_changed.emit(False)
        return task if task is not None and task.wanted and not self._closed else None

    @Slot(int, object)
    def _on_finished(self, task_id: int, result: object) -> None:
        task = self._take(task_id)
        if task is not None and task.on_done is not None:
            task.on_done(result)

    @Slot(int, object)
    def _on_failed(self, task_id: int, error: object) -> None:
        task = self._take(task_id)
        if task is None:
            if isinstance(error, Exception):
                log.info("error of a dropped task: %s", type(error).__name__)
            return
        assert isinstance(error, BaseException)
        if task.on_error is not None:
            task.on_error(error)
        elif self.isSignalConnected(QMetaMethod.fromSignal(self.unexpected_error)):
            self.unexpected_error.emit(task.key, error)
        else:
            log_unexpected(error, f"unhandled error in task {task.key!r}")

    @Slot(int, int, int)
    def _on_progress(self, task_id: int, done: int, total: int) -> None:
        task = self._tasks.get(task_id)
        if task is not None and task.wanted and task.on_progress is not None:
            task.on_progress(done, total)

    def _on_notice(self, task_id: int, event: object) -> None:
        task = self._tasks.get(task_id)
        if task is not None and task.wanted and task.on_notice is not None:
            task.on_notice(event)
