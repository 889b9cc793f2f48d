"""Real ``mediadesk-server run`` processes for the multi-process, TLS and bench runs."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def server_process(
    db_url: str,
    log_path: Path,
    *,
    tls: tuple[Path, Path, Path] | None = None,
    workers: int = 1,
    startup_s: float = 60.0,
) -> Iterator[str]:
    """Run ``mediadesk-server run`` on a free port; yields its base URL once it answers.

    ``tls`` is (certificate, key, CA certificate to check it with).
    """
    port = free_port()
    command = [sys.executable, "-m", "mediadesk.sync.server.cli", "run", "--db", db_url,
               "--port", str(port), "--workers", str(workers)]  # fmt: skip
    scheme, verify = "http", None
    if tls is not None:
        command += ["--tls-cert", str(tls[0]), "--tls-key", str(tls[1])]
        scheme, verify = "https", ssl.create_default_context(cafile=str(tls[2]))
    url = f"{scheme}://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            _wait_until_up(process, url, verify, startup_s, log_path)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


def _wait_until_up(
    process: subprocess.Popen[bytes],
    url: str,
    verify: ssl.SSLContext | None,
    startup_s: float,
    log_path: Path,
) -> None:
    deadline = time.monotonic() + startup_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log_path.read_text(errors='replace')}")
        try:
            if httpx.get(f"{url}/v1/health", verify=verify or True, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)  # polling a child process's port: nothing to wait on instead
    raise RuntimeError(f"server not up after {startup_s} s: {log_path.read_text()}")
