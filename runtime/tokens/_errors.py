"""Errors raised when a token cannot be decoded or verified.

::

    TrunklineError (trunkline._errors)
    └── TokenError
        ├── MalformedTokenError        not a well-formed token (segments, base64, JSON, key)
        ├── UnsupportedAlgorithmError  ``alg`` is ``none`` or not the one the key calls for
        ├── InvalidSignatureError      the signature does not match the key
        ├── ExpiredTokenError          ``exp`` is in the past (beyond the leeway)
        └── NotYetValidTokenError      ``nbf`` is in the future (beyond the leeway)

Bad arguments to a token builder (an empty SID, a TTL of zero) raise ``ValueError`` before
anything is signed; these classes are for tokens that arrive from elsewhere.
"""

from __future__ import annotations

from .._errors import TrunklineError

__all__ = [
    "ExpiredTokenError",
    "InvalidSignatureError",
    "MalformedTokenError",
    "NotYetValidTokenError",
    "TokenError",
    "UnsupportedAlgorithmError",
]


class TokenError(TrunklineError):
    """A token was rejected; the message says why and never contains the token or key."""


class MalformedTokenError(TokenError):
    """The token is not a well-formed JWT (or the key is not a usable key)."""


class UnsupportedAlgorithmError(TokenError):
    """The token's ``alg`` header is ``none`` or not an algorithm accepted for this key."""


class InvalidSignatureError(TokenError):
    """The token's signature does not verify with the given key."""


class ExpiredTokenError(TokenError):
    """The token's ``exp`` claim lies in the past, beyond the allowed leeway."""


class NotYetValidTokenError(TokenError):
    """The token's ``nbf`` claim lies in the future, beyond the allowed leeway."""
