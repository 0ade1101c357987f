"""A SCIM client for the real bot served over HTTP, and the bot served with SCIM on."""

import json
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from tests.fakeslack import FakeSlack
from tests.support.bot import BotServer, serve_bot

SCIM_TOKEN = "scim-test-token-0123456789abcdef0123"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@contextmanager
def serve_scim_bot(database_url: str, fake: FakeSlack, **settings: Any) -> Iterator[BotServer]:
    """The bot as production builds it, with SCIM_TOKEN set."""
    with serve_bot(database_url, fake.base_url, scim_token=SCIM_TOKEN, **settings) as served:
        yield served


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, headers and the JSON body (None when empty)."""

    status: int
    headers: dict[str, str]
    body: Any


@dataclass(frozen=True)
class Scim:
    """Plain SCIM requests to the bot, as a directory sends them."""

    url: str
    token: str = SCIM_TOKEN

    def call(self, method: str, path: str, body: Any = None, token: str | None = None) -> Answer:
        """One request to /scim/v2/<path>."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}/scim/v2/{path.lstrip('/')}", data=data, method=method
        )
        request.add_header("Authorization", f"Bearer {self.token if token is None else token}")
        if data is not None:
            request.add_header("Content-Type", "application/scim+json")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                raw, status, headers = response.read(), response.status, dict(response.headers)
        except urllib.error.HTTPError as error:
            with error:
                raw, status, headers = error.read(), error.code, dict(error.headers)
        return Answer(status=status, headers=headers, body=json.loads(raw) if raw else None)

    def create(self, user_name: str, **attributes: Any) -> Answer:
        """POST /Users with this userName (and an email of the same address)."""
        body = {
            "schemas": [USER, ENTERPRISE],
            "userName": user_name,
            "active": True,
            "emails": [{"value": user_name, "primary": True, "type": "work"}],
        } | attributes
        return self.call("POST", "Users", body)

    def patch(self, scim_id: str, *operations: dict[str, Any]) -> Answer:
        """PATCH /Users/<id> with these operations."""
        return self.call(
            "PATCH", f"Users/{scim_id}", {"schemas": [PATCH_OP], "Operations": list(operations)}
        )


def enterprise(*, manager: str | None = None, department: str | None = None) -> dict[str, Any]:
    """The enterprise extension's part of a user."""
    part: dict[str, Any] = {}
    if manager is not None:
        part["manager"] = {"value": manager}
    if department is not None:
        part["department"] = department
    return {ENTERPRISE: part}
