"""what a SCIM client provisioned: scim_users

Revision ID: 0019_scim
Revises: 0018_owners
Create Date: 2026-12-02 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_scim"
down_revision: str | None = "0018_owners"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scim_users",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_name", sa.String(length=255), nullable=False),
        sa.Column("user_name_key", sa.String(length=255), nullable=False),
        sa.Column("external_id", sa.String(length=255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("manager_id", sa.String(length=255), nullable=True),
        sa.Column("department", sa.String(length=255), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("slack_user_id", sa.String(length=32), nullable=True),
        sa.Column("looked_up_at", sa.DateTime(), nullable=True),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scim_users")),
        sa.UniqueConstraint(
            "team_id", "user_name_key", name=op.f("uq_scim_users_team_id_user_name_key")
        ),
    )
    op.create_index("ix_scim_users_team_id_external_id", "scim_users", ["team_id", "external_id"])
    op.create_index("ix_scim_users_team_id_manager_id", "scim_users", ["team_id", "manager_id"])
    op.create_index(
        "ix_scim_users_team_id_slack_user_id", "scim_users", ["team_id", "slack_user_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_scim_users_team_id_slack_user_id", table_name="scim_users")
    op.drop_index("ix_scim_users_team_id_manager_id", table_name="scim_users")
    op.drop_index("ix_scim_users_team_id_external_id", table_name="scim_users")
    op.drop_table("scim_users")
