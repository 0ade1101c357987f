"""Users, the workspace and conversations: auth.test, team.info, users.*, conversations.*."""

import base64
import copy
import hashlib
import time
from typing import Any

from tests.fakeslack.specs import as_bool, as_int
from tests.fakeslack.state import CONVERSATION_ID, USER_ID, SlackError, SlackState

MPIM_USER_LIMIT = 8


class ConversationMethods(SlackState):
    """Workspace members and the conversations the bot can see or open."""

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        real_name: str | None = None,
        tz: str = "Europe/London",
        tz_offset: int = 0,
        is_bot: bool = False,
        deleted: bool = False,
        is_admin: bool = False,
        email: str | None = None,
        team_id: str | None = None,
    ) -> None:
        """Make a workspace member known to users.info, users.list and conversations.open."""
        team_id = team_id or self.team_id
        name = name or user_id.lower()
        real_name = real_name or name.title()
        profile = {
            "real_name": real_name,
            "real_name_normalized": real_name,
            "display_name": name,
            "display_name_normalized": name,
            "email": email or f"{name}@example.com",
            "team": team_id,
        }
        user = {
            "id": user_id,
            "team_id": team_id,
            "name": name,
            "deleted": deleted,
            "real_name": real_name,
            "tz": tz,
            "tz_label": tz,
            "tz_offset": tz_offset,
            "profile": profile,
            "is_admin": is_admin,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": int(time.time()),
        }
        with self._lock:
            self._users[user_id] = user

    def user(self, user_id: str) -> dict[str, Any] | None:
        """A known user's record, or None."""
        with self._lock:
            found = self._users.get(user_id)
            return copy.deepcopy(found) if found is not None else None

    def _method_users_lookupByEmail(self, args: dict[str, Any]) -> dict[str, Any]:
        # Slack matches the address without regard to case, within the caller's workspace.
        email = str(args["email"]).casefold()
        for user in self._users.values():
            same_team = user["team_id"] == self._caller_team
            if same_team and str(user["profile"].get("email", "")).casefold() == email:
                return {"user": copy.deepcopy(user)}
        raise SlackError("users_not_found")

    def _known_user(self, user_id: Any) -> dict[str, Any]:
        user = self._users.get(user_id) if isinstance(user_id, str) else None
        if user is None:
            raise SlackError("user_not_found", f"unknown user {user_id!r}")
        return user

    def _open_im(self, user_id: str) -> str:
        channel_id = "D" + user_id[1:]
        self._conversations.setdefault(
            channel_id,
            {"id": channel_id, "is_im": True, "is_private": True, "user": user_id, "created": 0},
        )
        return channel_id

    def _open_mpim(self, user_ids: list[str]) -> str:
        members = sorted({*user_ids, self.bot_user_id})
        digest = hashlib.sha1(",".join(members).encode()).hexdigest().upper()
        channel_id = f"G{digest[:10]}"
        name = "mpdm-" + "--".join(self._users[u]["name"] for u in members) + "-1"
        self._conversations.setdefault(
            channel_id,
            {
                "id": channel_id,
                "name": name,
                "is_mpim": True,
                "is_group": False,
                "is_private": True,
                "members": members,
                "created": 0,
            },
        )
        return channel_id

    def _resolve_channel(self, channel: Any, *, allow_user: bool = True) -> str:
        """A conversation id as Slack would resolve it; a user id means the bot's DM with them."""
        if isinstance(channel, str) and allow_user and USER_ID.match(channel):
            if channel in self._users:
                return self._open_im(channel)
        if isinstance(channel, str) and CONVERSATION_ID.match(channel):
            return channel
        raise SlackError("channel_not_found", f"no conversation {channel!r}")

    def _conversation(self, channel_id: str) -> dict[str, Any]:
        known = self._conversations.get(channel_id)
        if known is not None:
            return {**known, "context_team_id": self.team_id}
        # Any well-formed id the tests use is a conversation the bot can see.
        private = channel_id[0] != "C"
        return {
            "id": channel_id,
            "name": channel_id.lower(),
            "is_channel": not private,
            "is_group": channel_id[0] == "G",
            "is_im": channel_id[0] == "D",
            "is_mpim": False,
            "is_private": private,
            "is_archived": False,
            "created": 0,
            "context_team_id": self.team_id,
        }

    def _method_auth_test(self, _args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://fake.slack.com/",
            "team": "Fake Workspace",
            "user": self._users[self.bot_user_id]["name"],
            "team_id": self._caller_team,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _method_team_info(self, _args: dict[str, Any]) -> dict[str, Any]:
        return {
            "team": {
                "id": self.team_id,
                "name": "Fake Workspace",
                "domain": "fake",
                "email_domain": "example.com",
                "icon": {"image_default": True},
            }
        }

    def _method_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"user": copy.deepcopy(self._known_user(args["user"]))}

    def _method_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        limit = as_int(args.get("limit")) or 0
        start = 0
        if args.get("cursor"):
            try:
                start = int(base64.b64decode(args["cursor"]).decode().removeprefix("user:"))
            except ValueError as error:
                raise SlackError("invalid_cursor") from error
        users = list(self._users.values())
        end = len(users) if limit <= 0 else start + limit
        next_cursor = base64.b64encode(f"user:{end}".encode()).decode() if end < len(users) else ""
        return {
            "members": copy.deepcopy(users[start:end]),
            "cache_ts": int(time.time()),
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _method_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if args.get("channel"):
            channel_id = self._resolve_channel(args["channel"], allow_user=False)
            return {"channel": self._conversation(channel_id)}
        users = [u.strip() for u in str(args.get("users") or "").split(",") if u.strip()]
        if not users:
            raise SlackError("users_list_not_supplied")
        if len(users) > MPIM_USER_LIMIT:
            raise SlackError("too_many_users")
        for user_id in users:
            if self._known_user(user_id)["deleted"]:
                raise SlackError("user_disabled", f"user {user_id} is deactivated")
        already = False
        if len(users) == 1:
            already = "D" + users[0][1:] in self._conversations
            channel_id = self._open_im(users[0])
        else:
            channel_id = self._open_mpim(users)
        channel = self._conversation(channel_id) if as_bool(args.get("return_im")) else None
        answer: dict[str, Any] = {"channel": channel or {"id": channel_id}}
        if already:
            answer |= {"no_op": True, "already_open": True}
        return answer

    def _method_conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"channel": self._conversation(self._resolve_channel(args["channel"]))}
