"""When the sync panel syncs by itself: every `PERIOD_MS`, `AFTER_EDIT_MS` after an edit, a
moment after unlocking, and `BUSY_RETRY_MS` after another process kept the store busy (rather
than a whole period later). The timers only say a sync is due (``due``); the panel decides
whether one can start. Thread: GUI only.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

PERIOD_MS = 5 * 60_000
AFTER_EDIT_MS = 30_000
BUSY_RETRY_MS = 30_000


def _timer(parent: QObject, interval_ms: int, *, single_shot: bool) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(single_shot)
    timer.setInterval(interval_ms)
    return timer


class SyncSchedule(QObject):
    """The automatic syncs of one panel. Signal ``due()``: time for an automatic sync."""

    due = Signal()

    def __init__(self, parent: QObject | None = None, *, period_ms: int = PERIOD_MS,
                 after_edit_ms: int = AFTER_EDIT_MS, busy_retry_ms: int = BUSY_RETRY_MS) -> None:
        super().__init__(parent)
        self._period = _timer(self, period_ms, single_shot=False)
        self._after_edit = _timer(self, after_edit_ms, single_shot=True)
        self._after_busy = _timer(self, busy_retry_ms, single_shot=True)
        self._soon = _timer(self, 0, single_shot=True)
        for timer in (self._period, self._after_edit, self._after_busy, self._soon):
            timer.timeout.connect(self.due)

    def enrolled(self) -> None:
        """The device is enrolled: the periodic syncs run (not restarted if they already do)."""
        if not self._period.isActive():
            self._period.start()

    def soon(self, delay_ms: int) -> None:
        """A sync is due in ``delay_ms`` (after unlocking)."""
        self._soon.start(delay_ms)

    def edited(self) -> None:
        """Something was saved: a sync is due a little later (counted from the last edit)."""
        self._after_edit.start()

    def busy(self) -> None:
        """Another process was syncing the store: try again soon, not a whole period later."""
        self._after_busy.start()

    def retry_pending(self) -> bool:
        """Whether a try after a busy store is still to come."""
        return self._after_busy.isActive()

    def started(self) -> None:
        """A sync starts: it sends the last edits and replaces any retry still to come."""
        self._after_edit.stop()
        self._after_busy.stop()

    def stop(self) -> None:
        """No more automatic syncs (the workspace closes)."""
        for timer in (self._period, self._after_edit, self._after_busy, self._soon):
            timer.stop()
