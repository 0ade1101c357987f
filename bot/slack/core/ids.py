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
    ROUND_PAIR_MENU = "round_pair_menu"
    ROUND_STEER = "round_steer"
    CONSENT_ACCEPT = "consent_accept"
    CONSENT_DECLINE = "consent_decline"
    SET_GOALS = "set_goals"
    PAIR_EXIT = "pair_exit"
    RAISE_CONCERN = "raise_concern"
    CLOSING_SURVEY = "closing_survey"
    WE_MET = "we_met"
    CHECKIN_OPEN = "checkin_open"
    MY_DATA = "my_data"
    PICK_TIME = "pick_time"
    OTHER_TIMES = "other_times"
    MEETING_HELD = "meeting_held"
    MEETING_MISSED = "meeting_missed"
    ORG_CHART = "org_chart"
    # The owner's App Home: one row of these per programme, the programme's id as the value.
    HOME_EDIT = "home_edit"
    HOME_MATCH = "home_match"
    HOME_STATS = "home_stats"
    HOME_ANNOUNCE = "home_announce"
    HOME_ARCHIVE = "home_archive"
    PAUSE_UNTIL = "pause_until"  # the App Home's date picker
    STILL_IN = "still_in"
    STILL_IN_PAUSE = "still_in_pause"  # the question's date picker
    STILL_IN_LEAVE = "still_in_leave"


class Callback(StrEnum):
    """Modal callback ids."""

    SURVEY = "survey"
    GOALS = "goals"
    ROUND_STEER = "round_steer"
    ADMIN = "admin"
    PAIR_EXIT = "pair_exit_confirm"
    CONCERN = "concern"
    CLOSING = "closing"
    CHECKIN = "checkin"
    ORG_CHART = "org_chart"
    ANNOUNCE = "announce"
