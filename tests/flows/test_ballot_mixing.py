"""Someone reading the database can't line a waiting answer up with the person who gave it: once
a tick has mixed its block, neither its place on disk nor the transaction that wrote it follows
the requests marked answered."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.flows import ballots as flows_ballots
from bot.flows import checkins
from bot.store import ballots
from bot.store import keep_going as store
from bot.store.models import Ballot, CheckinAnswer
from tests.support.constants import TEAM_ID
from tests.support.factories import NOW, a_pair, a_programme

PEOPLE = 10
AFTER = NOW + timedelta(weeks=2)  # the first period is over: its check-ins are open


def answer_in_turn(sessions: sessionmaker[Session]) -> list[str]:
    """Ten people answer their check-ins one after another, each saying who they are in the
    comment (so the test knows whose ballot is whose); their Slack ids in that order."""
    with sessions.begin() as session:
        programme = a_programme(session)
        people = [f"U0P{n:02d}" for n in range(PEOPLE)]
        pairs = [a_pair(session, programme, people[n], people[n + 1]) for n in range(0, PEOPLE, 2)]
        requests = {}
        for pair in pairs:
            for user_id in (pair.mentor_id, pair.mentee_id):
                request = store.record_checkin_request(
                    session=session, team_id=TEAM_ID, user_id=user_id, pair_id=pair.id,
                    programme_id=programme.id, period=0, now=AFTER,
                )  # fmt: skip
                assert request is not None
                requests[user_id] = request.id
    for user_id in people:
        with sessions.begin() as session:
            checkins.answer_checkin(
                session=session, team_id=TEAM_ID, user_id=user_id,
                request_id=requests[user_id], met="no", usefulness=3, comment=user_id, now=AFTER,
            )  # fmt: skip
    return people


def disk_order(session: Session) -> list[str]:
    """The ballots' comments in the order they sit on disk."""
    place = "rowid" if session.get_bind().dialect.name == "sqlite" else "ctid"
    return list(session.scalars(text(f"SELECT comment FROM ballots ORDER BY {place}")))  # noqa: S608


def test_a_mixed_block_keeps_no_order_of_answering(sessions: sessionmaker[Session]) -> None:
    people = answer_in_turn(sessions)
    with sessions.begin() as session:
        assert disk_order(session) == people  # the attack, before a tick mixes the block
        assert ballots.mix(session=session) == PEOPLE
    with sessions.begin() as session:
        # Ten answers in the order given has one chance in 3.6 million of coming back.
        assert sorted(disk_order(session)) == people and disk_order(session) != people
        assert session.scalar(select(func.count()).where(Ballot.fresh)) == 0
        assert ballots.mix(session=session) == 0  # nothing new: nothing rewritten


def test_a_mixed_block_shares_no_transaction_with_any_request(
    sessions: sessionmaker[Session],
) -> None:
    if sessions.kw["bind"].dialect.name != "postgresql":
        return  # SQLite keeps no writer on a row; its rowid is attacked above
    people = answer_in_turn(sessions)
    linked = text(
        "SELECT r.user_id, b.comment FROM ballots b JOIN checkin_requests r"
        " ON r.xmin::text = b.xmin::text"
    )
    with sessions.begin() as session:
        # The attack, before a tick mixes the block: each answer's writer is its request's.
        assert sorted(tuple(row) for row in session.execute(linked)) == [(p, p) for p in people]
        ballots.mix(session=session)
    with sessions.begin() as session:
        assert session.execute(linked).all() == []
        assert session.scalar(text("SELECT count(DISTINCT xmin::text) FROM ballots")) == 1


def test_a_mix_and_a_release_at_once_move_each_answer_once(
    sessions: sessionmaker[Session],
) -> None:
    if sessions.kw["bind"].dialect.name != "postgresql":
        return  # SQLite takes one writer at a time
    answer_in_turn(sessions)
    with ThreadPoolExecutor(1) as pool:
        with sessions.begin() as mixing:
            ballots.mix(session=mixing)
            # A second scheduler releases the period while this one's mix is not committed.
            releasing = pool.submit(release, sessions)
            with pytest.raises(TimeoutError):
                releasing.result(timeout=0.5)  # it waits for the mix
    releasing.result(timeout=10)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Ballot)) == 0
        assert session.scalar(select(func.count()).select_from(CheckinAnswer)) == PEOPLE


def release(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        flows_ballots.close_periods(session=session, now=AFTER + timedelta(weeks=4))
