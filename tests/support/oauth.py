"""Installing the bot through OAuth, as a workspace admin's browser does, against the fake Slack."""

import gc
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.fakeslack import FakeSlack
from tests.support.bot import BotServer, serve_bot

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "test-client-secret"
STATE_COOKIE = "slack-app-oauth-state"


@dataclass(frozen=True)
class Page:
    """An HTTP answer of the bot's install pages."""

    status: int
    headers: dict[str, str]
    body: str


def get(url: str, *, cookie: str | None = None) -> Page:
    """GET a page without following redirects."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - 127.0.0.1
            return Page(response.status, dict(response.headers), response.read().decode())
    except urllib.error.HTTPError as error:
        return Page(error.code, dict(error.headers), error.read().decode())


@contextmanager
def serve_oauth_bot(database_url: str, fake: FakeSlack, **settings: Any) -> Iterator[BotServer]:
    """The bot in its many-workspaces mode: no bot token, the app's client id and secret."""
    fake.enable_oauth(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    options: dict[str, Any] = {
        "slack_bot_token": None,
        "slack_client_id": CLIENT_ID,
        "slack_client_secret": CLIENT_SECRET,
    }
    try:
        with serve_bot(database_url, fake.base_url, **(options | settings)) as served:
            yield served
    finally:
        # Finalise what the stopped server left behind now: left to a later collection, some of
        # it closed a descriptor the next server had been given meanwhile (waitress's trigger).
        gc.collect()


@dataclass(frozen=True)
class Started:
    """What /slack/install gave the browser: Slack's authorize URL and the state cookie."""

    authorize_url: str
    state: str
    cookie: str


def start_install(bot: BotServer) -> Started:
    """Open the install page and follow its Add to Slack link as far as Slack's page."""
    page = get(f"{bot.url}/slack/install")
    assert page.status == 200, page
    link = re.search(r'href="([^"]*oauth/v2/authorize[^"]*)"', page.body)
    assert link is not None, page.body
    url = unescape(link.group(1))
    state = parse_qs(urlsplit(url).query)["state"][0]
    cookie = page.headers.get("Set-Cookie", "").split(";")[0]
    assert cookie == f"{STATE_COOKIE}={state}"
    return Started(url, state, cookie)


def install(
    bot: BotServer,
    fake: FakeSlack,
    team_id: str,
    *,
    rotation: bool = False,
    expires_in: int = 43200,
) -> Page:
    """Install the bot into `team_id`: state from /slack/install, Slack's code exchanged."""
    started = start_install(bot)
    code = fake.grant(team_id, rotation=rotation, expires_in=expires_in)
    query = urlencode({"code": code, "state": started.state})
    return get(f"{bot.url}/slack/oauth_redirect?{query}", cookie=started.cookie)
