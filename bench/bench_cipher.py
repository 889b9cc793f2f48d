"""What encryption costs: one read/write workload on the SQLCipher store and on plain SQLite.

Stores, each new, same schema (Alembic migrations), same connection settings as the app's
engine (WAL, synchronous=FULL, foreign keys, explicit transactions), same service code:
  sqlcipher   the app's store: SQLCipher 4 (sqlcipher3 wheel), 256-bit raw key;
  sqlite      plain file through the standard library's sqlite3 (``sqlite:///``);
  unkeyed     for attribution only: the sqlcipher3 library with no key (same SQLite build as
              the encrypted store, no encryption), so version differences show apart.

The workload, timed step by step:
  bulk      20 transactions of 500 households, 1,000 people and 500 phones, Core executemany
            inserts (``conn.execute(table.insert(), rows)``) + search-index rows, as imports do;
  orm       200 households created one by one through ``dossiers.create_household`` (ORM,
            stamping, index upkeep, one fsync'd commit each), as a mediator does;
  search    200 type-ahead queries through ``dossiers.find_households`` (10,200 households);
  open      200 dossiers opened through ``dossiers.open_dossier``.
Apart from the workload (not in its ratio): ``scan``, ``PRAGMA quick_check`` on a new
connection, which reads every page of the file: SQLite's own work, so decryption, dominates.
Rows and queries are generated before timing, from one seed. The whole run is repeated (the
store order rotating) and the median of each step kept.

Usage: python bench/bench_cipher.py [--households 10000] [--repeat 3]
Final line: JSON (target: sqlcipher / sqlite <= 1.3 on the whole workload).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, Table, create_engine, event, select
from sqlalchemy.pool import QueuePool

from mediadesk.domain.ids import new_id
from mediadesk.services.views import HouseholdDraft, MemberDraft, PhoneDraft
from mediadesk.services.workspace import Workspace, create_workspace
from mediadesk.store import migrate, search
from mediadesk.store.engine import make_sessions
from mediadesk.store.keyslots import TEST_KDF
from mediadesk.store.models import Household, Person, Phone
from mediadesk.store.vault import OpenStore

TARGET_RATIO = 1.3
PASSPHRASE = "banc d'essai du chiffrement"
STEPS = ("bulk", "orm", "search", "open")
LAST = ("Martin", "Bernard", "Dubois", "Lefèvre", "Benali", "Diallo", "Nguyen", "Moreau",
        "Fournier", "Girard", "Rousseau", "Faure", "Mercier", "Haddad", "Pereira", "Popescu")
FIRST = ("Inès", "Karim", "Sophie", "Awa", "Jérôme", "Fatima", "Hélène", "Mamadou", "Chloé",
         "Yusuf", "Ana", "Ioana", "Léa", "Rachid", "Élodie", "Moussa")
STREETS = ("rue de la République", "avenue Jean-Jaurès", "allée des Tilleuls", "rue Pasteur",
           "boulevard Victor-Hugo", "impasse des Lilas", "place de l'Église", "chemin Vert")
TOWNS = (("77000", "Melun"), ("77100", "Meaux"), ("77190", "Dammarie-lès-Lys"),
         ("77300", "Fontainebleau"), ("77350", "Le Mée-sur-Seine"), ("77500", "Chelles"))


def _plain_engine(path: Path, module: Any) -> Engine:
    """An engine set up like `mediadesk.store.engine.make_engine`, without any key."""

    def creator() -> Any:
        conn = module.connect(str(path), check_same_thread=False, isolation_level=None)
        for pragma in ("busy_timeout = 10000", "foreign_keys = ON", "synchronous = FULL",
                       "temp_store = MEMORY"):
            conn.execute(f"PRAGMA {pragma}")
        return conn

    first = creator()
    first.execute("PRAGMA journal_mode = WAL").fetchone()
    first.close()
    engine = create_engine(f"sqlite:///{path}", creator=creator, poolclass=QueuePool,
                           pool_size=4, max_overflow=4)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    migrate.upgrade(engine)
    return engine


def open_variant(kind: str, directory: Path) -> Workspace:
    path = directory / f"{kind}.db"
    if kind == "sqlcipher":
        return create_workspace(path, PASSPHRASE, kdf=TEST_KDF)
    engine = _plain_engine(path, sqlite3 if kind == "sqlite" else sqlcipher)
    sessions = make_sessions(engine)
    search.track_changes(sessions)
    return Workspace(OpenStore(path, kind, "none", engine, sessions, b""))


def bulk_rows(rng: random.Random, households: int) -> list[dict[str, list[dict[str, Any]]]]:
    """Per transaction, the rows of 500 households (ids are drawn at insert time)."""
    chunks = []
    for _ in range(households // 500):
        chunk: dict[str, list[dict[str, Any]]] = {"household": [], "person": [], "phone": []}
        for _ in range(500):
            last = rng.choice(LAST)
            code, town = rng.choice(TOWNS)
            chunk["household"].append({
                "name": f"{rng.choice(('Mme', 'M.'))} {rng.choice(FIRST)} {last}",
                "street": f"{rng.randint(1, 99)} {rng.choice(STREETS)}", "postal_code": code,
                "city": town, "status": "open", "interpreter_needed": rng.random() < 0.1,
                "vulnerability_flags": []})
            for position in range(2):
                chunk["person"].append({"position": position, "first_name": rng.choice(FIRST),
                                        "last_name": last, "role": "holder" if position == 0
                                        else "spouse", "birth_year": rng.randint(1940, 2004)})
            chunk["phone"].append({"position": 0, "status": "valid",
                                   "number": f"+336{rng.randrange(10**8):08d}"})
        chunks.append(chunk)
    return chunks


def run_bulk(workspace: Workspace, chunks: list[dict[str, list[dict[str, Any]]]]) -> None:
    actor = workspace.actor
    stamp = {"scope_id": actor.team_id, "created_by": actor.user_id,
             "created_on_device": actor.device_id, "updated_by": actor.user_id,
             "updated_on_device": actor.device_id, "version": 1}
    for chunk in chunks:
        now = datetime.now(UTC)
        ids = [new_id() for _ in chunk["household"]]
        households = [{**stamp, **row, "id": i, "created_at": now, "updated_at": now}
                      for row, i in zip(chunk["household"], ids, strict=True)]
        people = [{**stamp, **row, "id": new_id(), "household_id": ids[n // 2],
                   "created_at": now, "updated_at": now} for n, row in enumerate(chunk["person"])]
        phones = [{**stamp, **row, "id": new_id(), "household_id": ids[n],
                   "created_at": now, "updated_at": now} for n, row in enumerate(chunk["phone"])]
        with workspace.opened.engine.begin() as conn:
            for model, rows in ((Household, households), (Person, people), (Phone, phones)):
                conn.execute(cast(Table, model.__table__).insert(), rows)
            search.reindex(conn, ids)


def drafts(rng: random.Random, count: int) -> list[HouseholdDraft]:
    result = []
    for _ in range(count):
        last, code_town = rng.choice(LAST), rng.choice(TOWNS)
        result.append(HouseholdDraft(
            name=f"{last} {rng.choice(FIRST)}", street=f"{rng.randint(1, 99)} "
            f"{rng.choice(STREETS)}", postal_code=code_town[0], city=code_town[1],
            phones=(PhoneDraft(f"06 {rng.randrange(10**8):08d}"),),
            members=tuple(MemberDraft(rng.choice(FIRST), last) for _ in range(3))))
    return result


def queries(rng: random.Random, count: int) -> list[str]:
    makers: list[Callable[[], str]] = [
        lambda: rng.choice(LAST)[: rng.randint(2, 6)],
        lambda: f"{rng.choice(FIRST)} {rng.choice(LAST)[:3]}",
        lambda: f"06 {rng.randint(10, 99)}",
        lambda: rng.choice(TOWNS)[1][: rng.randint(3, 8)],
        lambda: rng.choice(STREETS).split()[-1][:5],
    ]
    return [rng.choice(makers)() for _ in range(count)]


def run_once(kind: str, directory: Path, households: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    chunks, forms, texts = bulk_rows(rng, households), drafts(rng, 200), queries(rng, 200)
    workspace = open_variant(kind, directory)
    times: dict[str, float] = {}
    try:
        started = time.perf_counter()
        run_bulk(workspace, chunks)
        times["bulk"] = time.perf_counter() - started

        started = time.perf_counter()
        for form in forms:
            workspace.dossiers.create_household(form)
        times["orm"] = time.perf_counter() - started

        started = time.perf_counter()
        for text in texts:
            workspace.dossiers.find_households(text)
        times["search"] = time.perf_counter() - started

        with workspace.opened.engine.connect() as conn:
            all_ids = list(conn.execute(select(Household.id).order_by(Household.id)).scalars())
        picked = random.Random(seed + 1).sample(all_ids, 200)
        started = time.perf_counter()
        for household_id in picked:
            workspace.dossiers.open_dossier(household_id)
        times["open"] = time.perf_counter() - started

        workspace.opened.engine.dispose()  # a new connection: an empty page cache
        started = time.perf_counter()
        with workspace.opened.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA quick_check").all()  # reads every page
        times["scan"] = time.perf_counter() - started
        problems = workspace.check() if kind == "sqlcipher" else []
        assert problems == [], problems
    finally:
        workspace.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    kinds = ["sqlcipher", "sqlite", "unkeyed"]
    samples: dict[str, dict[str, list[float]]] = {
        k: {s: [] for s in (*STEPS, "scan")} for k in kinds}
    for repeat in range(args.repeat):
        order = kinds[repeat % 3:] + kinds[: repeat % 3]
        for kind in order:
            with tempfile.TemporaryDirectory(prefix="mediadesk-bench-cipher-") as scratch:
                times = run_once(kind, Path(scratch), args.households, args.seed)
            for step, seconds in times.items():
                samples[kind][step].append(seconds)
            print(f"  run {repeat + 1} {kind:<9} " + "  ".join(
                f"{s} {times[s]:.2f} s" for s in STEPS), flush=True)

    median = {k: {s: statistics.median(v) for s, v in steps.items()}
              for k, steps in samples.items()}
    total = {k: sum(median[k][s] for s in STEPS) for k in kinds}
    ratio = {s: median["sqlcipher"][s] / median["sqlite"][s] for s in STEPS}
    overall = total["sqlcipher"] / total["sqlite"]
    probe = sqlcipher.connect(":memory:")
    versions = {
        "sqlcipher": f"SQLite {sqlcipher.sqlite_version}, SQLCipher "
                     f"{probe.execute('PRAGMA cipher_version').fetchone()[0]}",
        "sqlite": f"SQLite {sqlite3.sqlite_version}",
    }
    probe.close()
    print(f"workload: {args.households} households in bulk, 200 ORM creations, 200 searches, "
          f"200 dossier opens; median of {args.repeat} runs (seconds)")
    def line(label: str, values: list[float], ratio_value: float, note: str = "") -> None:
        print(f"  {label:<8}" + "".join(f"{v:>11.3f}" for v in values)
              + f"{ratio_value:>8.2f}{note}")

    print(f"  {'step':<8}{'sqlcipher':>11}{'sqlite':>11}{'unkeyed':>11}{'ratio':>8}")
    for step in STEPS:
        line(step, [median[k][step] for k in kinds], ratio[step])
    line("total", [total[k] for k in kinds], overall)
    scan_ratio = median["sqlcipher"]["scan"] / median["sqlite"]["scan"]
    line("(scan)", [median[k]["scan"] for k in kinds], scan_ratio, "   not in the total")
    print(f"  SQLite versions: {versions}")
    ok = overall <= TARGET_RATIO
    print(f"target sqlcipher / sqlite <= {TARGET_RATIO}: {'met' if ok else 'MISSED'}")
    print(json.dumps({
        "benchmark": "cipher", "households": args.households, "repeat": args.repeat,
        "seconds": {k: {s: round(v, 3) for s, v in median[k].items()} for k in kinds},
        "total_seconds": {k: round(v, 3) for k, v in total.items()},
        "ratio_by_step": {s: round(r, 3) for s, r in ratio.items()},
        "ratio": round(overall, 3),
        "ratio_vs_unkeyed": round(total["sqlcipher"] / total["unkeyed"], 3),
        "scan_ratio": round(scan_ratio, 3),
        "versions": versions, "target_ratio": TARGET_RATIO, "ok": ok,
    }))


if __name__ == "__main__":
    main()
