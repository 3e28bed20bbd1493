"""TaskRouter capability tokens for the TaskRouter JS SDK: worker, workspace and task queue.

Builders in the style of ExTwilio's ``WorkerCapability``: every step returns a new value, and
``token()`` signs it with the account's auth token (HS256)::

    token = (
        WorkerCapability.new("WK…", "WS…")        # account SID and auth token from the env
        .with_ttl(8 * 3600)
        .allow_activity_updates()
        .allow_reservation_updates()
        .token()
    )

Policies that refer to the worker, queue or workspace are resolved when the token is signed,
so changing a SID later (``with_worker_sid``) moves them along.
"""

from __future__ import annotations

import copy
import os
import time
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal, Self

import attrs
import jwt

from .._errors import ValidationError
from ._checks import check_sid, check_text, seconds, sid, text

__all__ = ["Policy", "TaskQueueCapability", "WorkerCapability", "WorkspaceCapability"]

TASKROUTER_BASE_URL = "https://taskrouter.twilio.com/v1"
EVENT_BRIDGE_URL = "https://event-bridge.twilio.com/v1/wschannels"
_METHODS = frozenset({"GET", "POST", "DELETE"})
_ACTIVITY_FILTER: Mapping[str, Any] = MappingProxyType({"ActivitySid": {"required": True}})

Base = Literal["url", "workspace", "channel"]


def _frozen(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(copy.deepcopy(dict(value or {})))


@attrs.frozen
class Policy:
    """One rule of a capability token: may ``method`` be used on ``url`` (with these filters)?

    ``url`` is absolute when ``base`` is ``"url"``; otherwise it is a suffix appended to the
    workspace's or the token's own resource URL when the token is signed.
    """

    url: str
    method: str
    query_filter: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen, hash=False)
    post_filter: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen, hash=False)
    allow: bool = True
    base: Base = "url"

    def to_payload(self, workspace_url: str, channel_url: str) -> dict[str, Any]:
        """The policy as it appears in the ``policies`` claim."""
        prefix = {"url": "", "workspace": workspace_url, "channel": channel_url}[self.base]
        return {
            "url": prefix + self.url,
            "method": self.method,
            "query_filter": copy.deepcopy(dict(self.query_filter)),
            "post_filter": copy.deepcopy(dict(self.post_filter)),
            "allow": self.allow,
        }


def _policy(
    url: str,
    method: str,
    query_filter: Mapping[str, Any] | None,
    post_filter: Mapping[str, Any] | None,
    *,
    allow: bool,
) -> Policy:
    if not str(url).startswith(("https://", "http://")):
        raise ValidationError(f"policy url must be an absolute http(s) URL, not {url!r}")
    upper = str(method).upper()
    if upper not in _METHODS:
        raise ValidationError(f"policy method must be GET, POST or DELETE, not {method!r}")
    return Policy(url, upper, query_filter, post_filter, allow)


@attrs.frozen(kw_only=True)
class _Capability:
    workspace_sid: str = attrs.field(validator=sid("WS"))
    account_sid: str | None = attrs.field(default=None, validator=sid("AC", optional=True))
    auth_token: str | None = attrs.field(default=None, repr=False, validator=text(optional=True))
    ttl: int = attrs.field(default=3600, validator=seconds(positive=True))
    start: int | None = attrs.field(default=None, validator=seconds(optional=True))
    policies: tuple[Policy, ...] = ()

    @property
    def channel(self) -> str:
        """The SID the token's event channel belongs to."""
        raise NotImplementedError

    def _channel_path(self) -> str:
        raise NotImplementedError

    def _default_policies(self) -> tuple[Policy, ...]:
        return (Policy("", "GET", base="channel"),)

    def _extra_claims(self) -> dict[str, str]:
        return {}

    def with_ttl(self, ttl: int) -> Self:
        """Sets the lifetime: the token expires ``ttl`` seconds after its start time."""
        return attrs.evolve(self, ttl=ttl)

    def starting_at(self, start: int) -> Self:
        """Sets the start time (``nbf``), in seconds since the epoch; default: when signed."""
        return attrs.evolve(self, start=start)

    def with_account_sid(self, account_sid: str) -> Self:
        """Sets the account (``AC…``) the token is issued by."""
        return attrs.evolve(self, account_sid=check_sid("AC", "account_sid", account_sid))

    def with_auth_token(self, auth_token: str) -> Self:
        """Sets the auth token that signs the token."""
        return attrs.evolve(self, auth_token=check_text("auth_token", auth_token))

    def with_workspace_sid(self, workspace_sid: str) -> Self:
        """Sets the workspace (``WS…``)."""
        return attrs.evolve(self, workspace_sid=workspace_sid)

    def allow(
        self,
        url: str,
        method: str,
        query_filter: Mapping[str, Any] | None = None,
        post_filter: Mapping[str, Any] | None = None,
    ) -> Self:
        """Adds a policy allowing ``method`` on ``url`` (absolute; ``/**`` matches below it)."""
        return self._with(_policy(url, method, query_filter, post_filter, allow=True))

    def deny(
        self,
        url: str,
        method: str,
        query_filter: Mapping[str, Any] | None = None,
        post_filter: Mapping[str, Any] | None = None,
    ) -> Self:
        """Adds a policy explicitly denying ``method`` on ``url``."""
        return self._with(_policy(url, method, query_filter, post_filter, allow=False))

    def allow_fetch_subresources(self) -> Self:
        """Allows GET on everything below the token's own resource."""
        return self._with(Policy("/**", "GET", base="channel"))

    def allow_updates(self) -> Self:
        """Allows POST on the token's own resource (no filter)."""
        return self._with(Policy("", "POST", base="channel"))

    def allow_update_subresources(self) -> Self:
        """Allows POST on everything below the token's own resource."""
        return self._with(Policy("/**", "POST", base="channel"))

    def allow_delete(self) -> Self:
        """Allows DELETE on the token's own resource."""
        return self._with(Policy("", "DELETE", base="channel"))

    def allow_delete_subresources(self) -> Self:
        """Allows DELETE on everything below the token's own resource."""
        return self._with(Policy("/**", "DELETE", base="channel"))

    def _with(self, *policies: Policy) -> Self:
        new = tuple(p for p in policies if p not in self.policies)
        return attrs.evolve(self, policies=self.policies + new) if new else self

    @property
    def workspace_url(self) -> str:
        """The workspace's TaskRouter URL."""
        return f"{TASKROUTER_BASE_URL}/Workspaces/{self.workspace_sid}"

    @property
    def resource_url(self) -> str:
        """The TaskRouter URL of the worker, queue or workspace the token is for."""
        return self.workspace_url + self._channel_path()

    def claims(self, *, now: float | None = None) -> dict[str, Any]:
        """The token's claims; the start time is ``now`` (default the clock) unless set.

        Raises:
            ValueError: no account SID or auth token was given or found in the environment.
        """
        account_sid = self._account_sid()
        start = self.start if self.start is not None else int(time.time() if now is None else now)
        workspace_url, channel_url = self.workspace_url, self.resource_url
        socket = f"{EVENT_BRIDGE_URL}/{account_sid}/{self.channel}"
        policies = [
            {"url": socket, "method": "GET", "query_filter": {}, "post_filter": {}, "allow": True},
            {"url": socket, "method": "POST", "query_filter": {}, "post_filter": {}, "allow": True},
        ]
        policies.extend(
            policy.to_payload(workspace_url, channel_url)
            for policy in self._default_policies() + self.policies
        )
        return {
            "iss": account_sid,
            "exp": start + self.ttl,
            "nbf": start,
            "account_sid": account_sid,
            "workspace_sid": self.workspace_sid,
            "channel": self.channel,
            "version": "v1",
            "friendly_name": self.channel,
            "policies": policies,
            **self._extra_claims(),
        }

    def token(self, *, now: float | None = None) -> str:
        """Signs the capability token (HS256 with the auth token)."""
        claims = self.claims(now=now)
        return jwt.encode(claims, self._auth_token(), algorithm="HS256")

    def _account_sid(self) -> str:
        if self.account_sid is None:
            raise ValidationError("no account SID: pass account_sid or set TWILIO_ACCOUNT_SID")
        return self.account_sid

    def _auth_token(self) -> str:
        if self.auth_token is None:
            raise ValidationError("no auth token: pass auth_token or set TWILIO_AUTH_TOKEN")
        return self.auth_token


def _credentials(
    account_sid: str | None, auth_token: str | None, environ: Mapping[str, str] | None
) -> tuple[str | None, str | None]:
    env = os.environ if environ is None else environ
    account = account_sid if account_sid is not None else env.get("TWILIO_ACCOUNT_SID") or None
    token = auth_token if auth_token is not None else env.get("TWILIO_AUTH_TOKEN") or None
    return account, token


@attrs.frozen(kw_only=True)
class WorkerCapability(_Capability):
    """A capability token for one worker (``WK…``) in a workspace.

    By default it may listen on its event channel and read itself, the workspace's
    activities, tasks and its own reservations; :meth:`allow_activity_updates` and
    :meth:`allow_reservation_updates` add the usual write rights.
    """

    worker_sid: str = attrs.field(validator=sid("WK"))

    @classmethod
    def new(
        cls,
        worker_sid: str,
        workspace_sid: str,
        *,
        account_sid: str | None = None,
        auth_token: str | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> WorkerCapability:
        """Starts a worker capability; credentials default to TWILIO_ACCOUNT_SID/_AUTH_TOKEN.

        Raises:
            ValueError: a SID with the wrong prefix.
        """
        account, token = _credentials(account_sid, auth_token, environ)
        return cls(
            worker_sid=worker_sid,
            workspace_sid=workspace_sid,
            account_sid=account,
            auth_token=token,
        )

    @property
    def channel(self) -> str:
        return self.worker_sid

    def _channel_path(self) -> str:
        return f"/Workers/{self.worker_sid}"

    def _default_policies(self) -> tuple[Policy, ...]:
        return (
            Policy("", "GET", base="channel"),
            Policy("/Activities", "GET", base="workspace"),
            Policy("/Tasks/**", "GET", base="workspace"),
            Policy("/Reservations/**", "GET", base="channel"),
        )

    def _extra_claims(self) -> dict[str, str]:
        return {"worker_sid": self.worker_sid}

    def with_worker_sid(self, worker_sid: str) -> WorkerCapability:
        """Sets the worker (``WK…``)."""
        return attrs.evolve(self, worker_sid=worker_sid)

    def allow_activity_updates(self) -> WorkerCapability:
        """Allows the worker to change its activity (POST with a required ``ActivitySid``)."""
        return self._with(Policy("", "POST", post_filter=_ACTIVITY_FILTER, base="channel"))

    def allow_reservation_updates(self) -> WorkerCapability:
        """Allows the worker to accept or reject tasks and its reservations."""
        return self._with(
            Policy("/Tasks/**", "POST", base="workspace"),
            Policy("/Reservations/**", "POST", base="channel"),
        )


@attrs.frozen(kw_only=True)
class TaskQueueCapability(_Capability):
    """A capability token for one task queue (``WQ…``): its event channel and itself (GET)."""

    taskqueue_sid: str = attrs.field(validator=sid("WQ"))

    @classmethod
    def new(
        cls,
        taskqueue_sid: str,
        workspace_sid: str,
        *,
        account_sid: str | None = None,
        auth_token: str | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> TaskQueueCapability:
        """Starts a task queue capability; credentials default to the TWILIO_* variables."""
        account, token = _credentials(account_sid, auth_token, environ)
        return cls(
            taskqueue_sid=taskqueue_sid,
            workspace_sid=workspace_sid,
            account_sid=account,
            auth_token=token,
        )

    @property
    def channel(self) -> str:
        return self.taskqueue_sid

    def _channel_path(self) -> str:
        return f"/TaskQueues/{self.taskqueue_sid}"

    def _extra_claims(self) -> dict[str, str]:
        return {"taskqueue_sid": self.taskqueue_sid}

    def with_taskqueue_sid(self, taskqueue_sid: str) -> TaskQueueCapability:
        """Sets the task queue (``WQ…``)."""
        return attrs.evolve(self, taskqueue_sid=taskqueue_sid)


@attrs.frozen(kw_only=True)
class WorkspaceCapability(_Capability):
    """A capability token for a whole workspace: its event channel and itself (GET)."""

    @classmethod
    def new(
        cls,
        workspace_sid: str,
        *,
        account_sid: str | None = None,
        auth_token: str | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> WorkspaceCapability:
        """Starts a workspace capability; credentials default to the TWILIO_* variables."""
        account, token = _credentials(account_sid, auth_token, environ)
        return cls(
            workspace_sid=workspace_sid,
            account_sid=account,
            auth_token=token,
        )

    @property
    def channel(self) -> str:
        return self.workspace_sid

    def _channel_path(self) -> str:
        return ""
