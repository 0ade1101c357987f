"""The two buttons a person in a pair always has: *This isn't working* and *Raise a concern*."""

from slack_sdk.models.blocks import ButtonElement

from bot.slack.ids import Action

CURRENT_PAIR = "current"  # the App Home's buttons: whichever pair the person is in now


def exit_buttons(value: str) -> list[ButtonElement]:
    """Both buttons; `value` is the pair's id, or CURRENT_PAIR."""
    return [
        ButtonElement(text="This isn't working", action_id=Action.PAIR_EXIT, value=value),
        ButtonElement(text="Raise a concern", action_id=Action.RAISE_CONCERN, value=value),
    ]
