"""Verify push-factor device helpers: the P-256 key a phone app would hold, and its signatures.

What a device sends, and how it is made:

- ``Binding.PublicKey`` when creating the factor: :attr:`PushKey.public_key`, the standard
  base64 of the DER SubjectPublicKeyInfo.
- ``AuthPayload`` when verifying the factor: :meth:`PushKey.sign_factor`, the base64 DER
  ECDSA-SHA256 signature over the UTF-8 factor SID.
- ``AuthPayload`` when approving or denying a challenge: :meth:`PushKey.approve_challenge`,
  an ES256 JWT whose payload is the challenge fields named by the
  ``Twilio-Verify-Signature-Fields`` response header (see :func:`signature_fields`) plus
  ``status``.
- Device request authentication: :meth:`PushKey.device_token`, an ES256 JWT with
  ``cty: twilio-pba;v=1`` and the credential SID as ``kid``.

The ``verify_*`` functions are the server's side of the same checks (used by the emulator).

Signatures are low-S: ECDSA's ``(r, s)`` and ``(r, n - s)`` both verify, so a signature
could be changed without the key; every signature made here has ``s <= n/2`` and the
``verify_*`` functions refuse the other form.
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Mapping
from typing import Any

import attrs
import jwt
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from .._errors import ValidationError
from ._errors import InvalidSignatureError, MalformedTokenError
from ._jwt import verify

__all__ = [
    "DEVICE_TOKEN_TTL",
    "PushKey",
    "load_public_key",
    "signature_fields",
    "verify_challenge_jwt",
    "verify_device_token",
    "verify_factor_signature",
]

DEVICE_TOKEN_TTL = 600
"""Seconds a device request token stays valid."""

_CHALLENGE_HEADERS = {"typ": "JWT", "alg": "ES256"}
_STATUSES = frozenset({"approved", "denied"})
# The order of P-256's base point (SEC 2, secp256r1).
_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
_HALF_N = _N // 2


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _low_s_der(signature: bytes) -> bytes:
    r, s = decode_dss_signature(signature)
    return encode_dss_signature(r, _N - s) if s > _HALF_N else signature


def _jwt_s(token: str) -> int | None:
    """The ``s`` of an ES256 JWT's raw ``r || s`` signature, or None if it has none."""
    segment = token.rpartition(".")[2]
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError):
        return None
    return int.from_bytes(raw[32:], "big") if len(raw) == 64 else None


def _low_s_jwt(token: str) -> str:
    s = _jwt_s(token)
    if s is None or s <= _HALF_N:
        return token
    head, _, segment = token.rpartition(".")
    raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    fixed = raw[:32] + (_N - s).to_bytes(32, "big")
    return head + "." + base64.urlsafe_b64encode(fixed).decode("ascii").rstrip("=")


def _refuse_high_s(token: str) -> None:
    s = _jwt_s(token)
    if s is not None and s > _HALF_N:
        raise InvalidSignatureError("token signature is not in low-S form")


def load_public_key(public_key_b64: str) -> ec.EllipticCurvePublicKey:
    """Reads a ``Binding.PublicKey`` value: standard base64 of a DER P-256 SubjectPublicKeyInfo.

    Raises:
        ValueError: not base64, not DER, or not a P-256 key.
    """
    try:
        der = base64.b64decode(public_key_b64, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise ValidationError("public key is not standard base64") from None
    try:
        key = serialization.load_der_public_key(der)
    except (ValueError, UnsupportedAlgorithm):
        raise ValidationError("public key is not a DER SubjectPublicKeyInfo") from None
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ValidationError("public key is not an EC P-256 key")
    return key


@attrs.frozen(eq=False)
class PushKey:
    """A device's P-256 key pair, as a Verify push-factor app holds it.

    Create one with :meth:`generate` (or :meth:`from_pem` to reload one saved with
    :meth:`private_pem`). The private key never appears in ``repr``.
    """

    private_key: ec.EllipticCurvePrivateKey = attrs.field(repr=False)
    public_key: str = attrs.field(init=False)

    @public_key.default
    def _public_key(self) -> str:
        der = self.private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return _b64(der)

    @classmethod
    def generate(cls) -> PushKey:
        """A fresh random P-256 key pair."""
        return cls(ec.generate_private_key(ec.SECP256R1()))

    @classmethod
    def from_pem(cls, pem: str | bytes) -> PushKey:
        """Reloads a key saved with :meth:`private_pem`.

        Raises:
            ValueError: not an unencrypted PEM P-256 private key.
        """
        data = pem.encode("ascii") if isinstance(pem, str) else pem
        try:
            key = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm):
            raise ValidationError("not an unencrypted PEM private key") from None
        if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(
            key.curve, ec.SECP256R1
        ):
            raise ValidationError("private key is not an EC P-256 key")
        return cls(key)

    def private_pem(self) -> str:
        """The private key as unencrypted PKCS#8 PEM, for saving a simulated device."""
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode("ascii")

    def sign_factor(self, factor_sid: str) -> str:
        """The ``AuthPayload`` that verifies a new push factor: base64 DER ECDSA-SHA256 of its SID.

        Raises:
            ValueError: ``factor_sid`` is empty.
        """
        if not factor_sid:
            raise ValidationError("factor_sid must not be empty")
        signature = self.private_key.sign(factor_sid.encode("utf-8"), ec.ECDSA(hashes.SHA256()))
        return _b64(_low_s_der(signature))

    def approve_challenge(self, fields: Mapping[str, Any], status: str = "approved") -> str:
        """The ``AuthPayload`` that approves (or denies) a push challenge, an ES256 JWT.

        Args:
            fields: the challenge fields named by ``Twilio-Verify-Signature-Fields``, copied
                verbatim (see :func:`signature_fields`).
            status: ``"approved"`` or ``"denied"``.

        Raises:
            ValueError: another status, or ``fields`` already holds a ``status``.
        """
        if status not in _STATUSES:
            raise ValidationError(f"status must be 'approved' or 'denied', not {status!r}")
        if "status" in fields:
            raise ValidationError("fields must not contain status; pass it as the status argument")
        payload = {**fields, "status": status}
        token = jwt.encode(payload, self.private_key, algorithm="ES256", headers=_CHALLENGE_HEADERS)
        return _low_s_jwt(token)

    def device_token(
        self, credential_sid: str, account_sid: str, *, now: float | None = None
    ) -> str:
        """A device request token: ES256 JWT, ``kid`` = credential SID, valid for 600 seconds.

        Raises:
            ValueError: an empty SID.
        """
        if not credential_sid:
            raise ValidationError("credential_sid must not be empty")
        if not account_sid:
            raise ValidationError("account_sid must not be empty")
        issued = int(time.time() if now is None else now)
        payload = {"sub": account_sid, "exp": issued + DEVICE_TOKEN_TTL, "nbf": issued}
        headers = {"cty": "twilio-pba;v=1", "kid": credential_sid, "typ": "JWT", "alg": "ES256"}
        return _low_s_jwt(jwt.encode(payload, self.private_key, algorithm="ES256", headers=headers))


def signature_fields(challenge: Mapping[str, Any], header: str) -> dict[str, Any]:
    """Picks the fields a challenge approval signs, named by ``Twilio-Verify-Signature-Fields``.

    Args:
        challenge: the challenge resource as JSON (wire names).
        header: the header's value, a comma-separated list of field names.

    Raises:
        ValueError: the header is empty or names a field the challenge lacks.
    """
    names = [name.strip() for name in header.split(",") if name.strip()]
    if not names:
        raise ValidationError("Twilio-Verify-Signature-Fields names no fields")
    missing = [name for name in names if name not in challenge]
    if missing:
        raise ValidationError(f"challenge has no field(s) {', '.join(missing)}")
    return {name: challenge[name] for name in names}


def verify_factor_signature(public_key_b64: str, factor_sid: str, payload: str) -> bool:
    """Whether ``payload`` is the device's signature over ``factor_sid`` (see ``sign_factor``).

    A high-S signature is refused (False), though ECDSA alone would accept it.

    Raises:
        ValueError: the public key itself is unusable.
    """
    key = load_public_key(public_key_b64)
    try:
        signature = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError, TypeError):
        return False
    try:
        if decode_dss_signature(signature)[1] > _HALF_N:
            return False
        key.verify(signature, factor_sid.encode("utf-8"), ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError):
        return False
    return True


def verify_challenge_jwt(public_key_b64: str, token: str) -> dict[str, Any]:
    """Verifies a challenge approval JWT with the factor's key and returns its payload.

    Raises:
        ValueError: the public key itself is unusable.
        MalformedTokenError: no ``status`` of approved/denied in the payload.
        TokenError: the token is malformed, not ES256, wrongly signed or high-S.
    """
    _refuse_high_s(token)
    # An approval is the challenge's fields plus a status: no exp (the challenge expires).
    claims = verify(
        token, load_public_key(public_key_b64), algorithms=("ES256",), require_exp=False
    )
    if claims.get("status") not in _STATUSES:
        raise MalformedTokenError("challenge approval has no status of approved or denied")
    return claims


def verify_device_token(
    public_key_b64: str,
    token: str,
    *,
    account_sid: str | None = None,
    leeway: float = 0,
    now: float | None = None,
) -> dict[str, Any]:
    """Verifies a device request token (see ``device_token``); returns its payload.

    Raises:
        ValueError: the public key itself is unusable.
        MalformedTokenError: wrong ``cty``, or ``sub`` is not ``account_sid`` when given.
        TokenError: bad or high-S signature, not ES256, expired or not yet valid.
    """
    _refuse_high_s(token)
    claims = verify(
        token, load_public_key(public_key_b64), algorithms=("ES256",), leeway=leeway, now=now
    )
    if jwt.get_unverified_header(token).get("cty") != "twilio-pba;v=1":
        raise MalformedTokenError("device token must have cty twilio-pba;v=1")
    if account_sid is not None and claims.get("sub") != account_sid:
        raise MalformedTokenError("device token is for another account")
    return claims
