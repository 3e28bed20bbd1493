"""Local token signing and checking: Twilio access and capability tokens, Verify device
helpers (:mod:`trunkline.tokens.totp`, :mod:`trunkline.tokens.push`) and Ziggeo client auth
tokens (:mod:`trunkline.tokens.ziggeo`). Nothing here makes a request.
"""

from ._errors import (
    ExpiredTokenError,
    InvalidSignatureError,
    MalformedTokenError,
    NotYetValidTokenError,
    TokenError,
    UnsupportedAlgorithmError,
)

__all__ = [
    "ExpiredTokenError",
    "InvalidSignatureError",
    "MalformedTokenError",
    "NotYetValidTokenError",
    "TokenError",
    "UnsupportedAlgorithmError",
]
