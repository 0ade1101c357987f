"""Every journey's listeners, the /mentoring dispatcher, middleware and the error handler."""

from slack_bolt import App

from bot.runtime import Runtime
from bot.slack import commands
from bot.slack.core import errors, middleware
from bot.slack.find_time import listeners as find_time
from bot.slack.ghosts import listeners as ghosts
from bot.slack.keep_going import listeners as keep_going
from bot.slack.org_chart import listeners as org_chart
from bot.slack.pair_exit import listeners as pair_exit
from bot.slack.participants import listeners as participants
from bot.slack.participants import mydata
from bot.slack.programmes import listeners as programmes
from bot.slack.programmes import owner_actions
from bot.slack.round_end import listeners as round_end
from bot.slack.rounds import listeners as rounds
from bot.slack.stats import listeners as stats
from bot.slack.workspaces import listeners as workspaces


def register_all(app: App, runtime: Runtime) -> None:
    """Attach every listener to the app."""
    for module in (
        commands,
        participants,
        mydata,
        programmes,
        owner_actions,
        rounds,
        keep_going,
        find_time,
        pair_exit,
        round_end,
        stats,
        ghosts,
        workspaces,
        org_chart,
        errors,
        middleware,
    ):
        module.register(app, runtime)
