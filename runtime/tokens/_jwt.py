"""Signing and verifying JWTs on top of PyJWT, mapping its errors onto ours.

Expiry and not-before are checked here rather than by PyJWT so callers can inject the
current time (PyJWT always reads the wall clock). A time claim must be a finite number
(NaN or Infinity would make a token that never expires), and ``exp`` is required unless
the caller opts out.
"""

from __future__ import annotations

import math
import time
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey

from .._errors import ValidationError
from ._errors import (
    ExpiredTokenError,
    InvalidSignatureError,
    MalformedTokenError,
    NotYetValidTokenError,
    UnsupportedAlgorithmError,
)

if TYPE_CHECKING:
    from jwt.types import Options

__all__ = ["decode", "verify"]

# Signature only: claim checks happen in _check_times with an injectable clock.
_SIGNATURE_ONLY: Options = {
    "verify_signature": True,
    "verify_exp": False,
    "verify_nbf": False,
    "verify_iat": False,
    "verify_aud": False,
    "verify_iss": False,
    "verify_sub": False,
    "verify_jti": False,
}


def decode(
    token: str,
    secret: str | bytes,
    *,
    leeway: float = 0,
    now: float | None = None,
    require_exp: bool = True,
) -> dict[str, Any]:
    """Verifies an HS256 token signed with a shared secret and returns its claims.

    The signature must match, ``exp`` must be there (unless ``require_exp`` is False) and
    not past, and ``nbf`` (when present) must not be ahead, each with ``leeway`` seconds
    of slack; both must be finite numbers. Tokens whose header
    names ``none`` or any algorithm other than HS256 are refused before the signature is
    looked at, so a token cannot choose how it is checked.

    Args:
        token: the compact JWT.
        secret: the shared secret (an API key secret or auth token).
        leeway: seconds of clock skew tolerated for ``exp`` and ``nbf``.
        now: the current time in seconds since the epoch; default the wall clock.
        require_exp: refuse a token without ``exp`` (one that never expires).

    Raises:
        ValidationError: ``secret`` is empty or ``leeway`` negative.
        MalformedTokenError, UnsupportedAlgorithmError, InvalidSignatureError,
        ExpiredTokenError, NotYetValidTokenError: the token is rejected.
    """
    if not secret:
        raise ValidationError("secret must not be empty")
    return verify(
        token, secret, algorithms=("HS256",), leeway=leeway, now=now, require_exp=require_exp
    )


def verify(
    token: str,
    key: str | bytes | EllipticCurvePublicKey,
    *,
    algorithms: Collection[str],
    leeway: float = 0,
    now: float | None = None,
    require_exp: bool = True,
) -> dict[str, Any]:
    """Checks the header's algorithm, the signature, ``exp`` and ``nbf``; returns the claims."""
    if not leeway >= 0 or not math.isfinite(leeway):
        raise ValidationError(f"leeway must not be negative, not {leeway!r}")
    if not token:
        raise MalformedTokenError("token is empty")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError as exc:
        raise MalformedTokenError(f"token is not a well-formed JWT: {exc}") from None
    alg = header.get("alg")
    if not isinstance(alg, str) or alg.lower() == "none":
        raise UnsupportedAlgorithmError("unsigned tokens (alg none) are refused")
    if alg not in algorithms:
        raise UnsupportedAlgorithmError(
            f"token algorithm {alg} is not accepted here (expected {', '.join(algorithms)})"
        )
    try:
        claims: dict[str, Any] = jwt.decode(
            token, key, algorithms=list(algorithms), options=_SIGNATURE_ONLY
        )
    except jwt.InvalidSignatureError:
        raise InvalidSignatureError("token signature does not match the key") from None
    except jwt.InvalidAlgorithmError as exc:
        raise UnsupportedAlgorithmError(str(exc)) from None
    except jwt.InvalidKeyError:
        raise MalformedTokenError("key cannot verify this token") from None
    except jwt.InvalidTokenError as exc:
        raise MalformedTokenError(f"token is not a well-formed JWT: {exc}") from None
    _check_times(claims, time.time() if now is None else now, leeway, require_exp)
    return claims


def _check_times(claims: dict[str, Any], now: float, leeway: float, require_exp: bool) -> None:
    exp = _numeric(claims, "exp")
    if exp is None and require_exp:
        raise MalformedTokenError("token has no exp claim, so it would never expire")
    if exp is not None and now - leeway >= exp:
        raise ExpiredTokenError("token has expired")
    nbf = _numeric(claims, "nbf")
    if nbf is not None and now + leeway < nbf:
        raise NotYetValidTokenError("token is not valid yet (nbf is in the future)")


def _numeric(claims: dict[str, Any], name: str) -> float | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MalformedTokenError(f"claim {name} must be a number")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise MalformedTokenError(f"claim {name} must be a finite number")
    return number
