"""Twilio access tokens: short-lived HS256 JWTs, signed with an API key, for client SDKs."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import Any

import attrs
import jwt

from .._errors import ValidationError
from ._checks import check_seconds, check_sid, check_text
from ._grants import Grant

__all__ = ["AccessToken"]

_HEADER = {"cty": "twilio-fpa;v=1", "typ": "JWT", "alg": "HS256"}
# jwt.encode builds a new JSON encoder per call; serialising with one kept encoder (the
# same compact separators) and signing with PyJWS is byte-identical and measurably faster.
_COMPACT_JSON = json.JSONEncoder(separators=(",", ":"))
_JWS = jwt.PyJWS()


def _add(index: dict[str, Grant], grant: Grant) -> None:
    if not isinstance(grant, Grant):
        raise TypeError(f"expected a grant such as VoiceGrant, not {type(grant).__name__}")
    if grant.key in index:
        raise ValidationError(f"the token already has a {type(grant).__name__}")
    index[grant.key] = grant


@attrs.frozen(init=False, eq=False)
class AccessToken:
    """A Twilio access token for the Voice, Video, Conversations, Sync, TaskRouter or Live SDKs.

    Used like the official helper, so code can move over unchanged::

        token = AccessToken(account_sid, api_key_sid, api_key_secret, identity="ana")
        token.add_grant(VideoGrant(room="standup"))
        jwt_text = token.to_jwt()

    The credentials and settings cannot be reassigned after construction. Grants are the
    one thing that accumulates: ``add_grant`` adds to this token in place, as Twilio's
    library does, so code written for it keeps working (a copy-returning ``add_grant``
    would silently drop grants there); it returns the token for chaining. Each product's
    grant appears at most once.

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

    account_sid: str
    api_key_sid: str
    api_key_secret: str = attrs.field(repr=False)
    identity: str
    ttl: int
    nbf: int | None
    region: str | None
    _grants: dict[str, Grant] = attrs.field(alias="grants")
    _header: dict[str, str] = attrs.field(repr=False)

    def __init__(
        self,
        account_sid: str,
        api_key_sid: str,
        api_key_secret: str,
        *,
        identity: str,
        ttl: int = 3600,
        nbf: int | None = None,
        region: str | None = None,
        grants: Iterable[Grant] = (),
    ) -> None:
        check_sid("AC", "account_sid", account_sid)
        check_sid("SK", "api_key_sid", api_key_sid)
        check_text("api_key_secret", api_key_secret)
        check_text("identity", identity)
        check_seconds("ttl", ttl, positive=True)
        if nbf is not None:
            check_seconds("nbf", nbf)
        if region is not None:
            check_text("region", region)
        header = {**_HEADER, "twr": region} if region else _HEADER
        index: dict[str, Grant] = {}
        for grant in grants:
            _add(index, grant)
        self.__attrs_init__(
            account_sid, api_key_sid, api_key_secret, identity, ttl, nbf, region, index, header
        )

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
        payload = _COMPACT_JSON.encode(self.claims(now=now, ttl=ttl)).encode("utf-8")
        return _JWS.encode(payload, self.api_key_secret, algorithm="HS256", headers=self._header)
