"""Messages: chat.postMessage, postEphemeral, update, delete, scheduleMessage, response_url."""

import copy
import json
import time
from typing import Any

from tests.fakeslack.blocks import MESSAGE_BLOCK_LIMIT, block_problems, with_block_ids
from tests.fakeslack.conversations import ConversationMethods
from tests.fakeslack.specs import as_bool, as_int
from tests.fakeslack.state import Route, SlackError

TEXT_LIMIT = 40_000
SCHEDULE_HORIZON = 120 * 24 * 3600
RESPONSE_URL_USES = 5


class ChatMethods(ConversationMethods):
    """Posting and changing messages, and the response_urls of interactions."""

    def new_response_url(self, source: tuple[str, str] | None = None) -> str:
        """A response_url whose POSTs are recorded in ``responses``; with the (channel, ts) of
        the stored message clicked in, replace_original and delete_original change that message."""
        with self._lock:
            url = f"{self.url}/response/{next(self._ids)}"
            self._response_urls[url] = 0
            if source is not None:
                self._response_sources[url] = source
            return url

    @staticmethod
    def _check_message(args: dict[str, Any], *, require_content: bool = True) -> None:
        """Refuse what Slack refuses in chat.* message arguments."""
        text, blocks = args.get("text"), args.get("blocks")
        if args.get("markdown_text") and (text or blocks):
            raise SlackError("markdown_text_conflict")
        if blocks is not None:
            if not isinstance(blocks, list):
                raise SlackError("invalid_blocks_format", "blocks must be a JSON array")
            problems = block_problems(blocks, limit=MESSAGE_BLOCK_LIMIT)
            if problems:
                raise SlackError("invalid_blocks", *problems)
        if text is not None and not isinstance(text, str):
            raise SlackError("invalid_arguments", "text must be a string")
        if text and len(text) > TEXT_LIMIT:
            raise SlackError("msg_too_long", f"text is longer than {TEXT_LIMIT} characters")
        has_content = text or blocks or args.get("attachments") or args.get("markdown_text")
        if require_content and not has_content:
            raise SlackError("no_text")

    def _message(self, args: dict[str, Any], ts: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "ts": ts,
            "text": args.get("text") or "",
        }
        if args.get("blocks"):
            message["blocks"] = with_block_ids(args["blocks"])
        for key in ("attachments", "metadata", "thread_ts"):
            if args.get(key):
                message[key] = args[key]
        return message

    def _method_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(args["channel"])
        self._check_message(args)
        ts = self._next_ts()
        message = self._message(args, ts)
        self._messages[(channel, ts)] = message
        return {"channel": channel, "ts": ts, "message": copy.deepcopy(message)}

    def _method_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(args["channel"])
        self._check_message(args)
        user_id = args["user"]
        conversation = self._conversations.get(channel, {})
        members = conversation.get("members") or [conversation.get("user", user_id)]
        if user_id not in self._users or user_id not in members:
            raise SlackError("user_not_in_channel", f"{user_id!r} is not in {channel}")
        return {"message_ts": self._next_ts()}

    def _posted(self, args: dict[str, Any]) -> tuple[str, str]:
        channel = self._resolve_channel(args["channel"], allow_user=False)
        key = (channel, str(args["ts"]))
        if key not in self._messages:
            raise SlackError("message_not_found", f"no message {key[1]} in {channel}")
        return key

    def _method_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        key = self._posted(args)
        self._check_message(args, require_content=False)
        has_content = any(args.get(k) is not None for k in ("text", "blocks", "attachments"))
        if not has_content:
            raise SlackError("no_text")
        message = self._messages[key]
        # Slack keeps the blocks and attachments that an update leaves out.
        if args.get("text") is not None:
            message["text"] = args["text"]
        if args.get("blocks") is not None:
            message["blocks"] = with_block_ids(args["blocks"])
        if args.get("attachments") is not None:
            message["attachments"] = args["attachments"]
        message["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        return {
            "channel": key[0],
            "ts": key[1],
            "text": message["text"],
            "message": copy.deepcopy(message),
        }

    def _method_chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        key = self._posted(args)
        del self._messages[key]
        return {"channel": key[0], "ts": key[1]}

    def _method_chat_scheduleMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(args["channel"])
        post_at = as_int(args["post_at"])
        now = time.time()
        if post_at is None:
            raise SlackError("invalid_time")
        if post_at < now:
            raise SlackError("time_in_past")
        if post_at > now + SCHEDULE_HORIZON:
            raise SlackError("time_too_far")
        self._check_message(args)
        message = self._message(args, "") | {"type": "delayed_message"}
        del message["ts"]
        return {
            "channel": channel,
            "scheduled_message_id": self._new_id("Q"),
            "post_at": post_at,
            "message": message,
        }

    # -- response_url --------------------------------------------------------------------------

    def _receive_response(self, path: str, headers: dict[str, str], body: bytes) -> Route:
        url = f"{self.url}{path}"
        with self._changed:
            if url not in self._response_urls:
                return Route(404, b"no_active_hooks")
            if self._response_urls[url] >= RESPONSE_URL_USES:
                return Route(404, b"used_url")
            content_type = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
            try:
                document = json.loads(body) if "json" in content_type else None
            except ValueError:
                document = None
            if not isinstance(document, dict):
                return Route(400, b"invalid_payload")
            refusal = self._response_problem(document)
            if refusal:
                return Route(400, refusal.encode())
            self._response_urls[url] += 1
            self._responses.append({**document, "_url": url})
            self._apply_response(self._response_sources.get(url), document)
            self._changed.notify_all()
            return Route(200, b"ok")

    def _apply_response(self, source: tuple[str, str] | None, document: dict[str, Any]) -> None:
        """As Slack does: delete_original removes the message, replace_original replaces it all
        (what the response leaves out, blocks say, is gone)."""
        if source is None or source not in self._messages:
            return
        if as_bool(document.get("delete_original")):
            del self._messages[source]
        elif as_bool(document.get("replace_original")):
            replaced = self._message(document, source[1])
            replaced["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
            self._messages[source] = replaced

    @staticmethod
    def _response_problem(document: dict[str, Any]) -> str | None:
        if as_bool(document.get("delete_original")):
            return None
        blocks = document.get("blocks")
        if blocks is not None and block_problems(blocks, limit=MESSAGE_BLOCK_LIMIT):
            return "invalid_blocks"
        if not (document.get("text") or blocks or document.get("attachments")):
            return "no_text"
        return None
