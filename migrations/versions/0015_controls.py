"""match controls in the preview: round_controls (keep / never), proposals.kept, and a learner's
places in engagements (several partners per person)

Revision ID: 0015_controls
Revises: 0014_grid
Create Date: 2026-12-02 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_controls"
down_revision: str | None = "0014_grid"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "round_controls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("first_id", sa.String(length=32), nullable=False),
        sa.Column("second_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_round_controls_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_controls")),
        sa.UniqueConstraint(
            "round_id",
            "kind",
            "first_id",
            "second_id",
            name=op.f("uq_round_controls_round_id_kind_first_id_second_id"),
        ),
    )
    for column in ("round_id", "first_id", "second_id"):
        op.create_index(
            op.f(f"ix_round_controls_{column}"), "round_controls", [column], unique=False
        )
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kept", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("place", sa.Integer(), nullable=False, server_default="0"))
        batch_op.drop_constraint("uq_engagements_team_id_programme_id_user_id", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_engagements_team_id_programme_id_user_id_place"),
            ["team_id", "programme_id", "user_id", "place"],
        )


def downgrade() -> None:
    op.execute("DELETE FROM engagements WHERE place > 0")
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.drop_constraint(
            "uq_engagements_team_id_programme_id_user_id_place", type_="unique"
        )
        batch_op.create_unique_constraint(
            "uq_engagements_team_id_programme_id_user_id", ["team_id", "programme_id", "user_id"]
        )
        batch_op.drop_column("place")
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_column("kept")
    for column in ("round_id", "first_id", "second_id"):
        op.drop_index(op.f(f"ix_round_controls_{column}"), table_name="round_controls")
    op.drop_table("round_controls")
