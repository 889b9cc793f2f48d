"""Alembic environment: always run on a connection handed over by `mediadesk.store.migrate`."""

from __future__ import annotations

from alembic import context

import mediadesk.store.models  # noqa: F401  (registers every table on Base.metadata)
from mediadesk.store.base import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("MediaDesk migrations run through mediadesk.store.migrate")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
