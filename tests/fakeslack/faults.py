"""Failures a test asks for: planned errors, random faults, slowness, Slack's rate limits."""

import math
import time
from collections.abc import Iterable, Mapping
from typing import Any

from tests.fakeslack.state import FailurePlan, RateLimits, SlackError, SlackState


class FaultMethods(SlackState):
    """How a test makes the fake fail or dawdle, and how each call is checked against that."""

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int | None = 1,
        times: int = 1,
        error: str | None = None,
    ) -> None:
        """Answer the next ``times`` calls to ``method`` with HTTP ``status`` (or ``error``)."""
        with self._lock:
            plan = FailurePlan(status=status, retry_after=retry_after, error=error, times=times)
            self._failures.setdefault(method, []).append(plan)

    def inject_faults(
        self,
        *,
        share: float,
        statuses: Iterable[int] = (429, 500, 503),
        retry_after: int = 1,
        methods: Iterable[str] | None = None,
        seed: int = 0,
    ) -> None:
        """Answer a random ``share`` of calls (to ``methods``, or any) with one of ``statuses``.

        The failing calls change nothing, as when Slack answers 429 or 5xx before doing anything.
        """
        with self._lock:
            self._faults.share = share
            self._faults.statuses = tuple(statuses)
            self._faults.retry_after = retry_after
            self._faults.methods = frozenset(methods) if methods is not None else None
            self._faults.rng.seed(seed)

    def slow_down(
        self,
        *,
        delay: float,
        share: float = 1.0,
        late_answer: bool = False,
        methods: Iterable[str] | None = None,
    ) -> None:
        """Answer a random ``share`` of calls (to ``methods``, or any) ``delay`` seconds late.

        By default Slack is slow to start (nothing happens until the delay is over); with
        ``late_answer`` it does the work at once and the answer is what arrives late.
        """
        with self._lock:
            self._faults.slow_share = share
            self._faults.delay = delay
            self._faults.late_answer = late_answer
            self._faults.slow_methods = frozenset(methods) if methods is not None else None

    def enforce_rate_limits(
        self,
        *,
        per_channel: float | None = 1.0,
        per_method: Mapping[str, float] | None = None,
        burst: float = 1.0,
    ) -> None:
        """Answer 429 with Retry-After to calls over Slack's limits (calls per second).

        ``per_channel`` is chat.postMessage's limit in one channel (Slack: about 1 per second);
        ``per_method`` a method's limit across the workspace (its tier). A test may scale them up
        to keep real waiting short; Retry-After is then fractional.
        """
        with self._lock:
            self._rate_limits = RateLimits(per_channel, dict(per_method or {}), burst)

    def _delay(self, method: str) -> tuple[float, bool]:
        with self._lock:
            if self._faults.slows(method):
                return self._faults.delay, self._faults.late_answer
            return 0.0, False

    def _random_failure(self, method: str) -> None:
        if not self._faults.fails(method):
            return
        status = self._faults.rng.choice(self._faults.statuses)
        if status == 429:
            raise SlackError("ratelimited", status=429, retry_after=self._faults.retry_after)
        raise SlackError("internal_error" if status >= 500 else "request_failed", status=status)

    def _rate_limit(self, method: str, args: dict[str, Any]) -> None:
        if self._rate_limits is None:
            return
        wait = self._rate_limits.wait(method, args, time.monotonic())
        if wait:
            # Slack sends whole seconds; a scaled-down test limit needs finer ones.
            retry_after = math.ceil(wait) if wait >= 1 else math.ceil(wait * 1000) / 1000
            raise SlackError("ratelimited", status=429, retry_after=retry_after)

    @staticmethod
    def _error_headers(refusal: SlackError) -> dict[str, str]:
        if refusal.retry_after is None:
            return {}
        return {"Retry-After": str(refusal.retry_after)}

    def _planned_failure(self, method: str) -> None:
        plans = self._failures.get(method)
        if not plans:
            return
        plan = plans[0]
        plan.times -= 1
        if plan.times <= 0:
            plans.pop(0)
        if plan.status == 429:
            raise SlackError(plan.error or "ratelimited", status=429, retry_after=plan.retry_after)
        default = "internal_error" if plan.status >= 500 else "request_failed"
        raise SlackError(plan.error or default, status=plan.status)
