"""Logging, configured in one place: one line per event, `key=value`, and never a secret.

Messages name what happened and the ids involved (`kind=`, `team=`), never text a person typed.
A person is named by the random pseudonym on their participant row (`user=p…`, gone when they
leave; `user=-` before they join), never by their Slack id, and an anonymous submission (a
check-in, a closing survey, a concern) by its kind and name only: see bot/slack/core/log_names.
Slack's libraries log request bodies and API arguments at DEBUG, so they are held at WARNING
whatever the level of the bot's own loggers.
"""

import atexit
import logging
import re
import sys
import time
import traceback
from collections.abc import Iterable
from logging.handlers import QueueHandler, QueueListener
from pathlib import Path
from queue import Queue
from typing import TextIO

# Slack tokens by their shape, in case one reaches a message through an error's text.
_TOKEN = re.compile(r"\b(xox[abposr]|xapp|xoxe(\.xox[bp])?)-[A-Za-z0-9-]+")
REDACTED = "[redacted]"
QUIET = ("slack_bolt", "slack_sdk", "bot.bolt", "urllib3", "apscheduler")


class OneLineFormatter(logging.Formatter):
    """`ts=… level=… logger=… message`, with where an error was raised on the same line."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line, secrets replaced."""
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created))
        line = f"ts={stamp} level={record.levelname} logger={record.name} {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            line += f" traceback={where(record.exc_info[1])}"
        for secret in self._secrets:
            line = line.replace(secret, REDACTED)
        return _TOKEN.sub(REDACTED, line).replace("\r", "\\r").replace("\n", "\\n")


def where(error: BaseException) -> str:
    """Where an error (and each error it came from) was raised: types and frames, no messages.

    An exception's message can quote what a person typed (a database's DETAIL line does), so
    the log keeps only what is needed to find the fault.
    """
    chain: list[str] = []
    current: BaseException | None = error
    while current is not None and len(chain) < 5:
        frames = traceback.extract_tb(current.__traceback__)
        places = ">".join(f"{Path(f.filename).name}:{f.lineno}:{f.name}" for f in frames[-8:])
        chain.append(f"{type(current).__name__}@{places}")
        current = current.__cause__ or current.__context__
    return "<-".join(chain)


class _Handler(QueueHandler):
    """Formats a record in the caller's thread and queues the line for a writer thread.

    Writing to stderr releases the GIL while the handler's lock is held, so under load every
    request thread queued behind the lock; putting a line on a queue does not.
    """

    def __init__(self, stream: TextIO, secrets: Iterable[str]) -> None:
        super().__init__(Queue())
        self.setFormatter(OneLineFormatter(secrets))
        writer = logging.StreamHandler(stream)
        writer.setFormatter(logging.Formatter("%(message)s"))
        self.listener = QueueListener(self.queue, writer)
        self.listener.start()
        self.writing = True

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        """The record reduced to its finished line."""
        line = self.format(record)
        return logging.makeLogRecord({"msg": line, "levelno": record.levelno})

    def close(self) -> None:
        """Write out every queued line, then stop the writer thread (once)."""
        if self.writing:
            self.writing = False
            self.listener.stop()
        super().close()


def configure(*, secrets: Iterable[str] = (), stream: TextIO | None = None) -> logging.Handler:
    """Send every log record to stderr as one line; calling it again replaces the setup.

    `close()` on the returned handler writes out whatever is still queued.
    """
    handler = _Handler(stream or sys.stderr, secrets)
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    atexit.register(handler.close)
    return handler
