"""Token rotation: an expiring token is refreshed once, by whichever process needs it first."""

import gc
import threading
import time
from collections.abc import Callable

from bot.app import build_runtime
from bot.runtime import Runtime
from bot.slack.rotation import FOUND_SECONDS, ROTATE_MINUTES
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.constants import SIGNING_SECRET
from tests.support.oauth import install, serve_oauth_bot

TEAM, OWNER = "T0AAA", "UAOWNER"
HOUR = 3600


def together(*work: Callable[[], object]) -> None:
    """Run every piece of work at once, in its own thread; fail if any failed."""
    start, failures = threading.Barrier(len(work)), []

    def run(job: Callable[[], object]) -> None:
        start.wait()
        try:
            job()
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []


def test_an_expiring_token_is_refreshed_exactly_once_across_the_web_and_the_scheduler(
    database_url: str, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert runtime
    fake_slack.add_user(OWNER, team_id=TEAM)
    with serve_oauth_bot(database_url, fake_slack, programme_owners=OWNER) as web:
        # The first token has an hour left: inside the two hours before expiry Bolt refreshes in.
        assert install(web, fake_slack, TEAM, rotation=True, expires_in=HOUR).status == 200
        [first] = fake_slack.tokens_of(TEAM)
        scheduler = build_runtime(web.runtime.settings)  # the clock process: its own engine
        slack = SlackDriver(
            bot_url=web.url, signing_secret=SIGNING_SECRET, fake=fake_slack, team_id=TEAM
        )
        try:
            together(
                lambda: slack.command(OWNER, "help"),
                lambda: slack.command(OWNER, "status"),
                lambda: scheduler.clients.for_team(TEAM),
                lambda: scheduler.clients.for_team(TEAM),
                lambda: web.runtime.clients.for_team(TEAM),
            )
            web.settle()
            assert fake_slack.rotations == {TEAM: 1}
            _, rotated = fake_slack.tokens_of(TEAM)
            assert rotated.startswith("xoxe.xoxb-") and rotated != first
            for clients in (scheduler.clients, web.runtime.clients):
                client = clients.for_team(TEAM)
                assert client is not None and client.token == rotated
            # The refreshed token has twelve hours: nothing is refreshed again.
            assert slack.command(OWNER, "help").status == 200
            web.settle()
            assert fake_slack.rotations == {TEAM: 1}
        finally:
            scheduler.close()
            # Finalise the second runtime's leftovers while their descriptors are still theirs:
            # left to a later collection they closed one the next test's server had been given.
            gc.collect()
    refreshes = [c for c in fake_slack.calls if c.args.get("grant_type") == "refresh_token"]
    assert len(refreshes) == 1 and refreshes[0].ok


def test_a_token_without_rotation_is_never_refreshed(
    database_url: str, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert runtime
    fake_slack.add_user(OWNER, team_id=TEAM)
    with serve_oauth_bot(database_url, fake_slack, programme_owners=OWNER) as web:
        install(web, fake_slack, TEAM)
        slack = SlackDriver(
            bot_url=web.url, signing_secret=SIGNING_SECRET, fake=fake_slack, team_id=TEAM
        )
        assert slack.command(OWNER, "help").status == 200
        web.settle()
    assert fake_slack.rotations == {}
    assert len(fake_slack.calls_to("oauth.v2.access")) == 1


def test_a_found_bot_is_kept_briefly_and_forgotten_when_its_installation_goes(
    database_url: str, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    """Bolt finds the bot before every listener: the process keeps it for a few seconds, and
    forgets it at once when this process deletes it (another process's delete is seen once the
    few seconds are up)."""
    assert runtime
    fake_slack.add_user(OWNER, team_id=TEAM)
    with serve_oauth_bot(database_url, fake_slack, programme_owners=OWNER) as web:
        assert install(web, fake_slack, TEAM).status == 200
        store = web.runtime.clients.store
        assert store is not None
        found = store.find_bot(enterprise_id=None, team_id=TEAM)
        assert found is not None
        elsewhere = build_runtime(web.runtime.settings)  # another process, its own engine
        try:
            other = elsewhere.clients.store
            assert other is not None
            assert other.find_bot(enterprise_id=None, team_id=TEAM) is not None
            store.delete_bot(enterprise_id=None, team_id=TEAM)
            assert store.find_bot(enterprise_id=None, team_id=TEAM) is None
            # The other process still holds what it found, for at most FOUND_SECONDS.
            kept = other.find_bot(enterprise_id=None, team_id=TEAM)
            assert kept is not None and kept.bot_token == found.bot_token
            other._found.expire(time.monotonic() + FOUND_SECONDS + 1)
            assert other.find_bot(enterprise_id=None, team_id=TEAM) is None
        finally:
            elsewhere.close()


def test_a_token_about_to_be_refreshed_is_not_kept(
    database_url: str, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert runtime
    fake_slack.add_user(OWNER, team_id=TEAM)
    with serve_oauth_bot(database_url, fake_slack, programme_owners=OWNER) as web:
        # Two hours and five seconds left: refreshed within the time a found bot is kept.
        expires_in = ROTATE_MINUTES * 60 + FOUND_SECONDS // 2
        assert install(web, fake_slack, TEAM, rotation=True, expires_in=expires_in).status == 200
        store = web.runtime.clients.store
        assert store is not None
        assert store.find_bot(enterprise_id=None, team_id=TEAM) is not None
        assert store._found.get((None, TEAM)) is None
