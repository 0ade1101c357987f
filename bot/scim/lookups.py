"""Who a provisioned user is in Slack: users.lookupByEmail, after the client had its answer.

A SCIM client waits for each answer (Entra and Okta give up after some seconds, and send
thousands of users on a first sync), so the request stores the user and hands the lookup to the
after-answer pool; the `scim_lookups` job asks again about those not found (a day later) or
whose lookup failed (on the next tick), a bounded number per tick.
"""

import logging
from datetime import UTC, datetime

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.domain.slack_ids import is_user_id
from bot.flows.scim import lookups as finding
from bot.runtime import Runtime
from bot.slack.outbox.courier import send_now

log = logging.getLogger(__name__)

# Slack's users.lookupByEmail is a Tier 3 method (50+ a minute): one tick stays well inside.
PER_TICK = 40
# What Slack answers when no member has the address.
NOT_FOUND = ("users_not_found", "user_not_found")


def look_up_one(runtime: Runtime, team_id: str, scim_id: str) -> None:
    """Find one user just written (on the after-answer pool)."""
    with runtime.sessions.begin() as session:
        waiting = finding.to_look_up(
            session=session, team_id=team_id, scim_id=scim_id, now=datetime.now(UTC)
        )
    _look_up(runtime, team_id, waiting)


def find_departed(runtime: Runtime, team_id: str, email: str) -> None:
    """A user departed before Slack told who they are: ask now, and erase them if found.

    Held only in memory: if Slack cannot answer (or the process stops) before, the person stays
    in the pools until they leave or an owner's import drops them (logged, without the address).
    """
    client = runtime.clients.for_team(team_id)
    try:
        answer = client.users_lookupByEmail(email=email) if client is not None else None
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else None
        if error not in NOT_FOUND:
            log.warning("scim departure not matched in slack: team=%s error=%s", team_id, error)
        return
    except (SlackClientError, OSError) as exc:
        log.warning(
            "scim departure not matched in slack: team=%s error=%s", team_id, type(exc).__name__
        )
        return
    user = answer.get("user") if answer is not None else None
    user_id = user.get("id") if isinstance(user, dict) else None
    if not is_user_id(user_id):
        return
    now = datetime.now(UTC)
    with runtime.sessions.begin() as session:
        departed = finding.departed_member(
            session=session,
            team_id=team_id,
            slack_user_id=str(user_id),
            now=now,
            notifier=runtime.notifier,
        )
    if departed:
        send_now(runtime, now=now)


def look_up_waiting(runtime: Runtime, now: datetime) -> int:
    """Ask Slack about users still unknown, up to PER_TICK in all; how many were found."""
    with runtime.sessions.begin() as session:
        teams = list(finding.teams(session=session))
    found = 0
    budget = PER_TICK
    for team_id in teams:
        if budget <= 0:
            break
        with runtime.sessions.begin() as session:
            waiting = finding.to_look_up(session=session, team_id=team_id, now=now, limit=budget)
        budget -= len(waiting)
        found += _look_up(runtime, team_id, waiting)
    return found


def _look_up(runtime: Runtime, team_id: str, waiting: list[finding.Lookup]) -> int:
    client = runtime.clients.for_team(team_id)
    if client is None:
        return 0
    found = 0
    for lookup in waiting:
        try:
            answer = client.users_lookupByEmail(email=lookup.email)
            user = answer.get("user")
            user_id = user.get("id") if isinstance(user, dict) else None
            slack_user_id = user_id if isinstance(user_id, str) and is_user_id(user_id) else None
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
            if error not in NOT_FOUND:
                # Rate-limited, a missing scope, Slack down: asked again on a later tick.
                log.warning("scim lookup deferred: team=%s error=%s", team_id, error)
                return found
            slack_user_id = None
        except (SlackClientError, OSError) as exc:
            log.warning("scim lookup deferred: team=%s error=%s", team_id, type(exc).__name__)
            return found
        with runtime.sessions.begin() as session:
            finding.looked_up(
                session=session,
                team_id=team_id,
                lookup=lookup,
                slack_user_id=slack_user_id,
                now=datetime.now(UTC),
            )
        found += slack_user_id is not None
    return found
