"""Local token signing and checking; nothing here makes a request.

- :class:`AccessToken` with grants (:class:`VoiceGrant`, :class:`VideoGrant`,
  :class:`ChatGrant`, :class:`SyncGrant`, :class:`TaskRouterGrant`, :class:`PlaybackGrant`)
  for Twilio's client SDKs.
- TaskRouter capability tokens: :class:`WorkerCapability`, :class:`WorkspaceCapability`,
  :class:`TaskQueueCapability`; the legacy :class:`ClientCapabilityToken`.
- :func:`decode` to verify an HS256 token made with a shared secret.
- Verify device helpers in :mod:`trunkline.tokens.totp` and :mod:`trunkline.tokens.push`;
  Ziggeo client auth tokens in :mod:`trunkline.tokens.ziggeo`.
"""

from ._access import AccessToken
from ._client_capability import ClientCapabilityToken
from ._errors import (
    ExpiredTokenError,
    InvalidSignatureError,
    MalformedTokenError,
    NotYetValidTokenError,
    TokenError,
    UnsupportedAlgorithmError,
)
from ._grants import (
    ChatGrant,
    Grant,
    PlaybackGrant,
    SyncGrant,
    TaskRouterGrant,
    VideoGrant,
    VoiceGrant,
)
from ._jwt import decode
from ._taskrouter import Policy, TaskQueueCapability, WorkerCapability, WorkspaceCapability

__all__ = [
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
