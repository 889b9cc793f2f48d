"""Alembic environment: always run on a connection handed over by `sync.server.db.init`."""

from __future__ import annotations

from alembic import context

from mediadesk.sync.server.db import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("server migrations run through mediadesk.sync.server.db.init")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
