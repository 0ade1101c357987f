"""Every journey's listeners, the /mentoring dispatcher, middleware and the error handler."""

from slack_bolt import App

from bot.runtime import Runtime
from bot.slack import commands
from bot.slack.core import errors, middleware
from bot.slack.ghosts import listeners as ghosts
from bot.slack.keep_going import listeners as keep_going
from bot.slack.pair_exit import listeners as pair_exit
from bot.slack.participants import listeners as participants
from bot.slack.participants import mydata
from bot.slack.programmes import listeners as programmes
from bot.slack.round_end import listeners as round_end
from bot.slack.rounds import listeners as rounds
from bot.slack.workspaces import listeners as workspaces


def register_all(app: App, runtime: Runtime) -> None:
    """Attach every listener to the app."""
    for module in (
        commands,
        participants,
        mydata,
        programmes,
        rounds,
        keep_going,
        pair_exit,
        round_end,
        ghosts,
        workspaces,
        errors,
        middleware,
    ):
        module.register(app, runtime)
