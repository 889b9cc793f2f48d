"""The store's own error types. Driver errors are wrapped once, here-bound, with `from`."""

from __future__ import annotations


class StoreError(Exception):
    """Base class of every error raised by the store."""


class StoreNotFound(StoreError):
    """The store file (or its key-slot file) does not exist."""


class StoreAlreadyExists(StoreError):
    """Refusing to create a store over an existing file."""


class WrongPassphrase(StoreError):
    """No key slot opens with the given passphrase."""


class StoreCorrupted(StoreError):
    """The store or its key slots cannot be read: damaged, truncated or not a MediaDesk store."""


class KeySlotError(StoreError):
    """A key-slot operation is not allowed (e.g. removing the last passphrase slot)."""


class MigrationError(StoreError):
    """A schema migration failed; the pre-migration backup is left in place."""


class NotFound(StoreError):
    """A requested row does not exist (or is deleted)."""
