"""Finding a time: *Pick this time* (plan it, post the invite), *Other times*, "Did it happen?"."""

import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.invite import calendar_invite, invite_filename, invite_summary
from bot.domain.text import whole_number
from bot.flows import find_time
from bot.flows.errors import Refusal
from bot.runtime import Runtime
from bot.slack.core.after_ack import after_ack
from bot.slack.core.errors import guarded
from bot.slack.core.ids import Action
from bot.slack.core.payload import ids, row_id
from bot.slack.find_time import blocks
from bot.slack.outbox.courier import send_now
from bot.slack.ui import STALE_BUTTON

log = logging.getLogger(__name__)

MAX_SKIP = 300  # batches of Other times beyond this are refused as stale


def _parts(value: object) -> tuple[int, str, int]:
    """A times button's value, "pair:place:number" (a start in Unix seconds, or a skip)."""
    pair, place, number = (str(value or "").split(":") + ["", "", ""])[:3]
    found = whole_number(number, max_digits=11)
    if found is None:
        raise Refusal(STALE_BUTTON)
    return row_id(pair), place, found


def display_name(client: WebClient, user_id: str) -> str:
    """The name the invite shows for a person (their Slack id if Slack cannot say)."""
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as exc:
        log.warning("users.info failed: error=%s", exc.response.get("error"))
        return user_id
    profile = user.get("profile") or {}
    name = user.get("real_name") or profile.get("real_name") or profile.get("display_name")
    return str(name or user.get("name") or user_id)


def post_invite(client: WebClient, planned: find_time.Planned) -> None:
    """Upload the .ics to the pair's group DM (Slack's getUploadURL/complete flow)."""
    names = (display_name(client, planned.people[0]), display_name(client, planned.people[1]))
    ics = calendar_invite(
        pair_id=planned.pair_id,
        start=planned.start,
        length_minutes=planned.length_minutes,
        programme=planned.programme,
        people=names,
        prompt=planned.prompt,
        topic=planned.topic,
        now=datetime.now(UTC),
    )
    client.files_upload_v2(
        channel=planned.channel_id,
        initial_comment=blocks.invite_comment(planned),
        file_uploads=[
            {
                "file": ics,
                "filename": invite_filename(planned.start),
                "title": invite_summary(planned.programme, names, planned.topic)[:250],
            }
        ],
    )
    log.info("invite posted: pair=%d meeting=%d", planned.pair_id, planned.meeting_id)


def register(app: App, runtime: Runtime) -> None:
    """Attach the listeners of the find-a-time journey."""

    @app.action(Action.PICK_TIME)
    @guarded
    def pick_time(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        team_id, user_id = ids(body)
        pair_id, place, unix = _parts(action.get("value"))
        with runtime.sessions.begin() as session:
            planned = find_time.pick_time(
                session=session,
                team_id=team_id,
                user_id=user_id,
                pair_id=pair_id,
                place_code=place,
                start=datetime.fromtimestamp(unix, UTC),
                now=datetime.now(UTC),
            )

        def invite() -> None:
            try:
                post_invite(client, planned)
            except SlackApiError as exc:
                log.warning("invite not posted: error=%s", exc.response.get("error"))
                raise Refusal(blocks.invite_not_sent()) from exc
            respond(text=blocks.planned_reply(), response_type="ephemeral", replace_original=False)

        after_ack(runtime, body, respond, invite)

    @app.action(Action.OTHER_TIMES)
    @guarded
    def other_times(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        team_id, user_id = ids(body)
        pair_id, place, skip = _parts(action.get("value"))
        if skip > MAX_SKIP:
            raise Refusal(STALE_BUTTON)
        now = datetime.now(UTC)
        with runtime.sessions.begin() as session:
            find_time.other_times(
                session=session,
                team_id=team_id,
                user_id=user_id,
                pair_id=pair_id,
                place_code=place,
                skip=skip,
                now=now,
                notifier=runtime.notifier,
            )
        send_now(runtime, now=now)

    def answer(body: dict[str, Any], action: dict[str, Any], respond: Respond, held: bool) -> None:
        team_id, user_id = ids(body)
        now = datetime.now(UTC)
        with runtime.sessions.begin() as session:
            new = find_time.answer_did_it_happen(
                session=session,
                team_id=team_id,
                user_id=user_id,
                meeting_id=row_id(action.get("value")),
                held=held,
                now=now,
                notifier=runtime.notifier,
            )
        if new:
            send_now(runtime, now=now)
            return
        text = blocks.already_answered()
        after_ack(
            runtime,
            body,
            respond,
            lambda: respond(text=text, response_type="ephemeral", replace_original=False),
        )

    @app.action(Action.MEETING_HELD)
    @guarded
    def meeting_held(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        answer(body, action, respond, held=True)

    @app.action(Action.MEETING_MISSED)
    @guarded
    def meeting_missed(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        answer(body, action, respond, held=False)
