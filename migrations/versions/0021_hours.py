"""working hours: participants' hours, days and holiday country; programmes' minimum overlap

Revision ID: 0021_hours
Revises: 0020_ghosts
Create Date: 2026-12-02 01:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_hours"
down_revision: str | None = "0020_ghosts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing rows read as the defaults: 09:00-17:00, Monday to Friday, no public holidays.
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("work_start_minute", sa.Integer(), server_default="540", nullable=False)
        )
        batch_op.add_column(
            sa.Column("work_end_minute", sa.Integer(), server_default="1020", nullable=False)
        )
        batch_op.add_column(
            sa.Column("work_days", sa.String(length=7), server_default="01234", nullable=False)
        )
        batch_op.add_column(sa.Column("holiday_country", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("resumed_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("min_overlap_minutes", sa.Integer(), server_default="60", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.drop_column("min_overlap_minutes")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_column("resumed_at")
        batch_op.drop_column("holiday_country")
        batch_op.drop_column("work_days")
        batch_op.drop_column("work_end_minute")
        batch_op.drop_column("work_start_minute")
