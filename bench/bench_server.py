"""100 concurrent devices each pushing and pulling 100 changes against PostgreSQL.

A fresh PostgreSQL database (dropped afterwards) served by ``mediadesk-server run --workers N``
in a subprocess; devices in threads, each with its own HTTP client, spread over teams of 10.
Each device enrols and gets a token (not timed), then all start together: ``--rounds`` syncs,
each pushing one changeset of ``--changes / --rounds`` ops and pulling its team's new ops, then
pull until no page says ``more``. Every sync is timed around its HTTP exchange (request sent,
response read: what the server and the network cost), and end to end (with the client's own
encoding and validation, which 25 threads per process slow by contending for the GIL).
Checks: no errors, every device ends with all its team's ops (its pulled sequence numbers
gapless) and the same checksum as its teammates.

Usage: python bench/bench_server.py [--devices 100] [--changes 100] [--rounds 10]
       [--team-size 10] [--workers 2] [--pg-user postgres]
Final line: JSON (target: p99 <= 1 s, no errors).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg

from mediadesk.sync.client import SyncClient
from mediadesk.sync.protocol import Changeset, SyncRequest, WireOp
from mediadesk.sync.server import admin, db
from mediadesk.sync.server.settings import wall_ms

P99_TARGET_MS = 1000.0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


class TimedClient(SyncClient):
    """A SyncClient that times each HTTP exchange alone (request out, response read, retries
    included): building and gzipping the request and validating the response run in the
    client processes' threads, whose GIL contention is the bench's, not the server's."""

    last_http_ms = 0.0

    def _send(
        self, method: str, path: str, content: bytes | None, headers: dict[str, str]
    ) -> httpx.Response:
        start = time.perf_counter()
        try:
            return super()._send(method, path, content, headers)
        finally:
            self.last_http_ms = (time.perf_counter() - start) * 1000


@dataclass
class Device:
    team: str
    client: TimedClient
    id: str = ""
    token: str = ""
    cursor: int = 0
    seqs: list[int] = field(default_factory=list)
    checksum: str = ""
    latencies_ms: list[float] = field(default_factory=list)  # HTTP exchange only
    end_to_end_ms: list[float] = field(default_factory=list)  # with client encode/validate
    errors: list[str] = field(default_factory=list)

    def sync(self, changesets: list[Changeset]) -> None:
        request = SyncRequest(changesets=changesets, cursors={self.team: self.cursor})
        start = time.perf_counter()
        response = self.client.sync(self.token, request)
        self.end_to_end_ms.append((time.perf_counter() - start) * 1000)
        self.latencies_ms.append(self.client.last_http_ms)
        page = response.pages[0]
        self.seqs += [op.q for op in page.ops]
        self.cursor, self.checksum = page.cursor, page.checksum
        if page.more:
            self.sync([])


def _op(team: str, n: int) -> WireOp:
    return WireOp.model_validate({
        "e": "household", "r": uuid.uuid4().hex, "f": "city", "k": "set",
        "v": f"Ville {n}", "b": n, "t": f"{wall_ms():015d}:000000:ab", "s": team,
    })  # fmt: skip


def _run_device(device: Device, changes: int, rounds: int, start: threading.Barrier) -> None:
    per_round = changes // rounds
    start.wait()
    try:
        for seq in range(1, rounds + 1):
            ops = [_op(device.team, n) for n in range(per_round)]
            device.sync([Changeset(client_seq=seq, ops=ops)])
    except Exception as error:  # a bench reports every failure
        device.errors.append(f"{type(error).__name__}: {error}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start_server(url: str, workers: int, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    command = [sys.executable, "-m", "mediadesk.sync.server.cli", "run", "--db", url,
               "--port", str(port), "--workers", str(workers)]  # fmt: skip
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{base}/v1/health", timeout=2).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(log.read_text())


def _setup(url: str, devices: int, team_size: int) -> list[tuple[str, str]]:
    """Teams and users; returns (team id, enrolment code) per device."""
    engine = db.make_engine(url, pool_size=2)
    db.init(engine)
    plan = []
    for n in range(devices):
        name = f"Équipe {n // team_size}"
        if n % team_size == 0:
            team = admin.create_team(engine, name)
        email = f"mediateur{n}@exemple.fr"
        admin.add_user(engine, email, name, "mediator")
        plan.append((team, admin.issue_enrolment(engine, email, wall_ms(), 3600)))
    engine.dispose()
    return plan


def _enrol(device: Device, code: str) -> None:
    device.id = uuid.uuid4().hex
    secret = device.client.enrol(code, device.id, "Banc d'essai").device_secret
    device.token = device.client.token(device.id, secret).access_token


def _parallel(target: Any, args: list[tuple[Any, ...]]) -> None:
    threads = [threading.Thread(target=target, args=a) for a in args]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _client_process(
    base: str, plan: list[tuple[str, str]], args: argparse.Namespace, barrier: Any, queue: Any
) -> None:
    """One client machine's worth of devices (threads); reports their results on ``queue``."""
    devices = [Device(team, TimedClient(base, timeout=60)) for team, _ in plan]
    _parallel(_enrol, [(d, code) for d, (_, code) in zip(devices, plan, strict=True)])
    start = threading.Barrier(len(devices), action=barrier.wait)  # all processes start together
    started = time.perf_counter()
    _parallel(_run_device, [(d, args.changes, args.rounds, start) for d in devices])
    seconds = time.perf_counter() - started
    barrier.wait()  # every device of every process has pushed: catch up on teammates' ops
    for device in devices:
        if not device.errors:
            device.sync([])
    queue.put([
        (d.team, d.seqs, d.checksum, d.latencies_ms, d.errors, seconds, d.end_to_end_ms)
        for d in devices
    ])  # fmt: skip


def bench(args: argparse.Namespace, url: str) -> dict[str, Any]:
    load = [round(x, 2) for x in os.getloadavg()]  # the machine is shared: say how busy it was
    plan = _setup(url, args.devices, args.team_size)
    log = Path(tempfile.mkdtemp()) / "server.log"
    process, base = _start_server(url, args.workers, log)
    context = multiprocessing.get_context("spawn")
    barrier, queue = context.Barrier(args.client_procs), context.Queue()
    slices = [plan[n :: args.client_procs] for n in range(args.client_procs)]
    clients = [context.Process(target=_client_process, args=(base, part, args, barrier, queue))
               for part in slices]  # fmt: skip
    try:
        for client in clients:
            client.start()
        results = [row for _ in clients for row in queue.get(timeout=900)]
        for client in clients:
            client.join(timeout=60)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return _report(args, results, load)


def _report(
    args: argparse.Namespace, results: list[tuple[Any, ...]], load: list[float]
) -> dict[str, Any]:
    latencies = [ms for row in results for ms in row[3]]
    end_to_end = [ms for row in results for ms in row[6]]
    errors = [e for row in results for e in row[4]]
    seconds = max(row[5] for row in results)
    team_ops = args.changes // args.rounds * args.rounds * args.team_size
    incomplete = sum(1 for row in results if row[1] != list(range(1, team_ops + 1)))
    checksums: dict[str, set[str]] = {}
    for row in results:
        checksums.setdefault(row[0], set()).add(row[2])
    diverged = sum(1 for sums in checksums.values() if len(sums) != 1)
    return {
        "benchmark": "server", "devices": len(results), "client_procs": args.client_procs,
        "changes_per_device": args.changes,
        "rounds": args.rounds, "team_size": args.team_size, "workers": args.workers,
        "requests": len(latencies), "seconds": round(seconds, 2),
        "ops_per_s": round(len(results) * args.changes / seconds),
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies), 1),
        "end_to_end_p50_ms": round(percentile(end_to_end, 0.50), 1),
        "end_to_end_p99_ms": round(percentile(end_to_end, 0.99), 1),
        "load_at_start": list(load),
        "errors": len(errors), "first_errors": errors[:3],
        "devices_incomplete": incomplete, "teams_diverged": diverged,
        "p99_target_ms": P99_TARGET_MS, "cpus": os.cpu_count(),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--devices", type=int, default=100)
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--team-size", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--client-procs", type=int, default=4)
    parser.add_argument("--pg-user", default="postgres")
    args = parser.parse_args()
    name = f"mediadesk_bench_{uuid.uuid4().hex[:10]}"
    admin_conn = dict(host="127.0.0.1", port=5432, user=args.pg_user, dbname="test",
                      autocommit=True)  # fmt: skip
    with psycopg.connect(**admin_conn) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        result = bench(args, f"postgresql+psycopg://{args.pg_user}@127.0.0.1:5432/{name}")
    finally:
        with psycopg.connect(**admin_conn) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    ok = (result["errors"] == 0 and result["devices_incomplete"] == 0
          and result["teams_diverged"] == 0 and result["p99_ms"] <= P99_TARGET_MS)  # fmt: skip
    print(
        f"{result['devices']} devices x {result['changes_per_device']} changes in "
        f"{result['rounds']} syncs each ({result['requests']} requests, "
        f"{result['seconds']} s, {result['ops_per_s']} pushed ops/s)"
    )
    print(
        f"latency p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
        f"p99 {result['p99_ms']} ms, max {result['max_ms']} ms; errors {result['errors']}; "
        f"incomplete devices {result['devices_incomplete']}; diverged teams "
        f"{result['teams_diverged']}"
    )
    print(
        f"end to end (with client encode/validate): p50 {result['end_to_end_p50_ms']} ms, "
        f"p99 {result['end_to_end_p99_ms']} ms; load average at start {result['load_at_start']}"
    )
    print(f"target: p99 <= {P99_TARGET_MS:.0f} ms, no errors: {'met' if ok else 'MISSED'}")
    print(json.dumps({**result, "ok": ok}))


if __name__ == "__main__":
    main()
