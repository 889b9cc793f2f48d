"""sync server schema: teams, users, devices, enrolments, the per-team op log, receipts

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "server_secret",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("secret", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_server_secret")),
    )
    op.create_table(
        "team",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team")),
        sa.UniqueConstraint("name", name=op.f("uq_team_name")),
    )
    op.create_table(
        "user",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user")),
        sa.UniqueConstraint("email", name=op.f("uq_user_email")),
    )
    op.create_table(
        "device",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("secret_hash", sa.String(length=200), nullable=False),
        sa.Column("enrolled_at", sa.BigInteger(), nullable=False),
        sa.Column("revoked_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_device_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device")),
    )
    op.create_table(
        "enrolment",
        sa.Column("code_hash", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("used_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_enrolment_user_id_user")),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_enrolment")),
    )
    op.create_table(
        "membership",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_membership_team_id_team")),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_membership_user_id_user")),
        sa.PrimaryKeyConstraint("user_id", "team_id", name=op.f("pk_membership")),
    )
    op.create_table(
        "op",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("op_id", sa.String(length=120), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.String(length=32), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("base", sa.BigInteger(), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("author", sa.String(length=32), nullable=True),
        sa.Column("device", sa.String(length=32), nullable=False),
        sa.Column("received_at", sa.BigInteger(), nullable=False),
        sa.Column("checksum", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_op_team_id_team")),
        sa.PrimaryKeyConstraint("team_id", "seq", name=op.f("pk_op")),
        sa.UniqueConstraint("op_id", name=op.f("uq_op_op_id")),
    )
    op.create_table(
        "team_log",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("head_seq", sa.BigInteger(), nullable=False),
        sa.Column("checksum", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_team_log_team_id_team")),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_team_log")),
    )
    op.create_table(
        "receipt",
        sa.Column("device_id", sa.String(length=32), nullable=False),
        sa.Column("client_seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_receipt_device_id_device")
        ),
        sa.PrimaryKeyConstraint("device_id", "client_seq", name=op.f("pk_receipt")),
    )


def downgrade() -> None:
    op.drop_table("receipt")
    op.drop_table("team_log")
    op.drop_table("op")
    op.drop_table("membership")
    op.drop_table("enrolment")
    op.drop_table("device")
    op.drop_table("user")
    op.drop_table("team")
    op.drop_table("server_secret")
