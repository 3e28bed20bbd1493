"""Helpers to run the official twilio package (a test-only oracle) at a fixed time."""

from __future__ import annotations

import types
from typing import Any

import jwt
import pytest
import twilio.jwt
import twilio.jwt.access_token
import twilio.jwt.client
import twilio.jwt.taskrouter

# The modules of the official package that read the clock through their own `time` name.
_CLOCK_MODULES = (twilio.jwt, twilio.jwt.access_token)


def freeze_official_clock(monkeypatch: pytest.MonkeyPatch, now: int) -> None:
    """Makes the official package see `now` as the current time."""
    fixed = types.SimpleNamespace(time=lambda: now)
    for module in _CLOCK_MODULES:
        monkeypatch.setattr(module, "time", fixed)


def open_token(token: str, secret: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and the signature-checked claims of an HS256 token, ignoring times."""
    claims: dict[str, Any] = jwt.decode(
        token,
        secret,
        algorithms=["HS256"],
        options={"verify_exp": False, "verify_nbf": False, "verify_iat": False},
    )
    return jwt.get_unverified_header(token), claims
