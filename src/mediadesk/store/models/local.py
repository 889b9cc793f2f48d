"""Settings of this installation (never synced): device identity, current user, preferences."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mediadesk.store.base import Base


class LocalSetting(Base):
    __tablename__ = "local_setting"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
