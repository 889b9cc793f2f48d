"""Where the files of a store live. Standard library only: cheap to import at start-up."""

from __future__ import annotations

from pathlib import Path


def keys_path(store_path: Path) -> Path:
    """The key-slot file beside the store at ``store_path``."""
    return store_path.with_name(store_path.name + ".keys")


def backup_dir_for(store_path: Path) -> Path:
    """The folder of automatic backups beside the store at ``store_path``."""
    return store_path.with_name(store_path.name + ".backups")


def sidecars(store_path: Path) -> tuple[Path, Path]:
    """SQLite's WAL and shared-memory files of the store."""
    return (store_path.with_name(store_path.name + "-wal"),
            store_path.with_name(store_path.name + "-shm"))


def store_exists(store_path: Path) -> bool:
    """True when a store (or a leftover of one) is at ``store_path``."""
    return store_path.exists() or keys_path(store_path).exists()
