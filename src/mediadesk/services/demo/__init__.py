"""Demo data: realistic fake French households for demonstrations, training and benchmarks.

`populate_demo` fills an open workspace with invented households (Faker, ``fr_FR`` locale, plus a
few other origins for households speaking another language) and their whole dossier: members,
phones (E.164), languages, energy contracts (customer references, 14-digit PDL / PCE), debts in
integer cents, payment plans with instalments, interviews with their answers (one row each, as
`InterviewService` saves them), notes with their revision, contact attempts, next steps,
orientations, follow-ups, incidents and consents, dated over the last two years (relative to the
day of the run). Customer-reference formats are invented, only plausible;
phone numbers are random and may exist: never dial them.

Speed (50,000 households, about 1.8 million rows, in well under a minute on two cores): Faker
only builds small pools of names, streets and towns; households are assembled from the pools with
one seeded generator, so the same ``seed`` gives the same data (ids and the day of the run
aside), in one process or two. Rows are written with Core inserts compiled from each table's
``insert()``, values converted by the columns' own types exactly as for the ORM, ``CHUNK``
households per transaction with the chunk's search-index rows. For large loads a helper process
generates the next chunk while this one writes (see `chunks.generate`): scripts calling this need
the usual ``if __name__ == "__main__":`` guard.

Cancellation is checked between transactions: chunks already committed stay in the store (each
complete and indexed); nothing of a chunk not yet started is written.
Thread: a worker thread, never the GUI one; nothing is printed, the totals are logged.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import repeat
from typing import Any, cast

from sqlalchemy import Connection, Table, select

from mediadesk.domain.ids import new_id
from mediadesk.services.demo.bulk import Same
from mediadesk.services.demo.chunks import Setup, generate
from mediadesk.services.demo.draw import HISTORY_DAYS, Rows
from mediadesk.services.demo.vocabulary import PARTNERS, SITES
from mediadesk.services.workspace import Workspace
from mediadesk.store import capture, search
from mediadesk.store.base import local_day
from mediadesk.store.capture import DEMO_SETTING
from mediadesk.store.local_settings import set_setting
from mediadesk.store.models import Partner, Site

__all__ = ["CHUNK", "HISTORY_DAYS", "PARALLEL_FROM_CHUNKS", "DemoSummary", "Rows", "populate_demo"]

log = logging.getLogger(__name__)
CHUNK = 1000
PARALLEL_FROM_CHUNKS = 4  # below, starting a helper process costs more than it saves
_COUNTED = {
    "households": "household", "people": "person", "interviews": "interview", "notes": "note",
    "contact_attempts": "contact_attempt", "phones": "phone", "contracts": "energy_contract",
    "debts": "debt", "payment_plans": "payment_plan", "instalments": "instalment",
    "actions": "action", "orientations": "orientation", "follow_ups": "follow_up",
    "incidents": "incident", "consents": "consent", "languages": "household_language",
    "interview_answers": "interview_answer",
}


@dataclass(frozen=True)
class DemoSummary:
    """Rows written (committed) by one `populate_demo` call."""

    households: int
    people: int
    interviews: int
    notes: int
    contact_attempts: int
    phones: int = 0
    contracts: int = 0
    debts: int = 0
    payment_plans: int = 0
    instalments: int = 0
    actions: int = 0
    orientations: int = 0
    follow_ups: int = 0
    incidents: int = 0
    consents: int = 0
    languages: int = 0
    interview_answers: int = 0
    cancelled: bool = False

    @property
    def rows(self) -> int:
        """All rows written, note revisions (one per note) included."""
        counts: list[int] = [getattr(self, name) for name in _COUNTED]
        return sum(counts) + self.notes


def populate_demo(workspace: Workspace, households: int, *, seed: int | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  cancel: Callable[[], bool] | None = None) -> DemoSummary:
    """Add ``households`` invented households with their dossiers to the workspace's store.

    ``progress(done, total)`` is called after each committed chunk; ``cancel()`` is asked before
    each chunk and a true answer stops there (committed chunks stay; ``cancelled`` is set).
    The team's sites and partners are reused, or a demo set is created when there are none.
    Raises ValueError for a negative count; store errors propagate (that chunk is rolled back).
    """
    if households < 0:
        raise ValueError("households must be >= 0")
    started = time.perf_counter()
    master = random.Random(seed)
    engine = workspace.opened.engine
    actor = workspace.actor
    stamp = {"scope_id": actor.team_id, "created_by": actor.user_id,
             "created_on_device": actor.device_id, "updated_by": actor.user_id,
             "updated_on_device": actor.device_id, "version": 1}
    with engine.begin() as conn, capture.capture_paused(conn):
        # Invented data never travels: the store is marked as a demo and sync refuses it.
        set_setting(conn, DEMO_SETTING, "1")
        sites, partners = _network(conn, stamp)
    setup = Setup(pools_seed=master.getrandbits(32), seed=master.getrandbits(64), stamp=stamp,
                  sites=sites, partners=partners, today=local_day(datetime.now(UTC)),
                  dialect=type(engine.dialect))
    sizes = [min(CHUNK, households - start) for start in range(0, households, CHUNK)]
    counts = dict.fromkeys(_COUNTED, 0)
    done, cancelled = 0, False
    chunks = generate(setup, sizes, PARALLEL_FROM_CHUNKS)
    try:
        for _size in sizes:
            if cancel is not None and cancel():
                cancelled = True
                break
            chunk = next(chunks)
            with engine.begin() as conn, capture.capture_paused(conn):
                for sql, columns in chunk.inserts:
                    # A Same column repeats for ever: zip() stops at the end of the others.
                    rows = zip(*(repeat(c.value) if isinstance(c, Same) else c
                                 for c in columns), strict=False)
                    conn.exec_driver_sql(sql, list(rows))
                search.reindex(conn, chunk.ids)
            for key, table_name in _COUNTED.items():
                counts[key] += chunk.counts[table_name]
            done += len(chunk.ids)
            if progress is not None:
                progress(done, households)
    finally:
        chunks.close()
    log.info("demo data: %d of %d households written in %.1f s%s", done, households,
             time.perf_counter() - started, " (cancelled)" if cancelled else "")
    return DemoSummary(**counts, cancelled=cancelled)


def _network(conn: Connection, stamp: dict[str, Any]) -> tuple[list[Any], dict[str, list[Any]]]:
    """The team's sites and partners: the existing ones, or a demo set created now."""
    s, p = cast(Table, Site.__table__), cast(Table, Partner.__table__)
    live_sites = select(s.c.id).where(s.c.deleted_at.is_(None)).order_by(s.c.id)
    sites: list[Any] = list(conn.execute(live_sites).scalars())
    if not sites:
        now = datetime.now(UTC)
        site_rows = [{**stamp, "id": new_id(), "created_at": now, "updated_at": now,
                      "name": name, "address": address, "phone": None}
                     for name, address in SITES]
        conn.execute(s.insert(), site_rows)
        conn.execute(p.insert(), [
            {**stamp, "id": new_id(), "created_at": now, "updated_at": now, "name": name,
             "kind": kind, "body": body, "phone": phone, "email": None, "hours": hours,
             "languages": languages}
            for name, kind, body, phone, hours, languages in PARTNERS])
        sites = [row["id"] for row in site_rows]
    partners: dict[str, list[Any]] = {}
    for partner_id, kind in conn.execute(
        select(p.c.id, p.c.kind).where(p.c.deleted_at.is_(None)).order_by(p.c.id)
    ):
        partners.setdefault(str(kind), []).append(partner_id)
    return sites, partners
