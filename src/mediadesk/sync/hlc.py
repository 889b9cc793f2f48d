"""Hybrid logical clocks (Kulkarni et al., 2014): wall milliseconds + counter + node id.

HLC timestamps only break ties and order display; concurrency is decided by base versions (see
``merge``). The server clamps timestamps too far in the future instead of refusing a sync, so a
device with a wrong clock still syncs and cannot push every later write behind its own.
Pure: the physical clock is injected; nothing here reads the system time by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

_WALL_DIGITS = 15
_COUNTER_DIGITS = 6
MAX_COUNTER = 10**_COUNTER_DIGITS - 1
DEFAULT_HORIZON_MS = 5 * 60 * 1000  # five minutes of tolerated skew


@dataclass(frozen=True, order=True)
class Timestamp:
    """A point of a hybrid logical clock; the field order gives the total order."""

    wall_ms: int
    counter: int = 0
    node: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.wall_ms < 10**_WALL_DIGITS:
            raise ValueError(f"wall_ms out of range: {self.wall_ms}")
        if not 0 <= self.counter <= MAX_COUNTER:
            raise ValueError(f"counter out of range: {self.counter}")

    def encode(self) -> str:
        """A string whose lexicographic order is the timestamp order."""
        return f"{self.wall_ms:0{_WALL_DIGITS}d}:{self.counter:0{_COUNTER_DIGITS}d}:{self.node}"

    @classmethod
    def decode(cls, text: str) -> Timestamp:
        """Inverse of :meth:`encode`; raises ``ValueError`` on malformed text."""
        wall, counter, node = text.split(":", 2)
        if len(wall) != _WALL_DIGITS or len(counter) != _COUNTER_DIGITS:
            raise ValueError(f"not an HLC timestamp: {text!r}")
        return cls(int(wall), int(counter), node)


def clamp(ts: Timestamp, now_ms: int, horizon_ms: int = DEFAULT_HORIZON_MS) -> Timestamp:
    """Bring a timestamp more than ``horizon_ms`` ahead of ``now_ms`` back to that limit.

    Never refuses: the op is kept, only its tie-breaking weight is bounded.
    """
    limit = now_ms + horizon_ms
    if ts.wall_ms <= limit:
        return ts
    return Timestamp(limit, ts.counter, ts.node)


@dataclass
class HybridClock:
    """One node's HLC. Not thread-safe: owned by the single store-writer lane or the server."""

    node: str
    physical_ms: Callable[[], int]
    horizon_ms: int | None = None  # set on the server: clamp remote stamps beyond now + horizon
    last: Timestamp = field(init=False)

    def __post_init__(self) -> None:
        self.last = Timestamp(0, 0, self.node)

    def send(self) -> Timestamp:
        """Timestamp a local event or an outgoing message."""
        pt = self.physical_ms()
        if pt > self.last.wall_ms:
            self.last = Timestamp(pt, 0, self.node)
        else:
            self.last = self._bump(self.last.wall_ms, self.last.counter + 1)
        return self.last

    def receive(self, remote: Timestamp) -> Timestamp:
        """Merge a remote timestamp (clamped first when a horizon is set) and tick."""
        pt = self.physical_ms()
        if self.horizon_ms is not None:
            remote = clamp(remote, pt, self.horizon_ms)
        wall = max(self.last.wall_ms, remote.wall_ms, pt)
        if wall == self.last.wall_ms == remote.wall_ms:
            counter = max(self.last.counter, remote.counter) + 1
        elif wall == self.last.wall_ms:
            counter = self.last.counter + 1
        elif wall == remote.wall_ms:
            counter = remote.counter + 1
        else:
            counter = 0
        self.last = self._bump(wall, counter)
        return self.last

    def _bump(self, wall: int, counter: int) -> Timestamp:
        # A counter overflow moves the logical wall one millisecond ahead instead of failing.
        if counter > MAX_COUNTER:
            return Timestamp(wall + 1, 0, self.node)
        return Timestamp(wall, counter, self.node)
