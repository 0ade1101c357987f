"""Sending stored Slack calls: claim, send, record; rate limits and outages are waited out."""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker

from bot.store import outbox

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(minutes=30)


@dataclass
class DeliveryReport:
    """What one delivery pass did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    expired: int = 0
    rate_limited: set[str] = field(default_factory=set)


def backoff(attempts: int) -> timedelta:
    """Exponential wait after a server error: 30 s, 1 min, 2 min … at most 30 min."""
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def deliver_due(
    sessions: sessionmaker[Session],
    client: WebClient,
    *,
    now: datetime,
    limit: int = 500,
    user_id: str | None = None,
) -> DeliveryReport:
    """Send every stored call that is due (or one person's), each at most once."""
    report = DeliveryReport()
    with sessions.begin() as session:
        batch = [
            (m.id, m.method, m.payload, m.expires_at, m.attempts)
            for m in outbox.due(session=session, now=now, limit=limit, user_id=user_id)
        ]
    for message_id, method, payload, expires_at, attempts in batch:
        if method in report.rate_limited:
            continue  # Slack limits per method: the rest of this method waits for the next pass
        with sessions.begin() as session:
            if expires_at is not None and expires_at <= now:
                outbox.finish(
                    session=session, message_id=message_id, status=outbox.EXPIRED, now=now
                )
                report.expired += 1
                continue
            if not outbox.claim(session=session, message_id=message_id):
                continue  # another process has it
        _send(sessions, client, message_id, method, payload, attempts + 1, now, report)
    return report


def _send(
    sessions: sessionmaker[Session],
    client: WebClient,
    message_id: int,
    method: str,
    payload: dict[str, object],
    attempts: int,
    now: datetime,
    report: DeliveryReport,
) -> None:
    try:
        client.api_call(method, json=payload)
    except SlackApiError as exc:
        status = exc.response.status_code
        error = str(exc.response.get("error", status))
        with sessions.begin() as session:
            if status == 429:
                wait = int(exc.response.headers.get("Retry-After", "30") or 30)
                outbox.retry_later(
                    session=session,
                    message_id=message_id,
                    at=now + timedelta(seconds=wait),
                    error=error,
                )
                report.rate_limited.add(method)
                report.retrying += 1
            elif status >= 500:
                outbox.retry_later(
                    session=session, message_id=message_id, at=now + backoff(attempts), error=error
                )
                report.retrying += 1
            else:
                outbox.finish(
                    session=session,
                    message_id=message_id,
                    status=outbox.FAILED,
                    now=now,
                    error=error,
                )
                log.warning("slack refused a call: method=%s error=%s", method, error)
                report.failed += 1
    except (URLError, OSError) as exc:
        with sessions.begin() as session:
            outbox.retry_later(
                session=session,
                message_id=message_id,
                at=now + backoff(attempts),
                error=type(exc).__name__,
            )
        report.retrying += 1
    else:
        with sessions.begin() as session:
            outbox.finish(session=session, message_id=message_id, status=outbox.SENT, now=now)
        report.sent += 1
