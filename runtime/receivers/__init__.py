"""Receiving Twilio webhooks: signature checks, retries answered once, typed payloads.

The framework-neutral parts live here: :class:`WebhookReceiver` (the URL Twilio signed,
proxy headers trusted only when told, ``X-Twilio-Signature`` for form and JSON bodies,
deduplication by ``I-Twilio-Idempotency-Token``), the idempotency stores and the payload
models. The adapters import their framework: ``trunkline.receivers.aiohttp`` (a
middleware and a decorator) and ``trunkline.receivers.starlette`` (an ASGI middleware and
a FastAPI dependency; the ``starlette`` / ``fastapi`` extras).
"""

from __future__ import annotations

from ._core import BUSY, IDEMPOTENCY_HEADER, Webhook, WebhookReceiver
from ._store import IdempotencyStore, MemoryIdempotencyStore, StoredReply
from .payloads import (
    CallStatus,
    IncomingCall,
    IncomingMessage,
    Media,
    MessageStatus,
    RecordingStatus,
    TaskRouterEvent,
    VerifyEvent,
)

__all__ = [
    "BUSY",
    "IDEMPOTENCY_HEADER",
    "CallStatus",
    "IdempotencyStore",
    "IncomingCall",
    "IncomingMessage",
    "Media",
    "MemoryIdempotencyStore",
    "MessageStatus",
    "RecordingStatus",
    "StoredReply",
    "TaskRouterEvent",
    "VerifyEvent",
    "Webhook",
    "WebhookReceiver",
]
