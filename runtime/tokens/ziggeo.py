"""Ziggeo client auth tokens, made locally the way Ziggeo's server SDKs make them.

A client auth token is the caller's options as JSON, plus ``application_token`` and a
``nonce``, encrypted with AES-256-CBC (PKCS#7 padding). The AES key is the ASCII text of the
lowercase hex MD5 of the application's encryption key (32 bytes); the IV is the ASCII text of
the lowercase hex of 8 random bytes (16 bytes). The token is the IV text followed by the
lowercase hex ciphertext::

    token = generate(app_token, encryption_key, {"grants": {"read": {"resources": ["v1"]}}})
    decrypt(token, encryption_key)["application_token"] == app_token

MD5 here is Ziggeo's key derivation, not a choice of ours; it is what the service expects.
"""

from __future__ import annotations

import binascii
import hashlib
import json
import os
import secrets
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from .._errors import ValidationError
from ._errors import MalformedTokenError

__all__ = ["decrypt", "generate"]

_IV_BYTES = 8
_IV_CHARS = 2 * _IV_BYTES


def _cipher(encryption_key: str, iv: bytes) -> Cipher[modes.CBC]:
    if not encryption_key:
        raise ValidationError("encryption_key must not be empty")
    key = hashlib.md5(encryption_key.encode("utf-8"), usedforsecurity=False).hexdigest()
    return Cipher(algorithms.AES(key.encode("ascii")), modes.CBC(iv))


def _random_nonce_part() -> int:
    return secrets.randbelow(sys.maxsize + 1)


def generate(
    app_token: str,
    encryption_key: str,
    options: Mapping[str, Any] | None = None,
    *,
    now: float | None = None,
    random_bytes: Callable[[int], bytes] = os.urandom,
    random_int: Callable[[], int] = _random_nonce_part,
) -> str:
    """An encrypted client auth token for the Ziggeo JavaScript/mobile SDKs.

    The caller's ``options`` are copied, never changed. The nonce, as Ziggeo's SDKs make it,
    is the current whole second followed by a random non-negative integer.

    Args:
        app_token: the application token.
        encryption_key: the application's encryption key (from the Ziggeo dashboard).
        options: extra fields for the token (grants, session limits, ...); any JSON value.
        now: seconds since the epoch for the nonce; default the wall clock.
        random_bytes: source of the 8 IV bytes; tests inject a fixed one.
        random_int: source of the nonce's random part; tests inject a fixed one.

    Raises:
        ValueError: an empty ``app_token`` or ``encryption_key``, or options that are not JSON.
    """
    if not app_token:
        raise ValidationError("app_token must not be empty")
    issued = int(time.time() if now is None else now)
    payload = {**(options or {}), "application_token": app_token}
    payload["nonce"] = f"{issued}{random_int()}"
    try:
        plaintext = json.dumps(payload).encode("ascii")
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"options are not JSON-serialisable: {exc}") from None
    raw_iv = random_bytes(_IV_BYTES)
    if len(raw_iv) != _IV_BYTES:
        raise ValidationError("random_bytes returned the wrong number of bytes")
    iv = raw_iv.hex().encode("ascii")
    padder = padding.PKCS7(algorithms.AES.block_size).padder()
    padded = padder.update(plaintext) + padder.finalize()
    encryptor = _cipher(encryption_key, iv).encryptor()
    ciphertext = encryptor.update(padded) + encryptor.finalize()
    return iv.decode("ascii") + ciphertext.hex()


def decrypt(token: str, encryption_key: str) -> dict[str, Any]:
    """Decrypts a client auth token made by :func:`generate` (or a Ziggeo SDK).

    Raises:
        ValueError: an empty ``encryption_key``.
        MalformedTokenError: the token is not IV + hex ciphertext, the key does not fit, or
            the plaintext is not a JSON object.
    """
    iv_text, body = token[:_IV_CHARS], token[_IV_CHARS:]
    try:
        iv = iv_text.encode("ascii")
        ciphertext = binascii.unhexlify(body)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        raise MalformedTokenError("Ziggeo token is not IV text followed by hex") from None
    if len(iv) != _IV_CHARS or not ciphertext or len(ciphertext) % 16:
        raise MalformedTokenError("Ziggeo token has the wrong length")
    decryptor = _cipher(encryption_key, iv).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = padding.PKCS7(algorithms.AES.block_size).unpadder()
    try:
        plaintext = unpadder.update(padded) + unpadder.finalize()
        decoded = json.loads(plaintext)
    except (ValueError, UnicodeDecodeError):
        raise MalformedTokenError("Ziggeo token does not decrypt with this key") from None
    if not isinstance(decoded, dict):
        raise MalformedTokenError("Ziggeo token does not hold a JSON object")
    return decoded
