"""Type-ahead search on a 50,000-household encrypted demo store.

200 queries as a mediator types them, drawn (seeded) from the store's own data: last-name
prefixes of 2 to 6 letters (as written or without accents), first name + last name, street
fragments, towns, phone fragments ("06 12", "0612 34", "+33 6 12 3", "06 12 34 56"), customer
reference and meter point fragments. Each goes through ``workspace.dossiers.find_households``
(index lookup + result rows, limit 50). After 20 warm-up queries, the 200 are timed once, then
a second time (repeat pass).

Usage: python bench/bench_search.py [--households 50000] [--store PATH] [--queries 200]
Final line: JSON (targets: p50 <= 5 ms, p95 <= 20 ms).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bench_demo import demo_workspace, percentile
from mediadesk.domain.text import fold
from mediadesk.services.workspace import Workspace
from mediadesk.store.models import EnergyContract, Household, Person, Phone

P50_TARGET_MS = 5.0
P95_TARGET_MS = 20.0
MIX = (("last_name_prefix", 50), ("first_and_last", 30), ("street", 25), ("town", 25),
       ("phone", 50), ("reference", 20))


def _column(workspace: Workspace, *columns: Any) -> list[Any]:
    with workspace.opened.engine.connect() as conn:
        return list(conn.execute(select(*columns).order_by(columns[0].table.c.id)))


def make_queries(workspace: Workspace, count: int, seed: int = 2026) -> list[tuple[str, str]]:
    """(kind, text) pairs in the proportions of MIX, from the store's data."""
    rng = random.Random(seed)
    people = _column(workspace, Person.first_name, Person.last_name)
    places = _column(workspace, Household.street, Household.city)
    phones = [n for (n,) in _column(workspace, Phone.number)]
    refs = _column(workspace, EnergyContract.customer_ref, EnergyContract.meter_point)

    def last_name_prefix() -> str:
        _, last = rng.choice(people)
        prefix = last[: rng.randint(2, 6)]
        return prefix if rng.random() < 0.5 else fold(prefix)

    def first_and_last() -> str:
        first, last = rng.choice(people)
        return f"{first} {last}" if rng.random() < 0.5 else f"{fold(first)} {fold(last)[:3]}"

    def street() -> str:
        words: list[str] = str(rng.choice(places)[0]).split()[1:]  # without the number
        if rng.random() < 0.5 and len(words) > 1:
            return f"{words[0]} {words[1][: rng.randint(3, 6)]}"
        return rng.choice(words)[: rng.randint(4, 8)]

    def town() -> str:
        city = str(rng.choice(places)[1])
        return city if rng.random() < 0.5 else city[: rng.randint(3, 6)]

    def phone() -> str:
        national = "0" + rng.choice(phones)[3:]  # +33612345678 -> 0612345678
        return rng.choice((
            f"{national[:2]} {national[2:4]}",
            f"{national[:4]} {national[4:6]}",
            f"+33 {national[1]} {national[2:4]} {national[4]}",
            f"{national[:2]} {national[2:4]} {national[4:6]} {national[6:8]}",
        ))

    def reference() -> str:
        customer_ref, meter_point = rng.choice(refs)
        if meter_point and rng.random() < 0.4:
            return str(meter_point)[: rng.randint(6, 10)]
        return str(customer_ref)[: rng.randint(4, 8)]

    makers = {"last_name_prefix": last_name_prefix, "first_and_last": first_and_last,
              "street": street, "town": town, "phone": phone, "reference": reference}
    total = sum(n for _, n in MIX)
    queries = [(kind, makers[kind]()) for kind, n in MIX for _ in range(n * count // total)]
    while len(queries) < count:
        queries.append(("last_name_prefix", last_name_prefix()))
    rng.shuffle(queries)
    return queries


def timed(workspace: Workspace, queries: list[tuple[str, str]]) -> list[tuple[str, str, float,
                                                                              int]]:
    results = []
    for kind, query in queries:
        started = time.perf_counter()
        hits = workspace.dossiers.find_households(query)
        results.append((kind, query, (time.perf_counter() - started) * 1000, len(hits)))
    return results


def summary(results: list[tuple[str, str, float, int]]) -> dict[str, float]:
    ms = [r[2] for r in results]
    return {"p50_ms": round(percentile(ms, 0.5), 2), "p95_ms": round(percentile(ms, 0.95), 2),
            "max_ms": round(max(ms), 2), "mean_ms": round(statistics.fmean(ms), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    workspace = demo_workspace(args.households, args.store)
    try:
        queries = make_queries(workspace, args.queries)
        timed(workspace, make_queries(workspace, 20, seed=1))  # warm-up, other queries
        first = timed(workspace, queries)
        repeat = timed(workspace, queries)
    finally:
        workspace.close()

    head, again = summary(first), summary(repeat)
    print(f"{len(first)} type-ahead queries on {args.households} households")
    print(f"  first pass : p50 {head['p50_ms']} ms, p95 {head['p95_ms']} ms, "
          f"max {head['max_ms']} ms, mean {head['mean_ms']} ms")
    print(f"  repeat pass: p50 {again['p50_ms']} ms, p95 {again['p95_ms']} ms, "
          f"max {again['max_ms']} ms")
    by_kind: dict[str, dict[str, float]] = {}
    for kind, _ in MIX:
        rows = [r for r in first if r[0] == kind]
        if rows:
            by_kind[kind] = {**summary(rows), "with_hits": sum(1 for r in rows if r[3])}
            print(f"  {kind:<17} n={len(rows):<3} p50 {by_kind[kind]['p50_ms']:>6} ms  "
                  f"p95 {by_kind[kind]['p95_ms']:>6} ms  with hits {by_kind[kind]['with_hits']}")
    slowest = sorted(first, key=lambda r: r[2], reverse=True)[:5]
    print("  slowest: " + "; ".join(f"{q!r} {ms:.1f} ms ({n} hits)" for _, q, ms, n in slowest))
    ok = head["p50_ms"] <= P50_TARGET_MS and head["p95_ms"] <= P95_TARGET_MS
    print(f"targets p50 <= {P50_TARGET_MS} ms, p95 <= {P95_TARGET_MS} ms: "
          f"{'met' if ok else 'MISSED'}")
    print(json.dumps({"benchmark": "search", "households": args.households,
                      "queries": len(first), **head, "repeat": again, "by_kind": by_kind,
                      "p50_target_ms": P50_TARGET_MS, "p95_target_ms": P95_TARGET_MS,
                      "ok": ok}))


if __name__ == "__main__":
    main()
