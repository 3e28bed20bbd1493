"""AccessToken: header and claims equal the official package's, grants, validation, repr."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from twilio.jwt.access_token import AccessToken as OfficialAccessToken
from twilio.jwt.access_token import grants as official_grants

from trunkline.tokens import (
    AccessToken,
    ChatGrant,
    Grant,
    PlaybackGrant,
    SyncGrant,
    TaskRouterGrant,
    VideoGrant,
    VoiceGrant,
    decode,
)

from .oracle import freeze_official_clock, open_token

ACCOUNT = "AC" + "0123456789abcdef" * 2
KEY_SID = "SK" + "fedcba9876543210" * 2
SECRET = "s3cr3t-api-key-secret-of-32-char"
NOW = 1_764_000_000

optional_text = st.none() | st.text(st.characters(codec="utf-8"), min_size=1, max_size=12)
sid_text = st.none() | st.from_regex(r"[A-Z]{2}[0-9a-f]{32}", fullmatch=True)


@st.composite
def grant_pairs(draw: st.DrawFn) -> list[tuple[Grant, Any]]:
    """Pairs of (our grant, the official grant) with the same options."""
    pairs: list[tuple[Grant, Any]] = []
    if draw(st.booleans()):
        incoming = draw(st.none() | st.booleans())
        app = draw(sid_text)
        params = draw(st.none() | st.dictionaries(st.text(max_size=5), st.text(max_size=5)))
        if app is None:
            params = None
        push, endpoint = draw(sid_text), draw(optional_text)
        pairs.append(
            (
                VoiceGrant(
                    incoming_allow=incoming,
                    outgoing_application_sid=app,
                    outgoing_application_params=params,
                    push_credential_sid=push,
                    endpoint_id=endpoint,
                ),
                official_grants.VoiceGrant(
                    incoming_allow=incoming,
                    outgoing_application_sid=app,
                    outgoing_application_params=params,
                    push_credential_sid=push,
                    endpoint_id=endpoint,
                ),
            )
        )
    if draw(st.booleans()):
        room = draw(optional_text)
        pairs.append((VideoGrant(room=room), official_grants.VideoGrant(room=room)))
    if draw(st.booleans()):
        values = [draw(sid_text), draw(optional_text), draw(sid_text), draw(sid_text)]
        names = ["service_sid", "endpoint_id", "deployment_role_sid", "push_credential_sid"]
        options = dict(zip(names, values, strict=True))
        pairs.append((ChatGrant(**options), official_grants.ChatGrant(**options)))
    if draw(st.booleans()):
        service, endpoint = draw(sid_text), draw(optional_text)
        pairs.append(
            (
                SyncGrant(service_sid=service, endpoint_id=endpoint),
                official_grants.SyncGrant(service_sid=service, endpoint_id=endpoint),
            )
        )
    if draw(st.booleans()):
        workspace, worker, role = draw(sid_text), draw(sid_text), draw(optional_text)
        pairs.append(
            (
                TaskRouterGrant(workspace_sid=workspace, worker_sid=worker, role=role),
                official_grants.TaskRouterGrant(
                    workspace_sid=workspace, worker_sid=worker, role=role
                ),
            )
        )
    if draw(st.booleans()):
        grant = {
            "requestCredentials": None,
            "playbackUrl": "https://x.example/p",
            "playerStreamerSid": "VJ1",
        }
        pairs.append((PlaybackGrant(grant), official_grants.PlaybackGrant(grant=grant)))
    return draw(st.permutations(pairs))


@settings(max_examples=80, deadline=None)
@given(
    pairs=grant_pairs(),
    identity=st.text(min_size=1, max_size=20),
    ttl=st.integers(min_value=1, max_value=86_400),
    nbf=st.none() | st.integers(min_value=0, max_value=2**32),
    region=st.none() | st.sampled_from(["ie1", "au1", "us1"]),
)
def test_matches_official_access_token(
    pairs: list[tuple[Grant, Any]],
    identity: str,
    ttl: int,
    nbf: int | None,
    region: str | None,
) -> None:
    """For the same inputs and time, our header and claims equal the official token's (+ iat)."""
    ours = AccessToken(ACCOUNT, KEY_SID, SECRET, identity=identity, ttl=ttl, nbf=nbf, region=region)
    theirs = OfficialAccessToken(
        ACCOUNT, KEY_SID, SECRET, identity=identity, ttl=ttl, nbf=nbf, region=region
    )
    for our_grant, their_grant in pairs:
        ours.add_grant(our_grant)
        theirs.add_grant(their_grant)
    with pytest.MonkeyPatch.context() as monkeypatch:
        freeze_official_clock(monkeypatch, NOW)
        their_token = theirs.to_jwt()
    our_header, our_claims = open_token(ours.to_jwt(now=NOW), SECRET)
    their_header, their_claims = open_token(their_token, SECRET)
    assert our_header == their_header
    # Twilio's Node library (jsonwebtoken) adds iat; the Python one does not.
    assert our_claims.pop("iat") == NOW
    assert our_claims == their_claims


def test_header_and_claims_shape() -> None:
    """The header is typ/alg/cty (+twr with a region); claims follow Twilio's layout."""
    token = AccessToken(
        ACCOUNT, KEY_SID, SECRET, identity="ana", ttl=600, nbf=NOW - 5, region="ie1"
    )
    token.add_grant(VideoGrant(room="standup")).add_grant(VoiceGrant(incoming_allow=True))
    header, claims = open_token(token.to_jwt(now=NOW), SECRET)
    assert header == {"alg": "HS256", "typ": "JWT", "cty": "twilio-fpa;v=1", "twr": "ie1"}
    assert claims == {
        "jti": f"{KEY_SID}-{NOW}",
        "iss": KEY_SID,
        "sub": ACCOUNT,
        "iat": NOW,
        "exp": NOW + 600,
        "nbf": NOW - 5,
        "grants": {
            "identity": "ana",
            "video": {"room": "standup"},
            "voice": {"incoming": {"allow": True}},
        },
    }
    plain_header, plain = open_token(
        AccessToken(ACCOUNT, KEY_SID, SECRET, identity="ana").to_jwt(now=NOW), SECRET
    )
    assert plain_header == {"alg": "HS256", "typ": "JWT", "cty": "twilio-fpa;v=1"}
    assert "nbf" not in plain


def test_ttl_override_and_wall_clock() -> None:
    """to_jwt(ttl=...) overrides the lifetime; without now= the wall clock is used."""
    token = AccessToken(ACCOUNT, KEY_SID, SECRET, identity="ana")
    claims = decode(token.to_jwt(ttl=60), SECRET)
    assert claims["exp"] - claims["iat"] == 60
    with pytest.raises(ValueError, match="ttl"):
        token.to_jwt(ttl=0)


def test_duplicate_and_foreign_grants_refused() -> None:
    """A second grant for the same product, or a non-grant, is refused clearly."""
    token = AccessToken(ACCOUNT, KEY_SID, SECRET, identity="ana", grants=[VideoGrant()])
    with pytest.raises(ValueError, match="already has a VideoGrant"):
        token.add_grant(VideoGrant(room="x"))
    with pytest.raises(TypeError, match="grant"):
        token.add_grant(official_grants.VideoGrant())
    assert token.grants == (VideoGrant(),)


@pytest.mark.parametrize(
    ("args", "kwargs", "problem"),
    [
        (("SK1", KEY_SID, SECRET), {"identity": "a"}, "account_sid"),
        ((ACCOUNT, "AC1", SECRET), {"identity": "a"}, "api_key_sid"),
        ((ACCOUNT, KEY_SID, ""), {"identity": "a"}, "api_key_secret"),
        ((ACCOUNT, KEY_SID, SECRET), {"identity": ""}, "identity"),
        ((ACCOUNT, KEY_SID, SECRET), {"identity": "a", "ttl": 0}, "ttl"),
        ((ACCOUNT, KEY_SID, SECRET), {"identity": "a", "nbf": 1.5}, "nbf"),
    ],
)
def test_bad_arguments(args: tuple[str, ...], kwargs: dict[str, Any], problem: str) -> None:
    """Wrong SID prefixes, empty secrets or identity and bad times raise ValueError."""
    with pytest.raises(ValueError, match=problem):
        AccessToken(*args, **kwargs)


def test_settings_cannot_be_reassigned() -> None:
    """Credentials and settings are read-only after construction."""
    token = AccessToken(ACCOUNT, KEY_SID, SECRET, identity="ana")
    with pytest.raises(AttributeError):
        token.identity = "eve"  # type: ignore[misc]


def test_grant_values_are_immutable_copies() -> None:
    """Grants copy the caller's mappings and cannot be changed afterwards."""
    params = {"team": {"name": "blue"}}
    grant = VoiceGrant(outgoing_application_sid="AP1", outgoing_application_params=params)
    params["team"]["name"] = "red"
    assert grant.to_payload()["outgoing"]["params"] == {"team": {"name": "blue"}}
    grant.to_payload()["outgoing"]["params"]["team"]["name"] = "green"
    assert grant.to_payload()["outgoing"]["params"] == {"team": {"name": "blue"}}
    with pytest.raises(AttributeError):
        grant.endpoint_id = "x"  # type: ignore[misc]
    with pytest.raises(ValueError, match="outgoing_application_sid"):
        VoiceGrant(outgoing_application_params={"a": "b"})
    with pytest.raises(ValueError, match="PlaybackGrant"):
        PlaybackGrant({})


def test_secret_not_in_repr() -> None:
    """The API key secret never appears in repr or str."""
    token = AccessToken(ACCOUNT, KEY_SID, SECRET, identity="ana")
    assert SECRET not in repr(token)
    assert SECRET not in str(token)


def test_signature_uses_secret() -> None:
    """The token verifies with the API key secret and not with another one."""
    token = AccessToken(ACCOUNT, KEY_SID, SECRET, identity="ana").to_jwt()
    assert jwt.decode(token, SECRET, algorithms=["HS256"])["sub"] == ACCOUNT
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, SECRET + "x", algorithms=["HS256"])


def test_to_jwt_is_byte_identical_to_jwt_encode() -> None:
    """to_jwt's signing path yields exactly jwt.encode's output for the same claims and header."""
    token = AccessToken(ACCOUNT, KEY_SID, SECRET, identity="ana é", region="ie1", nbf=NOW)
    token.add_grant(VoiceGrant(incoming_allow=True, outgoing_application_sid="AP1"))
    token.add_grant(ChatGrant(service_sid="IS1"))
    expected = jwt.encode(
        token.claims(now=NOW),
        SECRET,
        algorithm="HS256",
        headers={"cty": "twilio-fpa;v=1", "twr": "ie1"},
    )
    assert token.to_jwt(now=NOW) == expected
