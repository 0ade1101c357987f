"""Installs through OAuth: oauth.v2.access (codes, rotating tokens), per-team tokens and failures.

The fake's own `token` belongs to its default `team_id`; every token minted here belongs to the
workspace whose code (or refresh token) it was exchanged for. A call with one workspace's token
that names a member or conversation of another is refused with ``invalid_auth``.

Enterprise Grid: `add_org` puts workspaces in an organisation; a grant for the organisation's
`E…` id is an org-wide install (no team, `is_enterprise_install`), whose tokens belong to the
organisation and reach the members and conversations of every workspace in it, and no others.
"""

import base64
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

from tests.fakeslack.state import USER_ID, SlackError, SlackState

REFRESHED_EXPIRES_IN = 43200


@dataclass
class Grant:
    """A code Slack handed to the installer's browser, for one workspace."""

    team_id: str
    rotation: bool
    expires_in: int
    used: bool = False


class OAuthMethods(SlackState):
    """oauth.v2.access and the workspace each token belongs to."""

    client_id: str | None
    client_secret: str | None
    _grants: dict[str, Grant]
    _token_teams: dict[str, str]
    _refresh_teams: dict[str, tuple[str, int]]
    _channel_teams: dict[str, str]
    _team_failures: dict[str, str]
    _orgs: dict[str, str]  # workspace -> its organisation
    _minted: "itertools.count[int]"
    rotations: dict[str, int]

    def _clear_oauth(self) -> None:
        self._grants = {}
        self._token_teams = {}
        self._refresh_teams = {}
        self._channel_teams = {}
        self._team_failures = {}
        self._orgs = {}
        self.rotations = {}

    def add_org(self, enterprise_id: str, *team_ids: str) -> None:
        """Make `team_ids` workspaces of the Enterprise Grid organisation `enterprise_id`."""
        with self._lock:
            self._orgs.update(dict.fromkeys(team_ids, enterprise_id))

    def org_of(self, team_id: str | None) -> str | None:
        """The organisation a workspace belongs to (None outside Enterprise Grid)."""
        with self._lock:
            return self._orgs.get(team_id or "")

    def enable_oauth(self, *, client_id: str, client_secret: str) -> None:
        """Accept oauth.v2.access for this app's credentials."""
        with self._lock:
            self.client_id, self.client_secret = client_id, client_secret

    def grant(self, team_id: str, *, rotation: bool = False, expires_in: int = 43200) -> str:
        """A one-time code for installing into `team_id`, as Slack puts on the redirect."""
        with self._lock:
            code = f"code-{team_id}-{next(self._minted)}"
            self._grants[code] = Grant(team_id, rotation, expires_in)
            return code

    def tokens_of(self, team_id: str) -> list[str]:
        """Every token minted for a workspace, oldest first."""
        with self._lock:
            return [t for t, team in self._token_teams.items() if team == team_id]

    def revoke_team(self, team_id: str) -> None:
        """Revoke every token of a workspace (as an uninstall does)."""
        with self._lock:
            for token in self.tokens_of(team_id):
                self._token_teams[token] = f"revoked:{team_id}"

    def fail_team(self, team_id: str, error: str = "account_inactive") -> None:
        """Refuse every call made with this workspace's tokens with `error`."""
        with self._lock:
            self._team_failures[team_id] = error

    def heal_team(self, team_id: str) -> None:
        """Stop refusing this workspace's calls."""
        with self._lock:
            self._team_failures.pop(team_id, None)

    def _team_of_token(self, token: str) -> str:
        if token == self.token:
            return self.team_id
        team = self._token_teams.get(token)
        if team is None or team.startswith("revoked:"):
            raise SlackError("invalid_auth" if team is None else "token_revoked")
        return team

    def _check_team(self, team_id: str, args: dict[str, Any]) -> None:
        """Refuse a call of one workspace that names another's members or conversations."""
        error = self._team_failures.get(team_id)
        if error is not None:
            raise SlackError(error)
        for value in _ids_in(args):
            owner = self._channel_teams.get(value)
            if owner is None and USER_ID.match(value) and value in self._users:
                owner = self._users[value].get("team_id")
            if owner is not None and team_id not in (owner, self._orgs.get(owner)):
                raise SlackError("invalid_auth", f"{value} is not in workspace {team_id}")

    def _remember_channel(self, team_id: str, response: dict[str, Any]) -> None:
        channel = response.get("channel")
        channel_id = channel.get("id") if isinstance(channel, dict) else response.get("channel")
        if isinstance(channel_id, str) and team_id != self.team_id:
            self._channel_teams.setdefault(channel_id, team_id)

    def _check_client(self, authorization: str | None, args: dict[str, Any]) -> None:
        client_id, client_secret = args.get("client_id"), args.get("client_secret")
        if authorization and authorization.lower().startswith("basic "):
            decoded = base64.b64decode(authorization[len("basic ") :]).decode()
            client_id, _, client_secret = decoded.partition(":")
            client_id, client_secret = unquote_plus(client_id), unquote_plus(client_secret)
        if self.client_id is None or client_id != self.client_id:
            raise SlackError("invalid_client_id")
        if client_secret != self.client_secret:
            raise SlackError("bad_client_secret")

    def _method_oauth_v2_access(self, args: dict[str, Any]) -> dict[str, Any]:
        if args.get("grant_type") == "refresh_token":
            known = self._refresh_teams.pop(str(args.get("refresh_token")), None)
            if known is None:
                raise SlackError("invalid_refresh_token")
            team_id, expires_in = known
            self.rotations[team_id] = self.rotations.get(team_id, 0) + 1
            return self._mint(team_id, rotation=True, expires_in=expires_in)
        grant = self._grants.get(str(args.get("code")))
        if grant is None:
            raise SlackError("invalid_code")
        if grant.used:
            raise SlackError("code_already_used")
        grant.used = True
        return self._mint(grant.team_id, rotation=grant.rotation, expires_in=grant.expires_in)

    def _mint(self, team_id: str, *, rotation: bool, expires_in: int) -> dict[str, Any]:
        n = next(self._minted)
        token = f"xoxe.xoxb-{team_id}-{n}" if rotation else f"xoxb-{team_id}-{n}"
        self._token_teams[token] = team_id
        org_wide = team_id.startswith("E")
        enterprise = team_id if org_wide else self._orgs.get(team_id)
        answer: dict[str, Any] = {
            "access_token": token,
            "token_type": "bot",
            "scope": ",".join(sorted(self.scopes or ())) or "commands,chat:write",
            "bot_user_id": self.bot_user_id,
            "app_id": self.app_id,
            "team": None if org_wide else {"id": team_id, "name": f"Workspace {team_id}"},
            "enterprise": enterprise and {"id": enterprise, "name": f"Organisation {enterprise}"},
            "is_enterprise_install": org_wide,
            "authed_user": {"id": f"U{team_id[1:]}ADMIN"},
        }
        if rotation:
            refresh = f"xoxe-1-{team_id}-{n}"
            # A grant may hand out a short-lived first token; refreshed ones live Slack's 12 hours.
            self._refresh_teams[refresh] = (team_id, REFRESHED_EXPIRES_IN)
            answer |= {"refresh_token": refresh, "expires_in": expires_in}
        return answer


def _ids_in(args: dict[str, Any]) -> Iterable[str]:
    for key in ("channel", "user", "users", "channel_id", "channels"):
        value = args.get(key)
        if isinstance(value, str):
            yield from (part.strip() for part in value.split(",") if part.strip())
        elif isinstance(value, list):
            yield from (v for v in value if isinstance(v, str))
