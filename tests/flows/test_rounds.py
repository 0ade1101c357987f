"""Matching rounds on a real session: preview, confirm, consent, expiry, kick-off, goals."""

from datetime import timedelta
from functools import partial

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.flows import participants, rounds
from bot.flows.errors import Refusal
from bot.store import rounds as store
from bot.store.models import Pair, Participant, Programme, Proposal
from tests.support.constants import OWNER, TEAM_ID
from tests.support.factories import NOW, a_pair, a_programme, joined
from tests.support.notifier import RecordingNotifier

MENTORS = ["U0SHARE1", "U0SHARE2"]
MENTEES = ["U0LEARN1", "U0LEARN2"]


def four_people(session: Session) -> Programme:
    programme = a_programme(session)
    for user_id in MENTORS:
        joined(session, programme, user_id, "share")
    for user_id in MENTEES:
        joined(session, programme, user_id, "learn")
    return programme


def preview(session: Session, programme: Programme) -> rounds.Preview:
    return rounds.preview(
        session=session, team_id=TEAM_ID, programme_id=programme.id, owner_id=OWNER, now=NOW
    )


def confirmed(
    session: Session, programme: Programme, notifier: RecordingNotifier
) -> list[Proposal]:
    shown = preview(session, programme)
    done = rounds.confirm(
        session=session,
        team_id=TEAM_ID,
        round_id=shown.round.id,
        owner_id=OWNER,
        configured_owners=[OWNER],
        now=NOW,
        notifier=notifier,
    )
    return list(done.proposals)


def answer(
    session: Session, notifier: RecordingNotifier, proposal: Proposal, user_id: str, accept: bool
) -> Proposal:
    return rounds.answer(
        session=session,
        team_id=TEAM_ID,
        proposal_id=proposal.id,
        user_id=user_id,
        accept=accept,
        now=NOW + timedelta(hours=1),
        notifier=notifier,
    )


def test_a_preview_is_a_draft_that_says_nothing(
    session: Session, notifier: RecordingNotifier
) -> None:
    shown = preview(session, four_people(session))
    assert shown.round.status == "preview"
    assert len(shown.proposals) == 2 and {p.status for p in shown.proposals} == {"draft"}
    assert {p.mentor_id for p in shown.proposals} == set(MENTORS)
    assert notifier.notices == []


def test_a_confirmed_round_asks_each_person_once_and_first_in_line_who_is_left(
    session: Session, notifier: RecordingNotifier
) -> None:
    programme = four_people(session)
    joined(session, programme, "U0SHARE3", "share")  # one mentor too many
    proposals = confirmed(session, programme, notifier)
    assert {p.status for p in proposals} == {"pending"}
    asked = [
        user
        for notice in notifier.of("consent_request")
        for user in (notice.args["proposal"].mentor_id, notice.args["proposal"].mentee_id)
    ]
    assert sorted(asked) == sorted(u for p in proposals for u in (p.mentor_id, p.mentee_id))
    assert len(asked) == len(set(asked)) == 4
    (left,) = notifier.of("left_over")
    assert left.args["participant"].waited is True
    assert left.args["participant"].user_id not in asked


def test_someone_who_paused_after_the_preview_is_not_asked(
    session: Session, notifier: RecordingNotifier
) -> None:
    programme = four_people(session)
    shown = preview(session, programme)
    participants.set_paused(
        session=session, team_id=TEAM_ID, user_id=MENTORS[0], paused=True, now=NOW
    )
    done = rounds.confirm(
        session=session,
        team_id=TEAM_ID,
        round_id=shown.round.id,
        owner_id=OWNER,
        configured_owners=[OWNER],
        now=NOW,
        notifier=notifier,
    )
    assert len(done.proposals) == 1 and MENTORS[0] not in str(notifier.notices)
    cancelled = [p for p in shown.proposals if p.status == "cancelled"]
    assert [p.mentor_id for p in cancelled] == [MENTORS[0]]


def test_a_decline_ends_the_proposal_and_forbids_the_pair(
    session: Session, notifier: RecordingNotifier
) -> None:
    programme = four_people(session)
    first = confirmed(session, programme, notifier)[0]
    notifier.clear()
    answer(session, notifier, first, first.mentee_id, accept=False)
    assert (first.status, first.mentee_answer) == ("declined", "declined")
    (ended,) = notifier.notices
    assert (ended.method, ended.args["declined_by"]) == ("proposal_ended", first.mentee_id)
    assert len(store.past_pairs(session=session, team_id=TEAM_ID)) == 1
    with pytest.raises(Refusal, match="isn't going ahead"):
        answer(session, notifier, first, first.mentor_id, accept=True)


def test_two_accepts_start_a_pair_that_kicks_off_once_its_channel_is_open(
    session: Session, notifier: RecordingNotifier
) -> None:
    programme = four_people(session)
    first = confirmed(session, programme, notifier)[0]
    notifier.clear()
    answer(session, notifier, first, first.mentor_id, accept=True)
    assert first.status == "pending" and notifier.notices == []
    answer(session, notifier, first, first.mentee_id, accept=True)
    assert first.status == "accepted"
    (accepted,) = notifier.notices  # the first to accept sees the outcome in place
    assert (accepted.method, accepted.args["answered_by"]) == ("proposal_accepted", first.mentee_id)
    notifier.clear()
    pair = session.scalar(select(Pair))
    assert pair is not None and (pair.mentor_id, pair.mentee_id) == (
        first.mentor_id,
        first.mentee_id,
    )
    assert store.pairs_without_channel(session=session) == [pair]
    rounds.kick_off(session=session, pair=pair, channel_id="G0PAIR", now=NOW, notifier=notifier)
    assert pair.channel_id == "G0PAIR" and notifier.methods() == ["kickoff"]
    with pytest.raises(Refusal, match="both in already"):
        answer(session, notifier, first, first.mentor_id, accept=True)


def test_unanswered_proposals_expire_and_both_are_told(
    session: Session, notifier: RecordingNotifier
) -> None:
    programme = four_people(session)
    proposals = confirmed(session, programme, notifier)
    notifier.clear()
    later = NOW + timedelta(days=programme.consent_expiry_days)
    assert (
        rounds.expire_due(session=session, now=later - timedelta(minutes=1), notifier=notifier) == 0
    )
    assert rounds.expire_due(session=session, now=later, notifier=notifier) == 2
    assert {p.status for p in proposals} == {"expired"}
    assert [n.args["declined_by"] for n in notifier.of("proposal_ended")] == [None, None]
    people = session.scalars(select(Participant.user_id)).all()
    pool = store.pool(session=session, team_id=TEAM_ID, programme_id=programme.id)
    assert sorted(p.user_id for p in pool) == sorted(people)  # all back in the pool


def test_goals_are_cleaned_and_shown_once(session: Session, notifier: RecordingNotifier) -> None:
    pair = a_pair(session, a_programme(session))
    set_goals = partial(
        rounds.set_goals,
        session=session,
        team_id=TEAM_ID,
        pair_id=pair.id,
        now=NOW,
        notifier=notifier,
    )
    set_goals(user_id=pair.mentor_id, goals=[" Ship it\u200b ", ""])
    assert pair.goals == ["Ship it"]
    set_goals(user_id=pair.mentee_id, goals=["Ship it"])
    assert [n.args["set_by"] for n in notifier.of("goals_set")] == [pair.mentor_id]
    with pytest.raises(Refusal, match="Only the two people"):
        set_goals(user_id="U0OTHER", goals=["Mine"])
    with pytest.raises(Refusal, match="at least one goal"):
        set_goals(user_id=pair.mentor_id, goals=["  "])
