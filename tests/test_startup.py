"""Start-up failures: the real `python -m bot` says in one line what failed and how to fix it."""

import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakeslack import FakeSlack
from tests.support.constants import SIGNING_SECRET, TOKEN
from tests.support.process import base_env


def closed_port() -> int:
    with socket.socket() as probe:  # a port nobody listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(cwd: Path, fake: FakeSlack, database_url: str, *command: str) -> tuple[int, list[str]]:
    """Run the bot until it gives up; its exit code and what it said besides the log lines."""
    result = subprocess.run(
        [sys.executable, "-m", "bot", *command],
        cwd=cwd,
        env=base_env(
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=fake.base_url,
            DATABASE_URL=database_url,
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in result.stderr, result.stderr
    # Log lines are written by their own thread, so in any order; the rest is what it said.
    return result.returncode, [
        line for line in result.stderr.splitlines() if not line.startswith("ts=")
    ]


@pytest.mark.parametrize("command", ["serve", "migrate", "web", "clock", "tick"])
def test_an_unreachable_database_stops_the_bot_with_one_line(
    tmp_path: Path, fake_slack: FakeSlack, command: str
) -> None:
    url = f"postgresql://upward:s3cret-pw@127.0.0.1:{closed_port()}/upward"
    code, said = start(tmp_path, fake_slack, url, command)
    assert code != 0
    assert len(said) == 1, said
    assert "cannot reach the database" in said[0] and "DATABASE_URL" in said[0]
    assert "127.0.0.1" in said[0] and "s3cret-pw" not in said[0]


def test_a_database_file_that_cannot_be_opened_stops_the_bot(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    code, said = start(tmp_path, fake_slack, f"sqlite:///{tmp_path / 'missing' / 'upward.db'}")
    assert code != 0
    assert len(said) == 1 and "cannot reach the database" in said[0], said


def test_a_database_newer_than_this_release_stops_the_migration(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    path = tmp_path / "upward.db"
    with sqlite3.connect(path) as connection:  # migrated by a later release than this one
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        connection.execute("INSERT INTO alembic_version VALUES ('9999')")
    code, said = start(tmp_path, fake_slack, f"sqlite:///{path}", "migrate")
    assert code != 0
    assert len(said) == 1, said
    assert "migrate" in said[0] and "9999" in said[0] and "newer release" in said[0]


def test_a_migration_that_fails_half_way_stops_the_bot(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    path = tmp_path / "upward.db"
    with sqlite3.connect(path) as connection:  # a table in the way of the first migration
        connection.execute("CREATE TABLE programmes (id INTEGER PRIMARY KEY)")
    code, said = start(tmp_path, fake_slack, f"sqlite:///{path}")
    assert code != 0
    assert len(said) == 1, said
    assert "migrat" in said[0] and "programmes" in said[0]
