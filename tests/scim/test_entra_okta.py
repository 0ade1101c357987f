"""What Microsoft Entra and Okta send besides the RFC's examples, accepted as they send it."""

from bot.runtime import Runtime
from bot.store import org_chart
from tests.fakeslack import FakeSlack
from tests.support.bot import BotServer
from tests.support.constants import TEAM_ID
from tests.support.scim import ENTERPRISE, Scim


def test_entra_s_patches_set_the_manager_by_bare_id_and_active_as_a_string(
    scim_bot: BotServer, scim_runtime: Runtime, directory: Scim, fake_slack: FakeSlack
) -> None:
    fake_slack.add_user("U0ENTRA1", email="report@example.com")
    fake_slack.add_user("U0ENTRA2", email="manager@example.com")
    report = directory.create("report@example.com").body["id"]
    manager = directory.create("manager@example.com").body["id"]
    answer = directory.patch(
        report, {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": manager}
    )
    assert answer.status == 200
    assert answer.body[ENTERPRISE]["manager"]["value"] == manager
    scim_bot.settle()
    with scim_runtime.sessions() as session:
        assert org_chart.reporting_lines(session=session, team_id=TEAM_ID) == {
            "U0ENTRA1": "U0ENTRA2"
        }
    off = directory.patch(manager, {"op": "Replace", "path": "active", "value": "False"})
    assert (off.status, off.body["active"]) == (200, False)
    scim_bot.settle()
    with scim_runtime.sessions() as session:
        assert org_chart.get(session=session, team_id=TEAM_ID, user_id="U0ENTRA2") is None


def test_okta_s_lookup_before_create_and_its_patch_answer(directory: Scim) -> None:
    # Okta asks first whether the user exists, then creates, then deactivates with a PATCH
    # whose answer it expects as 200 with the user.
    missing = directory.call("GET", "Users?filter=userName%20eq%20%22okta@example.com%22")
    assert (missing.status, missing.body["totalResults"], missing.body["Resources"]) == (
        200,
        0,
        [],
    )
    created = directory.create("okta@example.com", externalId="00u1okta")
    assert created.status == 201
    patched = directory.patch(created.body["id"], {"op": "replace", "value": {"active": False}})
    assert patched.status == 200 and patched.body["userName"] == "okta@example.com"
