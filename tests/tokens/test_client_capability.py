"""ClientCapabilityToken: scopes and claims equal the official package's token."""

from __future__ import annotations

import pytest
from twilio.jwt.client import ClientCapabilityToken as OfficialClientCapabilityToken

from trunkline.tokens import ClientCapabilityToken, decode

from .oracle import freeze_official_clock, open_token

ACCOUNT = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "auth-token-of-thirty-two-chars-x"
APP = "AP" + "4" * 32
NOW = 1_764_000_000


@pytest.mark.parametrize(
    "steps",
    [
        [("incoming", "ana")],
        [("outgoing", {})],
        [("outgoing", {"team": "blue", "lang": ["en", "fr"]}), ("incoming", "ana")],
        [("incoming", "ana smith"), ("outgoing", {"x": "a&b=c"})],
        [("events", {}), ("incoming", "bob")],
        [("events", {"CallSid": "CA1"}), ("outgoing", {}), ("incoming", "c")],
        [("incoming", "a"), ("incoming", "b")],
    ],
)
def test_matches_official(steps: list[tuple[str, object]], monkeypatch: pytest.MonkeyPatch) -> None:
    """For the same steps and time, header and claims (scope order too) equal the official."""
    ours = ClientCapabilityToken(ACCOUNT, AUTH_TOKEN, ttl=600)
    theirs = OfficialClientCapabilityToken(ACCOUNT, AUTH_TOKEN, ttl=600)
    for kind, arg in steps:
        if kind == "incoming":
            assert isinstance(arg, str)
            ours = ours.allow_client_incoming(arg)
            theirs.allow_client_incoming(arg)
        elif kind == "outgoing":
            assert isinstance(arg, dict)
            ours = ours.allow_client_outgoing(APP, **arg)
            theirs.allow_client_outgoing(APP, **arg)
        else:
            assert isinstance(arg, dict)
            ours = ours.allow_event_stream(**arg)
            theirs.allow_event_stream(**arg)
    freeze_official_clock(monkeypatch, NOW)
    our_header, our_claims = open_token(ours.to_jwt(now=NOW), AUTH_TOKEN)
    their_header, their_claims = open_token(theirs.to_jwt(), AUTH_TOKEN)
    assert our_header == their_header
    assert our_claims == their_claims


def test_scope_strings() -> None:
    """Scopes are spelled as Twilio Client expects, with sorted, URL-encoded parameters."""
    token = (
        ClientCapabilityToken(ACCOUNT, AUTH_TOKEN)
        .allow_client_outgoing(APP, team="blue")
        .allow_client_incoming("ana")
        .allow_event_stream()
    )
    assert token.scopes() == [
        f"scope:client:outgoing?appParams=team%3Dblue&appSid={APP}&clientName=ana",
        "scope:client:incoming?clientName=ana",
        "scope:stream:subscribe?path=%2F2010-04-01%2FEvents",
    ]
    claims = decode(token.to_jwt(now=NOW), AUTH_TOKEN, now=NOW)
    assert claims == {
        "scope": " ".join(token.scopes()),
        "iss": ACCOUNT,
        "exp": NOW + 3600,
        "nbf": NOW,
    }


def test_steps_return_new_values_and_validate() -> None:
    """Each allow_* returns a new token; bad SIDs, names and times raise ValueError."""
    base = ClientCapabilityToken(ACCOUNT, AUTH_TOKEN)
    assert base.allow_client_incoming("ana") is not base
    assert base.scopes() == []
    with pytest.raises(ValueError, match="application_sid"):
        base.allow_client_outgoing("CA1")
    with pytest.raises(ValueError, match="incoming"):
        base.allow_client_incoming("")
    with pytest.raises(ValueError, match="account_sid"):
        ClientCapabilityToken("SK1", AUTH_TOKEN)
    with pytest.raises(ValueError, match="ttl"):
        ClientCapabilityToken(ACCOUNT, AUTH_TOKEN, ttl=-1)
    assert AUTH_TOKEN not in repr(base.allow_client_incoming("ana"))


def test_explicit_nbf() -> None:
    """An explicit nbf is used as given instead of the issue time."""
    token = ClientCapabilityToken(ACCOUNT, AUTH_TOKEN, nbf=NOW - 30).allow_client_incoming("a")
    assert decode(token.to_jwt(now=NOW), AUTH_TOKEN, now=NOW)["nbf"] == NOW - 30
