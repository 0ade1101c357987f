"""*This isn't working* on a real session: either person ends their pair, kindly and once."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.flows import pair_exit
from bot.flows.errors import Refusal
from bot.store import outbox
from bot.store import rounds as store
from bot.store.models import OutboxMessage, Pair
from tests.support.constants import TEAM_ID
from tests.support.factories import NOW, a_pair, a_programme
from tests.support.notifier import Notice, RecordingNotifier


def end(session: Session, notifier: RecordingNotifier, pair: Pair, user_id: str) -> Pair:
    return pair_exit.end_pair(
        session=session,
        team_id=TEAM_ID,
        user_id=user_id,
        pair_id=pair.id,
        now=NOW,
        notifier=notifier,
    )


def stored(session: Session, key: str) -> None:
    outbox.enqueue(
        session=session,
        team_id=TEAM_ID,
        key=key,
        method="chat.postMessage",
        payload={"channel": "G0", "text": "later"},
        now=NOW,
    )


def test_ending_tells_only_the_partner_and_never_who_chose_it(
    session: Session, notifier: RecordingNotifier
) -> None:
    pair = a_pair(session, a_programme(session))
    end(session, notifier, pair, pair.mentee_id)
    assert (pair.status, pair.ended_at) == ("ended", NOW)
    assert notifier.notices == [
        Notice("pair_closed", {"pair": pair, "now": NOW}),
        Notice(
            "pairing_ended",
            {"team_id": TEAM_ID, "user_id": pair.mentor_id, "pair_id": pair.id, "now": NOW},
        ),
    ]


def test_ending_withdraws_the_pairs_unsent_messages_and_no_others(
    session: Session, notifier: RecordingNotifier
) -> None:
    programme = a_programme(session)
    pair = a_pair(session, programme)
    other = a_pair(session, programme, mentor="U0OTHER1", mentee="U0OTHER2")
    for pair_id in (pair.id, other.id):
        for key in (f"pair:{pair_id}:prompt:1", f"checkin:{pair_id}:0:x", f"closing:{pair_id}:0:x"):
            stored(session, key)
    end(session, notifier, pair, pair.mentor_id)
    keys = set(session.scalars(select(OutboxMessage.key)))
    assert keys == {
        f"pair:{other.id}:prompt:1",
        f"checkin:{other.id}:0:x",
        f"closing:{other.id}:0:x",
    }


def test_a_pair_ends_once(session: Session, notifier: RecordingNotifier) -> None:
    pair = a_pair(session, a_programme(session))
    end(session, notifier, pair, pair.mentor_id)
    with pytest.raises(Refusal, match="already ended"):
        end(session, notifier, pair, pair.mentee_id)
    assert notifier.methods() == ["pair_closed", "pairing_ended"]


def test_only_its_two_people_can_end_a_pair(session: Session, notifier: RecordingNotifier) -> None:
    pair = a_pair(session, a_programme(session))
    with pytest.raises(Refusal, match="already ended"):
        end(session, notifier, pair, "U0STRANGER")
    assert pair.status == "active" and notifier.notices == []


def test_without_a_pair_id_it_is_the_persons_current_pair(session: Session) -> None:
    pair = a_pair(session, a_programme(session))
    mine = pair_exit.pair_to_end(
        session=session, team_id=TEAM_ID, user_id=pair.mentee_id, pair_id=None
    )
    assert mine.id == pair.id
    with pytest.raises(Refusal, match="not in a mentoring pair"):
        pair_exit.pair_to_end(session=session, team_id=TEAM_ID, user_id="U0ALONE", pair_id=None)


def test_both_are_back_in_the_pool(session: Session, notifier: RecordingNotifier) -> None:
    programme = a_programme(session)
    pair = a_pair(session, programme)
    assert store.pool(session=session, team_id=TEAM_ID, programme_id=programme.id) == []
    end(session, notifier, pair, pair.mentor_id)
    pool = store.pool(session=session, team_id=TEAM_ID, programme_id=programme.id)
    assert sorted(p.user_id for p in pool) == sorted([pair.mentor_id, pair.mentee_id])
