"""One exchange with the sync server at a time per store file.

An exchange is anything that pushes, pulls, applies pages, resets cursors or otherwise changes
the store's sync state from the server's answers: a sync, an enrolment, a dossier's move (its
sync, ``POST /v1/move``, its sync again), the wipe of a revoked device, the removal of a lost
team's dossiers. The cursor guards alone would keep two concurrent syncs from applying an op
twice, but both would push the same frozen changesets, pull the same pages and race to reset a
team after a checksum mismatch: one at a time is simpler to reason about.

- Threads of this process (the sync panel's timer, a move, the CLI) wait their turn on the
  :class:`ExchangeLock` the :class:`~mediadesk.services.workspace.Workspace` owns; a waiting
  sync that is cancelled gives up (:class:`SyncCancelled`). The lock is reentrant: a move holds
  it across its two syncs, a sync across the wipe of a revoked device.
- A second sync asked while one runs waits, then runs in full; it is not merged into the
  running one, which may have frozen its outbox before the edits the second one must send (a
  move's first sync carries the dossier's last edits) and whose report (remote edits, progress)
  belongs to its own caller. Once the first is done the second costs one request.
- Another process (``mediadesk sync`` while the app is open, the store open in two windows)
  is refused at once with :class:`SyncBusy` rather than waited for: an OS lock (``filelock``:
  flock on POSIX, msvcrt on Windows) on the file ``PATH.sync-lock`` beside the store, held for
  the exchange only. Never on the database file itself: closing any handle of a file drops the
  process's POSIX locks on it, SQLite's included.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from mediadesk.i18n import _
from mediadesk.sync.errors import SyncError

POLL_S = 0.1  # how often a waiting exchange checks whether it was cancelled


class SyncCancelled(SyncError):
    def __init__(self) -> None:
        super().__init__(_("Synchronisation interrompue : elle reprendra où elle s'est "
                           "arrêtée."))


class SyncBusy(SyncError):
    """Another process exchanges with the server for this store right now."""

    def __init__(self) -> None:
        super().__init__(_("La synchronisation est déjà en cours dans une autre fenêtre de "
                           "MediaDesk (ou par la commande mediadesk sync) : réessayez quand "
                           "elle sera terminée."))


def lock_path(store_path: Path) -> Path:
    """The file whose OS lock marks an exchange under way for the store at ``store_path``."""
    return store_path.with_name(store_path.name + ".sync-lock")


def _never() -> bool:
    return False


class ExchangeLock:
    """The right to exchange with the sync server for the store at ``store_path``; one per open
    store (the workspace's), shared by every service that exchanges. Thread-safe."""

    def __init__(self, store_path: Path, *, poll_s: float = POLL_S) -> None:
        self._path = lock_path(store_path)
        # Not thread-local: the holder is whichever thread holds ``_lock``. Each instance has
        # its own descriptor, so a second workspace of the store is refused like a process.
        self._file = FileLock(self._path, mode=0o600, thread_local=False)
        self._poll_s = poll_s
        self._lock = threading.RLock()
        self._depth = 0  # nested holds by the owning thread
        self._waiters = 0
        self._waiters_guard = threading.Lock()

    def waiting(self) -> int:
        """How many threads are waiting for the lock right now."""
        with self._waiters_guard:
            return self._waiters

    @contextmanager
    def held(self, cancelled: Callable[[], bool] = _never,
             waiting: Callable[[bool], None] | None = None) -> Iterator[None]:
        """Hold the lock for the block, waiting while another thread holds it (``cancelled``
        is asked every `POLL_S` meanwhile; ``waiting`` is told True before such a wait, False
        once it is over). Reentrant within a thread. Raises SyncCancelled (cancelled while
        waiting) or SyncBusy (another process holds it); blocking."""
        if not self._lock.acquire(blocking=False):
            if waiting is not None:
                waiting(True)
            self._wait(cancelled)
            if waiting is not None:
                waiting(False)
        try:
            if self._depth == 0:
                try:
                    self._file.acquire(blocking=False)
                except Timeout:
                    raise SyncBusy() from None
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._file.release()
        finally:
            self._lock.release()

    def _wait(self, cancelled: Callable[[], bool]) -> None:
        with self._waiters_guard:
            self._waiters += 1
        try:
            while not self._lock.acquire(timeout=self._poll_s):
                if cancelled():
                    raise SyncCancelled()
        finally:
            with self._waiters_guard:
                self._waiters -= 1

    def forget_file(self) -> None:
        """Remove the lock file (the store is being erased). Best effort: Windows keeps a
        file open by this process, and it holds nothing but a lock."""
        with contextlib.suppress(OSError):
            self._path.unlink(missing_ok=True)
