"""match controls: a programme's quality floor and partners per person, each proposal's fit,
owners per programme

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-01 20:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quality_floor", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("partners_per_person", sa.Integer(), nullable=False, server_default="1")
        )
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fit", sa.String(length=16), nullable=True))
    with op.batch_alter_table("owners", schema=None) as batch_op:
        # NULL: an owner of every programme (as every owner was before this revision).
        batch_op.add_column(sa.Column("programme_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_owners_programme_id_programmes"),
            "programmes",
            ["programme_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.drop_constraint("uq_owners_team_id_user_id", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_owners_team_id_user_id_programme_id"),
            ["team_id", "user_id", "programme_id"],
        )


def downgrade() -> None:
    op.execute("DELETE FROM owners WHERE programme_id IS NOT NULL")
    with op.batch_alter_table("owners", schema=None) as batch_op:
        batch_op.drop_constraint("uq_owners_team_id_user_id_programme_id", type_="unique")
        batch_op.create_unique_constraint("uq_owners_team_id_user_id", ["team_id", "user_id"])
        batch_op.drop_constraint("fk_owners_programme_id_programmes", type_="foreignkey")
        batch_op.drop_column("programme_id")
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_column("fit")
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.drop_column("partners_per_person")
        batch_op.drop_column("quality_floor")
