"""Setting up a programme: `programme new`, the `admin` modal and what it saves."""

from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk.models.views import View
from sqlalchemy.orm import Session

from bot.domain import programme as programme_rules
from bot.domain.slack_ids import is_enterprise_id
from bot.flows import owners, programmes
from bot.runtime import Runtime
from bot.slack.core import envelope
from bot.slack.core.command import CommandRequest, reply
from bot.slack.core.errors import guarded
from bot.slack.core.ids import Callback
from bot.slack.core.modals import open_view
from bot.slack.core.payload import ids
from bot.slack.programmes import blocks
from bot.slack.programmes.fields import read_champions
from bot.slack.programmes.reach import only_here
from bot.slack.ui import notice_modal, text_message


def programme(request: CommandRequest) -> None:
    """`/mentoring programme new <name>` (owners); `programme workspace <name>` on an org-wide
    Grid install: joinable from this workspace only, not from every one of the organisation."""
    if request.args[:1] not in (["new"], ["workspace"]):
        reply(request.ack, text_message("Try `/mentoring programme new <name>`."))
        return
    name = " ".join(request.args[1:])
    here = request.args[0] == "workspace" and is_enterprise_id(request.team_id)
    with request.runtime.sessions.begin() as session:
        created = programmes.create(
            session=session,
            team_id=request.team_id,
            user_id=request.user_id,
            name=name,
            now=datetime.now(UTC),
            workspace_id=request.workspace_id if here else None,
        )
    reply(request.ack, blocks.programme_created(created))


def settings_modal(
    *, session: Session, runtime: Runtime, form: programmes.Form, team_id: str, user_id: str
) -> View:
    """The programme settings modal for `form`; editing a programme, for its owners only."""
    configured = runtime.settings.programme_owners
    if form.programme is not None:
        owners.require_owner(
            session=session,
            configured=configured,
            team_id=team_id,
            user_id=user_id,
            programme_id=form.programme.id,
        )
    return blocks.programme_modal(
        form.programme,
        owners=form.owners,
        configured=configured,
        pilots=form.pilots,
        org_wide=is_enterprise_id(team_id),
    )


def admin(request: CommandRequest) -> None:
    """`/mentoring admin [programme]` (owners): the programme settings modal."""
    with request.runtime.sessions() as session:
        form = programmes.form(
            session=session, team_id=request.team_id, name=" ".join(request.args)
        )
        view = settings_modal(
            session=session,
            runtime=request.runtime,
            form=form,
            team_id=request.team_id,
            user_id=request.user_id,
        )
    request.ack()
    request.later(lambda: open_view(request.client, request.trigger_id, view))


def register(app: App, runtime: Runtime) -> None:
    """Attach the settings modal's listener."""

    @app.view(Callback.ADMIN)
    @guarded
    def programme_saved(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        team_id, user_id = ids(body)
        programme_id, settings, chosen_owners = blocks.read_settings(view)
        here = programme_id is None and is_enterprise_id(team_id) and only_here(view)
        now = datetime.now(UTC)
        errors = programme_rules.problems(settings, today=now.date())
        if errors:
            ack(response_action="errors", errors=errors)
            return
        with runtime.sessions.begin() as session:
            owners.require_owner(
                session=session,
                configured=runtime.settings.programme_owners,
                team_id=team_id,
                user_id=user_id,
                programme_id=programme_id,
            )
            saved = programmes.save(
                session=session,
                team_id=team_id,
                user_id=user_id,
                programme_id=programme_id,
                settings=settings,
                owners=chosen_owners,
                configured=runtime.settings.programme_owners,
                now=now,
                workspace_id=envelope.workspace(body) if here else None,
                champions=read_champions(view),
            )
            notice = notice_modal(blocks.programme_saved(saved))
        ack(response_action="update", view=notice)
