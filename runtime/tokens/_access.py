"""Twilio access tokens: short-lived HS256 JWTs, signed with an API key, for client SDKs."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import attrs
import jwt

from ._checks import check_seconds, seconds, sid, text
from ._grants import Grant

__all__ = ["AccessToken"]

_HEADER = {"cty": "twilio-fpa;v=1", "typ": "JWT", "alg": "HS256"}


def _add(index: dict[str, Grant], grant: Grant) -> None:
    if not isinstance(grant, Grant):
        raise TypeError(f"expected a grant such as VoiceGrant, not {type(grant).__name__}")
    if grant.key in index:
        raise ValueError(f"the token already has a {type(grant).__name__}")
    index[grant.key] = grant


def _index(grants: Iterable[Grant]) -> dict[str, Grant]:
    index: dict[str, Grant] = {}
    for grant in grants:
        _add(index, grant)
    return index


@attrs.define(eq=False)
class AccessToken:
    """A Twilio access token for the Voice, Video, Conversations, Sync, TaskRouter or Live SDKs.

    Used like the official helper, so code can move over unchanged::

        token = AccessToken(account_sid, api_key_sid, api_key_secret, identity="ana")
        token.add_grant(VideoGrant(room="standup"))
        jwt_text = token.to_jwt()

    The credentials and settings cannot be reassigned after construction; only grants are
    added (``add_grant`` changes the token in place, as in Twilio's library, and returns it
    for chaining). Each product's grant appears at most once.

    Args:
        account_sid: the account (``AC…``), the ``sub`` claim.
        api_key_sid: the API key (``SK…``) that signs, the ``iss`` claim.
        api_key_secret: the API key's secret; never shown in ``repr``.
        identity: the user the token is for, put in ``grants.identity``.
        ttl: seconds from issue to expiry (Twilio allows up to 24 hours).
        nbf: not-before time in seconds since the epoch; omitted when ``None``.
        region: the home region, sent as the ``twr`` header (e.g. ``"ie1"``).
        grants: grants to start with.

    Raises:
        ValueError: a SID with the wrong prefix, an empty secret or identity, a bad time.
    """

    account_sid: str = attrs.field(validator=sid("AC"), on_setattr=attrs.setters.frozen)
    api_key_sid: str = attrs.field(validator=sid("SK"), on_setattr=attrs.setters.frozen)
    api_key_secret: str = attrs.field(validator=text(), repr=False, on_setattr=attrs.setters.frozen)
    identity: str = attrs.field(kw_only=True, validator=text(), on_setattr=attrs.setters.frozen)
    ttl: int = attrs.field(
        default=3600,
        kw_only=True,
        validator=seconds(positive=True),
        on_setattr=attrs.setters.frozen,
    )
    nbf: int | None = attrs.field(
        default=None,
        kw_only=True,
        validator=seconds(optional=True),
        on_setattr=attrs.setters.frozen,
    )
    region: str | None = attrs.field(default=None, kw_only=True, on_setattr=attrs.setters.frozen)
    _grants: dict[str, Grant] = attrs.field(
        factory=tuple, kw_only=True, alias="grants", converter=_index
    )
    _header: dict[str, str] = attrs.field(init=False, repr=False)

    @_header.default
    def _make_header(self) -> dict[str, str]:
        return {**_HEADER, "twr": self.region} if self.region else _HEADER

    @property
    def grants(self) -> tuple[Grant, ...]:
        """The grants added so far, in order."""
        return tuple(self._grants.values())

    def add_grant(self, grant: Grant) -> AccessToken:
        """Adds a grant (in place, as Twilio's library does) and returns this token.

        Raises:
            TypeError: ``grant`` is not a grant.
            ValueError: a grant for the same product is already present.
        """
        _add(self._grants, grant)
        return self

    def claims(self, *, now: float | None = None, ttl: int | None = None) -> dict[str, Any]:
        """The token's claims at ``now`` (default the wall clock); ``ttl`` overrides the TTL."""
        issued = int(time.time() if now is None else now)
        grants: dict[str, Any] = {key: grant.to_payload() for key, grant in self._grants.items()}
        grants["identity"] = self.identity
        claims: dict[str, Any] = {
            "jti": f"{self.api_key_sid}-{issued}",
            "grants": grants,
            "iss": self.api_key_sid,
            "sub": self.account_sid,
            "iat": issued,
            "exp": issued + (self.ttl if ttl is None else ttl),
        }
        if self.nbf is not None:
            claims["nbf"] = self.nbf
        return claims

    def to_jwt(self, *, now: float | None = None, ttl: int | None = None) -> str:
        """Signs the token (HS256): the string to hand to the client SDK.

        Args:
            now: issue time in seconds since the epoch; default the wall clock.
            ttl: overrides the token's TTL for this signature.
        """
        if ttl is not None:
            check_seconds("ttl", ttl, positive=True)
        return jwt.encode(
            self.claims(now=now, ttl=ttl),
            self.api_key_secret,
            algorithm="HS256",
            headers=self._header,
        )
