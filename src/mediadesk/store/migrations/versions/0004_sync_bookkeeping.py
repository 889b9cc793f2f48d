"""sync bookkeeping: outbox, changesets, history, conflicts

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 06:02:32.571995
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_changeset',
    sa.Column('client_seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('created_ms', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('client_seq', name=op.f('pk_sync_changeset'))
    )
    op.create_table('sync_conflict',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('row_id', sa.String(length=32), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('policy', sa.String(length=24), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflict'))
    )
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_conflict_row_id'), ['row_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_conflict_status'), ['status'], unique=False)

    op.create_table('sync_field_version',
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('row_id', sa.String(length=32), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('entity', 'row_id', 'field', name=op.f('pk_sync_field_version'))
    )
    op.create_table('sync_guard',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('applying', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_guard'))
    )
    op.create_table('sync_history',
    sa.Column('op_id', sa.String(length=120), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('row_id', sa.String(length=32), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('base', sa.Integer(), nullable=False),
    sa.Column('hlc', sa.String(length=60), nullable=False),
    sa.Column('device', sa.String(length=32), nullable=False),
    sa.Column('author', sa.String(length=32), nullable=True),
    sa.Column('scope', sa.String(length=32), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('op_id', name=op.f('pk_sync_history'))
    )
    with op.batch_alter_table('sync_history', schema=None) as batch_op:
        batch_op.create_index('ix_sync_history_field', ['row_id', 'field'], unique=False)

    op.create_table('sync_outbox',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('row_id', sa.String(length=32), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.Column('base', sa.Integer(), nullable=False),
    sa.Column('wall_ms', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=32), nullable=True),
    sa.Column('scope', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_sync_outbox'))
    )
    with op.batch_alter_table('sync_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_sync_outbox_row', ['row_id'], unique=False)

    op.create_table('sync_pending',
    sa.Column('client_seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('idx', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('row_id', sa.String(length=32), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('base', sa.Integer(), nullable=False),
    sa.Column('hlc', sa.String(length=60), nullable=False),
    sa.Column('author', sa.String(length=32), nullable=True),
    sa.Column('scope', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('client_seq', 'idx', name=op.f('pk_sync_pending'))
    )
    with op.batch_alter_table('sync_pending', schema=None) as batch_op:
        batch_op.create_index('ix_sync_pending_row', ['row_id'], unique=False)

    op.create_table('sync_rejected',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('client_seq', sa.Integer(), nullable=False),
    sa.Column('idx', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('row_id', sa.String(length=32), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('at_ms', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_rejected'))
    )
    op.create_table('sync_scope',
    sa.Column('scope', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('cursor', sa.Integer(), nullable=False),
    sa.Column('checksum', sa.String(length=16), nullable=False),
    sa.Column('head', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('scope', name=op.f('pk_sync_scope'))
    )

    op.execute("INSERT INTO sync_guard (id, applying) VALUES (1, 0)")


def downgrade() -> None:
    # The capture triggers (store/capture.py) name these tables: drop them first.
    bind = op.get_bind()
    triggers = bind.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync_capture_%'"
    ).fetchall()
    for (name,) in triggers:
        op.execute(f'DROP TRIGGER "{name}"')
    op.drop_table('sync_scope')
    op.drop_table('sync_rejected')
    with op.batch_alter_table('sync_pending', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_pending_row')

    op.drop_table('sync_pending')
    with op.batch_alter_table('sync_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_outbox_row')

    op.drop_table('sync_outbox')
    with op.batch_alter_table('sync_history', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_history_field')

    op.drop_table('sync_history')
    op.drop_table('sync_guard')
    op.drop_table('sync_field_version')
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_conflict_status'))
        batch_op.drop_index(batch_op.f('ix_sync_conflict_row_id'))

    op.drop_table('sync_conflict')
    op.drop_table('sync_changeset')
