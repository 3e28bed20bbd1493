"""Ziggeo client auth tokens: the published vector, the official SDK as oracle, round trips."""

from __future__ import annotations

import importlib
import types
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trunkline.tokens import MalformedTokenError
from trunkline.tokens.ziggeo import decrypt, generate

APP_TOKEN = "APP_TOKEN_123"
ENCRYPTION_KEY = "ENCRYPTION_KEY_789"
VECTOR = (
    "ffffffffffffffff4458d87fe631a94303ae4ee7fa95b8addd6a2512b867571d0f52ffb407f59f901998b965"
    "8f803824fce43465f66eea166554add7a24d70a38704ba1754172c72"
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
options_strategy = st.dictionaries(st.text(max_size=10), json_values, max_size=4)


def _official(
    monkeypatch: pytest.MonkeyPatch,
    app_token: str,
    encryption_key: str,
    options: dict[str, Any],
    *,
    now: int,
    iv_bytes: bytes,
    nonce_int: int,
) -> str:
    """Runs the official SDK's Auth.generate with its clock and randomness pinned."""
    # The SDK installs flat top-level modules, so they are imported by name.
    ziggeo_auth = importlib.import_module("ZiggeoAuth")
    ziggeo_module = importlib.import_module("Ziggeo")
    # The SDK reads os.urandom (IV), time.time and random.randint (nonce) through its module.
    monkeypatch.setattr(ziggeo_auth, "os", types.SimpleNamespace(urandom=lambda n: iv_bytes[:n]))
    monkeypatch.setattr(ziggeo_auth, "time", types.SimpleNamespace(time=lambda: now))
    monkeypatch.setattr(
        ziggeo_auth, "random", types.SimpleNamespace(randint=lambda a, b: nonce_int)
    )
    client = ziggeo_module.Ziggeo(app_token, "private", encryption_key)
    token: str = client.auth().generate(options)
    return token


def test_published_vector() -> None:
    """The reference SDK's vector is reproduced exactly with injected time and randomness."""
    token = generate(
        APP_TOKEN,
        ENCRYPTION_KEY,
        {},
        now=1,
        random_bytes=lambda n: b"\xff" * n,
        random_int=lambda: 2,
    )
    assert token == VECTOR
    assert decrypt(token, ENCRYPTION_KEY) == {"application_token": APP_TOKEN, "nonce": "12"}


def test_official_sdk_reproduces_vector(monkeypatch: pytest.MonkeyPatch) -> None:
    """The official ziggeo package, given the same injected randomness, makes the same token."""
    token = _official(
        monkeypatch, APP_TOKEN, ENCRYPTION_KEY, {}, now=1, iv_bytes=b"\xff" * 8, nonce_int=2
    )
    assert token == VECTOR


@settings(max_examples=60, deadline=None)
@given(
    options=options_strategy,
    app_token=st.text(min_size=1, max_size=40),
    encryption_key=st.text(min_size=1, max_size=40),
    iv_bytes=st.binary(min_size=8, max_size=8),
    now=st.integers(min_value=0, max_value=2**33),
    nonce_int=st.integers(min_value=0, max_value=2**63 - 1),
)
def test_agrees_with_official_sdk(
    options: dict[str, Any],
    app_token: str,
    encryption_key: str,
    iv_bytes: bytes,
    now: int,
    nonce_int: int,
) -> None:
    """For any options, keys, IV and nonce, our token equals the official SDK's byte for byte."""
    ours = generate(
        app_token,
        encryption_key,
        options,
        now=now,
        random_bytes=lambda n: iv_bytes,
        random_int=lambda: nonce_int,
    )
    with pytest.MonkeyPatch.context() as monkeypatch:
        theirs = _official(
            monkeypatch,
            app_token,
            encryption_key,
            dict(options),
            now=now,
            iv_bytes=iv_bytes,
            nonce_int=nonce_int,
        )
    assert ours == theirs


@settings(max_examples=60, deadline=None)
@given(options=options_strategy, encryption_key=st.text(min_size=1, max_size=40))
def test_round_trip_and_caller_dict_unchanged(options: dict[str, Any], encryption_key: str) -> None:
    """Every token decrypts back to its options plus token and nonce; the caller's dict is kept."""
    before = dict(options)
    token = generate(APP_TOKEN, encryption_key, options)
    assert options == before
    assert len(token) % 32 == 16
    assert token[:16] == token[:16].lower()
    decoded = decrypt(token, encryption_key)
    nonce = decoded.pop("nonce")
    assert isinstance(nonce, str)
    assert nonce.isdigit()
    assert decoded == {**options, "application_token": APP_TOKEN}


def test_fresh_iv_and_nonce_each_time() -> None:
    """Without injection, two tokens for the same options differ (fresh IV and nonce)."""
    assert generate(APP_TOKEN, ENCRYPTION_KEY) != generate(APP_TOKEN, ENCRYPTION_KEY)


def test_bad_inputs() -> None:
    """Empty credentials and non-JSON options raise ValueError naming the problem."""
    with pytest.raises(ValueError, match="app_token"):
        generate("", ENCRYPTION_KEY)
    with pytest.raises(ValueError, match="encryption_key"):
        generate(APP_TOKEN, "")
    with pytest.raises(ValueError, match="JSON"):
        generate(APP_TOKEN, ENCRYPTION_KEY, {"when": object()})


def test_decrypt_rejections() -> None:
    """Garbled tokens and the wrong key raise MalformedTokenError."""
    token = generate(APP_TOKEN, ENCRYPTION_KEY, {"a": 1})
    with pytest.raises(MalformedTokenError):
        decrypt(token, "another key")
    with pytest.raises(MalformedTokenError):
        decrypt(token[:-2], ENCRYPTION_KEY)
    with pytest.raises(MalformedTokenError):
        decrypt(token[:16] + "zz" + token[18:], ENCRYPTION_KEY)
    with pytest.raises(MalformedTokenError):
        decrypt("ffff", ENCRYPTION_KEY)
