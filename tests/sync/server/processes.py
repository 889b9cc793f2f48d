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

BIND_ATTEMPTS = 5


def free_port() -> int:
    """A port free now. Nothing holds it until the server binds it: another xdist worker's server,
    or any outgoing connection, may take it first (`server_process` then tries another one)."""
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

    ``tls`` is (certificate, key, CA certificate to check it with). A port taken by someone
    else between `free_port` and the server's bind is given up for another one, and a server
    only counts as up once the process started here is the one listening on the port (not
    another worker's server answering there).
    """
    for _attempt in range(BIND_ATTEMPTS):
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
                if not _wait_until_up(process, url, port, verify, startup_s, log_path):
                    continue  # the port was lost to someone else: the process has exited
                yield url
                return
            finally:
                _stop(process)
    raise RuntimeError(f"no free port kept after {BIND_ATTEMPTS} attempts: {log_path.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


def _wait_until_up(
    process: subprocess.Popen[bytes],
    url: str,
    port: int,
    verify: ssl.SSLContext | None,
    startup_s: float,
    log_path: Path,
) -> bool:
    """True once this process answers on ``port``; False when it exited because the port was
    already taken. Raises RuntimeError when it exited otherwise or is not up in time."""
    deadline = time.monotonic() + startup_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log_path.read_text(errors="replace")
            if "address already in use" in output.lower():
                return False
            raise RuntimeError(f"server exited: {output}")
        try:
            answered = httpx.get(f"{url}/v1/health", verify=verify or True, timeout=2)
            if answered.status_code == 200 and _listens(process.pid, port):
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.1)  # polling a child process's port: nothing to wait on instead
    raise RuntimeError(f"server not up after {startup_s} s: {log_path.read_text()}")


def _listens(pid: int, port: int) -> bool:
    """Whether process ``pid`` holds the socket listening on ``port`` (Linux /proc; elsewhere
    the answer on the port is taken as the process's own)."""
    tables = [Path("/proc/net/tcp"), Path("/proc/net/tcp6")]
    if not tables[0].exists():
        return True
    inodes = set()
    for table in tables:
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                inodes.add(f"socket:[{inode}]")
    try:
        descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
    for descriptor in descriptors:
        try:
            if os.readlink(descriptor) in inodes:
                return True
        except OSError:
            continue
    return False
