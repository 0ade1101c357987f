"""The test harness itself: the fake Slack answers like Slack, and the driver signs like Slack."""

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from tests.fakeslack import Call, FakeSlack, SlackDriver
from tests.fakeslack.specs import SPECS

TOKEN = "xoxb-harness"
SECRET = "harness-secret"

SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}
MODAL = {
    "type": "modal",
    "callback_id": "signup",
    "private_metadata": "p1",
    "title": {"type": "plain_text", "text": "Sign up"},
    "submit": {"type": "plain_text", "text": "Save"},
    "blocks": [
        {
            "type": "input",
            "block_id": "about",
            "label": {"type": "plain_text", "text": "About you"},
            "element": {"type": "plain_text_input", "action_id": "text", "max_length": 10},
        },
        {
            "type": "input",
            "block_id": "level",
            "optional": True,
            "label": {"type": "plain_text", "text": "Level"},
            "element": {
                "type": "static_select",
                "action_id": "pick",
                "options": [
                    {"text": {"type": "plain_text", "text": "Junior"}, "value": "junior"},
                    {"text": {"type": "plain_text", "text": "Senior"}, "value": "senior"},
                ],
            },
        },
        {
            "type": "actions",
            "block_id": "buttons",
            "elements": [
                {
                    "type": "button",
                    "action_id": "more",
                    "value": "programme-7",
                    "text": {"type": "plain_text", "text": "More"},
                }
            ],
        },
    ],
}
HOME = {"type": "home", "blocks": [SECTION]}


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(token=TOKEN, team_id="T0HARNESS") as fake:
        fake.add_user("U0ALICE", name="alice", tz="Europe/Paris", tz_offset=3600)
        fake.add_user("U0BOB", name="bob")
        fake.add_user("U0GONE", name="gone", deleted=True)
        yield fake


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(base_url=fake.base_url, token=TOKEN)


def error_of(call: Any, *args: Any, **kwargs: Any) -> str:
    """The Slack error code a WebClient call fails with."""
    with pytest.raises(SlackApiError) as raised:
        call(*args, **kwargs)
    return str(raised.value.response["error"])


# -- a stand-in bot that checks signatures with slack_sdk's own verifier ------------------------


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    valid: bool


@dataclass
class EchoBot:
    url: str
    received: list[Received] = field(default_factory=list)
    replies: list[tuple[int, str]] = field(default_factory=list)


@pytest.fixture
def echo_bot() -> Iterator[EchoBot]:
    verifier = SignatureVerifier(SECRET)
    bot = EchoBot(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = dict(self.headers)
            valid = verifier.is_valid_request(body, headers)
            bot.received.append(Received(headers, body, valid))
            status, reply = bot.replies.pop(0) if bot.replies else (200, "")
            status = status if valid else 401
            encoded = reply.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(encoded)))
            self.end_headers()
            self.wfile.write(encoded)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    bot.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield bot
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def driver(fake: FakeSlack, echo_bot: EchoBot) -> SlackDriver:
    return SlackDriver(bot_url=echo_bot.url, signing_secret=SECRET, fake=fake)


def payload_of(received: Received) -> dict[str, Any]:
    form = dict(urllib.parse.parse_qsl(received.body.decode()))
    return dict(json.loads(form["payload"]))


def open_modal(fake: FakeSlack, client: WebClient, view: dict[str, Any] = MODAL) -> str:
    return str(client.views_open(trigger_id=fake.issue_trigger_id(), view=view)["view"]["id"])


# -- served methods -------------------------------------------------------------------------------


def test_auth_and_team(client: WebClient, fake: FakeSlack) -> None:
    auth = client.auth_test()
    assert (auth["team_id"], auth["user_id"]) == ("T0HARNESS", "UBOT")
    assert client.team_info()["team"]["id"] == "T0HARNESS"
    assert [c.method for c in fake.calls] == ["auth.test", "team.info"]
    assert "token" not in fake.calls[0].args


def test_users_info_and_paginated_list(client: WebClient) -> None:
    alice = client.users_info(user="U0ALICE")["user"]
    assert (alice["name"], alice["tz"], alice["tz_offset"]) == ("alice", "Europe/Paris", 3600)
    assert error_of(client.users_info, user="U0NOBODY") == "user_not_found"
    ids = [m["id"] for page in client.users_list(limit=2) for m in page["members"]]
    assert ids == ["UBOT", "U0ALICE", "U0BOB", "U0GONE"]


def test_conversations_open_gives_stable_ids(client: WebClient) -> None:
    dm = client.conversations_open(users="U0ALICE")["channel"]["id"]
    assert dm == "D0ALICE"
    again = client.conversations_open(users=["U0ALICE"])
    assert again["channel"]["id"] == dm and again["already_open"] is True
    group = client.conversations_open(users=["U0BOB", "U0ALICE"])["channel"]["id"]
    assert group.startswith("G")
    assert client.conversations_open(users="U0ALICE,U0BOB")["channel"]["id"] == group
    assert client.conversations_info(channel=dm)["channel"]["user"] == "U0ALICE"
    assert client.conversations_info(channel=group)["channel"]["is_mpim"] is True
    assert error_of(client.conversations_open, users="U0NOBODY") == "user_not_found"
    assert error_of(client.conversations_open, users="U0GONE") == "user_disabled"
    assert error_of(client.conversations_open, users="") == "users_list_not_supplied"
    assert error_of(client.conversations_info, channel="#general") == "channel_not_found"


def test_messages_post_update_and_delete(client: WebClient, fake: FakeSlack) -> None:
    first = client.chat_postMessage(channel="D0ALICE", text="*bold* <@U0BOB>", blocks=[SECTION])
    second = client.chat_postMessage(channel="U0ALICE", text="to the user id")
    assert second["channel"] == "D0ALICE"  # a user id posts into the bot's DM with them
    assert float(second["ts"]) > float(first["ts"])
    assert first["message"]["text"] == "*bold* <@U0BOB>"  # mrkdwn kept as given
    assert first["message"]["blocks"][0]["block_id"]  # Slack fills in block ids
    client.chat_update(channel="D0ALICE", ts=first["ts"], text="edited")
    kept = fake.messages[("D0ALICE", first["ts"])]
    assert kept["text"] == "edited" and kept["blocks"][0]["text"]["text"] == "*hi*"
    client.chat_delete(channel="D0ALICE", ts=first["ts"])
    assert list(fake.messages) == [("D0ALICE", second["ts"])]
    assert error_of(client.chat_update, channel="D0ALICE", ts=first["ts"], text="x") == (
        "message_not_found"
    )
    assert error_of(client.chat_delete, channel="D0ALICE", ts="1.000001") == "message_not_found"


def test_ephemeral_and_scheduled_messages(client: WebClient) -> None:
    client.conversations_open(users="U0ALICE")
    assert client.chat_postEphemeral(channel="D0ALICE", user="U0ALICE", text="psst")["message_ts"]
    assert error_of(client.chat_postEphemeral, channel="D0ALICE", user="U0BOB", text="x") == (
        "user_not_in_channel"
    )
    with freeze_time("2026-11-23 09:00:00"):
        later = int(time.time()) + 3600
        scheduled = client.chat_scheduleMessage(channel="D0ALICE", post_at=later, text="hi")
        assert scheduled["scheduled_message_id"].startswith("Q")
        past = error_of(client.chat_scheduleMessage, channel="D0ALICE", post_at=1, text="x")
        assert past == "time_in_past"


def test_views_open_push_update_and_publish(client: WebClient, fake: FakeSlack) -> None:
    view_id = open_modal(fake, client)
    stored = fake.views[view_id]
    assert (stored["callback_id"], stored["private_metadata"]) == ("signup", "p1")
    pushed = client.views_push(trigger_id=fake.issue_trigger_id(view_id=view_id), view=MODAL)
    assert fake.open_modals(view_id) == [view_id, pushed["view"]["id"]]
    updated = client.views_update(view_id=view_id, hash=stored["hash"], view=MODAL)["view"]
    assert updated["id"] == view_id and updated["hash"] != stored["hash"]
    stale = error_of(client.views_update, view_id=view_id, hash=stored["hash"], view=MODAL)
    assert stale == "hash_conflict"
    assert error_of(client.views_update, view_id="V404", view=MODAL) == "not_found"
    home = client.views_publish(user_id="U0ALICE", view=HOME)["view"]
    republished = client.views_publish(user_id="U0ALICE", view=HOME, hash=home["hash"])["view"]
    assert republished["id"] == home["id"]
    assert fake.published_home["U0ALICE"]["hash"] == republished["hash"]
    assert error_of(client.views_publish, user_id="U0ALICE", view=MODAL) == "invalid_arguments"


def test_push_needs_a_trigger_from_an_open_modal(client: WebClient, fake: FakeSlack) -> None:
    error = error_of(client.views_push, trigger_id=fake.issue_trigger_id(), view=MODAL)
    assert error == "not_found"
    view_id = open_modal(fake, client)
    for _ in range(2):
        client.views_push(trigger_id=fake.issue_trigger_id(view_id=view_id), view=MODAL)
    trigger = fake.issue_trigger_id(view_id=view_id)
    assert error_of(client.views_push, trigger_id=trigger, view=MODAL) == "push_limit_reached"


def test_trigger_ids_are_single_use_and_short_lived(client: WebClient, fake: FakeSlack) -> None:
    assert error_of(client.views_open, trigger_id="1.2.made-up", view=MODAL) == "invalid_trigger_id"
    trigger = fake.issue_trigger_id()
    client.views_open(trigger_id=trigger, view=MODAL)
    assert error_of(client.views_open, trigger_id=trigger, view=MODAL) == "exchanged_trigger_id"
    with freeze_time("2026-11-23 09:00:00") as frozen:
        trigger = fake.issue_trigger_id()
        frozen.tick(4)
        assert error_of(client.views_open, trigger_id=trigger, view=MODAL) == "expired_trigger_id"


def test_file_upload_v2(client: WebClient, fake: FakeSlack) -> None:
    client.files_upload_v2(
        channel="D0ALICE",
        content=b"a,b\n1,2\n",
        filename="stats.csv",
        title="Stats",
        initial_comment="Here you are",
    )
    (upload,) = fake.uploads
    assert (upload.filename, upload.title, upload.content) == ("stats.csv", "Stats", b"a,b\n1,2\n")
    assert (upload.channel_id, upload.initial_comment) == ("D0ALICE", "Here you are")
    missing = error_of(client.files_completeUploadExternal, files=[{"id": "F404", "title": "x"}])
    assert missing == "file_not_found"
    length = error_of(client.files_getUploadURLExternal, filename="x.csv", length=0)
    assert length == "missing_argument"


# -- rejections ------------------------------------------------------------------------------------


def test_tokens_are_checked(fake: FakeSlack) -> None:
    assert error_of(WebClient(base_url=fake.base_url).auth_test) == "not_authed"
    wrong = WebClient(base_url=fake.base_url, token="xoxb-wrong")
    assert error_of(wrong.auth_test) == "invalid_auth"
    # Slack reads a form token, but never a token inside a JSON body.
    form = WebClient(base_url=fake.base_url).api_call("auth.test", params={"token": TOKEN})
    assert form["ok"] is True
    body = {"token": TOKEN, "channel": "D0ALICE", "text": "hi"}
    status, answer = post_json(f"{fake.base_url}chat.postMessage", body)
    assert (status, json.loads(answer)["error"]) == (200, "not_authed")


def test_unknown_method(client: WebClient) -> None:
    assert error_of(client.api_call, "chat.postTelegram") == "unknown_method"


@pytest.mark.parametrize(
    ("method", "args", "error"),
    [
        ("chat.postMessage", {"text": "hi"}, "channel_not_found"),
        ("chat.update", {"channel": "D0ALICE", "text": "hi"}, "message_not_found"),
        ("users.info", {}, "user_not_found"),
        ("views.publish", {"view": HOME}, "invalid_arguments"),
        ("files.getUploadURLExternal", {"filename": "x"}, "missing_argument"),
        ("chat.scheduleMessage", {"channel": "D0ALICE", "text": "x"}, "invalid_time"),
    ],
)
def test_missing_required_arguments(
    client: WebClient, method: str, args: dict[str, Any], error: str
) -> None:
    assert error_of(client.api_call, method, json=args) == error


def test_json_body_is_ignored_where_slack_takes_no_json(client: WebClient) -> None:
    assert error_of(client.api_call, "users.info", json={"user": "U0ALICE"}) == "user_not_found"
    assert client.api_call("users.info", params={"user": "U0ALICE"})["ok"] is True


def test_message_content_rules(client: WebClient) -> None:
    # api_call, because chat_postMessage itself warns about a missing text before sending.
    post = client.api_call
    assert error_of(post, "chat.postMessage", json={"channel": "D0ALICE"}) == "no_text"
    empty = {"channel": "D0ALICE", "text": "", "blocks": []}
    assert error_of(post, "chat.postMessage", json=empty) == "no_text"
    long_text = "x" * 40_001
    assert error_of(client.chat_postMessage, channel="D0ALICE", text=long_text) == "msg_too_long"
    assert client.chat_postMessage(channel="D0ALICE", text="x" * 40_000)["ok"] is True
    not_json = error_of(
        client.api_call, "chat.postMessage", params={"channel": "D0A", "blocks": "["}
    )
    assert not_json == "invalid_blocks_format"


def button(action_id: str, text: str = "Go") -> dict[str, Any]:
    return {"type": "button", "action_id": action_id, "text": {"type": "plain_text", "text": text}}


BAD_BLOCKS = {
    "unknown block type": [{"type": "carousel"}],
    "too many blocks": [SECTION] * 51,
    "duplicate block ids": [{**SECTION, "block_id": "x"}, {**SECTION, "block_id": "x"}],
    "section text too long": [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}],
    "empty text": [{"type": "section", "text": {"type": "mrkdwn", "text": ""}}],
    "section without text": [{"type": "section"}],
    "header in mrkdwn": [{"type": "header", "text": {"type": "mrkdwn", "text": "x"}}],
    "button text as string": [{"type": "actions", "elements": [{**button("a"), "text": "Go"}]}],
    "button text too long": [{"type": "actions", "elements": [button("a", "x" * 76)]}],
    "unknown element": [{"type": "actions", "elements": [{"type": "slider", "action_id": "a"}]}],
    "empty actions": [{"type": "actions", "elements": []}],
    "input without element": [{"type": "input", "label": {"type": "plain_text", "text": "l"}}],
}


@pytest.mark.parametrize("blocks", BAD_BLOCKS.values(), ids=BAD_BLOCKS.keys())
def test_invalid_blocks_are_refused(client: WebClient, blocks: list[dict[str, Any]]) -> None:
    assert error_of(client.chat_postMessage, channel="D0ALICE", text="t", blocks=blocks) == (
        "invalid_blocks"
    )


def test_fifty_blocks_are_fine(client: WebClient) -> None:
    assert client.chat_postMessage(channel="D0ALICE", text="t", blocks=[SECTION] * 50)["ok"]


BAD_VIEWS = {
    "title too long": {**MODAL, "title": {"type": "plain_text", "text": "x" * 25}},
    "no title": {key: value for key, value in MODAL.items() if key != "title"},
    "inputs without submit": {key: value for key, value in MODAL.items() if key != "submit"},
    "too many blocks": {**MODAL, "blocks": [SECTION] * 101},
    "unknown block": {**MODAL, "blocks": [{"type": "carousel"}]},
    "duplicate block ids": {**MODAL, "blocks": [MODAL["blocks"][0]] * 2},  # type: ignore[index]
    "a home, not a modal": HOME,
}


@pytest.mark.parametrize("view", BAD_VIEWS.values(), ids=BAD_VIEWS.keys())
def test_invalid_views_are_refused(
    client: WebClient, fake: FakeSlack, view: dict[str, Any]
) -> None:
    trigger = fake.issue_trigger_id()
    assert error_of(client.views_open, trigger_id=trigger, view=view) == "invalid_arguments"
    assert client.views_open(trigger_id=trigger, view=MODAL)["ok"]  # a refusal spends no trigger


def test_home_allows_a_hundred_blocks(client: WebClient) -> None:
    assert client.views_publish(user_id="U0ALICE", view={"type": "home", "blocks": [SECTION] * 100})
    big = {"type": "home", "blocks": [SECTION] * 101}
    assert error_of(client.views_publish, user_id="U0ALICE", view=big) == "invalid_arguments"


def test_scopes_are_enforced_when_given() -> None:
    with FakeSlack(token=TOKEN, scopes=["chat:write"]) as fake:
        client = WebClient(base_url=fake.base_url, token=TOKEN)
        assert client.chat_postMessage(channel="D0ALICE", text="hi")["ok"]
        with pytest.raises(SlackApiError) as raised:
            client.users_info(user="UBOT")
        assert raised.value.response["error"] == "missing_scope"
        assert raised.value.response["needed"] == "users:read"


# -- failures on demand ----------------------------------------------------------------------------


def test_rate_limit_answers_429_with_retry_after(client: WebClient, fake: FakeSlack) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="D0ALICE", text="hi")
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "7"
    assert raised.value.response["error"] == "ratelimited"
    assert client.chat_postMessage(channel="D0ALICE", text="hi")["ok"]
    assert len(fake.calls_to("chat.postMessage")) == 1
    assert [c.status for c in fake.calls_to("chat.postMessage", include_failed=True)] == [429, 200]


def test_server_errors_on_demand(client: WebClient, fake: FakeSlack) -> None:
    fake.fail_next("users.info", status=503, times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            client.users_info(user="U0ALICE")
        assert raised.value.response.status_code == 503
    assert client.users_info(user="U0ALICE")["ok"]
    fake.fail_next("chat.postMessage", status=200, error="is_archived")
    assert error_of(client.chat_postMessage, channel="C0GENERAL", text="x") == "is_archived"


def test_wait_for_sees_calls_from_other_threads(client: WebClient, fake: FakeSlack) -> None:
    poster = threading.Thread(
        target=lambda: [client.chat_postMessage(channel="D0ALICE", text=str(n)) for n in range(3)]
    )
    poster.start()
    calls = fake.wait_for("chat.postMessage", count=3, where=lambda c: c.args["text"] != "x")
    poster.join()
    assert [c.args["text"] for c in calls] == ["0", "1", "2"]
    assert isinstance(calls[0], Call) and calls[0].response["ts"]


def test_wait_for_fails_listing_what_was_called(client: WebClient, fake: FakeSlack) -> None:
    error_of(client.api_call, "chat.postMessage", json={"channel": "D0ALICE"})
    with pytest.raises(AssertionError, match=r"chat\.postMessage=no_text"):
        fake.wait_for("chat.postMessage", timeout=0.05)


def test_reset_keeps_users(client: WebClient, fake: FakeSlack) -> None:
    client.chat_postMessage(channel="D0ALICE", text="hi")
    fake.fail_next("auth.test")
    fake.reset()
    assert fake.calls == [] and fake.messages == {}
    assert client.auth_test()["ok"] and client.users_info(user="U0BOB")["ok"]


def statuses_of(fake: FakeSlack, method: str) -> list[int]:
    return [c.status for c in fake.calls_to(method, include_failed=True)]


def test_a_share_of_calls_fail_at_random_and_change_nothing(
    client: WebClient, fake: FakeSlack
) -> None:
    fake.inject_faults(share=0.5, statuses=(429, 503), retry_after=3, methods={"chat.postMessage"})
    answers = []
    for n in range(40):
        try:
            answers.append(client.chat_postMessage(channel="D0ALICE", text=str(n)).status_code)
        except SlackApiError as exc:
            answers.append(exc.response.status_code)
            if exc.response.status_code == 429:
                assert exc.response.headers["Retry-After"] == "3"
    assert set(answers) == {200, 429, 503}
    assert 10 <= answers.count(200) <= 30
    assert statuses_of(fake, "chat.postMessage") == answers
    assert len(fake.messages) == answers.count(200)  # a failed call posted nothing
    assert client.users_info(user="U0ALICE")["ok"]  # other methods are spared
    fake.reset()
    assert client.chat_postMessage(channel="D0ALICE", text="calm again")["ok"]


def test_slow_answers_come_before_or_after_the_work(client: WebClient, fake: FakeSlack) -> None:
    fake.slow_down(delay=0.3, methods={"chat.postMessage"})
    post = client.chat_postMessage
    poster = threading.Thread(target=post, kwargs={"channel": "D0A", "text": "x"})
    poster.start()
    time.sleep(0.1)  # real time: the fake is really slow
    assert fake.messages == {}  # Slack has not started yet
    poster.join()
    assert len(fake.messages) == 1
    fake.slow_down(delay=0.3, late_answer=True, methods={"chat.postMessage"})
    poster = threading.Thread(target=post, kwargs={"channel": "D0A", "text": "y"})
    started = time.monotonic()
    poster.start()
    fake.wait_for("chat.postMessage", count=2, timeout=0.2)  # posted, the answer still on its way
    poster.join()
    assert time.monotonic() - started >= 0.3
    # slack_sdk annotates timeout as int, yet passes it on to urllib, which takes a float.
    timeout = WebClient(base_url=fake.base_url, token=TOKEN, timeout=0.1, retry_handlers=[])  # type: ignore[arg-type]
    with pytest.raises(TimeoutError):
        timeout.chat_postMessage(channel="D0A", text="z")
    assert len(fake.messages) == 3  # the post the client gave up on is there all the same


def test_rate_limits_per_channel_and_per_method(client: WebClient, fake: FakeSlack) -> None:
    with freeze_time("2026-11-23 09:00:00") as frozen:
        fake.enforce_rate_limits(per_channel=1.0, per_method={"chat.postMessage": 4.0})
        assert client.chat_postMessage(channel="C0ONE", text="1")["ok"]
        with pytest.raises(SlackApiError) as raised:
            client.chat_postMessage(channel="C0ONE", text="2")
        assert raised.value.response.status_code == 429
        assert raised.value.response.headers["Retry-After"] == "1"
        # Another channel is not held up by the first; a user id is their DM channel.
        frozen.tick(0.25)
        assert client.chat_postMessage(channel="U0ALICE", text="3")["ok"]
        frozen.tick(0.25)
        assert error_of(client.chat_postMessage, channel="D0ALICE", text="4") == "ratelimited"
        # The method's own limit (4 a second, bursts of 1) holds across channels.
        assert client.chat_postMessage(channel="C0TWO", text="5")["ok"]
        with pytest.raises(SlackApiError) as raised:
            client.chat_postMessage(channel="C0THREE", text="6")
        assert raised.value.response.headers["Retry-After"] == "0.25"  # scaled limits
        frozen.tick(0.25)
        assert client.chat_postMessage(channel="C0THREE", text="7")["ok"]
        frozen.tick(0.25)
        assert client.chat_postMessage(channel="C0ONE", text="8")["ok"]
        assert client.users_info(user="U0ALICE")["ok"]  # no limit set for it
    assert [m["text"] for m in fake.messages.values()] == ["1", "3", "5", "7", "8"]


# -- response_url ----------------------------------------------------------------------------------


def post_json(url: str, body: dict[str, Any]) -> tuple[int, str]:
    headers = {"Content-Type": "application/json"}
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode()


def test_response_urls_record_posts(fake: FakeSlack) -> None:
    url = fake.new_response_url()
    assert post_json(url, {"text": "done", "replace_original": True}) == (200, "ok")
    assert fake.wait_for_response() == [{"text": "done", "replace_original": True, "_url": url}]
    assert post_json(url, {"text": "t", "blocks": [{"type": "carousel"}]})[0] == 400
    assert post_json(url, {"response_type": "ephemeral"}) == (400, "no_text")
    for _ in range(4):
        post_json(url, {"text": "again"})
    assert post_json(url, {"text": "sixth"}) == (404, "used_url")
    assert post_json(f"{fake.url}/response/999", {"text": "x"})[0] == 404
    with pytest.raises(AssertionError):
        fake.wait_for_response(count=6, timeout=0.05)


def test_a_response_url_replaces_the_message_clicked_in(client: WebClient, fake: FakeSlack) -> None:
    posted = client.chat_postMessage(channel="D0ALICE", text="pick", blocks=[SECTION])
    where = ("D0ALICE", posted["ts"])
    url = fake.new_response_url(where)
    assert post_json(url, {"text": "picked", "replace_original": True}) == (200, "ok")
    replaced = fake.messages[where]
    assert replaced["text"] == "picked" and "blocks" not in replaced  # all of it is replaced
    assert post_json(fake.new_response_url(where), {"delete_original": True}) == (200, "ok")
    assert where not in fake.messages


# -- the driver ------------------------------------------------------------------------------------


def test_driver_signs_every_request(
    driver: SlackDriver, echo_bot: EchoBot, fake: FakeSlack
) -> None:
    client = WebClient(base_url=fake.base_url, token=TOKEN)
    view_id = open_modal(fake, client)
    driver.command("U0ALICE", "help")
    driver.click("U0ALICE", action_id="more", view_id=view_id)
    driver.submit_view("U0ALICE", view_id=view_id, values=driver.state_text("about", "text", "hi"))
    driver.event({"type": "app_home_opened", "user": "U0ALICE", "tab": "home"})
    assert len(echo_bot.received) == 4
    assert all(r.valid for r in echo_bot.received)


def test_hostile_requests_fail_verification(driver: SlackDriver, echo_bot: EchoBot) -> None:
    body = b"command=%2Fmentoring&text=help"
    form = "application/x-www-form-urlencoded"
    assert driver.post_raw(body, content_type=form, sign=False).status == 401
    assert "X-Slack-Signature" not in echo_bot.received[0].headers
    now = 1_800_000_000
    with freeze_time("2027-01-15 08:00:00"):
        tampered = driver.sign(b"text=leave", now)
        assert driver.post_raw(body, content_type=form, signature=tampered).status == 401
        stale = int(now) - 6 * 60
        assert driver.post_raw(body, content_type=form, timestamp=stale).status == 401
        assert driver.post_raw(body, content_type=form).status == 200


def test_command_payload(driver: SlackDriver, echo_bot: EchoBot, fake: FakeSlack) -> None:
    driver.command("U0ALICE", "join now")
    form = dict(urllib.parse.parse_qsl(echo_bot.received[0].body.decode()))
    assert form["command"] == "/mentoring" and form["text"] == "join now"
    assert (form["user_id"], form["user_name"], form["team_id"]) == (
        "U0ALICE",
        "alice",
        "T0HARNESS",
    )
    assert form["response_url"].startswith(fake.url + "/response/")
    client = WebClient(base_url=fake.base_url, token=TOKEN)
    assert client.views_open(trigger_id=form["trigger_id"], view=MODAL)["ok"]


def test_command_ack_with_bad_blocks_fails(driver: SlackDriver, echo_bot: EchoBot) -> None:
    echo_bot.replies.append((200, json.dumps({"blocks": [{"type": "carousel"}]})))
    with pytest.raises(AssertionError, match="acknowledgement"):
        driver.command("U0ALICE", "help")


def test_click_in_a_view_uses_what_the_bot_rendered(
    driver: SlackDriver, echo_bot: EchoBot, fake: FakeSlack, client: WebClient
) -> None:
    view_id = open_modal(fake, client)
    driver.click("U0ALICE", action_id="more", view_id=view_id)
    payload = payload_of(echo_bot.received[0])
    assert payload["type"] == "block_actions"
    assert payload["actions"][0] | {"action_ts": "-"} == {
        "type": "button",
        "action_id": "more",
        "block_id": "buttons",
        "value": "programme-7",
        "text": {"type": "plain_text", "text": "More"},
        "action_ts": "-",
    }
    assert payload["view"]["callback_id"] == "signup"
    assert payload["container"] == {"type": "view", "view_id": view_id}
    # The trigger came from the modal, so the bot may push onto it.
    assert client.views_push(trigger_id=payload["trigger_id"], view=MODAL)["ok"]
    with pytest.raises(AssertionError, match="no element"):
        driver.click("U0ALICE", action_id="missing", view_id=view_id)
    with pytest.raises(AssertionError, match="carries"):
        driver.click("U0ALICE", action_id="more", value="programme-8", view_id=view_id)


def test_click_in_a_message(
    driver: SlackDriver, echo_bot: EchoBot, client: WebClient, fake: FakeSlack
) -> None:
    select = {
        "type": "static_select",
        "action_id": "choose",
        "placeholder": {"type": "plain_text", "text": "Pick"},
        "options": [{"text": {"type": "plain_text", "text": "Yes"}, "value": "yes"}],
    }
    blocks = [{"type": "actions", "block_id": "row", "elements": [button("go"), select]}]
    posted = client.chat_postMessage(channel="D0ALICE", text="pick", blocks=blocks)
    driver.click(
        "U0ALICE", action_id="choose", value="yes", channel_id="D0ALICE", message_ts=posted["ts"]
    )
    payload = payload_of(echo_bot.received[0])
    assert payload["actions"][0]["selected_option"]["value"] == "yes"
    assert payload["message"]["ts"] == posted["ts"] and payload["channel"]["id"] == "D0ALICE"
    assert payload["response_url"].startswith(fake.url)
    with pytest.raises(AssertionError, match="no option"):
        driver.click(
            "U0ALICE", action_id="choose", value="no", channel_id="D0ALICE", message_ts=posted["ts"]
        )


def test_click_in_a_command_reply(driver: SlackDriver, echo_bot: EchoBot) -> None:
    driver.click("U0ALICE", action_id="leave_confirm", value="p-1")
    payload = payload_of(echo_bot.received[0])
    assert payload["container"]["is_ephemeral"] is True
    assert payload["container"]["channel_id"] == "D0CMD"
    assert payload["actions"][0]["value"] == "p-1" and payload["response_url"]


def test_submit_view_sends_state_and_closes_the_modal(
    driver: SlackDriver, echo_bot: EchoBot, fake: FakeSlack, client: WebClient
) -> None:
    view_id = open_modal(fake, client)
    values = driver.merge(
        driver.state_text("about", "text", "I code"), driver.state_select("level", "pick", "junior")
    )
    assert driver.submit_view("U0ALICE", view_id=view_id, values=values).status == 200
    payload = payload_of(echo_bot.received[0])
    assert payload["type"] == "view_submission"
    assert payload["view"]["private_metadata"] == "p1"
    state = payload["view"]["state"]["values"]
    assert state["about"]["text"]["value"] == "I code"
    assert state["level"]["pick"]["selected_option"]["text"]["text"] == "Junior"
    assert fake.open_modals(view_id) == []  # an empty acknowledgement closes the modal
    with pytest.raises(AssertionError, match="not the modal on screen"):
        driver.submit_view("U0ALICE", view_id=view_id, values=values)


def test_submit_view_refuses_what_slack_would_not_send(
    driver: SlackDriver, fake: FakeSlack, client: WebClient
) -> None:
    view_id = open_modal(fake, client)
    with pytest.raises(AssertionError, match="required input 'about' is empty"):
        driver.submit_view("U0ALICE", view_id=view_id, values={})
    empty = driver.state_text("about", "text", "")
    with pytest.raises(AssertionError, match="required input 'about' is empty"):
        driver.submit_view("U0ALICE", view_id=view_id, values=empty)
    with pytest.raises(AssertionError, match="allows 10"):
        driver.submit_view(
            "U0ALICE", view_id=view_id, values=driver.state_text("about", "text", "x" * 11)
        )
    with pytest.raises(AssertionError, match="no input blocks"):
        driver.submit_view("U0ALICE", view_id=view_id, values=driver.state_text("nope", "t", "x"))


def test_submit_view_applies_response_actions(
    driver: SlackDriver, echo_bot: EchoBot, fake: FakeSlack, client: WebClient
) -> None:
    view_id = open_modal(fake, client)
    values = driver.state_text("about", "text", "ok")
    echo_bot.replies.append(
        (200, json.dumps({"response_action": "errors", "errors": {"about": "!"}}))
    )
    driver.submit_view("U0ALICE", view_id=view_id, values=values)
    assert fake.open_modals(view_id) == [view_id]
    updated = {**MODAL, "callback_id": "step2"}
    echo_bot.replies.append((200, json.dumps({"response_action": "update", "view": updated})))
    driver.submit_view("U0ALICE", view_id=view_id, values=values)
    assert fake.views[view_id]["callback_id"] == "step2"
    echo_bot.replies.append((200, json.dumps({"response_action": "errors", "errors": {"x": "!"}})))
    with pytest.raises(AssertionError, match="errors must name input blocks"):
        driver.submit_view("U0ALICE", view_id=view_id, values=values)


def test_events_and_retries(driver: SlackDriver, echo_bot: EchoBot) -> None:
    driver.event({"type": "app_home_opened", "user": "U0ALICE"}, event_id="Ev1")
    driver.event({"type": "app_home_opened", "user": "U0ALICE"}, event_id="Ev1", retry_num=1)
    first, retry = echo_bot.received
    envelope = json.loads(first.body)
    assert envelope["type"] == "event_callback" and envelope["event_id"] == "Ev1"
    assert envelope["authorizations"][0]["user_id"] == "UBOT"
    assert "X-Slack-Retry-Num" not in first.headers
    assert retry.headers["X-Slack-Retry-Num"] == "1"
    assert retry.headers["X-Slack-Retry-Reason"] == "http_timeout"
    assert json.loads(retry.body)["event_id"] == "Ev1"


def test_driver_returns_errors_without_raising(driver: SlackDriver, echo_bot: EchoBot) -> None:
    echo_bot.replies.append((500, "boom"))
    response = driver.event({"type": "app_home_opened", "user": "U0ALICE"})
    assert (response.status, response.body) == (500, "boom")


# -- the specs travel with the repository ----------------------------------------------------------


def test_every_served_method_has_its_spec() -> None:
    served = {
        name.removeprefix("_method_").replace("_", ".")
        for name in dir(FakeSlack)
        if name.startswith("_method_")
    }
    specs = {path.stem for path in SPECS.glob("*.json")}
    assert served == specs
    assert (SPECS / "LICENSE.md").is_file()
    assert (Path(SPECS).parent / "manifest.schema.2.0.0.json").is_file()


def test_a_shared_file_is_read_with_files_info_and_its_private_url(
    fake: FakeSlack, client: WebClient
) -> None:
    file_id = fake.share_file(b"person,manager\n", user_id="U0ALICE", name="people.csv")
    info = client.files_info(file=file_id)["file"]
    assert (info["name"], info["size"], info["user"]) == ("people.csv", 15, "U0ALICE")
    url = info["url_private_download"]
    signed = urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(signed) as answer:
        assert answer.read() == b"person,manager\n"
    # Without a valid token Slack redirects to its sign-in page, not an error.
    for headers in ({}, {"Authorization": "Bearer xoxb-wrong"}):
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as page:
            assert page.headers["Content-Type"].startswith("text/html")
    assert error_of(client.files_info, file="F0NOPE") == "file_not_found"


def test_users_are_found_by_email_without_regard_to_case(client: WebClient) -> None:
    assert client.users_lookupByEmail(email="Alice@Example.com")["user"]["id"] == "U0ALICE"
    assert error_of(client.users_lookupByEmail, email="nobody@example.com") == "users_not_found"


def test_files_info_and_email_look_ups_need_their_scopes() -> None:
    with FakeSlack(token=TOKEN, scopes=["chat:write"]) as fake:
        client = WebClient(base_url=fake.base_url, token=TOKEN)
        file_id = fake.share_file(b"x", user_id="U0ALICE")
        assert error_of(client.files_info, file=file_id) == "missing_scope"
        assert error_of(client.users_lookupByEmail, email="a@example.com") == "missing_scope"
