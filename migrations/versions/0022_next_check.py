"""next check: when the scheduler next decides for each active pair

Revision ID: 0022_next_check
Revises: 0021_hours
Create Date: 2026-12-02 10:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_next_check"
down_revision: str | None = "0021_hours"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing pairs have none, so the first tick decides for every one of them.
    with op.batch_alter_table("pairs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_check_at", sa.DateTime(), nullable=True))
        batch_op.create_index("ix_pairs_next_check", ["status", "next_check_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pairs", schema=None) as batch_op:
        batch_op.drop_index("ix_pairs_next_check")
        batch_op.drop_column("next_check_at")
