"""Small SQL helpers the device side of sync shares over the encrypted store.

Local settings (the hybrid-logical clock, the changeset numbering), ``IN`` lists run in chunks,
the canonical JSON of op values and the store's UTC timestamps. Callers own the transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, text

from mediadesk.store import capture

CHUNK = 400
"""Ids per ``IN (...)`` list: well under SQLite's bound-parameter limit."""

INDEXED = {
    "household": "id",
    "person": "household_id",
    "phone": "household_id",
    "energy_contract": "household_id",
}
"""Tables feeding the search index, with the column naming the household they belong to."""

KEY_CLIENT_SEQ = "sync.client_seq"
KEY_HLC = "sync.hlc"


def synced_tables() -> dict[str, Table]:
    """The captured tables by name."""
    return {t.name: t for t in capture.synced_tables()}


def count(conn: Connection, sql: str) -> int:
    value: Any = conn.execute(text(sql)).scalar_one()
    return int(value)


def chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def each_chunk(conn: Connection, sql: str, ids: Sequence[str], **params: Any) -> None:
    """Run ``sql`` (ending in ``IN``) over ``ids`` in chunks."""
    for chunk in chunks(ids):
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        conn.execute(
            text(f"{sql} ({marks})"), {**params, **{f"i{n}": v for n, v in enumerate(chunk)}}
        )


def encode(value: Any) -> str:
    """An op value as canonical JSON (the form kept in the outbox and the history)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def utc_text(moment: datetime) -> str:
    """``moment`` as the store writes its naive-UTC timestamps."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
