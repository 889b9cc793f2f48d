"""Where the store lives. Cheap to import: the window shows before the heavy modules load."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from mediadesk.store import files

APP_NAME = "MediaDesk"
STORE_FILE = "mediadesk.store"


def default_store_path() -> Path:
    """The embedded default store, under the user's data directory (or $MEDIADESK_STORE)."""
    override = os.environ.get("MEDIADESK_STORE")
    if override:
        return Path(override).expanduser()
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / STORE_FILE


def store_exists(path: Path) -> bool:
    """True when a store (or a leftover of one) is at ``path``."""
    return files.store_exists(path)
