"""Sending a matching preview's CSV to the owner's DM."""

from slack_sdk import WebClient

from bot.domain.text import inert
from bot.flows.rounds import Preview

CSV_NOT_SENT = (
    "The preview is above, but I couldn't send its CSV to your DM just now. Run "
    "`/mentoring match` again in a moment if you need the full lists."
)


def send_csv(client: WebClient, *, user_id: str, preview: Preview, data: bytes) -> None:
    """The preview's full lists, as a CSV in the owner's DM."""
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    client.files_upload_v2(
        channel=channel,
        initial_comment=f"The matching preview for {inert(preview.programme.name)}: "
        "every proposed pair and everyone left over, with the reason.",
        file_uploads=[
            {
                "file": data,
                "filename": f"upward-preview-{preview.round.id}.csv",
                "title": "Matching preview (CSV)",
            }
        ],
    )
