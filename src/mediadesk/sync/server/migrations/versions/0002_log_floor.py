"""team_log floor (compaction), moved_row (moved dossiers), purged_row (anonymised dossiers),
op_id not unique, op indexes for finding a dossier's rows (row id, value prefix)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("team_log") as batch:
        batch.add_column(
            sa.Column("floor_seq", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column(
                "floor_checksum", sa.String(length=16), nullable=False, server_default="0" * 16
            )
        )

    with op.batch_alter_table("op") as batch:
        batch.drop_constraint("uq_op_op_id", type_="unique")
    op.create_table(
        "moved_row",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("row_id", sa.String(length=32), nullable=False),
        sa.Column("to_team", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_moved_row_team_id_team")),
        sa.ForeignKeyConstraint(["to_team"], ["team.id"], name=op.f("fk_moved_row_to_team_team")),
        sa.PrimaryKeyConstraint("team_id", "row_id", name=op.f("pk_moved_row")),
    )
    op.create_table(
        "purged_row",
        sa.Column("row_id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("device", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_purged_row_team_id_team")),
        sa.PrimaryKeyConstraint("row_id", name=op.f("pk_purged_row")),
    )
    op.create_index("ix_moved_row_row_id", "moved_row", ["row_id"])
    op.create_index("ix_op_row_id", "op", ["row_id", "team_id"])
    op.create_index("ix_op_value_prefix", "op", [sa.text("substr(value, 1, 64)")])


def downgrade() -> None:
    op.drop_index("ix_op_value_prefix", table_name="op")
    op.drop_index("ix_op_row_id", table_name="op")
    op.drop_index("ix_moved_row_row_id", table_name="moved_row")
    op.drop_table("purged_row")
    op.drop_table("moved_row")
    with op.batch_alter_table("op") as batch:
        batch.create_unique_constraint("uq_op_op_id", ["op_id"])
    with op.batch_alter_table("team_log") as batch:
        batch.drop_column("floor_checksum")
        batch.drop_column("floor_seq")
