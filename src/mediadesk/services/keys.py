"""Key-slot management for the CLI and the settings screen (slow: Argon2id, off the GUI
thread)."""

from __future__ import annotations

from pathlib import Path

from mediadesk.store import vault
from mediadesk.store.keyslots import KeySlot

list_slots = vault.list_slots
change_passphrase = vault.change_passphrase
add_passphrase = vault.add_passphrase
add_recovery = vault.add_recovery
remove_slot = vault.remove_slot


def require_store(path: Path) -> None:
    """Raises StoreNotFound when there is no store file at ``path``."""
    vault.require_exists(path)


__all__ = ["KeySlot", "add_passphrase", "add_recovery", "change_passphrase", "list_slots",
           "remove_slot", "require_store"]
