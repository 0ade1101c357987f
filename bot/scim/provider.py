"""What Upward's SCIM service serves and declares: Users with the enterprise extension."""

from typing import Annotated, Any

from pydantic import Field, field_validator
from scim2_models import (
    AuthenticationScheme,
    Bulk,
    CaseExact,
    ChangePassword,
    ETag,
    Filter,
    Patch,
    Reference,
    Required,
    ResourceType,
    ScimProvider,
    ServiceProviderConfig,
    Sort,
    User,
)
from scim2_models import EnterpriseUser as RfcEnterpriseUser
from scim2_models.resources.enterprise_user import Manager as RfcManager

# The most users one page of a search holds.
MAX_RESULTS = 200
# Larger than any one user; the web front refuses bodies over 1 MiB anyway.
MAX_BODY_BYTES = 256 * 1024


class Manager(RfcManager):
    """The manager, by SCIM id; `$ref` optional, as Okta and Entra send only `value`."""

    value: Annotated[str | None, Required.false, CaseExact.true] = None
    ref: Annotated[Reference["User"] | None, Required.false] = Field(  # type: ignore[type-arg]
        None, serialization_alias="$ref", validation_alias="$ref"
    )


class EnterpriseUser(RfcEnterpriseUser):
    """The enterprise extension (RFC 7643 §4.3): Upward reads `manager` and `department`."""

    manager: Manager | None = None

    @field_validator("manager", mode="before")
    @classmethod
    def _bare_id(cls, value: object) -> object:
        # Microsoft Entra sends a PATCH's manager as the bare id ("value": "2819c223…").
        return {"value": value} if isinstance(value, str) else value


DirectoryUser: Any = User[EnterpriseUser]


def provider() -> ScimProvider:
    """Users only (no Groups), PATCH and ETags; no bulk, sorting or password changes."""
    config = ServiceProviderConfig(
        documentation_uri=None,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=True),
        authentication_schemes=[
            AuthenticationScheme(
                type=AuthenticationScheme.Type.oauthbearertoken,
                name="Bearer token",
                description="The SCIM_TOKEN of Upward's configuration, as a bearer token",
                primary=True,
            )
        ],
    )
    return ScimProvider(
        models=[User, EnterpriseUser],
        resource_types=[ResourceType.from_resource(DirectoryUser)],
        config=config,
    )
