"""Identifiers: client-generated UUIDv7, time-ordered so inserts stay local in B-trees."""

from __future__ import annotations

import uuid

import uuid6


def new_id() -> uuid.UUID:
    """Return a fresh UUIDv7 as a standard :class:`uuid.UUID`."""
    return uuid.UUID(int=uuid6.uuid7().int)
