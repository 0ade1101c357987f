"""The participant's journey on a real session: join, edit, pause, status, leave."""

from functools import partial
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.flows import participants
from bot.flows.errors import Refusal
from bot.store.models import Participant, Programme, Tally
from tests.support.constants import ALICE, TEAM_ID
from tests.support.database import rows_mentioning_in
from tests.support.factories import NOW, a_pair, a_programme, a_proposal, answers, joined
from tests.support.notifier import Notice, RecordingNotifier


def save(
    session: Session, notifier: RecordingNotifier, programme: Programme, **overrides: Any
) -> bool:
    """Alice submits the intake survey."""
    return participants.save_profile(
        session=session,
        team_id=TEAM_ID,
        workspace_id=TEAM_ID,
        user_id=ALICE,
        answers=answers(programme, **overrides),
        now=NOW,
        notifier=notifier,
    )


def count(session: Session, model: type[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_first_join_stores_the_answers_and_welcomes_once(
    session: Session, notifier: RecordingNotifier
) -> None:
    programme = a_programme(session)
    assert save(session, notifier, programme) is True
    stored = session.scalar(select(Participant))
    assert stored is not None and stored.user_id == ALICE
    # Slack's profile gives the time zone after the answer; until then the newcomer is on UTC.
    assert (stored.side, stored.timezone, stored.utc_offset_minutes) == ("share", "UTC", 0)
    participants.set_timezone(
        session=session,
        team_id=TEAM_ID,
        user_id=ALICE,
        timezone="Europe/Berlin",
        utc_offset_minutes=60,
        now=NOW,
    )
    assert (stored.timezone, stored.utc_offset_minutes) == ("Europe/Berlin", 60)
    assert notifier.notices == [
        Notice(
            "welcome", {"team_id": TEAM_ID, "user_id": ALICE, "programme": programme, "now": NOW}
        )
    ]


def test_saving_again_edits_the_profile_without_a_second_welcome(
    session: Session, notifier: RecordingNotifier
) -> None:
    programme = a_programme(session)
    save(session, notifier, programme)
    assert save(session, notifier, programme, department="Sales", goal="Learn TikTok") is False
    stored = session.scalar(select(Participant))
    assert stored is not None and (stored.department, stored.goal) == ("Sales", "Learn TikTok")
    assert count(session, Participant) == 1
    assert notifier.methods() == ["welcome"]


def test_a_closed_programme_refuses_a_newcomer_and_stores_nothing(
    session: Session, notifier: RecordingNotifier
) -> None:
    closed = a_programme(session, signup_open=False)
    with pytest.raises(Refusal, match="no programme open"):
        save(session, notifier, closed)
    assert count(session, Participant) == 0
    assert notifier.notices == []


def test_pausing_twice_is_one_pause_and_one_anonymous_tally(session: Session) -> None:
    programme = a_programme(session)
    joined(session, programme, ALICE)
    pause = partial(participants.set_paused, session=session, team_id=TEAM_ID, now=NOW)
    assert pause(user_id=ALICE, paused=True) is True
    assert pause(user_id=ALICE, paused=True) is False
    tallies = list(session.scalars(select(Tally)))
    assert [t.kind for t in tallies] == ["paused"]
    # The person's id is in their participant row only: the tally names nobody.
    assert [row.split(":")[0] for row in rows_mentioning_in(session, ALICE)] == ["participants"]
    assert pause(user_id=ALICE, paused=False) is True
    with pytest.raises(Refusal, match="haven't joined"):
        pause(user_id="U0NOBODY", paused=True)


def test_status_names_the_partner(session: Session) -> None:
    pair = a_pair(session, a_programme(session), mentor=ALICE, mentee="U0BOB")
    mine = participants.status(session=session, team_id=TEAM_ID, user_id=ALICE)
    assert (mine.partner_id, mine.awaiting_answer) == ("U0BOB", False)
    assert mine.programme is not None and mine.programme.id == pair.programme_id
    nobody = participants.status(session=session, team_id=TEAM_ID, user_id="U0NOBODY")
    assert (nobody.participant, nobody.programme) == (None, None)


def test_leaving_erases_the_person_and_ends_their_pair_kindly(
    session: Session, notifier: RecordingNotifier
) -> None:
    pair = a_pair(session, a_programme(session), mentor=ALICE, mentee="U0BOB")
    assert participants.leave(
        session=session, team_id=TEAM_ID, user_id=ALICE, now=NOW, notifier=notifier
    )
    assert rows_mentioning_in(session, ALICE) == []
    assert (pair.status, pair.ended_at) == ("ended", NOW)
    assert notifier.notices == [
        Notice("pair_closed", {"pair": pair, "now": NOW}),
        Notice(
            "pairing_ended",
            {"team_id": TEAM_ID, "user_id": "U0BOB", "pair_id": pair.id, "now": NOW},
        ),
    ]
    assert [t.kind for t in session.scalars(select(Tally))] == ["left"]
    # Nothing left to delete the second time.
    assert not participants.leave(
        session=session, team_id=TEAM_ID, user_id=ALICE, now=NOW, notifier=notifier
    )


def test_leaving_while_asked_cancels_the_proposal_and_tells_the_other(
    session: Session, notifier: RecordingNotifier
) -> None:
    programme = a_programme(session)
    joined(session, programme, ALICE)
    joined(session, programme, "U0BOB", "learn")
    proposal = a_proposal(session, programme, ALICE, "U0BOB")
    participants.leave(session=session, team_id=TEAM_ID, user_id=ALICE, now=NOW, notifier=notifier)
    assert (proposal.status, proposal.decided_at) == ("cancelled", NOW)
    assert notifier.methods() == ["proposal_ended"]
    assert notifier.notices[0].args["declined_by"] == ALICE
