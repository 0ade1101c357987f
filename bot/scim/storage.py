"""scim2-server's storage over Upward's database: one request's session, through flows.scim."""

from datetime import datetime
from typing import Any, Union

from scim2_models import (
    Meta,
    NotFoundException,
    PreconditionFailedException,
    Resource,
    ResourceType,
    ResponseParameters,
    ScimFilter,
    SearchRequest,
    UniquenessException,
)
from scim2_models.path import CompareOperator, Comparison
from scim2_server.storage import ScimStorage, SearchPage
from sqlalchemy.orm import Session

from bot.flows import scim
from bot.flows.notify import Notifier
from bot.flows.scim import lookups as finding
from bot.scim.provider import DirectoryUser, EnterpriseUser
from bot.store.models import ScimUser

_CORE = "urn:ietf:params:scim:schemas:core:2.0:User:"
# The attributes an `eq` filter is answered on by the database (IdPs ask for these).
_BY_USER_NAME, _BY_EXTERNAL_ID = _CORE + "userName", _CORE + "externalId"
_NOT_STORED = ("id", "meta", "password")


class DirectoryStorage(ScimStorage):
    """The users of one workspace, read and written in one request's transaction."""

    def __init__(
        self,
        *,
        session: Session,
        team_id: str,
        now: datetime,
        notifier: Notifier,
        writing: bool = False,
    ):
        self.session, self.team_id, self.now, self.notifier = session, team_id, now, notifier
        # A write reads the user first (a PATCH is applied to it): two writes to one user queue.
        self.writing = writing
        # The users this request wrote, to look up in Slack once the client has its answer, and
        # the addresses of departed users never found there (to find, and erase, them still).
        self.written: list[str] = []
        self.departed_unfound: list[str] = []

    def get(
        self,
        resource_type: ResourceType,  # noqa: ARG002
        resource_id: str,
        *,
        response_parameters: ResponseParameters[Any] | None = None,  # noqa: ARG002
    ) -> Resource[Any]:
        try:
            row = scim.get(
                session=self.session, team_id=self.team_id, scim_id=resource_id, lock=self.writing
            )
        except scim.Missing:
            raise NotFoundException(detail=f"User {resource_id!r} not found") from None
        return to_resource(row)

    def search(
        self,
        resource_types: list[ResourceType],  # noqa: ARG002
        search_request: SearchRequest[Any],
        *,
        position: Any = None,  # noqa: ARG002
    ) -> SearchPage:
        start = search_request.start_index_0 or 0
        count = search_request.count
        by = _by_column(search_request.filter)
        if search_request.filter is None or by is not None:
            total, rows = scim.find(
                session=self.session,
                team_id=self.team_id,
                offset=start,
                limit=count,
                **(by or {}),
            )
            return SearchPage(total, [to_resource(r) for r in rows])
        # Any other filter: evaluated by scim2-models over the workspace's users.
        scim_filter = search_request.filter
        if not scim_filter.models:
            scim_filter = ScimFilter[Union[DirectoryUser]](str(scim_filter))  # noqa: UP007
        everyone = [
            to_resource(r) for r in scim.everyone(session=self.session, team_id=self.team_id)
        ]
        found = [r for r in everyone if scim_filter.match(r)]
        stop = None if count is None else start + count
        return SearchPage(len(found), found[start:stop])

    def create(self, resource_type: ResourceType, resource: Resource[Any]) -> Resource[Any]:  # noqa: ARG002
        try:
            row = scim.create(
                session=self.session, team_id=self.team_id, user=provisioned(resource), now=self.now
            )
        except scim.Taken:
            raise UniquenessException(detail="userName is already taken") from None
        self.written.append(row.id)
        return to_resource(row)

    def update(
        self,
        resource_type: ResourceType,  # noqa: ARG002
        resource: Resource[Any],
        *,
        expected_version: str | None = None,
    ) -> Resource[Any]:
        self._note_departure(
            str(resource.id), active_after=getattr(resource, "active", None) is not False
        )
        try:
            row = scim.replace(
                session=self.session,
                team_id=self.team_id,
                scim_id=str(resource.id),
                user=provisioned(resource),
                now=self.now,
                notifier=self.notifier,
                expected_version=_version_number(expected_version),
            )
        except scim.Missing:
            raise NotFoundException(detail=f"User {resource.id!r} not found") from None
        except scim.Stale:
            raise PreconditionFailedException() from None
        except scim.Taken:
            raise UniquenessException(detail="userName is already taken") from None
        self.written.append(row.id)
        return to_resource(row)

    def delete(
        self,
        resource_type: ResourceType,  # noqa: ARG002
        resource_id: str,
        *,
        expected_version: str | None = None,
    ) -> None:
        self._note_departure(resource_id, active_after=False)
        try:
            scim.delete(
                session=self.session,
                team_id=self.team_id,
                scim_id=resource_id,
                now=self.now,
                notifier=self.notifier,
                expected_version=_version_number(expected_version),
            )
        except scim.Missing:
            raise NotFoundException(detail=f"User {resource_id!r} not found") from None
        except scim.Stale:
            raise PreconditionFailedException() from None

    def _note_departure(self, scim_id: str, *, active_after: bool) -> None:
        email = finding.unfound_departure(
            session=self.session, team_id=self.team_id, scim_id=scim_id, active_after=active_after
        )
        if email is not None:
            self.departed_unfound.append(email)


def provisioned(resource: Any) -> scim.Provisioned:
    """What the flows keep of a resource the client sent."""
    attributes = {k: v for k, v in resource.model_dump().items() if k not in _NOT_STORED}
    extension = resource[EnterpriseUser]
    manager = extension.manager.value if extension is not None and extension.manager else None
    return scim.Provisioned(
        user_name=str(resource.user_name),
        external_id=resource.external_id,
        active=resource.active is not False,
        manager_id=manager,
        department=extension.department if extension is not None else None,
        email=_address(resource),
        attributes=attributes,
    )


def to_resource(row: ScimUser) -> Resource[Any]:
    """The stored user as the client sees it."""
    resource: Resource[Any] = DirectoryUser.model_validate(row.attributes)
    resource.id = row.id
    resource.meta = Meta(
        resource_type="User",
        created=row.created_at,
        last_modified=row.updated_at,
        version=f'W/"{row.version}"',
    )
    return resource


def _address(resource: Any) -> str | None:
    """The address to find the person in Slack by: the primary email, a work one, or userName."""
    emails = [e for e in resource.emails or [] if e.value]
    for chosen in (
        [e for e in emails if e.primary],
        [e for e in emails if str(e.type or "") == "work"],
        emails,
    ):
        if chosen:
            return str(chosen[0].value).strip().lower()[:320]
    user_name = str(resource.user_name or "")
    return user_name.strip().lower()[:320] if "@" in user_name else None


def _by_column(scim_filter: ScimFilter[Any] | None) -> dict[str, str] | None:
    """`userName eq "…"` or `externalId eq "…"`, as arguments of scim.find; else None."""
    if scim_filter is None:
        return None
    node = scim_filter.ast
    if not isinstance(node, Comparison) or node.op != CompareOperator.eq:
        return None
    if not isinstance(node.value, str):
        return None
    path = node.attr_path
    urn = f"{path.uri or _CORE.rstrip(':')}:{path.attr}" if path.sub_attr is None else None
    if urn is not None and urn.casefold() == _BY_USER_NAME.casefold():
        return {"user_name": node.value}
    if urn is not None and urn.casefold() == _BY_EXTERNAL_ID.casefold():
        return {"external_id": node.value}
    return None


def _version_number(etag: str | None) -> int | None:
    """The stored version an ETag (W/"3") names; a malformed one matches no version."""
    if etag is None:
        return None
    digits = etag.removeprefix("W/").strip('"')
    return int(digits) if digits.isdigit() and len(digits) < 12 else -1
