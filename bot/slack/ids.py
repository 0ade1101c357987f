"""Every action id, callback id and block id the bot uses, in one place."""

from enum import StrEnum


class Action(StrEnum):
    """Button action ids."""

    JOIN = "join"
    EDIT_PROFILE = "edit_profile"
    PAUSE = "pause"
    RESUME = "resume"
    LEAVE = "leave"
    LEAVE_CONFIRM = "leave_confirm"
    LEAVE_CANCEL = "leave_cancel"


class Callback(StrEnum):
    """Modal callback ids."""

    SURVEY = "survey"
