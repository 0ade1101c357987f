"""seen signatures and engagements

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 18:59:08.831212
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.store.models

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seen_signatures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signature", sa.String(length=80), nullable=False),
        sa.Column("seen_at", bot.store.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seen_signatures")),
        sa.UniqueConstraint("signature", name=op.f("uq_seen_signatures_signature")),
    )
    with op.batch_alter_table("seen_signatures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seen_signatures_seen_at"), ["seen_at"], unique=False)

    op.create_table(
        "engagements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("pair_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(proposal_id IS NULL) <> (pair_id IS NULL)", name=op.f("ck_engagements_one_of")
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"], ["pairs.id"], name=op.f("fk_engagements_pair_id_pairs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_engagements_programme_id_programmes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_engagements_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagements")),
        sa.UniqueConstraint(
            "team_id",
            "programme_id",
            "user_id",
            name=op.f("uq_engagements_team_id_programme_id_user_id"),
        ),
    )
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_engagements_pair_id"), ["pair_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_engagements_programme_id"), ["programme_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_engagements_proposal_id"), ["proposal_id"], unique=False
        )
    _engage_everyone_already_paired_or_proposed()


def _engage_everyone_already_paired_or_proposed() -> None:
    """One row per person for today's active pairs, then pending proposals (oldest first).

    A person the old race gave two of them keeps the first; the other stays as it was, and
    the unique key stops it from happening again.
    """
    connection = op.get_bind()
    live = [
        (
            "pair_id",
            "SELECT id, team_id, programme_id, mentor_id, mentee_id FROM pairs"
            " WHERE status = 'active' ORDER BY id",
        ),
        (
            "proposal_id",
            "SELECT id, team_id, programme_id, mentor_id, mentee_id FROM proposals"
            " WHERE status = 'pending' ORDER BY id",
        ),
    ]
    taken: set[tuple[str, int, str]] = set()
    for column, query in live:
        for row_id, team_id, programme_id, *people in connection.execute(sa.text(query)):
            for user_id in people:
                key = (team_id, programme_id, user_id)
                if key in taken or user_id == "-":  # "-" stands in for someone who left
                    continue
                taken.add(key)
                connection.execute(
                    sa.text(
                        "INSERT INTO engagements (team_id, programme_id, user_id, "
                        f"{column}) VALUES (:team, :programme, :user, :row)"
                    ),
                    {"team": team_id, "programme": programme_id, "user": user_id, "row": row_id},
                )


def downgrade() -> None:
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagements_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_engagements_programme_id"))
        batch_op.drop_index(batch_op.f("ix_engagements_pair_id"))

    op.drop_table("engagements")
    with op.batch_alter_table("seen_signatures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seen_signatures_seen_at"))

    op.drop_table("seen_signatures")
