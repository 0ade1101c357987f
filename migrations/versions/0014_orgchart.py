"""the org chart: org_people, from a CSV import or SCIM

Revision ID: 0014_orgchart
Revises: 0013
Create Date: 2026-12-02 01:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_orgchart"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "org_people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("manager_id", sa.String(length=32), nullable=True),
        sa.Column("department", sa.String(length=80), nullable=True),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_people")),
        sa.UniqueConstraint("team_id", "user_id", name=op.f("uq_org_people_team_id_user_id")),
    )


def downgrade() -> None:
    op.drop_table("org_people")
