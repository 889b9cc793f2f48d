"""Identifiers: client-generated UUIDv7, time-ordered so inserts stay local in B-trees."""

from __future__ import annotations

import uuid

import uuid6


def new_id() -> uuid.UUID:
    """Return a fresh UUIDv7 as a standard :class:`uuid.UUID`."""
    return uuid.UUID(int=uuid6.uuid7().int)


_ELEMENT_NAMESPACE = uuid.UUID("3d8f2b5e-7c1a-4e4b-9a6f-0b2c9d1e5a77")


def element_id(parent: uuid.UUID, key: str) -> uuid.UUID:
    """The id of the element ``key`` of ``parent`` (an interview's answer, a household's
    language): the same on every device, so two devices adding it offline make one row that
    sync merges, never two rows that clash."""
    return uuid.uuid5(_ELEMENT_NAMESPACE, f"{parent.hex}/{key}")
