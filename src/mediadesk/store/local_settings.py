"""This device's own key/value settings (`local_setting`, never synced) read and written on a
Core connection, inside the caller's transaction. The ORM side is `services/settings.py`."""

from __future__ import annotations

from sqlalchemy import Connection, text


def get_setting(conn: Connection, key: str) -> str | None:
    """The setting's value, None when unset."""
    value = conn.execute(text("SELECT value FROM local_setting WHERE key = :k"),
                         {"k": key}).scalar()
    return None if value is None else str(value)


def set_setting(conn: Connection, key: str, value: str) -> None:
    conn.execute(text("INSERT INTO local_setting (key, value) VALUES (:k, :v) "
                      "ON CONFLICT (key) DO UPDATE SET value = :v"), {"k": key, "v": value})


def delete_setting(conn: Connection, key: str) -> None:
    conn.execute(text("DELETE FROM local_setting WHERE key = :k"), {"k": key})
