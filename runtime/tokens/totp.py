"""Time-based one-time passwords (RFC 6238), as Twilio Verify's TOTP factors use them.

A :class:`Totp` holds the shared key and the factor's settings and makes or checks codes::

    totp = Totp.from_uri(factor.binding_uri)   # otpauth://totp/Issuer:ana?secret=...
    code = totp.code()                          # what the authenticator app shows now
    assert totp.verify(code)

Times are seconds since the epoch (``int``/``float``) or aware ``datetime`` values; ``None``
means now. Settings follow what Verify accepts: 3–8 digits, a 20–60 second period, a skew
of 0–2 periods, and SHA1, SHA256 or SHA512.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
import struct
import time
from collections.abc import Callable
from datetime import datetime
from typing import Literal, cast
from urllib.parse import parse_qs, quote, unquote, urlsplit

import attrs

from .._errors import ValidationError

__all__ = ["Algorithm", "Totp", "random_secret"]

Algorithm = Literal["SHA1", "SHA256", "SHA512"]
_DIGESTS: dict[str, str] = {"SHA1": "sha1", "SHA256": "sha256", "SHA512": "sha512"}
_COUNTER = struct.Struct(">Q")


def _decode_base32(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").replace("-", "").upper().rstrip("=")
    if not cleaned:
        raise ValidationError("TOTP secret is empty")
    padded = cleaned + "=" * (-len(cleaned) % 8)
    try:
        return base64.b32decode(padded)
    except (binascii.Error, ValueError):
        raise ValidationError("TOTP secret is not valid base32") from None


def _algorithm(name: str) -> Algorithm:
    upper = name.upper().replace("-", "")
    if upper not in _DIGESTS:
        raise ValidationError(f"TOTP algorithm must be SHA1, SHA256 or SHA512, not {name!r}")
    return cast(Algorithm, upper)


def _seconds(at: float | datetime | None) -> float:
    if at is None:
        return time.time()
    if isinstance(at, datetime):
        if at.tzinfo is None:
            raise ValidationError("TOTP time must be a timezone-aware datetime")
        return at.timestamp()
    return float(at)


@attrs.frozen(init=False)
class Totp:
    """A TOTP generator and checker for one shared key.

    Args:
        secret: the shared key, either base32 text (as in a binding URI; case, spaces and
            padding do not matter) or the raw key bytes.
        digits: code length, 3 to 8.
        period: seconds each code is valid for, 20 to 60.
        algorithm: ``"SHA1"``, ``"SHA256"`` or ``"SHA512"`` (case-insensitive).
        issuer: the issuer shown by authenticator apps (kept for :meth:`to_uri`).
        account: the account name shown by authenticator apps (kept for :meth:`to_uri`).

    Raises:
        ValueError: the secret is empty or not base32, or a setting is out of range.
    """

    key: bytes = attrs.field(repr=False)
    digits: int
    period: int
    algorithm: Algorithm
    issuer: str | None
    account: str | None

    def __init__(
        self,
        secret: str | bytes,
        *,
        digits: int = 6,
        period: int = 30,
        algorithm: str = "SHA1",
        issuer: str | None = None,
        account: str | None = None,
    ) -> None:
        if isinstance(secret, str):
            key = _decode_base32(secret)
        elif isinstance(secret, bytes | bytearray):
            key = bytes(secret)
        else:
            raise TypeError(f"TOTP secret must be str or bytes, not {type(secret).__name__}")
        if not key:
            raise ValidationError("TOTP secret is empty")
        _check_range("digits", digits, 3, 8)
        _check_range("period", period, 20, 60)
        self.__attrs_init__(key, digits, period, _algorithm(algorithm), issuer, account)

    @property
    def secret(self) -> str:
        """The key as unpadded base32 text, as it appears in a binding URI."""
        return base64.b32encode(self.key).decode("ascii").rstrip("=")

    @classmethod
    def from_uri(cls, uri: str) -> Totp:
        """Reads an ``otpauth://totp/Issuer:Account?secret=...`` URI (a factor's binding URI).

        ``issuer`` in the query wins over the label's prefix; absent settings take the
        RFC defaults (6 digits, 30 seconds, SHA1).

        Raises:
            ValueError: not an ``otpauth://totp`` URI, no secret, or a bad setting.
        """
        parts = urlsplit(uri)
        if parts.scheme.lower() != "otpauth":
            raise ValidationError("TOTP URI must use the otpauth scheme")
        if parts.netloc.lower() != "totp":
            raise ValidationError(f"TOTP URI must be of type totp, not {parts.netloc!r}")
        query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
        if not query.get("secret"):
            raise ValidationError("TOTP URI has no secret parameter")
        label = unquote(parts.path.lstrip("/"))
        label_issuer, sep, account = label.partition(":")
        if not sep:
            label_issuer, account = "", label
        issuer = query.get("issuer") or label_issuer.strip() or None
        return cls(
            query["secret"],
            digits=_int_param(query, "digits", 6),
            period=_int_param(query, "period", 30),
            algorithm=query.get("algorithm", "SHA1"),
            issuer=issuer,
            account=account.strip() or None,
        )

    def to_uri(self) -> str:
        """Writes the ``otpauth://totp/...`` URI an authenticator app can import."""
        label = quote(self.account or "", safe="@")
        if self.issuer:
            label = f"{quote(self.issuer, safe='')}:{label}"
        query = f"secret={self.secret}"
        if self.issuer:
            query += f"&issuer={quote(self.issuer, safe='')}"
        query += f"&algorithm={self.algorithm}&digits={self.digits}&period={self.period}"
        return f"otpauth://totp/{label}?{query}"

    def counter(self, at: float | datetime | None = None) -> int:
        """The RFC 6238 time step number at ``at`` (default now)."""
        return int(_seconds(at) // self.period)

    def code(self, at: float | datetime | None = None) -> str:
        """The code valid at ``at`` (default now), zero-padded to ``digits``."""
        return self._code_for(self.counter(at))

    def verify(self, code: str, *, at: float | datetime | None = None, skew: int = 1) -> bool:
        """Whether ``code`` is valid at ``at``, allowing ``skew`` periods either side.

        Raises:
            ValueError: ``skew`` is not 0, 1 or 2.
        """
        _check_range("skew", skew, 0, 2)
        if not _is_code(code, self.digits):
            return False
        current = self.counter(at)
        matched = False
        # Every candidate is compared so the time taken does not reveal which step matched.
        for step in range(current - skew, current + skew + 1):
            if step >= 0 and hmac.compare_digest(self._code_for(step), code):
                matched = True
        return matched

    def _code_for(self, counter: int) -> str:
        digest = hmac.digest(self.key, _COUNTER.pack(counter), _DIGESTS[self.algorithm])
        offset = digest[-1] & 0x0F
        value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
        return str(value % 10**self.digits).zfill(self.digits)


def _check_range(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(f"TOTP {name} must be an integer from {low} to {high}, not {value!r}")


def _is_code(code: object, digits: int) -> bool:
    return isinstance(code, str) and len(code) == digits and code.isascii()


def _int_param(query: dict[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValidationError(
            f"TOTP URI parameter {name} must be an integer, not {raw!r}"
        ) from None


def random_secret(length: int = 20, *, random_bytes: Callable[[int], bytes] = os.urandom) -> str:
    """A fresh shared key as unpadded base32 text (20 bytes make Verify's 32 characters).

    Args:
        length: key length in bytes, at least 16 (RFC 4226's minimum of 128 bits).
        random_bytes: source of randomness; tests pass a deterministic one.
    """
    if length < 16:
        raise ValidationError(f"TOTP secret length must be at least 16 bytes, not {length}")
    raw = random_bytes(length)
    if len(raw) != length:
        raise ValidationError("random_bytes returned the wrong number of bytes")
    return base64.b32encode(raw).decode("ascii").rstrip("=")
