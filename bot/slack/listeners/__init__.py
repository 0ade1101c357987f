"""Bolt listeners, one module per kind, each with register(app, runtime)."""

from slack_bolt import App

from bot.runtime import Runtime
from bot.slack.listeners import (
    actions,
    commands,
    errors,
    events,
    guards,
    keep_going,
    pair_exit,
    round_end,
    rounds,
    views,
)


def register_all(app: App, runtime: Runtime) -> None:
    """Attach every listener to the app."""
    for module in (
        commands,
        actions,
        rounds,
        views,
        events,
        pair_exit,
        round_end,
        keep_going,
        errors,
        guards,
    ):
        module.register(app, runtime)
