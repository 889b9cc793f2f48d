"""Supplier listing import: a 10,000-line listing against a 50,000-household encrypted store.

The listing is a generated CSV (Faker fr_FR, seeded, Windows-1252 and semicolons as French Excel
writes it): most lines are new people, a share carries a customer reference or a meter point
already in the store, a share the name and address of a known household, and a few are repeated
lines. The cached demo store (see bench_demo.demo_workspace) is copied to a temporary file first,
since the commit writes.

Timed (wall and CPU time): parse + match + preview (``ListingService.preview``), then ``commit``
of every new and matched line in one transaction (Core bulk inserts, see store/bulk.py). The
commit's wall time includes the SQLite checkpoint that follows it (the ~80 MB it adds to the
write-ahead log are copied into the database file). The load average is printed too: on a
shared machine wall times mean little without it, CPU times somewhat more.

Usage: python bench/bench_listing.py [--households 50000] [--lines 10000] [--store PATH]
Final line: JSON (targets: preview <= 5 s, commit <= 2 s).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

from faker import Faker
from sqlalchemy import select

from bench_demo import CACHE_DIR, PASSPHRASE, demo_workspace
from mediadesk.services.listing import listing_service
from mediadesk.services.workspace import Workspace, unlock_workspace
from mediadesk.store.models import EnergyContract, Household, Person

PREVIEW_TARGET_S = 5.0
COMMIT_TARGET_S = 2.0
HEADERS = ("NOM CLIENT", "Prénom", "Référence client", "PDL", "Adresse", "Code postal", "Ville",
           "Tél", "Montant impayé", "Date échéance")


def _known(workspace: Workspace, count: int, rng: random.Random) -> list[list[str]]:
    """Lines about households already in the store: by reference, or by name and address."""
    with workspace.opened.engine.connect() as conn:
        refs = list(conn.execute(select(EnergyContract.customer_ref, EnergyContract.meter_point)
                                 .where(EnergyContract.customer_ref.is_not(None)).limit(20_000)))
        people = list(conn.execute(
            select(Person.last_name, Person.first_name, Household.street, Household.postal_code,
                   Household.city).join(Household, Household.id == Person.household_id)
            .where(Household.street.is_not(None)).limit(20_000)))
    out = []
    for index in range(count):
        if index % 2 == 0:
            ref, pdl = rng.choice(refs)
            out.append(["DURAND", "Jean", str(ref), "" if index % 4 else str(pdl or ""), "", "",
                        "", "", "", ""])
        else:
            last, first, street, postal_code, city = rng.choice(people)
            out.append([str(last).upper(), str(first), "", "", str(street), str(postal_code or ""),
                        str(city or ""), "", "", ""])
    return out


def make_listing(workspace: Workspace, lines: int, seed: int = 2026) -> bytes:
    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    known = _known(workspace, lines // 5, rng)
    rows: list[list[str]] = []
    for index in range(lines - len(known) - lines // 100):
        rows.append([
            fake.last_name().upper(), fake.first_name(), f"CRB{70000000 + index}",
            f"{25000000000000 + index * 7}", fake.street_address(), fake.postcode(),
            fake.city(), fake.phone_number(),
            f"{fake.random_int(10, 4000)},{index % 100:02d} €",
            f"{fake.random_int(1, 28):02d}/{fake.random_int(1, 12):02d}/2026"])
    rows += known
    rows += [list(rng.choice(rows)) for _ in range(lines // 100)]  # repeated lines
    rng.shuffle(rows)
    text = "\r\n".join(";".join(cell.replace(";", ",") for cell in line)
                       for line in (HEADERS, *rows)) + "\r\n"
    return text.encode("cp1252", errors="replace")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--store", type=Path, default=None)
    args = parser.parse_args()

    source = args.store or CACHE_DIR / f"demo-{args.households}.mdk"
    demo_workspace(args.households, source).close()
    with tempfile.TemporaryDirectory(prefix="mediadesk-bench-listing-") as scratch:
        copy = Path(scratch) / "listing.mdk"
        shutil.copyfile(source, copy)
        shutil.copyfile(source.with_name(source.name + ".keys"),
                        copy.with_name(copy.name + ".keys"))
        workspace = unlock_workspace(copy, PASSPHRASE)
        try:
            data = make_listing(workspace, args.lines)
            service = listing_service(workspace)
            started, cpu = time.perf_counter(), time.process_time()
            preview = service.preview(data, source_name="edf-semaine-48.csv", partner="EDF")
            preview_s = time.perf_counter() - started
            preview_cpu_s = time.process_time() - cpu
            started, cpu = time.perf_counter(), time.process_time()
            result = service.commit(preview, skip_invalid=True)
            commit_s = time.perf_counter() - started
            commit_cpu_s = time.process_time() - cpu
        finally:
            workspace.close()

    kinds = {kind: len(preview.of_kind(kind)) for kind in ("new", "matched", "duplicate",
                                                           "invalid")}
    ok = preview_s <= PREVIEW_TARGET_S and commit_s <= COMMIT_TARGET_S
    load = os.getloadavg()[0]
    print(f"{len(preview.lines)} lines against {args.households} households: {kinds}")
    print(f"  parse + match + preview: {preview_s:.2f} s, CPU {preview_cpu_s:.2f} s "
          f"(target {PREVIEW_TARGET_S} s)")
    print(f"  commit ({result.created} new, {result.matched} matched): {commit_s:.2f} s, "
          f"CPU {commit_cpu_s:.2f} s (target {COMMIT_TARGET_S} s)")
    print(f"  load average (1 min) at the end: {load:.2f} on {os.cpu_count()} CPUs")
    print(json.dumps({"benchmark": "listing", "households": args.households,
                      "lines": len(preview.lines), **kinds,
                      "preview_s": round(preview_s, 3), "commit_s": round(commit_s, 3),
                      "preview_cpu_s": round(preview_cpu_s, 3),
                      "commit_cpu_s": round(commit_cpu_s, 3),
                      "preview_target_s": PREVIEW_TARGET_S, "commit_target_s": COMMIT_TARGET_S,
                      "load_avg_1m": round(load, 2), "cpus": os.cpu_count(), "ok": ok}))


if __name__ == "__main__":
    main()
