"""AccessToken signing rate: trunkline, bare ``jwt.encode`` and the ``twilio`` package.

``python bench/_tokens.py N ROUNDS`` signs N tokens per client per round, the clients
interleaved round by round, and prints one JSON line of the median tokens per second.
Every token carries the same claims: a voice grant with outgoing and incoming calls and
a video grant, an identity and a one-hour lifetime.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

import _payloads as p
import jwt

__all__ = ["signers"]

KEY_SID = "SK" + "00112233445566778899aabbccddeeff"
KEY_SECRET = "bench-signing-key-secret-0123456789"
IDENTITY = "ana@example.com"
APP_SID = "AP" + "ffeeddccbbaa99887766554433221100"
ROOM = "standup"


def _bare() -> str:
    now = int(time.time())
    claims = {
        "jti": f"{KEY_SID}-{now}",
        "iss": KEY_SID,
        "sub": p.ACCOUNT_SID,
        "iat": now,
        "exp": now + 3600,
        "grants": {
            "identity": IDENTITY,
            "voice": {"incoming": {"allow": True}, "outgoing": {"application_sid": APP_SID}},
            "video": {"room": ROOM},
        },
    }
    return jwt.encode(
        claims, KEY_SECRET, algorithm="HS256", headers={"typ": "JWT", "cty": "twilio-fpa;v=1"}
    )


def _trunkline() -> Callable[[], str] | None:
    try:
        from trunkline.tokens import AccessToken, VideoGrant, VoiceGrant
    except ImportError:
        return None

    def sign() -> str:
        token = AccessToken(p.ACCOUNT_SID, KEY_SID, KEY_SECRET, identity=IDENTITY)
        token.add_grant(VoiceGrant(outgoing_application_sid=APP_SID, incoming_allow=True))
        token.add_grant(VideoGrant(room=ROOM))
        return str(token.to_jwt())

    return sign


def _twilio() -> Callable[[], str]:
    from twilio.jwt.access_token import AccessToken
    from twilio.jwt.access_token.grants import VideoGrant, VoiceGrant

    def sign() -> str:
        token = AccessToken(p.ACCOUNT_SID, KEY_SID, KEY_SECRET, identity=IDENTITY)
        token.add_grant(VoiceGrant(outgoing_application_sid=APP_SID, incoming_allow=True))
        token.add_grant(VideoGrant(room=ROOM))
        return str(token.to_jwt())

    return sign


def signers() -> dict[str, Callable[[], str]]:
    """The signing functions to compare, by column name (trunkline only once it exists)."""
    found: dict[str, Callable[[], str]] = {"raw": _bare, "twilio": _twilio()}
    ours = _trunkline()
    if ours is not None:
        found["trunkline"] = ours
    return found


def _rate(sign: Callable[[], str], n: int) -> float:
    start = time.process_time()
    for _ in range(n):
        sign()
    return n / (time.process_time() - start)


def main() -> None:
    """Measure every signer and print the median rates as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("rounds", type=int)
    args = parser.parse_args()
    found = signers()
    for sign in found.values():
        sign()
    rates: dict[str, list[float]] = {name: [] for name in found}
    for _ in range(args.rounds):
        for name, sign in found.items():
            rates[name].append(_rate(sign, args.n))
    print(json.dumps({name: statistics.median(r) for name, r in rates.items()}))


if __name__ == "__main__":
    main()
