"""The real `python -m bot` process, started as a user would, against the fake Slack."""

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.constants import SIGNING_SECRET, TOKEN
from tests.support.process import base_env, free_port, wait_until_healthy


@dataclass
class BotProcess:
    url: str
    process: "subprocess.Popen[str]"
    log: str | None = None

    def stop(self) -> str:
        """Stops it as the platform would; what it logged."""
        if self.log is None:
            self.process.terminate()
            self.log = self.process.communicate(timeout=10)[1]
        return self.log


@pytest.fixture
def bot_process(tmp_path: Path, fake_slack: FakeSlack) -> Iterator[BotProcess]:
    """`python -m bot` in an empty folder: the embedded default, SQLite file and scheduler."""
    port = free_port()
    env = base_env(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake_slack.base_url,
        PORT=str(port),
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    started = BotProcess(url=f"http://127.0.0.1:{port}", process=process)
    try:
        wait_until_healthy(started.url, process)
        yield started
    finally:
        started.stop()
        fake_slack.reset()


def test_the_process_starts_migrates_and_answers(
    bot_process: BotProcess, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    assert (tmp_path / "upward.db").exists()
    assert fake_slack.calls_to("auth.test")  # the token was checked at start
    driver = SlackDriver(bot_url=bot_process.url, signing_secret=SIGNING_SECRET, fake=fake_slack)
    started = time.monotonic()
    response = driver.command("U0ALICE", "help")
    assert time.monotonic() - started < 3
    assert response.status == 200
    assert response.json()["response_type"] == "ephemeral"
    assert (
        driver.command(
            "U0ALICE",
            "help",
        ).status
        == 200
    )
    unsigned = driver.post_raw(
        b"command=/mentoring&text=help",
        content_type="application/x-www-form-urlencoded",
        sign=False,
    )
    assert unsigned.status == 401
    # A start as documented warns of nothing: an operator reads a warning as something to fix.
    assert " level=WARNING " not in bot_process.stop()


def test_a_missing_signing_secret_stops_the_bot_with_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=base_env(SLACK_BOT_TOKEN=TOKEN),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "SLACK_SIGNING_SECRET" in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "upward.db").exists()


def test_an_unreachable_slack_stops_the_bot_with_a_clear_line(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    result = subprocess.run(
        [sys.executable, "-m", "bot", "web"],
        cwd=tmp_path,
        env=base_env(
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=f"http://127.0.0.1:{closed}/api/",
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # Besides the log lines (written by their own thread, so in any order), one clear line.
    said = [line for line in result.stderr.splitlines() if not line.startswith("ts=")]
    assert len(said) == 1 and "cannot reach Slack" in said[0]
