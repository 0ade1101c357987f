"""The migrations build exactly the schema the models describe."""

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from bot.store import installations
from bot.store.db import alembic_config, make_engine, migrate
from bot.store.models import Base


def test_models_and_migrations_agree(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


# Request signatures are checked before the body (and so its team) is read; they belong to
# the app's signing secret, not to a workspace.
# An OAuth state is issued before anyone knows the workspace, and lives ten minutes; a seen
# signature is stored before the body (and so the workspace) is read.
UNKEYED = {"alembic_version", "seen_signatures", installations.OAUTH_STATES}


def test_every_table_is_keyed_by_team(database_url: str) -> None:
    engine = make_engine(database_url)
    inspector = inspect(engine)
    tables = [t for t in inspector.get_table_names() if t not in UNKEYED]
    missing = [t for t in tables if "team_id" not in {c["name"] for c in inspector.get_columns(t)}]
    engine.dispose()
    assert tables
    assert missing == []


def test_a_database_with_people_in_it_upgrades_from_the_first_release(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0001")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO programmes VALUES (1, 'T1', 'Pilot', 'reverse', 'mentor', 'mentee',"
                " 1, 1, 2, 12, 'preferred', 5, 7, 'U1', '2026-11-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO participants VALUES (1, 'T1', 'U2', 1, 'share', 0, 'Sales', NULL,"
                " NULL, '[]', '', '[]', '', 'introvert', 'video', 2, '', 'UTC', 0, 0, 'v1',"
                " '2026-11-01 00:00:00', '2026-11-01 00:00:00', '2026-11-01 00:00:00')"
            )
        )
    migrate(url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT waited FROM participants")).scalar() == 0
    engine.dispose()


def test_people_already_proposed_or_paired_are_engaged_once_by_the_upgrade(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0005")
    tables = Base.metadata.tables
    at = datetime(2026, 11, 2, tzinfo=UTC)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            tables["programmes"]
            .insert()
            .values(
                id=1,
                team_id="T1",
                name="Pilot",
                kind="reverse",
                share_word="mentor",
                learn_word="mentee",
                signup_open=True,
                signup_deadline=None,
                pilot=False,
                cadence_weeks=2,
                round_weeks=12,
                cross_department="preferred",
                min_group_size=5,
                consent_expiry_days=7,
                created_by="U1",
                created_at=at,
            )
        )
        connection.execute(
            tables["rounds"]
            .insert()
            .values(id=1, team_id="T1", programme_id=1, status="confirmed", created_at=at)
        )
        pair = {"team_id": "T1", "programme_id": 1, "round_id": 1, "goals": [], "started_at": at}
        connection.execute(
            tables["pairs"]
            .insert()
            .values(id=1, mentor_id="U1", mentee_id="U2", status="active", **pair)
        )
        connection.execute(
            tables["pairs"]
            .insert()
            .values(id=2, mentor_id="U1", mentee_id="U5", status="ended", **pair)
        )
        proposal = {
            "team_id": "T1",
            "round_id": 1,
            "programme_id": 1,
            "score": 1.0,
            "reasons": [],
            "status": "pending",
            "created_at": at,
        }
        # The old race: U3 and U4 were proposed to each other twice.
        for proposal_id in (1, 2):
            connection.execute(
                tables["proposals"]
                .insert()
                .values(id=proposal_id, mentor_id="U3", mentee_id="U4", **proposal)
            )
    migrate(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT user_id, proposal_id, pair_id FROM engagements ORDER BY user_id")
        ).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [
        ("U1", None, 1),
        ("U2", None, 1),
        ("U3", 1, None),
        ("U4", 1, None),
    ]
