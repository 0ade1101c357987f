"""Every action id, callback id and block id the bot uses, in one place."""

from enum import StrEnum


class Action(StrEnum):
    """Button and input action ids."""

    OPEN_HELP = "open_help"


class Callback(StrEnum):
    """Modal callback ids."""


class Block(StrEnum):
    """Block ids that listeners read back."""
