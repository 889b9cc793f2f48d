"""The device's sync bookkeeping (never synced itself): outbox, changesets, history, conflicts.

How a local edit travels (see ``store/capture.py`` and ``sync/device.py``):
1. a trigger writes it to ``sync_outbox`` in the edit's own transaction (one row per changed
   field, or one ``insert`` row for a new row, expanded into fields when frozen);
2. a push freezes pending outbox rows into a numbered changeset (``sync_changeset`` +
   ``sync_pending``), resent identically until the server's receipt arrives;
3. the receipt moves the ops to ``sync_history`` (rejected ones to ``sync_rejected``, shown);
4. ops pulled from the server join ``sync_history`` and the merged value is written to the row.
Values here are copies of dossier fields: personal data, in the same encrypted file.
"""

from __future__ import annotations

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mediadesk.store.base import Base
from mediadesk.store.privacy import personal

_HEX = String(32)
_NAME = String(64)
_HISTORY = personal("historique des modifications synchronisées (rien n'est perdu)")


class SyncOutbox(Base):
    """Captured local edits not yet frozen into a changeset (written by triggers only)."""

    __tablename__ = "sync_outbox"
    __table_args__ = (Index("ix_sync_outbox_row", "row_id"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(_NAME)
    row_id: Mapped[str] = mapped_column(_HEX)
    field: Mapped[str] = mapped_column(_NAME)
    kind: Mapped[str] = mapped_column(String(12))
    value: Mapped[str | None] = mapped_column(Text, info=_HISTORY)  # canonical JSON
    base: Mapped[int] = mapped_column(Integer)
    wall_ms: Mapped[int] = mapped_column(Integer)
    author: Mapped[str | None] = mapped_column(_HEX)
    scope: Mapped[str | None] = mapped_column(_HEX)


class SyncFieldVersion(Base):
    """The version of a field as this device knows it (absent: 1 for an existing row's field,
    0 for the row's deletion state ``_row``)."""

    __tablename__ = "sync_field_version"
    entity: Mapped[str] = mapped_column(_NAME, primary_key=True)
    row_id: Mapped[str] = mapped_column(_HEX, primary_key=True)
    field: Mapped[str] = mapped_column(_NAME, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class SyncGuard(Base):
    """One row: ``applying`` = 1 while remote ops are applied, so triggers capture nothing.
    Set and reset inside the applying transaction: a crash rolls it back to 0."""

    __tablename__ = "sync_guard"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    applying: Mapped[int] = mapped_column(Integer, default=0)


class SyncChangeset(Base):
    """A frozen changeset awaiting its receipt: resent as is (same client_seq) until acked."""

    __tablename__ = "sync_changeset"
    client_seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created_ms: Mapped[int] = mapped_column(Integer)


class SyncPending(Base):
    """The ops of the frozen changesets, in push order (``idx`` names them on the server)."""

    __tablename__ = "sync_pending"
    __table_args__ = (Index("ix_sync_pending_row", "row_id"),)
    client_seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    idx: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    entity: Mapped[str] = mapped_column(_NAME)
    row_id: Mapped[str] = mapped_column(_HEX)
    field: Mapped[str] = mapped_column(_NAME)
    kind: Mapped[str] = mapped_column(String(12))
    value: Mapped[str] = mapped_column(Text, info=_HISTORY)
    base: Mapped[int] = mapped_column(Integer)
    hlc: Mapped[str] = mapped_column(String(60))
    author: Mapped[str | None] = mapped_column(_HEX)
    scope: Mapped[str] = mapped_column(_HEX)


class SyncHistory(Base):
    """Every op known to be on the server (own acked ones and pulled ones): the candidates the
    merge derives values, losers and conflicts from."""

    __tablename__ = "sync_history"
    __table_args__ = (Index("ix_sync_history_field", "row_id", "field"),)
    op_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    entity: Mapped[str] = mapped_column(_NAME)
    row_id: Mapped[str] = mapped_column(_HEX)
    field: Mapped[str] = mapped_column(_NAME)
    kind: Mapped[str] = mapped_column(String(12))
    value: Mapped[str] = mapped_column(Text, info=_HISTORY)
    base: Mapped[int] = mapped_column(Integer)
    hlc: Mapped[str] = mapped_column(String(60))
    device: Mapped[str] = mapped_column(_HEX)
    author: Mapped[str | None] = mapped_column(_HEX)
    scope: Mapped[str] = mapped_column(_HEX)
    seq: Mapped[int | None] = mapped_column(Integer)  # server sequence once pulled


class SyncConflict(Base):
    """A conflict as derived by the merge (the same id and content on every device)."""

    __tablename__ = "sync_conflict"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(_NAME)
    row_id: Mapped[str] = mapped_column(_HEX, index=True)
    field: Mapped[str] = mapped_column(_NAME)
    version: Mapped[int] = mapped_column(Integer)
    policy: Mapped[str | None] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(12), index=True)
    detail: Mapped[str] = mapped_column(Text, info=_HISTORY)  # JSON: base, candidates, outcome


class SyncRejected(Base):
    """Ops the server refused (e.g. outside the device's teams): an inbox, never silently lost."""

    __tablename__ = "sync_rejected"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_seq: Mapped[int] = mapped_column(Integer)
    idx: Mapped[int] = mapped_column(Integer)
    entity: Mapped[str] = mapped_column(_NAME)
    row_id: Mapped[str] = mapped_column(_HEX)
    field: Mapped[str] = mapped_column(_NAME)
    value: Mapped[str] = mapped_column(Text, info=_HISTORY)
    code: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    at_ms: Mapped[int] = mapped_column(Integer)


class SyncScope(Base):
    """Per team: the last server sequence applied here and the running checksum at it."""

    __tablename__ = "sync_scope"
    scope: Mapped[str] = mapped_column(_HEX, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    cursor: Mapped[int] = mapped_column(Integer, default=0)
    checksum: Mapped[str] = mapped_column(String(16))
    head: Mapped[int] = mapped_column(Integer, default=0)
