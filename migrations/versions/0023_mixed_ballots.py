"""mixed ballots: each waiting ballot says whether its block was mixed since it was cast

Revision ID: 0023_mixed_ballots
Revises: 0022_next_check
Create Date: 2026-12-02 10:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_mixed_ballots"
down_revision: str | None = "0022_next_check"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Ballots waiting now count as fresh, so the first tick mixes every block.
    with op.batch_alter_table("ballots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fresh", sa.Boolean(), server_default=sa.true()))
    with op.batch_alter_table("ballots", schema=None) as batch_op:
        batch_op.alter_column("fresh", nullable=False, server_default=sa.false())


def downgrade() -> None:
    with op.batch_alter_table("ballots", schema=None) as batch_op:
        batch_op.drop_column("fresh")
