"""The SCIM endpoint passes scim2-tester's RFC 7643/7644 checks for Users, over HTTP."""

import httpx2
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

from tests.support.bot import BotServer
from tests.support.scim import SCIM_TOKEN


def test_the_endpoint_passes_the_scim_compliance_checks_for_users(scim_bot: BotServer) -> None:
    http = httpx2.Client(
        base_url=f"{scim_bot.url}/scim/v2",
        headers={"Authorization": f"Bearer {SCIM_TOKEN}"},
        timeout=10,
    )
    with http:
        client = SyncSCIMClient(http)
        client.discover()
        results = check_server(client, resource_types=["User"])
    failed = [
        f"{r.title}: {r.reason}"
        for r in results
        if r.status not in (Status.SUCCESS, Status.SKIPPED)
    ]
    assert results and not failed, "\n".join(failed)
