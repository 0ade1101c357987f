"""The company's org chart, loaded from a CSV import or pushed by the directory over SCIM."""

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.states import OrgSource
from bot.store.models.base import Base, Choice


class OrgPerson(Base):
    """One person in the directory and their manager, both as Slack user ids.

    Kept while the directory names the person (a `leave` from a programme does not remove it:
    the chart is the company's, and the chain through them must hold); deleted when the
    directory drops them, and with the workspace.
    """

    __tablename__ = "org_people"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    manager_id: Mapped[str | None] = mapped_column(String(32))
    department: Mapped[str | None] = mapped_column(String(80))
    source: Mapped[OrgSource] = mapped_column(Choice(OrgSource, 8))
    updated_at: Mapped[datetime]
