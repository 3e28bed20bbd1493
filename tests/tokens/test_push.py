"""Verify push-factor helpers: key export, factor signatures, challenge approvals, device tokens."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from trunkline.tokens import (
    ExpiredTokenError,
    InvalidSignatureError,
    MalformedTokenError,
    NotYetValidTokenError,
    UnsupportedAlgorithmError,
)
from trunkline.tokens.push import (
    _HALF_N,
    _N,
    PushKey,
    _low_s_jwt,
    load_public_key,
    signature_fields,
    verify_challenge_jwt,
    verify_device_token,
    verify_factor_signature,
)

FACTOR_SID = "YF0123456789abcdef0123456789abcdef"
CHALLENGE = {
    "sid": "YC0123456789abcdef0123456789abcdef",
    "factor_sid": FACTOR_SID,
    "details": {"message": "Hi", "fields": [{"label": "Amount", "value": "€10"}]},
    "hidden_details": {"ip": "10.0.0.1"},
    "expiration_date": "2026-11-25T21:00:00Z",
    "created_date": "2026-11-25T20:55:00Z",
}


def _segment(text: str) -> dict[str, Any]:
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    return decoded


def _segments(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    header, payload, _ = token.split(".")
    return _segment(header), _segment(payload)


def test_public_key_is_base64_der_spki() -> None:
    """public_key is standard base64 of the DER SubjectPublicKeyInfo of the P-256 public key."""
    key = PushKey.generate()
    der = base64.b64decode(key.public_key, validate=True)
    loaded = serialization.load_der_public_key(der)
    assert isinstance(loaded, ec.EllipticCurvePublicKey)
    assert isinstance(loaded.curve, ec.SECP256R1)
    assert loaded.public_numbers() == key.private_key.public_key().public_numbers()


def test_factor_signature_verifies_with_public_key() -> None:
    """sign_factor is a DER ECDSA-SHA256 signature over the UTF-8 factor SID."""
    key = PushKey.generate()
    payload = key.sign_factor(FACTOR_SID)
    public = load_public_key(key.public_key)
    public.verify(base64.b64decode(payload), FACTOR_SID.encode(), ec.ECDSA(hashes.SHA256()))
    with pytest.raises(InvalidSignature):
        public.verify(base64.b64decode(payload), b"YFother", ec.ECDSA(hashes.SHA256()))
    assert verify_factor_signature(key.public_key, FACTOR_SID, payload)


def test_factor_signature_rejections() -> None:
    """Another SID, another key or a garbled payload does not verify."""
    key, other = PushKey.generate(), PushKey.generate()
    payload = key.sign_factor(FACTOR_SID)
    assert not verify_factor_signature(key.public_key, FACTOR_SID + "0", payload)
    assert not verify_factor_signature(other.public_key, FACTOR_SID, payload)
    assert not verify_factor_signature(key.public_key, FACTOR_SID, "not base64!")
    assert not verify_factor_signature(key.public_key, FACTOR_SID, base64.b64encode(b"x").decode())
    with pytest.raises(ValueError, match="empty"):
        key.sign_factor("")


def test_bad_public_keys_refused() -> None:
    """Public keys that are not base64 DER P-256 SPKI raise ValueError naming the problem."""
    p384 = ec.generate_private_key(ec.SECP384R1()).public_key()
    der384 = p384.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with pytest.raises(ValueError, match="base64"):
        load_public_key("***")
    with pytest.raises(ValueError, match="DER"):
        load_public_key(base64.b64encode(b"junk").decode())
    with pytest.raises(ValueError, match="P-256"):
        load_public_key(base64.b64encode(der384).decode())


@pytest.mark.parametrize("status", ["approved", "denied"])
def test_challenge_approval_jwt(status: str) -> None:
    """approve_challenge is an ES256 JWT: header only typ+alg, payload = fields + status."""
    key = PushKey.generate()
    header_value = "sid,factor_sid,details,hidden_details,expiration_date"
    fields = signature_fields(CHALLENGE, header_value)
    token = key.approve_challenge(fields, status=status)
    header, payload = _segments(token)
    assert header == {"typ": "JWT", "alg": "ES256"}
    expected = {name: CHALLENGE[name] for name in header_value.split(",")}
    assert payload == {**expected, "status": status}
    public = load_public_key(key.public_key)
    assert jwt.decode(token, public, algorithms=["ES256"]) == payload
    assert verify_challenge_jwt(key.public_key, token) == payload


def test_challenge_approval_bad_inputs() -> None:
    """Statuses other than approved/denied and fields carrying status are refused."""
    key = PushKey.generate()
    with pytest.raises(ValueError, match="approved"):
        key.approve_challenge({"sid": "YC1"}, status="pending")
    with pytest.raises(ValueError, match="status"):
        key.approve_challenge({"status": "approved"})
    with pytest.raises(ValueError, match="hidden_details"):
        signature_fields({"sid": "YC1"}, "sid,hidden_details")
    with pytest.raises(ValueError, match="no fields"):
        signature_fields(CHALLENGE, " , ")


def test_challenge_jwt_rejections() -> None:
    """A challenge JWT signed by another key, unsigned, HS256 or without status is rejected."""
    key, other = PushKey.generate(), PushKey.generate()
    token = key.approve_challenge({"sid": "YC1"})
    with pytest.raises(InvalidSignatureError):
        verify_challenge_jwt(other.public_key, token)
    unsigned = jwt.encode({"sid": "YC1", "status": "approved"}, "", algorithm="none")
    with pytest.raises(UnsupportedAlgorithmError):
        verify_challenge_jwt(key.public_key, unsigned)
    hs = jwt.encode({"status": "approved"}, key.public_key, algorithm="HS256")
    with pytest.raises(UnsupportedAlgorithmError):
        verify_challenge_jwt(key.public_key, hs)
    no_status = _low_s_jwt(jwt.encode({"sid": "YC1"}, key.private_key, algorithm="ES256"))
    with pytest.raises(MalformedTokenError, match="status"):
        verify_challenge_jwt(key.public_key, no_status)
    with pytest.raises(MalformedTokenError):
        verify_challenge_jwt(key.public_key, "a.b")


def test_device_token() -> None:
    """device_token has the twilio-pba header with kid and sub/exp/nbf claims, valid 600 s."""
    key = PushKey.generate()
    now = 1_800_000_000
    token = key.device_token("CR123", "AC456", now=now)
    header, payload = _segments(token)
    assert header == {"cty": "twilio-pba;v=1", "kid": "CR123", "typ": "JWT", "alg": "ES256"}
    assert payload == {"sub": "AC456", "exp": now + 600, "nbf": now}
    public = load_public_key(key.public_key)
    jwt.decode(
        token, public, algorithms=["ES256"], options={"verify_exp": False, "verify_nbf": False}
    )
    assert verify_device_token(key.public_key, token, account_sid="AC456", now=now + 1) == payload
    with pytest.raises(ExpiredTokenError):
        verify_device_token(key.public_key, token, now=now + 600)
    with pytest.raises(NotYetValidTokenError):
        verify_device_token(key.public_key, token, now=now - 1)
    with pytest.raises(MalformedTokenError, match="account"):
        verify_device_token(key.public_key, token, account_sid="AC999", now=now)
    with pytest.raises(ValueError, match="credential_sid"):
        key.device_token("", "AC456")


def test_device_token_requires_pba_cty() -> None:
    """An ES256 token from the right key but without cty twilio-pba;v=1 is refused."""
    key = PushKey.generate()
    claims = {"sub": "AC1", "exp": int(time.time()) + 60}
    token = _low_s_jwt(jwt.encode(claims, key.private_key, algorithm="ES256"))
    with pytest.raises(MalformedTokenError, match="cty"):
        verify_device_token(key.public_key, token)


def test_pem_round_trip_and_repr() -> None:
    """A key saved as PEM reloads to the same public key; repr never shows the private key."""
    key = PushKey.generate()
    pem = key.private_pem()
    again = PushKey.from_pem(pem)
    assert again.public_key == key.public_key
    assert "PRIVATE" not in repr(key)
    assert str(key.private_key.private_numbers().private_value) not in repr(key)
    with pytest.raises(ValueError, match="PEM"):
        PushKey.from_pem("nope")


def _der_s(payload: str) -> int:
    return decode_dss_signature(base64.b64decode(payload))[1]


def _jwt_s(token: str) -> int:
    segment = token.rsplit(".", 1)[1]
    return int.from_bytes(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))[32:])


def _high_s_jwt(token: str) -> str:
    head, segment = token.rsplit(".", 1)
    raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    flipped = raw[:32] + (_N - int.from_bytes(raw[32:])).to_bytes(32)
    return head + "." + base64.urlsafe_b64encode(flipped).decode().rstrip("=")


def test_every_push_signature_is_low_s() -> None:
    """Factor signatures, challenge approvals and device tokens all have s <= n/2."""
    key = PushKey.generate()
    for _ in range(40):
        assert _der_s(key.sign_factor(FACTOR_SID)) <= _HALF_N
        assert _jwt_s(key.approve_challenge({"sid": "YC1"})) <= _HALF_N
        assert _jwt_s(key.device_token("CR1", "AC1")) <= _HALF_N


def test_high_s_signatures_are_refused() -> None:
    """The (r, n - s) twin of a valid signature, which ECDSA accepts, is refused."""
    key = PushKey.generate()
    payload = key.sign_factor(FACTOR_SID)
    r, s = decode_dss_signature(base64.b64decode(payload))
    twin = base64.b64encode(encode_dss_signature(r, _N - s)).decode()
    key.private_key.public_key().verify(
        base64.b64decode(twin), FACTOR_SID.encode(), ec.ECDSA(hashes.SHA256())
    )
    assert verify_factor_signature(key.public_key, FACTOR_SID, payload)
    assert not verify_factor_signature(key.public_key, FACTOR_SID, twin)
    approval = key.approve_challenge({"sid": "YC1"})
    assert verify_challenge_jwt(key.public_key, approval)["status"] == "approved"
    with pytest.raises(InvalidSignatureError, match="low-S"):
        verify_challenge_jwt(key.public_key, _high_s_jwt(approval))
    device = key.device_token("CR1", "AC1")
    assert verify_device_token(key.public_key, device)["sub"] == "AC1"
    with pytest.raises(InvalidSignatureError, match="low-S"):
        verify_device_token(key.public_key, _high_s_jwt(device))
