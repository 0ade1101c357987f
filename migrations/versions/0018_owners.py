"""owners' home base: a programme's objective, senior champions and archiving

Revision ID: 0018_owners
Revises: 0017_orgchart
Create Date: 2026-12-02 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_owners"
down_revision: str | None = "0017_orgchart"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("objective", sa.String(length=300), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("champions", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
        batch_op.drop_column("champions")
        batch_op.drop_column("objective")
