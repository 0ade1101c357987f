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
    ROUND_CONFIRM = "round_confirm"
    ROUND_CANCEL = "round_cancel"
    ROUND_PREVIOUS = "round_previous"
    ROUND_NEXT = "round_next"
    CONSENT_ACCEPT = "consent_accept"
    CONSENT_DECLINE = "consent_decline"
    SET_GOALS = "set_goals"
    PAIR_EXIT = "pair_exit"
    RAISE_CONCERN = "raise_concern"
    CLOSING_SURVEY = "closing_survey"
    WE_MET = "we_met"
    CHECKIN_OPEN = "checkin_open"
    MY_DATA = "my_data"
    PAUSE_UNTIL = "pause_until"  # the App Home's date picker
    STILL_IN = "still_in"
    STILL_IN_PAUSE = "still_in_pause"  # the question's date picker
    STILL_IN_LEAVE = "still_in_leave"


class Callback(StrEnum):
    """Modal callback ids."""

    SURVEY = "survey"
    GOALS = "goals"
    ADMIN = "admin"
    PAIR_EXIT = "pair_exit_confirm"
    CONCERN = "concern"
    CLOSING = "closing"
    CHECKIN = "checkin"
