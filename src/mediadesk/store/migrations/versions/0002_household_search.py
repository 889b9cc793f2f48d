"""household full-text search index (FTS5, inside the encrypted file)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

from mediadesk.store import search

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(search.CREATE_FTS)
    search.rebuild(op.get_bind())


def downgrade() -> None:
    op.execute(search.DROP_FTS)
    op.execute("UPDATE household SET search_rowid = NULL")
