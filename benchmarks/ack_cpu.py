"""CPU per acknowledged command, in-process: the WSGI app called directly on one thread.

The bot is built as production builds it (build_runtime, build_bolt_app, make_wsgi_app), and
so is the floor (a bare Bolt app whose /mentoring listener only acks); each gets the same
signed `/mentoring help` and `/mentoring status` requests, alternately, from people who have
not joined. No sockets and no other threads compete, so the figure is the CPU each request costs
the web process, which under load (benchmarks/load.py) is what bounds its throughput.

    python benchmarks/ack_cpu.py [--database-url postgresql://…] [--requests 3000]

Bounded: a fixed number of requests against the fake Slack on 127.0.0.1.
"""

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from load import OWNER, SECRET, TEAM, TOKEN, request_body  # noqa: E402
from slack_bolt import App  # noqa: E402
from slack_bolt.adapter.wsgi import SlackRequestHandler  # noqa: E402
from slack_sdk import WebClient  # noqa: E402

from tests.fakeslack import FakeSlack  # noqa: E402
from tests.fakeslack.driver import sign  # noqa: E402

WSGI = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def call(app: WSGI, n: int) -> None:
    """One signed request, as waitress would hand it over; it must be answered 200."""
    body, content_type = request_body(f"U0LOAD{n % 50:03d}", n, home=False)
    timestamp = int(time.time())
    environ = {
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "QUERY_STRING": "",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": str(timestamp),
        "HTTP_X_SLACK_SIGNATURE": sign(SECRET, body, timestamp),
    }
    statuses: list[str] = []
    b"".join(app(environ, lambda status, _headers: statuses.append(status)))
    if not statuses[0].startswith("200"):
        raise SystemExit(f"request {n} was answered {statuses[0]}")


def cpu_ms_per_request(app: WSGI, requests: int) -> float:
    for n in range(300):  # warm-up: imports, statement caches, pooled connections
        call(app, n)
    started = time.process_time()
    for n in range(300, 300 + requests):
        call(app, n)
    return 1000 * (time.process_time() - started) / requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a fresh SQLite file)")
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    fake = FakeSlack(token=TOKEN, team_id=TEAM)
    fake.start()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/ack_cpu.db"
        os.environ |= {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.base_url,
            "DATABASE_URL": url,
            "PROGRAMME_OWNERS": OWNER,
        }
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        subprocess.run([sys.executable, "-m", "bot", "migrate"], check=True, **quiet)
        from bot.app import build_bolt_app, build_runtime
        from bot.config import Settings
        from bot.web import make_wsgi_app

        runtime = build_runtime(Settings())
        bot = make_wsgi_app(build_bolt_app(runtime), runtime)
        bare_app = App(client=WebClient(token=TOKEN, base_url=fake.base_url), signing_secret=SECRET)
        bare_app.command("/mentoring")(lambda ack: ack())
        bare = SlackRequestHandler(bare_app)
        backend = "postgresql" if args.database_url else "sqlite"
        print(f"{args.requests} signed /mentoring help/status per target, one thread; {backend}")
        floor = cpu_ms_per_request(bare, args.requests)
        ours = cpu_ms_per_request(bot, args.requests)
        runtime.close()
    fake.stop()
    print(f"bare Bolt  {floor:.3f} ms CPU per request")
    print(f"Upward     {ours:.3f} ms CPU per request  ({ours / floor:.1f}x)")


if __name__ == "__main__":
    main()
