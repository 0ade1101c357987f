"""The clock a delivery pass waits on: the real one in the bot, a fake one in tests."""

import time
from typing import Protocol


class Clock(Protocol):
    """Elapsed time and waiting."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary start; never goes back."""

    def sleep(self, seconds: float) -> None:
        """Wait this long."""


class SystemClock:
    """The process's own clock."""

    def monotonic(self) -> float:
        """time.monotonic()."""
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        """time.sleep()."""
        time.sleep(seconds)
