"""Loading an org chart CSV through Slack: read the uploaded file, look up emails, apply.

Shared by the upload modal and `python -m bot import-people FILE.csv`. Slack is called
outside the database transaction; the chart is replaced in one transaction at the end.
"""

import logging
import time
import urllib.request
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain import org_csv
from bot.flows import org_chart
from bot.flows.errors import Refusal
from bot.runtime import Runtime
from bot.slack.org_chart.blocks import PROBLEMS_SHOWN, import_report, report_text

log = logging.getLogger(__name__)

NOT_READ = (
    "I couldn't read that file from Slack, so the org chart was not changed. Upload it again "
    "in a moment."
)
TOO_BIG = (
    f"That file is over {org_csv.MAX_BYTES // 1_000_000} MB, so the org chart was not changed."
)
MAX_WAIT = 60.0  # longest Retry-After honoured while looking up emails (seconds)
DOWNLOAD_TIMEOUT = 30


class _StayPut(urllib.request.HTTPRedirectHandler):
    """Follow no redirect: urllib would carry the bot token to wherever it points."""

    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_StayPut)


def _allowed_host(url: str, api_url: str) -> bool:
    """Only Slack's own hosts get the bot token: the API host or one of its subdomains."""
    host, api_host = urlsplit(url).hostname or "", urlsplit(api_url).hostname or ""
    return bool(api_host) and (host == api_host or host.endswith("." + api_host))


def read_upload(client: WebClient, file_id: str) -> bytes:
    """The bytes of a file someone uploaded (files.info, then its private download URL)."""
    try:
        info = client.files_info(file=file_id)["file"]
    except SlackApiError as error:
        log.warning("org chart file not found: error=%s", error.response.get("error"))
        raise Refusal(NOT_READ) from error
    if int(info.get("size") or 0) > org_csv.MAX_BYTES:
        raise Refusal(TOO_BIG)
    url = str(info.get("url_private_download") or info.get("url_private") or "")
    if not _allowed_host(url, client.base_url):
        log.warning("org chart file not read: its address is not on Slack's host")
        raise Refusal(NOT_READ)
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    try:
        with _OPENER.open(request, timeout=DOWNLOAD_TIMEOUT) as answer:
            kind = answer.headers.get("Content-Type", "")
            data: bytes = answer.read(org_csv.MAX_BYTES + 1)
    except OSError as error:
        log.warning("org chart file not downloaded: %s", type(error).__name__)
        raise Refusal(NOT_READ) from error
    # Without a valid token Slack redirects to its sign-in page (or serves it): not the file.
    if kind.startswith("text/html"):
        log.warning("org chart file not downloaded: Slack answered with a web page")
        raise Refusal(NOT_READ)
    return data


def lookup_emails(
    client: WebClient, emails: Iterable[str], *, sleep: Callable[[float], None] = time.sleep
) -> dict[str, str | None]:
    """Each email's Slack user id (None: no active person has it), honouring rate limits."""
    found: dict[str, str | None] = {}
    for email in emails:
        while True:
            try:
                user = client.users_lookupByEmail(email=email)["user"]
            except SlackApiError as error:
                if error.response.status_code == 429:
                    wait = float(error.response.headers.get("Retry-After", "1") or 1)
                    sleep(min(max(wait, 1.0), MAX_WAIT))
                    continue
                if error.response.get("error") == "users_not_found":
                    found[email] = None
                    break
                raise
            active = not (user.get("deleted") or user.get("is_bot"))
            found[email] = str(user["id"]) if active else None
            break
    return found


def load(
    runtime: Runtime,
    client: WebClient,
    *,
    team_id: str,
    data: bytes,
    loaded_by: str | None = None,
    now: datetime | None = None,
) -> org_chart.ImportReport:
    """Parse, resolve and apply a CSV import: all rows understood, or nothing changed."""
    parsed = org_csv.parse(data)
    # Looked up even when some rows are bad, so the report names every bad row at once.
    slack_ids = lookup_emails(client, org_csv.emails(parsed))
    with runtime.sessions.begin() as session:
        report = org_chart.import_csv(
            session=session,
            team_id=team_id,
            parsed=parsed,
            slack_ids=slack_ids,
            now=now or datetime.now(UTC),
            notifier=runtime.notifier,
            loaded_by=loaded_by,
        )
    log.info(
        "org chart import: team=%s applied=%s people=%d problems=%d departed=%d",
        team_id,
        report.applied,
        report.people,
        len(report.problems),
        report.departed,
    )
    return report


def send_report(client: WebClient, *, user_id: str, report: org_chart.ImportReport) -> None:
    """The import's report in the owner's DM; every problem in an attached file when long."""
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    message = import_report(report)
    client.chat_postMessage(channel=channel, text=message.text, blocks=message.blocks)
    if len(report.problems) > PROBLEMS_SHOWN:
        client.files_upload_v2(
            channel=channel,
            initial_comment="Every row of the org chart file that could not be understood.",
            file_uploads=[
                {
                    "content": report_text(report),
                    "filename": "upward-org-chart-report.txt",
                    "title": "Org chart import: rows not understood",
                }
            ],
        )
