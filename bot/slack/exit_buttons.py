"""The two buttons a person in a pair always has: *This isn't working* and *Raise a concern*."""

from slack_sdk.models.blocks import ButtonElement

from bot.slack.ids import Action


def exit_buttons(value: str) -> list[ButtonElement]:
    """Both buttons; `value` is the pair's id (or "home" where the pair is looked up)."""
    return [
        ButtonElement(text="This isn't working", action_id=Action.PAIR_EXIT, value=value),
        ButtonElement(text="Raise a concern", action_id=Action.RAISE_CONCERN, value=value),
    ]
