"""Bolt's listener pool, made waitable: work after the ack outlives the HTTP response."""

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any


class WaitableExecutor(ThreadPoolExecutor):
    """Bolt's listener pool, able to wait until every listener it started has finished."""

    def __init__(self, name: str, workers: int = 8) -> None:
        super().__init__(max_workers=workers, thread_name_prefix=name)
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

    def busy(self) -> bool:
        """Whether anything submitted is still queued or running."""
        with self._lock:
            return bool(self._pending)

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Block until no listener is running (work after the ack outlives the response)."""
        with self._lock:
            pending = list(self._pending)
        done, not_done = wait(pending, timeout=timeout)
        assert not not_done, f"{len(not_done)} listeners still running after {timeout} s"
