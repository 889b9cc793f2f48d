"""Crash reports: an unexpected error written down for an administrator, with nothing personal.

A report holds when and where the error happened, the versions (MediaDesk, Python, Qt, OS), each
exception's *type* and its traceback's frames (file, line, function), for the whole chain of
causes. It never holds an exception's message, its notes or arguments, local variables or
source lines: a message may quote what was typed or stored (a household's name, a debt), and
nothing personal may land on disk in clear. File paths are shortened to the part below the
Python path entry holding them, so the user's home directory (often their name) stays out too.

Reports go to ``crash-<UTC time>.txt`` files in the user's log directory (platformdirs), the
last `KEEP` are kept. `CrashRecorder` ties it together and lets one report through per burst of
identical errors. Thread: any (the recorder serialises writes with a lock). No Qt here.
"""

from __future__ import annotations

import hashlib
import logging
import os
import platform
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

import platformdirs

from mediadesk.services.locations import APP_NAME

log = logging.getLogger(__name__)

KEEP = 20
BURST_WINDOW_S = 30.0
"""An error identical to one seen less than this long ago belongs to the same burst."""
MAX_CHAIN = 5
MAX_GROUP_MEMBERS = 5
MAX_FRAMES = 60
_PREFIX = "crash-"
_SUFFIX = ".txt"


def default_report_dir() -> Path:
    """Where crash reports go: the user's log directory for MediaDesk (not created here)."""
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


@dataclass(frozen=True)
class Environment:
    """The versions a report states."""

    app: str
    python: str
    qt: str
    os: str

    @classmethod
    def current(cls, app_version: str, qt_version: str = "-") -> Environment:
        """Python and OS of this process; the app and Qt versions come from the caller."""
        python = f"{platform.python_version()} ({platform.python_implementation()})"
        return cls(app_version, python, qt_version, platform.platform())


def short_path(filename: str, roots: list[str] | None = None) -> str:
    """``filename`` relative to the longest of ``roots`` (default: `sys.path`) holding it.

    Out of every root: only its last part, after ``…/`` (the directories may name the user).
    Pseudo files such as ``<frozen runpy>`` or ``<string>`` are kept as they are.
    """
    if filename.startswith("<") and filename.endswith(">"):
        return filename
    best = ""
    for root in sys.path if roots is None else roots:
        if not root:
            continue
        prefix = root.rstrip("/\\")
        if (filename.startswith(prefix + os.sep) or filename.startswith(prefix + "/")) \
                and len(prefix) > len(best):
            best = prefix
    if best:
        return filename[len(best) + 1:].replace("\\", "/")
    return "…/" + Path(filename).name


def _type_name(error: BaseException) -> str:
    kind = type(error)
    return kind.__qualname__ if kind.__module__ == "builtins" else \
        f"{kind.__module__}.{kind.__qualname__}"


def _frames(trace: TracebackType | None) -> Iterator[tuple[str, int, str]]:
    while trace is not None:
        code = trace.tb_frame.f_code
        yield short_path(code.co_filename), trace.tb_lineno, code.co_name
        trace = trace.tb_next


def _chain(error: BaseException) -> Iterator[tuple[str, BaseException]]:
    """``error`` then its causes, each with how it relates to the one before (at most 5)."""
    relation = "exception"
    current: BaseException | None = error
    seen: set[int] = set()
    while current is not None and len(seen) < MAX_CHAIN and id(current) not in seen:
        seen.add(id(current))
        yield relation, current
        if current.__cause__ is not None:
            relation, current = "caused by", current.__cause__
        elif current.__context__ is not None and not current.__suppress_context__:
            relation, current = "while handling", current.__context__
        else:
            current = None


def _describe(error: BaseException, indent: str, depth: int) -> list[str]:
    lines: list[str] = []
    for relation, current in _chain(error):
        lines.append(f"{indent}{relation}: {_type_name(current)}")
        frames = [f"{indent}  {file}:{line} in {function}"
                  for file, line, function in _frames(current.__traceback__)]
        if len(frames) > MAX_FRAMES:  # deep recursion: its two ends tell the story
            half = MAX_FRAMES // 2
            left_out = f"{indent}  … {len(frames) - MAX_FRAMES} frames left out"
            frames = [*frames[:half], left_out, *frames[-half:]]
        lines += frames
        if isinstance(current, BaseExceptionGroup) and depth < 2:
            members = current.exceptions
            for number, member in enumerate(members[:MAX_GROUP_MEMBERS], start=1):
                lines.append(f"{indent}  member {number} of {len(members)}:")
                lines += _describe(member, indent + "    ", depth + 1)
    return lines


def signature(error: BaseException) -> str:
    """A short fingerprint of ``error``: its types and frames (message left out).

    Two errors with the same signature are "the same crash" (a burst repeats one).
    """
    digest = hashlib.sha256("\n".join(_describe(error, "", 0)).encode("utf-8"))
    return digest.hexdigest()[:12]


def format_report(error: BaseException, *, environment: Environment, when: datetime,
                  where: str, thread: str) -> str:
    """The scrubbed report of ``error``: versions, place, types and frames; never messages."""
    header = [
        f"{APP_NAME} crash report",
        f"time: {when.astimezone(UTC).isoformat(timespec='seconds')}",
        f"app: {environment.app}",
        f"python: {environment.python}",
        f"qt: {environment.qt}",
        f"os: {environment.os}",
        f"where: {where}",
        f"thread: {thread}",
        f"signature: {signature(error)}",
        "",
        "Exception messages, values and source lines are left out on purpose (personal data).",
        "Most recent call last:",
    ]
    return "\n".join(header + _describe(error, "", 0)) + "\n"


class CrashReports:
    """The crash report files of one directory, the newest `keep` of them kept."""

    def __init__(self, directory: Path, keep: int = KEEP) -> None:
        self.directory = directory
        self.keep = keep

    def write(self, text: str, when: datetime) -> Path:
        """Write a new report file (owner-only permissions) and drop the oldest beyond `keep`.

        Raises OSError when the directory cannot be created or the file written.
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = when.astimezone(UTC).strftime("%Y%m%dT%H%M%S-%fZ")
        for attempt in range(100):
            suffix = f"-{attempt}" if attempt else ""
            path = self.directory / f"{_PREFIX}{stamp}{suffix}{_SUFFIX}"
            try:
                handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                continue
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
            self.rotate()
            return path
        raise FileExistsError(f"no free crash report name for {stamp}")

    def reports(self) -> list[Path]:
        """The report files, oldest first (their names sort by time)."""
        if not self.directory.is_dir():
            return []
        return sorted(path for path in self.directory.iterdir()
                      if path.name.startswith(_PREFIX) and path.name.endswith(_SUFFIX))

    def rotate(self) -> None:
        """Delete the oldest reports beyond `keep`; a file that resists is logged and left."""
        files = self.reports()
        for path in files[:max(0, len(files) - self.keep)]:
            try:
                path.unlink()
            except OSError as error:
                log.warning("old crash report %s not deleted: %s", path.name,
                            type(error).__name__)


@dataclass(frozen=True)
class Crash:
    """One recorded unexpected error: its report text, file (None if it could not be
    written), signature, and how many identical ones came before in its burst (0: new)."""

    text: str
    path: Path | None
    signature: str
    repeats: int = 0


class CrashRecorder:
    """Records unexpected errors: one report file and one log entry per burst.

    ``environment`` is asked once, at the first error (`platform.platform` takes a tenth of a
    second: not at start-up). ``clock`` (monotonic seconds) and ``now`` are injectable for
    tests. Thread: any.
    """

    def __init__(self, reports: CrashReports, environment: Callable[[], Environment], *,
                 burst_window_s: float = BURST_WINDOW_S,
                 clock: Callable[[], float] = time.monotonic,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.reports = reports
        self._environment = environment
        self._known_environment: Environment | None = None
        self._window = burst_window_s
        self._clock = clock
        self._now = now
        self._lock = threading.Lock()
        self._last_seen: dict[str, float] = {}
        self._first: dict[str, Crash] = {}

    def record(self, error: BaseException, *, where: str, thread: str) -> Crash:
        """Write and log the report of ``error``, unless it repeats one of its burst.

        A repeat returns the burst's first `Crash` with `repeats` counted; it is logged
        (one line, at growing intervals), not written again. A file that cannot be written is
        logged (the returned `Crash` has no path): OSError is not raised.
        """
        key = signature(error)
        with self._lock:
            moment = self._clock()
            last = self._last_seen.get(key)
            self._last_seen[key] = moment
            if last is not None and moment - last < self._window and key in self._first:
                first = self._first[key]
                crash = Crash(first.text, first.path, key, first.repeats + 1)
                self._first[key] = crash
                if crash.repeats & (crash.repeats - 1) == 0:  # 1, 2, 4, 8...: a burst stays short
                    log.error("unexpected error %s again (%d times in this burst)", key,
                              crash.repeats)
                return crash
            self._forget_before(moment - self._window)
            when = self._now()
            if self._known_environment is None:
                self._known_environment = self._environment()
            text = format_report(error, environment=self._known_environment, when=when,
                                 where=where, thread=thread)
            path: Path | None
            try:
                path = self.reports.write(text, when)
            except OSError as failure:
                log.error("crash report not written to %s: %s", self.reports.directory,
                          type(failure).__name__)
                path = None
            log.error("unexpected error, report %s:\n%s",
                      path.name if path is not None else "not written", text)
            crash = Crash(text, path, key)
            self._first[key] = crash
            return crash

    def _forget_before(self, limit: float) -> None:
        """Drop the bursts over before ``limit`` (caller holds the lock)."""
        for key in [key for key, seen in self._last_seen.items() if seen < limit]:
            del self._last_seen[key]
            self._first.pop(key, None)
