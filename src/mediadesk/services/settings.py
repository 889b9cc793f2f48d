"""Per-installation preferences kept inside the encrypted store (never synced)."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from mediadesk.store.models import LocalSetting

AUTO_LOCK_MINUTES = "auto_lock_minutes"
DEFAULT_AUTO_LOCK_MINUTES = 10


class SettingsService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def get(self, key: str, default: str | None = None) -> str | None:
        with self._sessions() as session:
            row = session.get(LocalSetting, key)
            return default if row is None else row.value

    def set(self, key: str, value: str) -> None:
        with self._sessions.begin() as session:
            row = session.get(LocalSetting, key)
            if row is None:
                session.add(LocalSetting(key=key, value=value))
            else:
                row.value = value

    def auto_lock_minutes(self) -> int:
        value = self.get(AUTO_LOCK_MINUTES)
        try:
            return max(1, int(value)) if value is not None else DEFAULT_AUTO_LOCK_MINUTES
        except ValueError:
            return DEFAULT_AUTO_LOCK_MINUTES

    def set_auto_lock_minutes(self, minutes: int) -> None:
        self.set(AUTO_LOCK_MINUTES, str(max(1, minutes)))
