"""The programme modal's meeting settings: how long a session is, who moves first."""

from slack_sdk.models.blocks import Block, InputBlock, Option, RadioButtonsElement

from bot.domain import programme as rules
from bot.domain.slots import SESSION_LENGTHS
from bot.store.models import Programme


def meeting_inputs(current: Programme | rules.ProgrammeSettings) -> list[Block]:
    """Session length (30, 45 or 60 minutes) and who proposes the first meeting."""
    lengths = [Option(value=str(n), label=f"{n} minutes") for n in SESSION_LENGTHS]
    movers = [Option(value=str(k), label=v) for k, v in rules.FIRST_MOVERS.items()]
    return [
        InputBlock(
            block_id="session_minutes",
            label="A session lasts",
            hint="Used for the suggested meeting times and the calendar invites.",
            element=RadioButtonsElement(
                action_id="session_minutes",
                options=lengths,
                initial_option=next(
                    (o for o in lengths if o.value == str(current.session_minutes)), lengths[0]
                ),
            ),
        ),
        InputBlock(
            block_id="first_mover",
            label="Who proposes the first meeting",
            hint="If nothing is planned within five working days, they get one reminder.",
            element=RadioButtonsElement(
                action_id="first_mover",
                options=movers,
                initial_option=next(o for o in movers if o.value == current.first_mover),
            ),
        ),
    ]
