"""finding a time: planned meetings (status, start), session length and first mover

Revision ID: 0016_findtime
Revises: 0015_controls
Create Date: 2026-12-02 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_findtime"
down_revision: str | None = "0015_controls"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), server_default="held", nullable=False)
        )
        batch_op.add_column(sa.Column("starts_at", sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_meetings_status"), ["status"], unique=False)
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_minutes", sa.Integer(), server_default="30", nullable=False)
        )
        batch_op.add_column(
            sa.Column("first_mover", sa.String(length=16), server_default="learn", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.drop_column("first_mover")
        batch_op.drop_column("session_minutes")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meetings_status"))
        batch_op.drop_column("starts_at")
        batch_op.drop_column("status")
