"""Settings of the sync server: one frozen object built at start-up and injected everywhere.

Read from the environment (``MEDIADESK_`` prefix) by :meth:`ServerSettings.from_env`; tests build
it directly and inject a fake clock through ``now_ms``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from platformdirs import user_data_dir

from mediadesk.sync.hlc import DEFAULT_HORIZON_MS

MIB = 1024 * 1024
ENV_PREFIX = "MEDIADESK_"


def wall_ms() -> int:
    """The system wall clock in milliseconds (the default ``now_ms``)."""
    return time.time_ns() // 1_000_000


def default_db_url() -> str:
    """A SQLite file in the user's data directory: the embedded single-office default."""
    directory = user_data_dir("mediadesk-server", appauthor=False, ensure_exists=True)
    return f"sqlite:///{os.path.join(directory, 'server.sqlite3')}"


@dataclass(frozen=True)
class ServerSettings:
    """Everything the server needs; nothing else is read from the environment later."""

    db_url: str = field(default_factory=default_db_url)
    token_ttl_s: int = 15 * 60
    enrol_code_ttl_s: int = 72 * 3600
    max_body_bytes: int = 8 * MIB  # after decompression
    max_compressed_bytes: int = 2 * MIB  # as received, when gzip-encoded
    hlc_horizon_ms: int = DEFAULT_HORIZON_MS
    now_ms: Callable[[], int] = wall_ms
    db_pool_size: int = 10
    # Requests a server process works on at once (its thread pool; more wait, in arrival order,
    # on the event loop): more threads only compete for the GIL and slow the one holding a
    # team's log lock (bench_server, 100 devices: p99 0.96 s with 40 threads, 0.65-0.70 s with
    # 4, 0.64 s with 2). Capped at db_pool_size, so none waits for a database connection.
    request_threads: int = 4
    # Ops received longer ago than this are compacted by `mediadesk-server compact` (superseded
    # values dropped; a device offline for longer pulls its teams again, see sync.server.compact).
    log_horizon_days: int = 180

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> ServerSettings:
        """Settings from ``MEDIADESK_DB_URL``, ``MEDIADESK_TOKEN_TTL_S``, ... then ``overrides``."""
        source = os.environ if env is None else env
        values: dict[str, object] = {}
        for name in ("db_url",):
            if (text := source.get(ENV_PREFIX + name.upper())) is not None:
                values[name] = text
        for name in (
            "token_ttl_s",
            "enrol_code_ttl_s",
            "max_body_bytes",
            "max_compressed_bytes",
            "hlc_horizon_ms",
            "db_pool_size",
            "request_threads",
            "log_horizon_days",
        ):
            if (text := source.get(ENV_PREFIX + name.upper())) is not None:
                values[name] = int(text)
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]
