"""The grants an :class:`~trunkline.tokens.AccessToken` can carry, one per Twilio product.

Each grant is a frozen value; its ``to_payload()`` is what goes under its ``key`` in the
token's ``grants`` claim. Unset (``None``) options are left out of the payload, as Twilio's
own libraries do.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

from .._errors import ValidationError

__all__ = [
    "ChatGrant",
    "Grant",
    "PlaybackGrant",
    "SyncGrant",
    "TaskRouterGrant",
    "VideoGrant",
    "VoiceGrant",
]


def _frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    return None if value is None else MappingProxyType(copy.deepcopy(dict(value)))


def _set(payload: dict[str, Any], **fields: Any) -> dict[str, Any]:
    for name, value in fields.items():
        if value is not None and value != "":
            payload[name] = value
    return payload


class Grant:
    """Base of all grants: ``key`` names the product in the ``grants`` claim."""

    __slots__ = ()
    key: ClassVar[str]

    def to_payload(self) -> dict[str, Any]:
        """The grant's part of the ``grants`` claim."""
        raise NotImplementedError


@attrs.frozen(kw_only=True)
class VoiceGrant(Grant):
    """Programmable Voice (Voice SDKs): incoming calls and an outgoing TwiML application."""

    key: ClassVar[str] = "voice"
    incoming_allow: bool | None = None
    outgoing_application_sid: str | None = None
    outgoing_application_params: Mapping[str, Any] | None = attrs.field(
        default=None, converter=_frozen_mapping, hash=False
    )
    push_credential_sid: str | None = None
    endpoint_id: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.outgoing_application_params and not self.outgoing_application_sid:
            raise ValidationError("outgoing_application_params needs an outgoing_application_sid")

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {}
        if self.incoming_allow is True:
            payload["incoming"] = {"allow": True}
        if self.outgoing_application_sid:
            outgoing: dict[str, Any] = {"application_sid": self.outgoing_application_sid}
            if self.outgoing_application_params:
                outgoing["params"] = copy.deepcopy(dict(self.outgoing_application_params))
            payload["outgoing"] = outgoing
        if self.push_credential_sid:
            payload["push_credential_sid"] = self.push_credential_sid
        if self.endpoint_id:
            payload["endpoint_id"] = self.endpoint_id
        return payload


@attrs.frozen(kw_only=True)
class VideoGrant(Grant):
    """Programmable Video: optionally limited to one room (name or SID)."""

    key: ClassVar[str] = "video"
    room: str | None = None

    def to_payload(self) -> dict[str, Any]:
        return {"room": self.room} if self.room else {}


@attrs.frozen(kw_only=True)
class ChatGrant(Grant):
    """Conversations / Programmable Chat."""

    key: ClassVar[str] = "chat"
    service_sid: str | None = None
    endpoint_id: str | None = None
    deployment_role_sid: str | None = None
    push_credential_sid: str | None = None

    def to_payload(self) -> dict[str, Any]:
        return _set(
            {},
            service_sid=self.service_sid,
            endpoint_id=self.endpoint_id,
            deployment_role_sid=self.deployment_role_sid,
            push_credential_sid=self.push_credential_sid,
        )


@attrs.frozen(kw_only=True)
class SyncGrant(Grant):
    """Sync (its claim key is ``data_sync``)."""

    key: ClassVar[str] = "data_sync"
    service_sid: str | None = None
    endpoint_id: str | None = None

    def to_payload(self) -> dict[str, Any]:
        return _set({}, service_sid=self.service_sid, endpoint_id=self.endpoint_id)


@attrs.frozen(kw_only=True)
class TaskRouterGrant(Grant):
    """TaskRouter (Flex): a workspace, a worker in it and a role."""

    key: ClassVar[str] = "task_router"
    workspace_sid: str | None = None
    worker_sid: str | None = None
    role: str | None = None

    def to_payload(self) -> dict[str, Any]:
        return _set(
            {}, workspace_sid=self.workspace_sid, worker_sid=self.worker_sid, role=self.role
        )


@attrs.frozen
class PlaybackGrant(Grant):
    """Twilio Live playback: the grant object the PlaybackGrant API returned, carried as is."""

    key: ClassVar[str] = "player"
    grant: Mapping[str, Any] = attrs.field(converter=_frozen_mapping, hash=False)

    @grant.validator
    def _check_grant(self, _: object, value: Mapping[str, Any]) -> None:
        if not value:
            raise ValidationError("PlaybackGrant needs the grant object from the PlaybackGrant API")

    def to_payload(self) -> dict[str, Any]:
        return copy.deepcopy(dict(self.grant))
