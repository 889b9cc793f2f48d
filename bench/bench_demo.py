"""Demo data: time of ``populate_demo(workspace, N)`` into a fresh encrypted store.

Also the home of `demo_workspace`, the cached demo store the other benchmarks reuse.

Usage: python bench/bench_demo.py [--households 50000] [--seed 1] [--store PATH] [--check]
  --store PATH  keep the filled store there (it must not exist yet); it can then be passed to
                the other benchmarks. Without it the store lives in a temporary directory.
  --check       also time the integrity check of the filled store.
Final line: JSON with the figures (target: 50,000 households in <= 60 s).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from mediadesk.services.demo import populate_demo
from mediadesk.services.workspace import Workspace, create_workspace, unlock_workspace
from mediadesk.store.keyslots import TEST_KDF
from mediadesk.store.models import Household

PASSPHRASE = "banc d'essai des foyers fictifs"
TARGET_SECONDS = 60.0
CACHE_DIR = Path(tempfile.gettempdir()) / "mediadesk-bench"


def household_count(workspace: Workspace) -> int:
    with workspace.opened.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Household)).scalar_one())


def demo_workspace(households: int, store: Path | None = None) -> Workspace:
    """An unlocked demo store with at least ``households`` households (seed 1).

    ``store`` (default: a cached file under the temp directory, one per size) is reused when it
    exists, topped up if it holds fewer households, else created and filled. Cheap key
    derivation (TEST_KDF): these benchmarks do not measure unlocking.
    """
    path = store or CACHE_DIR / f"demo-{households}.mdk"
    if path.exists():
        workspace = unlock_workspace(path, PASSPHRASE)
        missing = households - household_count(workspace)
        if missing > 0:
            print(f"topping up {path} with {missing} households...", flush=True)
            populate_demo(workspace, missing, seed=2)
        return workspace
    print(f"building the demo store {path} ({households} households, once)...", flush=True)
    workspace = create_workspace(path, PASSPHRASE, kdf=TEST_KDF)
    started = time.perf_counter()
    populate_demo(workspace, households, seed=1)
    print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
    return workspace


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (values need not be sorted)."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    with tempfile.TemporaryDirectory(prefix="mediadesk-bench-demo-") as scratch:
        path = args.store or Path(scratch) / "demo.mdk"
        if path.exists():
            sys.exit(f"{path} exists: give a new path")
        workspace = create_workspace(path, PASSPHRASE, kdf=TEST_KDF)
        try:
            chunks: list[float] = []
            last = [time.perf_counter()]

            def progress(done: int, total: int) -> None:
                now = time.perf_counter()
                chunks.append(now - last[0])
                last[0] = now
                if done % 10_000 == 0 or done == total:
                    print(f"  {done:>7} / {total} households", flush=True)

            started = time.perf_counter()
            summary = populate_demo(workspace, args.households, seed=args.seed,
                                    progress=progress)
            seconds = time.perf_counter() - started
            size_mb = sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6
            rows = summary.rows
            check_seconds = None
            problems: list[str] = []
            if args.check:
                check_started = time.perf_counter()
                problems = workspace.check()
                check_seconds = round(time.perf_counter() - check_started, 2)
        finally:
            workspace.close()

    print(f"populate_demo({args.households}): {seconds:.1f} s "
          f"({rows} rows, {rows / seconds:,.0f} rows/s, store {size_mb:.0f} MB)")
    print("  " + ", ".join(f"{k}={v}" for k, v in vars(summary).items()))
    if chunks:
        print(f"  per chunk of 1000: median {percentile(chunks, 0.5):.2f} s, "
              f"slowest {max(chunks):.2f} s")
    if check_seconds is not None:
        print(f"  integrity check: {check_seconds} s, problems: {problems or 'none'}")
    print(f"target <= {TARGET_SECONDS:.0f} s: {'met' if seconds <= TARGET_SECONDS else 'MISSED'}")
    print(json.dumps({
        "benchmark": "demo", "households": args.households, "seconds": round(seconds, 2),
        "rows": rows, "rows_per_second": round(rows / seconds), "store_mb": round(size_mb),
        "chunk_median_s": round(percentile(chunks, 0.5), 3) if chunks else None,
        "check_seconds": check_seconds, "check_problems": len(problems),
        "target_seconds": TARGET_SECONDS, "ok": seconds <= TARGET_SECONDS,
        "cpus": os.cpu_count(),
    }))


if __name__ == "__main__":
    main()
