"""Ack latency under load: signed /mentoring commands and App Home events from concurrent
clients, against the real bot (`python -m bot web`, which builds it as production does:
build_runtime, build_bolt_app, make_wsgi_app; waitress; PostgreSQL when --database-url is given,
else SQLite) and against a bare Bolt app that only acks (the floor), both served on 127.0.0.1
against the fake Slack. With --slack-delay the fake Slack's Web API answers that many seconds
late (it does the work at once): the bot's calls after the ack (views.publish for App Home)
wait, its acks must not. With --oauth the bot runs in its many-workspaces mode (client id and
secret, no bot token): the workspace is installed first through /slack/install and
/slack/oauth_redirect, and every request finds its bot token in the installation store (one
select; Bolt's authorize caches only its auth.test by token).

    python benchmarks/load.py [--database-url postgresql://…] [--clients 50] [--requests 3000]
        [--slack-delay SECONDS] [--oauth]

Bounded: a fixed number of requests, every request times out after 10 s, everything on 127.0.0.1.
"""

import argparse
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakeslack import FakeSlack  # noqa: E402
from tests.fakeslack.driver import sign  # noqa: E402
from tests.support.oauth import CLIENT_ID, CLIENT_SECRET, get, start_install  # noqa: E402

TOKEN, SECRET, TEAM = "xoxb-load-token", "load-signing-secret", "T0LOAD"
OWNER = "U0OWNER"
COMMANDS = ["help", "status"]
# Each request is unique, as Slack's are (a trigger id, an event id): the bot refuses a repeated
# signature as a replay, and two identical bodies signed in the same second would be one.
_serial = itertools.count()

BARE_APP = """
import sys
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from bot.web import create_server

client = WebClient(token=sys.argv[2], base_url=sys.argv[4])
app = App(client=client, signing_secret=sys.argv[3])
app.command("/mentoring")(lambda ack: ack())
app.event("app_home_opened")(lambda: None)
create_server(SlackRequestHandler(app), host="127.0.0.1", port=int(sys.argv[1])).run()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited: {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("the server did not start in 30 s")


def command_body(user: str, text: str) -> bytes:
    fields = {
        "command": "/mentoring",
        "text": text,
        "team_id": TEAM,
        "user_id": user,
        "channel_id": "D0LOAD",
        "response_url": "http://127.0.0.1:9/unused",
        "trigger_id": f"1.2.{next(_serial)}",
    }
    return urlencode(fields).encode()


def home_opened_body(user: str) -> bytes:
    """An App Home opened event: the bot acks, then publishes the home view after the ack."""
    serial = next(_serial)
    event = {
        "type": "app_home_opened",
        "user": user,
        "channel": "D0LOAD",
        "tab": "home",
        "event_ts": f"{time.time():.6f}",
    }
    envelope = {
        "token": "unused",
        "team_id": TEAM,
        "api_app_id": "A0LOAD",
        "event": event,
        "type": "event_callback",
        "event_id": f"Ev0LOAD{serial:08d}",
        "event_time": int(time.time()),
    }
    return json.dumps(envelope).encode()


def request_body(user: str, n: int, *, home: bool) -> tuple[bytes, str]:
    """The n-th request of a client: /mentoring help, /mentoring status, App Home opened."""
    kind = n % (len(COMMANDS) + home)
    if kind == len(COMMANDS):
        return home_opened_body(user), "application/json"
    return command_body(user, COMMANDS[kind]), "application/x-www-form-urlencoded"


def one_request(port: int, body: bytes, content_type: str) -> tuple[float, int]:
    """Send one signed command on a fresh connection (as Slack does); latency and status.

    Raw sockets rather than http.client: the generator shares the machine with the server, and
    http.client's header parsing would take CPU from the server under test.
    """
    now = int(time.time())
    request = (
        f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nX-Slack-Request-Timestamp: {now}\r\n"
        f"X-Slack-Signature: {sign(SECRET, body, now)}\r\nConnection: close\r\n\r\n"
    ).encode() + body
    started = time.perf_counter()
    answer = b""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(request)
            while chunk := sock.recv(65536):  # the server closes after its answer
                answer += chunk
        status = int(answer.split(b" ", 2)[1])
    except (OSError, IndexError, ValueError):
        status = 0
    return time.perf_counter() - started, status


def run_load(port: int, *, clients: int, requests: int, home: bool) -> dict[str, float]:
    """`requests` commands from `clients` threads at once; latency percentiles and throughput."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    per_client = requests // clients
    start = threading.Barrier(clients)

    def client(index: int) -> None:
        user = f"U0LOAD{index:03d}"
        bodies = [request_body(user, n, home=home) for n in range(per_client)]
        start.wait()
        mine, failed = [], 0
        for body, content_type in bodies:
            elapsed, status = one_request(port, body, content_type)
            mine.append(elapsed)
            failed += status != 200
        with lock:
            latencies.extend(mine)
            failures[0] += failed

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "failed": failures[0],
        "p50_ms": cuts[49] * 1000,
        "p99_ms": cuts[98] * 1000,
        "max_ms": max(latencies) * 1000,
        "per_s": len(latencies) / wall,
    }


class Served:
    """Where a started bot listens, as tests.support.oauth's install helpers want it."""

    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"


def install_team(port: int, process: subprocess.Popen[bytes], fake: FakeSlack) -> None:
    """Install the bot into the load's workspace through OAuth, as an admin's browser does."""
    wait_until_listening(port, process)
    started = start_install(Served(port))  # type: ignore[arg-type]
    query = urlencode({"code": fake.grant(TEAM), "state": started.state})
    page = get(f"http://127.0.0.1:{port}/slack/oauth_redirect?{query}", cookie=started.cookie)
    if page.status != 200:
        raise SystemExit(f"the OAuth install failed: {page.status}")


def start_bot(
    port: int, database_url: str, fake: FakeSlack, *, oauth: bool = False
) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    credentials = (
        {"SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": CLIENT_SECRET}
        if oauth
        else {"SLACK_BOT_TOKEN": TOKEN}
    )
    env |= credentials | {
        "PYTHONPATH": str(ROOT),
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.base_url,
        "DATABASE_URL": database_url,
        "PROGRAMME_OWNERS": OWNER,
        "PORT": str(port),
    }
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run([sys.executable, "-m", "bot", "migrate"], env=env, check=True, **quiet)
    process = subprocess.Popen([sys.executable, "-m", "bot", "web"], env=env, **quiet)
    if oauth:
        install_team(port, process, fake)
    return process


def start_bare(port: int, fake: FakeSlack) -> subprocess.Popen[bytes]:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", BARE_APP, str(port), TOKEN, SECRET, fake.base_url]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def measure(
    name: str, process: subprocess.Popen[bytes], port: int, args: argparse.Namespace
) -> dict[str, float]:
    """Warm the server up, load it, stop it; its figures."""
    try:
        wait_until_listening(port, process)
        home = not args.commands_only
        run_load(port, clients=args.clients, requests=min(args.requests, 500), home=home)  # warm
        figures = run_load(port, clients=args.clients, requests=args.requests, home=home)
    finally:
        process.terminate()
        process.wait(timeout=10)
    print(
        f"{name:<10} {figures['requests']:>8,.0f} {figures['failed']:>6,.0f} "
        f"{figures['p50_ms']:>8.1f} {figures['p99_ms']:>8.1f} {figures['max_ms']:>8.1f} "
        f"{figures['per_s']:>8.0f}"
    )
    return figures


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a fresh SQLite file)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument(
        "--rounds", type=int, default=1, help="alternate the two targets this many times"
    )
    parser.add_argument(
        "--slack-delay",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="the fake Slack's Web API answers this late (default 0)",
    )
    parser.add_argument(
        "--commands-only",
        action="store_true",
        help="only /mentoring help and status (no App Home event, so no Slack call after the ack)",
    )
    parser.add_argument(
        "--oauth",
        action="store_true",
        help="the bot in its OAuth mode: its token from the installation store on each request",
    )
    args = parser.parse_args()
    fake = FakeSlack(token=TOKEN, team_id=TEAM)
    fake.start()
    fake.enable_oauth(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    if args.slack_delay:
        fake.slow_down(delay=args.slack_delay, late_answer=True)
    floors, ours = [], []
    with tempfile.TemporaryDirectory() as folder:
        database_url = args.database_url or f"sqlite:///{folder}/load.db"
        backend = "postgresql" if args.database_url else "sqlite"
        print(
            f"{args.clients} concurrent clients, {args.requests} signed /mentoring "
            f"{'/'.join(COMMANDS)}{'' if args.commands_only else ' and app_home_opened'} "
            f"per target and round; bot on {backend}; "
            f"Slack answers {args.slack_delay:g} s late"
            f"{'; bot installed through OAuth' if args.oauth else ''}"
        )
        print(
            f"{'target':<10} {'requests':>8} {'failed':>6} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'max ms':>8} {'req/s':>8}"
        )
        for _ in range(args.rounds):
            bare_port, bot_port = free_port(), free_port()
            floors.append(measure("bare Bolt", start_bare(bare_port, fake), bare_port, args))
            bot = start_bot(bot_port, database_url, fake, oauth=args.oauth)
            ours.append(measure("Upward", bot, bot_port, args))
    if args.oauth:
        # Sanity: the App Homes were published with the token the installation store holds.
        published = [c for c in fake.calls_to("views.publish") if c.team_id == TEAM]
        print(f"views.publish with the installed token: {len(published)}")
    fake.stop()
    floor, mine = median_of(floors), median_of(ours)
    if args.rounds > 1:
        print(f"medians over {args.rounds} rounds:")
        for name, figures in (("bare Bolt", floor), ("Upward", mine)):
            p50, p99, rate = figures["p50_ms"], figures["p99_ms"], figures["per_s"]
            print(f"{name:<10} p50 {p50:.1f} ms, p99 {p99:.1f} ms, {rate:.0f} req/s")
    print(
        f"p50 ratio (Upward / bare Bolt): {mine['p50_ms'] / floor['p50_ms']:.2f}  (target <= 1.5)"
    )
    print(f"p99: {mine['p99_ms']:.1f} ms  (target < 100 ms)")


if __name__ == "__main__":
    main()
