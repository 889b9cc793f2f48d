"""Save every answer as it is typed, off the GUI thread.

Each answer key has its own debounce timer (400 ms by default): typing restarts it, and when it
fires the last value goes to the task runner's WRITER lane, where ``save(key, value)`` runs
(`InterviewService.save_answer`). Clicks and choices, a focus leaving the input and a step change
save at once (`flush`). The writer lane runs one task at a time in submission order, and a newer
save of a key supersedes an older one still queued, so the store always ends with the last
value typed. ``status_changed`` tells the indicator to show "Enregistrement…" or "Enregistré".
Thread: GUI only (``save`` runs on the writer lane).
"""

from __future__ import annotations

import itertools
import logging
import uuid
from collections.abc import Callable
from enum import Enum
from functools import partial

from PySide6.QtCore import QObject, QTimer, Signal

from mediadesk.ui.errors import message_for
from mediadesk.ui.tasks import Lane, TaskRunner

log = logging.getLogger(__name__)
SAVE_DEBOUNCE_MS = 400
Save = Callable[[str, object], object]


class SaveStatus(Enum):
    SAVED = "saved"
    SAVING = "saving"
    FAILED = "failed"


class AutoSaver(QObject):
    """Signals: ``status_changed()``, ``saved(key)``, ``failed(key, message)``."""

    status_changed = Signal()
    saved = Signal(str)
    failed = Signal(str, str)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None, *,
                 delay_ms: int = SAVE_DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self._runner = runner
        self._delay_ms = delay_ms
        self._save: Save | None = None
        self._target = ""
        self._timers: dict[str, QTimer] = {}
        self._pending: dict[str, object] = {}
        self._in_flight: dict[str, int] = {}
        self._failed: set[str] = set()
        self._tokens = itertools.count(1)

    def set_target(self, interview_id: uuid.UUID | None, save: Save | None) -> None:
        """Where the next saves go. Pending saves are sent to the previous target first."""
        self.flush()
        self._save = save
        self._target = str(interview_id) if interview_id is not None else ""
        self._in_flight.clear()  # their answers, if any, concern the previous interview
        self._failed.clear()
        self.status_changed.emit()

    def schedule(self, key: str, value: object, *, immediate: bool = False) -> None:
        """Save ``value`` under ``key`` after the debounce delay (at once if ``immediate``)."""
        self._pending[key] = value
        if immediate:
            self._submit(key)
        else:
            self._timer(key).start()
        self.status_changed.emit()

    def discard(self, key: str) -> None:
        """Forget a value not sent yet (what was typed cannot be read)."""
        self._pending.pop(key, None)
        timer = self._timers.get(key)
        if timer is not None:
            timer.stop()
        self.status_changed.emit()

    def flush(self, key: str | None = None) -> bool:
        """Send the pending value of ``key`` (of every key when None) now.

        Returns whether anything was sent.
        """
        keys = [key] if key is not None else list(self._pending)
        sent = False
        for name in keys:
            if name in self._pending:
                self._submit(name)
                sent = True
        return sent

    def status(self) -> SaveStatus:
        if self._pending or self._in_flight:
            return SaveStatus.SAVING
        if self._failed:
            return SaveStatus.FAILED
        return SaveStatus.SAVED

    def is_pending(self, key: str) -> bool:
        """A value of ``key`` waits to be sent or is being written."""
        return key in self._pending or key in self._in_flight

    def is_idle(self) -> bool:
        """Nothing waits to be sent and nothing is being written."""
        return not self._pending and not self._in_flight

    def _timer(self, key: str) -> QTimer:
        timer = self._timers.get(key)
        if timer is None:
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(self._delay_ms)
            timer.timeout.connect(partial(self._submit, key))
            self._timers[key] = timer
        return timer

    def _submit(self, key: str) -> None:
        timer = self._timers.get(key)
        if timer is not None:
            timer.stop()
        if key not in self._pending:
            return
        value = self._pending.pop(key)
        save = self._save
        if save is None:
            log.warning("answer edited with no interview open: not saved")
            self.status_changed.emit()
            return
        token = next(self._tokens)
        self._in_flight[key] = token
        self._runner.submit(
            f"interview-save:{self._target}:{key}", lambda _state: save(key, value),
            lane=Lane.WRITER, on_done=partial(self._done, key, token),
            on_error=partial(self._error, key, token))
        self.status_changed.emit()

    def _settle(self, key: str, token: int) -> bool:
        if self._in_flight.get(key) != token:
            return False
        del self._in_flight[key]
        return True

    def _done(self, key: str, token: int, _receipt: object) -> None:
        if self._settle(key, token):
            self._failed.discard(key)
            self.saved.emit(key)
            self.status_changed.emit()

    def _error(self, key: str, token: int, error: BaseException) -> None:
        if self._settle(key, token):
            self._failed.add(key)
            self.failed.emit(key, message_for(error))
            self.status_changed.emit()
