"""interview answers one row per field (was one JSON column)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import mediadesk.store.base
from mediadesk.domain.ids import new_id

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_SYNCED = (
    ("scope_id", sa.Uuid(), True),
    ("created_at", mediadesk.store.base.UtcDateTime(), False),
    ("created_by", sa.Uuid(), True),
    ("created_on_device", sa.Uuid(), True),
    ("updated_at", mediadesk.store.base.UtcDateTime(), False),
    ("updated_by", sa.Uuid(), True),
    ("updated_on_device", sa.Uuid(), True),
    ("deleted_at", mediadesk.store.base.UtcDateTime(), True),
    ("deleted_by", sa.Uuid(), True),
    ("version", sa.Integer(), False),
)


def upgrade() -> None:
    answers = op.create_table(
        "interview_answer",
        sa.Column("interview_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        *(sa.Column(name, kind, nullable=nullable) for name, kind, nullable in _SYNCED),
        sa.ForeignKeyConstraint(["interview_id"], ["interview.id"],
                                name=op.f("fk_interview_answer_interview_id_interview")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_answer")),
        sa.UniqueConstraint("interview_id", "key", name=op.f("uq_interview_answer_interview_id")),
    )
    with op.batch_alter_table("interview_answer") as batch_op:
        batch_op.create_index(batch_op.f("ix_interview_answer_interview_id"), ["interview_id"])
        batch_op.create_index(batch_op.f("ix_interview_answer_scope_id"), ["scope_id"])
    bind = op.get_bind()
    interview = sa.table("interview", sa.column("id", sa.Uuid()), sa.column("answers", sa.JSON()),
                         sa.column("scope_id", sa.Uuid()),
                         sa.column("created_by", sa.Uuid()),
                         sa.column("created_on_device", sa.Uuid()))
    now = datetime.now(UTC)
    rows = []
    for row in bind.execute(sa.select(interview)):
        for key, value in (row.answers or {}).items():
            rows.append({
                "id": new_id(), "interview_id": row.id, "key": f"situation.{key}"
                if "." not in key else key, "value": value, "scope_id": row.scope_id,
                "created_at": now, "created_by": row.created_by,
                "created_on_device": row.created_on_device, "updated_at": now,
                "updated_by": row.created_by, "updated_on_device": row.created_on_device,
                "version": 1,
            })
    if rows:
        op.bulk_insert(answers, rows)
    with op.batch_alter_table("interview") as batch_op:
        batch_op.drop_column("answers")


def downgrade() -> None:
    with op.batch_alter_table("interview") as batch_op:
        batch_op.add_column(sa.Column("answers", sa.JSON(), nullable=True))
    bind = op.get_bind()
    grouped: dict[uuid.UUID, dict[str, object]] = {}
    answer = sa.table("interview_answer", sa.column("interview_id", sa.Uuid()),
                      sa.column("key", sa.String()), sa.column("value", sa.JSON()),
                      sa.column("deleted_at", sa.String()))
    for row in bind.execute(
            sa.select(answer.c.interview_id, answer.c.key, answer.c.value)
            .where(answer.c.deleted_at.is_(None))):
        grouped.setdefault(row.interview_id, {})[str(row.key)] = row.value
    interview = sa.table("interview", sa.column("id", sa.Uuid()), sa.column("answers", sa.JSON()))
    for interview_id, answers in grouped.items():
        bind.execute(interview.update().where(interview.c.id == interview_id)
                     .values(answers=answers))
    bind.execute(interview.update().where(interview.c.answers.is_(None)).values(answers={}))
    op.drop_index(op.f("ix_interview_answer_scope_id"), table_name="interview_answer")
    op.drop_index(op.f("ix_interview_answer_interview_id"), table_name="interview_answer")
    op.drop_table("interview_answer")
