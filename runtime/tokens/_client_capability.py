"""Legacy Twilio Client capability tokens (Voice JS SDK 1.x): scopes in one HS256 JWT."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import attrs
import jwt

from ._checks import check_sid, seconds, sid, text

__all__ = ["ClientCapabilityToken"]

Params = tuple[tuple[str, str | tuple[str, ...]], ...]
_EVENTS_PATH = "/2010-04-01/Events"


def _params(values: Mapping[str, str | Sequence[str]]) -> Params:
    frozen: list[tuple[str, str | tuple[str, ...]]] = []
    for name, value in values.items():
        frozen.append((name, value if isinstance(value, str) else tuple(value)))
    return tuple(frozen)


def _scope(service: str, privilege: str, params: Mapping[str, str]) -> str:
    query = urlencode(sorted(params.items()))
    return f"scope:{service}:{privilege}" + (f"?{query}" if query else "")


@attrs.frozen
class ClientCapabilityToken:
    """Scopes for the legacy Twilio Client (``scope:client:incoming``/``outgoing``, events).

    Each ``allow_*`` step returns a new token; ``to_jwt()`` signs with the auth token::

        token = (
            ClientCapabilityToken(account_sid, auth_token)
            .allow_client_incoming("ana")
            .allow_client_outgoing("AP…", team="support")
            .to_jwt()
        )

    Scopes appear in the order they were first allowed; allowing one again replaces it.

    Args:
        account_sid: the account (``AC…``), the ``iss`` claim.
        auth_token: the account's auth token, which signs; never shown in ``repr``.
        ttl: seconds from issue to expiry.
        nbf: not-before time in seconds since the epoch; default the issue time.

    Raises:
        ValueError: a SID with the wrong prefix, an empty secret or name, a bad time.
    """

    account_sid: str = attrs.field(validator=sid("AC"))
    auth_token: str = attrs.field(validator=text(), repr=False)
    ttl: int = attrs.field(default=3600, kw_only=True, validator=seconds(positive=True))
    nbf: int | None = attrs.field(default=None, kw_only=True, validator=seconds(optional=True))
    outgoing: tuple[str, Params] | None = attrs.field(default=None, kw_only=True)
    incoming: str | None = attrs.field(default=None, kw_only=True, validator=text(optional=True))
    events: Params | None = attrs.field(default=None, kw_only=True)
    order: tuple[str, ...] = attrs.field(default=(), kw_only=True)

    def _ordered(self, scope: str, **changes: Any) -> ClientCapabilityToken:
        order = self.order if scope in self.order else (*self.order, scope)
        return attrs.evolve(self, order=order, **changes)

    def allow_client_outgoing(
        self, application_sid: str, **params: str | Sequence[str]
    ) -> ClientCapabilityToken:
        """Allows outgoing calls to the TwiML app ``AP…``, passing ``params`` to it."""
        check_sid("AP", "application_sid", application_sid)
        return self._ordered("outgoing", outgoing=(application_sid, _params(params)))

    def allow_client_incoming(self, client_name: str) -> ClientCapabilityToken:
        """Allows incoming calls to the client named ``client_name``."""
        return self._ordered("incoming", incoming=client_name)

    def allow_event_stream(self, **filters: str | Sequence[str]) -> ClientCapabilityToken:
        """Allows subscribing to the account's event stream, narrowed by ``filters``."""
        return self._ordered("events", events=_params(filters))

    def scopes(self) -> list[str]:
        """The scope URIs, in the order they were allowed."""
        scopes = []
        for name in self.order:
            if name == "outgoing" and self.outgoing is not None:
                app_sid, app_params = self.outgoing
                params = {"appSid": app_sid}
                if app_params:
                    params["appParams"] = urlencode(app_params, doseq=True)
                if self.incoming is not None:
                    params["clientName"] = self.incoming
                scopes.append(_scope("client", "outgoing", params))
            elif name == "incoming" and self.incoming is not None:
                scopes.append(_scope("client", "incoming", {"clientName": self.incoming}))
            elif name == "events" and self.events is not None:
                params = {"path": _EVENTS_PATH}
                if self.events:
                    params["params"] = urlencode(self.events, doseq=True)
                scopes.append(_scope("stream", "subscribe", params))
        return scopes

    def claims(self, *, now: float | None = None) -> dict[str, Any]:
        """The token's claims at ``now`` (default the wall clock)."""
        issued = int(time.time() if now is None else now)
        return {
            "scope": " ".join(self.scopes()),
            "iss": self.account_sid,
            "exp": issued + self.ttl,
            "nbf": issued if self.nbf is None else self.nbf,
        }

    def to_jwt(self, *, now: float | None = None) -> str:
        """Signs the token (HS256 with the auth token)."""
        return jwt.encode(self.claims(now=now), self.auth_token, algorithm="HS256")
