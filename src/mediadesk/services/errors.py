"""Errors the UI and the CLI may meet, re-exported so they never import the store."""

from __future__ import annotations

from mediadesk.store.errors import (
    KeySlotError,
    MigrationError,
    NotFound,
    StoreAlreadyExists,
    StoreCorrupted,
    StoreError,
    StoreNotFound,
    WrongPassphrase,
)
from mediadesk.sync.errors import (
    AuthError,
    DeviceRevoked,
    NetworkError,
    ProtocolError,
    ServerError,
    SyncError,
    TlsError,
)


class ValidationError(ValueError):
    """A field a person typed is not acceptable. ``field`` names it; ``message`` is French UI
    text already translated."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


__all__ = [
    "AuthError",
    "DeviceRevoked",
    "KeySlotError",
    "MigrationError",
    "NetworkError",
    "NotFound",
    "ProtocolError",
    "ServerError",
    "StoreAlreadyExists",
    "StoreCorrupted",
    "StoreError",
    "StoreNotFound",
    "SyncError",
    "TlsError",
    "ValidationError",
    "WrongPassphrase",
]
