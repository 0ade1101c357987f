"""Catching every error logged while something runs."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager


class ErrorTrap(logging.Handler):
    """Collects ERROR (and worse) records from every logger while installed."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def summary(self) -> list[str]:
        """The trapped records, one line each, with the error's repr when there is one."""
        return [
            f"{r.name}: {r.getMessage()}" + (f" {r.exc_info[1]!r}" if r.exc_info else "")
            for r in self.records
        ]


@contextmanager
def error_trap() -> Iterator[ErrorTrap]:
    """Install an ErrorTrap on the root logger for the duration."""
    trap = ErrorTrap()
    root = logging.getLogger()
    root.addHandler(trap)
    try:
        yield trap
    finally:
        root.removeHandler(trap)
