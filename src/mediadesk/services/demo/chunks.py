"""Demo data chunks, generated in this process or in a helper process. `Setup` is everything
generation needs (picklable); `generate` yields the chunks of a fill in order, each a `_Chunk` of
converted INSERT columns ready to write, made here for a small fill or, for a large one, by one
spawned helper process working one chunk ahead. The helper is initialised by `_start_helper` and
asked for each chunk with `_helper_chunk`: the pool pickles both by their qualified names in this
module (as it does `Setup` and `_Chunk`), so they must stay module-level names here.
"""

from __future__ import annotations

import logging
import multiprocessing
import sys
import uuid
from collections.abc import Generator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Dialect

from mediadesk.services.demo.bulk import TABLES, Inserts
from mediadesk.services.demo.maker import Maker
from mediadesk.services.demo.pools import Pools, Random

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Setup:
    """What generating chunks needs (picklable: it is sent to the helper process)."""

    pools_seed: int
    seed: int
    stamp: dict[str, Any]
    sites: list[Any]
    partners: dict[str, list[Any]]
    today: date
    dialect: type[Dialect]


@dataclass(frozen=True)
class _Chunk:
    ids: list[uuid.UUID]
    inserts: list[tuple[str, list[Any]]]  # (INSERT, converted columns), parents first
    counts: dict[str, int]  # rows by table name


class _Source:
    """Generates chunks in order from one seeded generator, rows converted for the driver."""

    def __init__(self, setup: Setup) -> None:
        self.maker = Maker(Random(setup.seed), Pools.build(setup.pools_seed), setup.stamp,
                           setup.sites, setup.partners, setup.today)
        self.inserts = Inserts(setup.dialect())

    def chunk(self, size: int) -> _Chunk:
        rows, ids = self.maker.chunk(size)
        return _Chunk(ids, [self.inserts.columns(table, rows[table.name])
                            for table in TABLES if rows[table.name]],
                      {name: len(table_rows) for name, table_rows in rows.items()})


def generate(setup: Setup, sizes: list[int], parallel_from: int) -> Generator[_Chunk, None, None]:
    """The chunks of ``sizes``, in order; the same seed gives the same chunks either way.

    From ``parallel_from`` chunks on, they are made by one helper process while this one writes:
    generation is about half the work, and a process gets its own core (a helper *thread* was
    tried: SQLite releases the GIL at every row and the two threads convoy, many times slower).
    The helper is started with "spawn", so a script calling this needs the usual
    ``if __name__ == "__main__":`` guard; when the helper cannot start, the chunks are made here.
    """
    if len(sizes) < parallel_from or getattr(sys, "frozen", False):
        # A frozen app would also need multiprocessing.freeze_support() in its entry point.
        yield from _local_chunks(setup, sizes)
        return
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start_helper, initargs=(setup,))
    try:
        pending = pool.submit(_helper_chunk, sizes[0])
        try:
            chunk = pending.result()
        except BrokenProcessPool:
            log.warning("demo data: helper process unavailable, generating in this process")
            yield from _local_chunks(setup, sizes)
            return
        for index in range(1, len(sizes) + 1):
            if index < len(sizes):  # made while ``chunk`` is being written
                pending = pool.submit(_helper_chunk, sizes[index])
            yield chunk
            if index < len(sizes):
                chunk = pending.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _local_chunks(setup: Setup, sizes: list[int]) -> Generator[_Chunk, None, None]:
    source = _Source(setup)
    for size in sizes:
        yield source.chunk(size)


_helper_source: _Source | None = None


def _start_helper(setup: Setup) -> None:
    global _helper_source
    _helper_source = _Source(setup)


def _helper_chunk(size: int) -> _Chunk:
    assert _helper_source is not None, "helper process not initialised"
    return _helper_source.chunk(size)
