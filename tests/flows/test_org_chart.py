"""The org chart's rows on a real session: a full load of one source, and who departs."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.org_chart import OrgEntry
from bot.domain.states import OrgSource
from bot.flows import org_chart as chart_flow
from bot.store import org_chart
from bot.store.models import Participant
from tests.support.constants import TEAM_ID
from tests.support.factories import NOW, a_pair, a_programme, joined
from tests.support.notifier import RecordingNotifier


def lines(session: Session) -> dict[str, tuple[str | None, OrgSource]]:
    return {
        p.user_id: (p.manager_id, p.source)
        for p in org_chart.people(session=session, team_id=TEAM_ID)
    }


def test_a_full_load_replaces_its_own_source_only(
    session: Session, notifier: RecordingNotifier
) -> None:
    org_chart.upsert(
        session=session,
        team_id=TEAM_ID,
        entry=OrgEntry("U0SCIM", "U0BOSS"),
        source=OrgSource.SCIM,
        now=NOW,
    )
    org_chart.upsert(
        session=session, team_id=TEAM_ID, entry=OrgEntry("U0BOTH"), source=OrgSource.SCIM, now=NOW
    )
    first = [OrgEntry("U0A", "U0B"), OrgEntry("U0B"), OrgEntry("U0BOTH", "U0B")]
    gone = chart_flow.replace(
        session=session,
        team_id=TEAM_ID,
        source=OrgSource.CSV,
        entries=first,
        now=NOW,
        notifier=notifier,
    )
    assert gone == []
    assert lines(session) == {
        "U0A": ("U0B", OrgSource.CSV),
        "U0B": (None, OrgSource.CSV),
        "U0BOTH": ("U0B", OrgSource.CSV),  # the CSV took this line over
        "U0SCIM": ("U0BOSS", OrgSource.SCIM),
    }
    gone = chart_flow.replace(
        session=session,
        team_id=TEAM_ID,
        source=OrgSource.CSV,
        entries=[OrgEntry("U0B")],
        now=NOW,
        notifier=notifier,
    )
    assert gone == ["U0A", "U0BOTH"]
    assert lines(session) == {"U0B": (None, OrgSource.CSV), "U0SCIM": ("U0BOSS", OrgSource.SCIM)}
    assert org_chart.reporting_lines(session=session, team_id=TEAM_ID) == {"U0SCIM": "U0BOSS"}


def test_departing_ends_the_pair_and_erases_the_person(
    session: Session, notifier: RecordingNotifier
) -> None:
    programme = a_programme(session)
    joined(session, programme, "U0MENTOR")
    joined(session, programme, "U0MENTEE", "learn")
    a_pair(session, programme)
    org_chart.upsert(
        session=session,
        team_id=TEAM_ID,
        entry=OrgEntry("U0MENTOR"),
        source=OrgSource.SCIM,
        now=NOW,
    )
    assert chart_flow.depart(
        session=session, team_id=TEAM_ID, user_id="U0MENTOR", now=NOW, notifier=notifier
    )
    assert org_chart.get(session=session, team_id=TEAM_ID, user_id="U0MENTOR") is None
    people = session.scalars(select(Participant.user_id)).all()
    assert people == ["U0MENTEE"]
    ended = [n for n in notifier.notices if n.method == "pairing_ended"]
    assert [n.args["user_id"] for n in ended] == ["U0MENTEE"]
    assert not chart_flow.depart(
        session=session, team_id=TEAM_ID, user_id="U0NOBODY", now=NOW, notifier=notifier
    )
