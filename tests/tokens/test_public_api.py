"""The public names of trunkline.tokens and its submodules."""

from __future__ import annotations

import trunkline.tokens
import trunkline.webhooks
from trunkline.tokens import push, totp, ziggeo


def test_package_exports() -> None:
    """trunkline.tokens exports exactly the agreed builders, grants, decode and errors."""
    assert sorted(trunkline.tokens.__all__) == [
        "AccessToken",
        "ChatGrant",
        "ClientCapabilityToken",
        "ExpiredTokenError",
        "Grant",
        "InvalidSignatureError",
        "MalformedTokenError",
        "NotYetValidTokenError",
        "PlaybackGrant",
        "Policy",
        "SyncGrant",
        "TaskQueueCapability",
        "TaskRouterGrant",
        "TokenError",
        "UnsupportedAlgorithmError",
        "VideoGrant",
        "VoiceGrant",
        "WorkerCapability",
        "WorkspaceCapability",
        "decode",
    ]
    for name in trunkline.tokens.__all__:
        assert getattr(trunkline.tokens, name).__module__.startswith("trunkline.tokens.")


def test_submodule_exports() -> None:
    """The device-helper, Ziggeo and webhook modules export the agreed names."""
    assert {"Totp", "random_secret"} <= set(totp.__all__)
    assert {
        "PushKey",
        "verify_factor_signature",
        "verify_challenge_jwt",
        "verify_device_token",
        "signature_fields",
        "load_public_key",
    } <= set(push.__all__)
    assert set(ziggeo.__all__) == {"generate", "decrypt"}
    assert "RequestValidator" in trunkline.webhooks.__all__
    for module in (totp, push, ziggeo, trunkline.webhooks):
        for name in module.__all__:
            assert hasattr(module, name)


def test_errors_hierarchy() -> None:
    """Every token error derives from TokenError, itself a TrunklineError."""
    assert issubclass(trunkline.tokens.TokenError, trunkline.TrunklineError)
    for name in (
        "ExpiredTokenError",
        "InvalidSignatureError",
        "MalformedTokenError",
        "NotYetValidTokenError",
        "UnsupportedAlgorithmError",
    ):
        assert issubclass(getattr(trunkline.tokens, name), trunkline.tokens.TokenError)
