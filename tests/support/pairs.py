"""Pairs through the fake Slack: six started pairs, reading them back, opening their modals."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from bot.runtime import Runtime
from bot.store.models import Pair
from tests.fakeslack import Call, FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.constants import OWNER
from tests.support.inputs import button
from tests.support.rounds import answer, consent_dms, preview, proposals, sign_up_dozen


def start_six_pairs(slack: SlackDriver, fake: FakeSlack, bot: BotServer) -> dict[int, Call]:
    """A dozen people matched, all accepted: each pair's id with its kick-off in the group DM."""
    runtime = bot.runtime
    sign_up_dozen(slack, fake)
    shown = preview(slack)
    slack.click(OWNER, action_id="round_confirm", value=button(shown, "round_confirm")["value"])
    dms = consent_dms(fake, 12)
    for proposal in proposals(runtime):
        for user in (proposal.mentor_id, proposal.mentee_id):
            answer(slack, user, dms[f"D{user[1:]}"], accept=True)
    kickoffs = fake.wait_for(
        "chat.postMessage", count=6, where=lambda c: c.args["channel"].startswith("G")
    )
    by_channel = {c.args["channel"]: c for c in kickoffs}
    bot.settle()
    return {p.id: by_channel[str(p.channel_id)] for p in pairs(runtime)}


def pairs(runtime: Runtime) -> list[Pair]:
    with runtime.sessions() as session:
        return list(session.scalars(select(Pair).order_by(Pair.id)))


def pair(runtime: Runtime, pair_id: int) -> Pair:
    with runtime.sessions() as session:
        found = session.get(Pair, pair_id)
        assert found is not None
        return found


def opened_modal(fake: FakeSlack, click: Callable[[], object]) -> dict[str, Any]:
    """Do something that opens a modal; the modal as opened (with its id)."""
    before = len(fake.calls_to("views.open"))
    click()
    opened = fake.wait_for("views.open", count=before + 1)[-1]
    return {**opened.args["view"], "id": opened.response["view"]["id"]}
