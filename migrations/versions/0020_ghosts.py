"""a quiet person is asked once whether they are still in: participants.still_in_asked_at, _pair_id

Revision ID: 0020_ghosts
Revises: 0019_scim
Create Date: 2026-12-02 01:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.store.models

revision: str = "0020_ghosts"
down_revision: str | None = "0019_scim"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("still_in_asked_at", bot.store.models.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column("still_in_pair_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_column("still_in_pair_id")
        batch_op.drop_column("still_in_asked_at")
