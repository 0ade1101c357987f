"""participant log ids: the random pseudonym logs use instead of a person's Slack id

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 20:35:00
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("participants", sa.Column("log_id", sa.String(length=16), nullable=True))
    connection = op.get_bind()
    participants = sa.table("participants", sa.column("id", sa.Integer), sa.column("log_id"))
    for (row_id,) in connection.execute(sa.select(participants.c.id)).all():
        connection.execute(
            participants.update()
            .where(participants.c.id == row_id)
            .values(log_id="p" + secrets.token_hex(6))
        )
    with op.batch_alter_table("participants") as batch:
        batch.alter_column("log_id", existing_type=sa.String(length=16), nullable=False)
        batch.create_unique_constraint(batch.f("uq_participants_log_id"), ["log_id"])


def downgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        batch.drop_constraint(batch.f("uq_participants_log_id"), type_="unique")
        batch.drop_column("log_id")
