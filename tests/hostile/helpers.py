"""What the hostile tests share: a database snapshot, an error-log trap, and a waitable bot."""

import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select

from bot.runtime import Runtime
from bot.store.models import AuditEntry, Base, SeenEvent, SeenSignature
from bot.web import create_server

# Tables whose rows a request may add without changing anything a person would notice.
# Seen event ids and request signatures, and the audit trail that records refused owner
# commands on purpose.
BOOKKEEPING = {SeenEvent.__tablename__, SeenSignature.__tablename__, AuditEntry.__tablename__}


def snapshot(runtime: Runtime) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (bookkeeping aside), to compare before and after a request."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with runtime.sessions() as session:
        for table in Base.metadata.sorted_tables:
            if table.name not in BOOKKEEPING:
                found = session.execute(select(table)).all()
                rows[table.name] = sorted((tuple(r) for r in found), key=repr)
    return rows


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


class WaitableExecutor(ThreadPoolExecutor):
    """Bolt's listener pool, able to wait until every listener it started has finished."""

    def __init__(self) -> None:
        super().__init__(max_workers=8, thread_name_prefix="listener")
        self._pending: set[Future[Any]] = set()
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future[Any]) -> None:
        with self._lock:
            self._pending.discard(future)

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Block until no listener is running (work after the ack outlives the response)."""
        with self._lock:
            pending = list(self._pending)
        done, not_done = wait(pending, timeout=timeout)
        assert not not_done, f"{len(not_done)} listeners still running after {timeout} s"


class Served:
    """A WSGI app served by the production server (waitress) on 127.0.0.1, in a thread."""

    def __init__(self, app: Any) -> None:
        self.server = create_server(app, host="127.0.0.1", port=0)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Close every socket from inside the server's loop, so the loop ends cleanly."""

        def close_all() -> None:
            for channel in list(self.server._map.values()):
                channel.close()

        self.server.trigger.pull_trigger(close_all)
        self.thread.join(timeout=5)
        self.server.task_dispatcher.shutdown()
