"""What a SCIM client (Okta, Microsoft Entra) provisioned: one row per directory user."""

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models.base import Base


class ScimUser(Base):
    """A directory user as SCIM sent it, and the Slack member it was found to be.

    `attributes` holds the resource as the client sent it (without id and meta), so a GET returns
    what was written; the other columns are what Upward looks people up by. A deactivated user
    keeps only its id, userName and externalId (what the client finds it again by); a deleted one
    nothing at all.
    """

    __tablename__ = "scim_users"
    __table_args__ = (
        UniqueConstraint("team_id", "user_name_key"),
        Index("ix_scim_users_team_id_external_id", "team_id", "external_id"),
        Index("ix_scim_users_team_id_manager_id", "team_id", "manager_id"),
        Index("ix_scim_users_team_id_slack_user_id", "team_id", "slack_user_id"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_name: Mapped[str] = mapped_column(String(255))
    # userName compared as SCIM says (caseExact false): unique per workspace in this form.
    user_name_key: Mapped[str] = mapped_column(String(255))
    external_id: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool]
    # The SCIM id of the manager (enterprise extension's manager.value), as the client sent it.
    manager_id: Mapped[str | None] = mapped_column(String(255))
    department: Mapped[str | None] = mapped_column(String(255))
    # The address looked up with users.lookupByEmail, and the Slack member it gave (None: not yet,
    # or nobody in Slack has it).
    email: Mapped[str | None] = mapped_column(String(320))
    slack_user_id: Mapped[str | None] = mapped_column(String(32))
    # When Slack was last asked who has `email` (None: not yet, or the answer was lost).
    looked_up_at: Mapped[datetime | None]
    attributes: Mapped[dict[str, Any]]
    version: Mapped[int]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
