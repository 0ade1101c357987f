"""Sending stored Slack calls: claim, send, record; paced per channel, rate limits waited out.

What holds for every key:

- Once Slack has confirmed a call and the confirmation is recorded, the call is never sent again.
  A claim is numbered, and only the current claim may record an outcome, so a sender whose lease
  ran out cannot put back a call that another sender has since sent.
- Nothing is lost. A claim whose sender died (or hung) longer than `outbox.LEASE` is taken back
  and sent; 429, 5xx and network errors put the call back in the queue. A call ends unsent only
  when Slack refuses it (an error such as ``channel_not_found``) or it expires; both are recorded.
- The one limit: if the sender dies, or the connection drops, after Slack accepted a post but
  before the database recorded it, that call is sent again once the lease runs out. Slack's Web API
  has no idempotency key for chat.postMessage, so a sender cannot tell "never arrived" from
  "arrived, answer lost". The window is one call wide: a call is claimed just before it is sent
  and recorded in its own transaction as soon as Slack answers.
- Each call goes with the token of its workspace; a workspace whose installation is gone gets
  nothing, its calls end failed (`not_installed`), and the other workspaces' go on.
- Pacing, within a pass: posts to one channel are at least `Pace.channel_gap` apart (Slack allows
  about one per second), tiered methods keep to their tier, and a method Slack answered 429 waits
  its Retry-After; the other channels and methods go on meanwhile. A pass waits only within its
  `budget`; what does not fit is left, still due, for the next pass.
"""

import heapq
import logging
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.client import HTTPException

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, SystemClock
from bot.domain.pacing import Pace, Pacer
from bot.slack.installs import WorkspaceClients
from bot.slack.outbox.waits import backoff, retry_after
from bot.store import outbox
from bot.store.models import OutboxMessage

log = logging.getLogger(__name__)

# What a call for a workspace that uninstalled Upward ends with.
NOT_INSTALLED = "not_installed"


@dataclass
class DeliveryReport:
    """What one delivery pass did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    expired: int = 0
    # Due, but left for a later pass: pacing or a rate limit would have outlasted the budget.
    deferred: int = 0
    rate_limited: set[str] = field(default_factory=set)


def deliver_due(
    sessions: sessionmaker[Session],
    clients: WorkspaceClients,
    *,
    now: datetime,
    limit: int = 500,
    stored_at: datetime | None = None,
    clock: Clock | None = None,
    budget: timedelta = timedelta(0),
    pace: Pace | None = None,
) -> DeliveryReport:
    """Send every stored call that is due (or only those stored at `stored_at`), each key once.

    `now` is the time the pass starts; `clock` measures how much later it is as the pass goes on.
    With no `budget` the pass never waits: what pacing holds back stays due for the next pass.
    """
    # One connection for the whole pass, a transaction per step (a claim, a record): checking a
    # connection out of the pool per step costs more round trips than the step itself.
    engine: Engine = sessions.kw["bind"]
    with engine.connect() as connection, sessions(bind=connection) as session:
        run = _Pass(
            session,
            clients,
            began=now,
            clock=clock or SystemClock(),
            budget=budget,
            pacer=Pacer(pace or Pace()),
        )
        while True:
            with session.begin():
                batch = [
                    _Call.of(order, m)
                    for order, m in enumerate(
                        outbox.due(session=session, now=run.now(), limit=limit, stored_at=stored_at)
                    )
                ]
            done_before = run.report.sent + run.report.failed + run.report.expired
            finished = run.send_all(batch)
            progressed = run.report.sent + run.report.failed + run.report.expired > done_before
            # A full batch may have more behind it; go on while there is time and it moves.
            if not finished or len(batch) < limit or not progressed or run.out_of_time():
                return run.report


_QueueKey = tuple[str | None, int | None]


@dataclass(frozen=True)
class _Call:
    order: int
    message_id: int
    team_id: str
    method: str
    payload: dict[str, object]
    expires_at: datetime | None

    @classmethod
    def of(cls, order: int, message: OutboxMessage) -> "_Call":
        return cls(
            order, message.id, message.team_id, message.method, message.payload, message.expires_at
        )

    @property
    def channel(self) -> str | None:
        channel = self.payload.get("channel")
        return channel if isinstance(channel, str) else None

    @property
    def queue(self) -> _QueueKey:
        # Calls to one channel queue behind each other; calls without a channel queue alone.
        return (self.channel, None) if self.channel is not None else (None, self.order)


class _Pass:
    """One delivery pass: its own notion of now, its deadline, its pacing."""

    def __init__(
        self,
        session: Session,
        clients: WorkspaceClients,
        *,
        began: datetime,
        clock: Clock,
        budget: timedelta,
        pacer: Pacer,
    ) -> None:
        self.session = session
        self.clients = clients
        # Looked up once a pass: an uninstall shows from the next pass on.
        self._team_clients: dict[str, WebClient | None] = {}
        self.began = began
        self.clock = clock
        self.deadline = began + budget
        self.pacer = pacer
        self.report = DeliveryReport()
        self._start = clock.monotonic()
        self._slept = 0.0

    def now(self) -> datetime:
        """The pass's start plus the time gone by since."""
        # A frozen test clock stands still while we sleep; the time slept has passed all the same.
        elapsed = max(self.clock.monotonic() - self._start, self._slept)
        return self.began + timedelta(seconds=elapsed)

    def out_of_time(self) -> bool:
        """Whether the budget is spent."""
        return self.now() >= self.deadline

    def _wait_until(self, moment: datetime) -> bool:
        """Sleep until `moment`; False, without sleeping, if that is past the deadline."""
        seconds = (moment - self.now()).total_seconds()
        if seconds <= 0:
            return True
        if moment > self.deadline:
            return False
        self.clock.sleep(seconds)
        self._slept = max(self.clock.monotonic() - self._start, self._slept + seconds)
        return True

    def client_for(self, team_id: str) -> WebClient | None:
        """The workspace's client, None when Upward is not installed there."""
        if team_id not in self._team_clients:
            self._team_clients[team_id] = self.clients.for_team(team_id)
        return self._team_clients[team_id]

    def send_all(self, calls: Sequence[_Call]) -> bool:
        """Send the calls, earliest-free channel first; False if the budget ran out first."""
        queues: dict[_QueueKey, deque[_Call]] = {}
        for call in calls:
            queues.setdefault(call.queue, deque()).append(call)
        # One heap per method of the channels whose next call is of that method, by when the
        # channel is free: a method held by Retry-After then costs one comparison, not a re-sort.
        heaps: dict[str, list[tuple[datetime, int, _QueueKey]]] = {}

        def push(key: _QueueKey) -> None:
            head = queues[key][0]
            free = self.pacer.channel_ready(head.channel, now=self.now())
            heapq.heappush(heaps.setdefault(head.method, []), (free, head.order, key))

        for key in queues:
            push(key)
        while any(heaps.values()):
            at, method = min(
                (max(heap[0][0], self.pacer.method_ready(method, now=heap[0][0])), method)
                for method, heap in heaps.items()
                if heap
            )
            if not self._wait_until(at):
                self.report.deferred += sum(len(q) for q in queues.values())
                return False
            _, _, key = heapq.heappop(heaps[method])
            if not self._send(queues[key][0]):
                queues[key].popleft()
            if queues[key]:
                push(key)
        return True

    def _send(self, call: _Call) -> bool:
        """Claim, send and record one call; True when Slack said wait and it goes again."""
        # Looked up outside the claim's transaction: SQLite lets one transaction write at a time.
        client = self.client_for(call.team_id)
        at = self.now()
        with self.session.begin():
            claimed = outbox.claim_call(session=self.session, message_id=call.message_id, now=at)
            if claimed is None:
                return False  # another sender has it, or has sent it
            claim, stored = claimed
            payload = outbox.addressed(session=self.session, team_id=call.team_id, payload=stored)
            if payload == outbox.PENDING:  # an update of a post not sent yet: after it
                outbox.retry_later(
                    session=self.session, message_id=call.message_id, claim=claim,
                    at=at + backoff(claim), error="waiting_for_post",
                )  # fmt: skip
                self.report.retrying += 1
                return False
            if payload == outbox.EXPIRED or (call.expires_at is not None and call.expires_at <= at):
                outbox.finish(
                    session=self.session, message_id=call.message_id, claim=claim,
                    status=outbox.EXPIRED, now=at,
                )  # fmt: skip
                self.report.expired += 1
                return False
            if client is None:
                self._fail(call, claim, at, NOT_INSTALLED)
                return False
        assert isinstance(payload, dict)
        # Every attempt counts against the pace, a refused one too: Slack counts it as well, and
        # a pace that ran ahead of Slack's own count would meet 429 after 429.
        self.pacer.called(channel=call.channel, method=call.method, at=at)
        try:
            answer = client.api_call(call.method, json=payload)
        except SlackApiError as exc:
            return self._refused(call, claim, exc, at)
        except (OSError, HTTPException) as exc:  # URLError, timeouts, dropped connections
            self._retry(call, claim, at + backoff(claim), type(exc).__name__)
            return False
        channel, ts = answer.get("channel"), answer.get("ts")
        with self.session.begin():
            outbox.finish(
                session=self.session, message_id=call.message_id, claim=claim,
                status=outbox.SENT, now=self.now(),
                placed=(channel, ts) if isinstance(channel, str) and isinstance(ts, str) else None,
            )  # fmt: skip
        self.report.sent += 1
        return False

    def _refused(self, call: _Call, claim: int, exc: SlackApiError, at: datetime) -> bool:
        status = exc.response.status_code
        error = str(exc.response.get("error", status))[:200]
        if status == 429:
            until = at + retry_after(exc.response.headers)
            self.pacer.hold(method=call.method, until=until)
            self._retry(call, claim, until, error)
            self.report.rate_limited.add(call.method)
            return True
        if status >= 500:
            self._retry(call, claim, at + backoff(claim), error)
            return False
        with self.session.begin():
            self._fail(call, claim, at, error)
        log.warning("slack refused a call: method=%s error=%s", call.method, error)
        return False

    def _fail(self, call: _Call, claim: int, at: datetime, error: str) -> None:
        """Record that a call ends unsent (within the caller's transaction)."""
        outbox.finish(
            session=self.session, message_id=call.message_id, claim=claim, status=outbox.FAILED,
            now=at, error=error,
        )  # fmt: skip
        self.report.failed += 1

    def _retry(self, call: _Call, claim: int, at: datetime, error: str) -> None:
        with self.session.begin():
            outbox.retry_later(
                session=self.session, message_id=call.message_id, claim=claim, at=at, error=error
            )
        self.report.retrying += 1
