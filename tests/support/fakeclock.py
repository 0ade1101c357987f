"""A clock for tests that stands still until something sleeps on it."""


class FakeClock:
    """Implements bot.clock.Clock: sleeping moves it forward at once, and is remembered."""

    def __init__(self) -> None:
        self.time = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        """The seconds slept so far."""
        return self.time

    def sleep(self, seconds: float) -> None:
        """Move forward without waiting."""
        self.slept.append(seconds)
        self.time += seconds
