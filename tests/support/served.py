"""A WSGI app served by the production server (waitress) on 127.0.0.1, in a thread."""

import threading
from typing import Any

from bot.web import create_server


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

        try:
            self.server.trigger.pull_trigger(close_all)
        except OSError:
            # Seen rarely: the trigger's pipe was already closed under the server (a stale
            # descriptor closed by garbage collection elsewhere in the run). The loop can no
            # longer be woken, so close everything from here; the loop's thread then ends.
            self.server.close()
        self.thread.join(timeout=5)
        self.server.task_dispatcher.shutdown()
