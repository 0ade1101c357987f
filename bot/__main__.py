"""Command line: `python -m bot [serve|web|clock|tick|migrate|import-people FILE.csv]`."""

import argparse
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.error import URLError

from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import IntegrityError

from bot import jobs, logs
from bot.app import build_bolt_app, build_runtime
from bot.config import ConfigError, Settings, load_settings
from bot.runtime import Runtime, settle
from bot.slack.org_chart.blocks import report_text
from bot.slack.org_chart.loading import load
from bot.store.db import DatabaseUnavailable, MigrationFailed, check, migrate, where
from bot.web import make_wsgi_app, serve

log = logging.getLogger("bot")


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="migrate, then run the web app and the scheduler (default)")
    commands.add_parser("web", help="run the web app only (production `web` process)")
    commands.add_parser("clock", help="run the scheduler only (production `clock` process)")
    tick = commands.add_parser("tick", help="run every scheduled job once and exit")
    tick.add_argument("--at", type=_iso_time, help="pretend it is this ISO-8601 time")
    commands.add_parser("migrate", help="apply pending database migrations and exit")
    people = commands.add_parser(
        "import-people", help="load the org chart from a CSV (person, manager, department)"
    )
    people.add_argument("file", type=Path, help="the CSV file")
    people.add_argument("--team", help="the workspace (T…); needed with OAuth installs")
    args = parser.parse_args(argv)

    logs.configure()
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"upward: configuration error: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    handler = logs.configure(secrets=settings.secrets())
    try:
        return _run(args, settings)
    except BoltError as exc:
        return _stop(handler, f"upward: cannot start: {exc}")
    except DatabaseUnavailable as exc:
        return _stop(
            handler,
            f"upward: cannot reach the database at {where(settings.database_url)} ({exc}): "
            "check DATABASE_URL and that the database is running",
        )
    except MigrationFailed as exc:
        return _stop(
            handler,
            f"upward: cannot migrate the database at {where(settings.database_url)} ({exc}): "
            f"{exc.hint}",
        )
    except URLError as exc:
        return _stop(
            handler,
            f"upward: cannot reach Slack at {settings.slack_api_url} ({exc.reason}): "
            "check SLACK_API_URL and the network",
        )


def _stop(handler: logging.Handler, message: str) -> int:
    """Say in one line why the bot cannot start, after the log lines already queued."""
    handler.close()
    print(message, file=sys.stderr)  # noqa: T201
    return 1


def _run(args: argparse.Namespace, settings: Settings) -> int:
    command = args.command or "serve"
    if command in ("serve", "migrate"):
        migrate(settings.database_url)
        if command == "migrate":
            return 0
    runtime = build_runtime(settings)
    check(runtime.engine)
    if command == "tick":
        now = args.at or datetime.now(UTC)
        log.info("tick at %s", now.isoformat())
        jobs.tick(runtime, now=now)
        return 0
    if command == "import-people":
        return import_people(runtime, file=args.file, team=args.team)
    if command == "clock":
        settle()
        jobs.run_clock(runtime)
        return 0
    app = build_bolt_app(runtime)
    settle()
    if command == "serve":
        jobs.start_background(runtime)
    if settings.socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        assert settings.slack_app_token is not None
        log.info("starting in Socket Mode")
        SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()  # type: ignore[no-untyped-call]
        return 0
    log.info("listening on port %d", settings.port)
    serve(make_wsgi_app(app, runtime), port=settings.port, threads=settings.ack_threads)
    return 0


def import_people(runtime: Runtime, *, file: Path, team: str | None) -> int:
    """`import-people FILE.csv`: the org chart's report on stdout; 0 if it was applied."""
    if team is None and runtime.settings.oauth:
        return _refuse("with OAuth installs, name the workspace: --team T…", code=2)
    try:
        data = file.read_bytes()
    except OSError as exc:
        return _refuse(f"cannot read {file}: {exc.strerror}", code=2)
    client = runtime.clients.for_team(team or "")
    if client is None:
        return _refuse(f"Upward is not installed in {team}", code=2)
    try:
        team_id = team or str(client.auth_test()["team_id"])
        report = load(runtime, client, team_id=team_id, data=data)
    except SlackApiError as exc:
        return _refuse(f"Slack refused ({exc.response.get('error')}); nothing was changed")
    except IntegrityError:
        return _refuse("another org chart load ran at the same moment; nothing was changed")
    text = report_text(report)
    print(text if text.endswith("\n") else text + "\n", end="")  # noqa: T201
    return 0 if report.applied else 1


def _refuse(message: str, *, code: int = 1) -> int:
    print(f"upward: {message}", file=sys.stderr)  # noqa: T201
    return code


def _iso_time(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 time: {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


if __name__ == "__main__":
    sys.exit(main())
