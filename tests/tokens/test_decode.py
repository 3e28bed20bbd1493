"""decode(): signature, exp and nbf checks with leeway, algorithm pinning, typed errors."""

from __future__ import annotations

import base64
import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from trunkline.tokens import (
    AccessToken,
    ExpiredTokenError,
    InvalidSignatureError,
    MalformedTokenError,
    NotYetValidTokenError,
    TokenError,
    UnsupportedAlgorithmError,
    decode,
)

SECRET = "shared-secret-of-thirty-two-char"
NOW = 1_764_000_000


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_valid_token_returns_claims() -> None:
    """A correctly signed, current token yields its claims."""
    token = jwt.encode({"sub": "x", "exp": NOW + 10, "nbf": NOW - 10}, SECRET, algorithm="HS256")
    assert decode(token, SECRET, now=NOW) == {"sub": "x", "exp": NOW + 10, "nbf": NOW - 10}


def test_access_token_round_trip() -> None:
    """An AccessToken decodes with its API key secret within its lifetime only."""
    token = AccessToken("AC1", "SK1", SECRET, identity="ana", ttl=60).to_jwt(now=NOW)
    assert decode(token, SECRET, now=NOW + 59)["grants"] == {"identity": "ana"}
    with pytest.raises(ExpiredTokenError):
        decode(token, SECRET, now=NOW + 60)


def test_expiry_with_leeway() -> None:
    """exp is enforced, and leeway seconds of skew are tolerated."""
    token = jwt.encode({"exp": NOW}, SECRET, algorithm="HS256")
    with pytest.raises(ExpiredTokenError, match="expired"):
        decode(token, SECRET, now=NOW)
    assert decode(token, SECRET, now=NOW + 29, leeway=30) == {"exp": NOW}
    with pytest.raises(ExpiredTokenError):
        decode(token, SECRET, now=NOW + 30, leeway=30)


def test_not_before_with_leeway() -> None:
    """nbf is enforced, and leeway seconds of skew are tolerated."""
    token = jwt.encode({"nbf": NOW}, SECRET, algorithm="HS256")
    with pytest.raises(NotYetValidTokenError, match="nbf"):
        decode(token, SECRET, now=NOW - 1, require_exp=False)
    assert decode(token, SECRET, now=NOW, require_exp=False) == {"nbf": NOW}
    assert decode(token, SECRET, now=NOW - 5, leeway=5, require_exp=False) == {"nbf": NOW}


def test_wrong_secret() -> None:
    """A token signed with another secret raises InvalidSignatureError."""
    token = jwt.encode({"a": 1}, SECRET, algorithm="HS256")
    with pytest.raises(InvalidSignatureError):
        decode(token, SECRET + "!")


def test_tampered_payload() -> None:
    """Changing the payload after signing breaks the signature."""
    header, _, signature = jwt.encode({"role": "user"}, SECRET, algorithm="HS256").split(".")
    forged = f"{header}.{_b64({'role': 'admin'})}.{signature}"
    with pytest.raises(InvalidSignatureError):
        decode(forged, SECRET)


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_alg_none_refused(alg: str) -> None:
    """Unsigned tokens are refused whatever the spelling of none."""
    token = f"{_b64({'alg': alg, 'typ': 'JWT'})}.{_b64({'sub': 'x'})}."
    with pytest.raises(UnsupportedAlgorithmError, match="none"):
        decode(token, SECRET)


@pytest.mark.parametrize("alg", ["HS384", "HS512"])
def test_other_hmac_refused(alg: str) -> None:
    """Correctly signed tokens using another HMAC algorithm are still refused."""
    token = jwt.encode({"sub": "x"}, SECRET + SECRET, algorithm=alg)
    with pytest.raises(UnsupportedAlgorithmError, match=alg):
        decode(token, SECRET + SECRET)


def test_asymmetric_refused() -> None:
    """An ES256 token is refused for a shared secret (no key confusion)."""
    key = ec.generate_private_key(ec.SECP256R1())
    token = jwt.encode({"sub": "x"}, key, algorithm="ES256")
    with pytest.raises(UnsupportedAlgorithmError, match="ES256"):
        decode(token, SECRET)


@pytest.mark.parametrize(
    "token",
    ["", "abc", "a.b", "a.b.c", f"{_b64({'alg': 'HS256'})}.!!!.sig"],
)
def test_malformed(token: str) -> None:
    """Garbage raises MalformedTokenError (a TokenError)."""
    with pytest.raises(MalformedTokenError):
        decode(token, SECRET)


def test_non_numeric_times_refused() -> None:
    """exp or nbf that is not a number is a malformed token, not silently accepted."""
    token = jwt.encode({"exp": "tomorrow"}, SECRET, algorithm="HS256")
    with pytest.raises(MalformedTokenError, match="exp"):
        decode(token, SECRET)


def test_bad_arguments() -> None:
    """An empty secret or negative leeway is a ValueError, not a token error."""
    token = jwt.encode({"a": 1}, SECRET, algorithm="HS256")
    with pytest.raises(ValueError, match="secret"):
        decode(token, "")
    with pytest.raises(ValueError, match="leeway"):
        decode(token, SECRET, leeway=-1)


def test_errors_share_base_and_hide_token() -> None:
    """Every rejection is a TokenError whose message does not contain the token or secret."""
    token = jwt.encode({"exp": NOW}, SECRET, algorithm="HS256")
    with pytest.raises(TokenError) as info:
        decode(token, SECRET, now=NOW + 1)
    assert token not in str(info.value)
    assert SECRET not in str(info.value)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e400"])
@pytest.mark.parametrize("claim", ["exp", "nbf"])
def test_non_finite_time_claims_are_refused(claim: str, value: str) -> None:
    """A signed exp or nbf of NaN, Infinity or a number past float range is malformed."""
    claims = {"exp": NOW + 60, "nbf": NOW - 60}
    body = json.dumps(claims).replace(str(claims[claim]), value)
    token = jwt.api_jws.encode(body.encode(), SECRET, algorithm="HS256")
    with pytest.raises(MalformedTokenError, match=claim):
        decode(token, SECRET, now=NOW)


@pytest.mark.parametrize("value", ['"soon"', "true", "[1]", "{}"])
def test_non_numeric_exp_is_refused(value: str) -> None:
    """An exp that is a string, bool, list or object is malformed."""
    body = '{"exp": ' + value + "}"
    token = jwt.api_jws.encode(body.encode(), SECRET, algorithm="HS256")
    with pytest.raises(MalformedTokenError, match="exp"):
        decode(token, SECRET, now=NOW)


def test_exp_is_required_unless_the_caller_opts_out() -> None:
    """A token without exp is refused by default and accepted with require_exp=False."""
    token = jwt.encode({"sub": "x"}, SECRET, algorithm="HS256")
    with pytest.raises(MalformedTokenError, match="exp"):
        decode(token, SECRET, now=NOW)
    assert decode(token, SECRET, now=NOW, require_exp=False) == {"sub": "x"}
