"""Twilio-shaped Verify v2 payloads the benchmark server sends and the clients send.

Shapes follow the public Verify v2 API (factor, challenge with ``details.fields``,
``hidden_details`` and ``links``, list pages with ``meta``); the SIDs are made up.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = [
    "ACCOUNT_SID",
    "AUTH_TOKEN",
    "DETAILS_FIELDS",
    "DETAILS_MESSAGE",
    "FACTOR_SID",
    "HIDDEN_DETAILS",
    "HOST",
    "IDENTITY",
    "SERVICE_SID",
    "challenge",
    "factor",
    "identity_for_total",
    "page_items_bytes",
    "total_for_identity",
]

HOST = "https://verify.twilio.com"
ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "bench-auth-token-not-a-secret"
SERVICE_SID = "VA" + "5f3a9c1d7e2b4a6f" * 2
ENTITY_SID = "YE" + "9d8c7b6a5f4e3d2c" * 2
FACTOR_SID = "YF" + "1a2b3c4d5e6f7a8b" * 2
IDENTITY = "ff483d1ff591898a9942916050d2ca3f"

DETAILS_MESSAGE = "Hi! Mr. John Doe, would you like to sign up?"
DETAILS_FIELDS = [
    {"label": "Action", "value": "Sign up in portal"},
    {"label": "Location", "value": "Berlin, Germany"},
]
HIDDEN_DETAILS = {"ip": "172.168.1.234", "user_agent": "Mozilla/5.0 (X11; Linux x86_64)"}

_TOTAL_PREFIX = "bench-total-"


def identity_for_total(total: int) -> str:
    """The entity identity that makes the server's challenge list hold ``total`` items."""
    return f"{_TOTAL_PREFIX}{total}"


def total_for_identity(identity: str, default: int) -> int:
    """How many challenges the server lists for ``identity``."""
    if identity.startswith(_TOTAL_PREFIX):
        return int(identity[len(_TOTAL_PREFIX) :])
    return default


def _entity_url(service_sid: str, identity: str) -> str:
    return f"{HOST}/v2/Services/{service_sid}/Entities/{identity}"


def factor(service_sid: str, identity: str, sid: str) -> dict[str, Any]:
    """A push factor as ``GET .../Factors/{Sid}`` returns it."""
    return {
        "sid": sid,
        "account_sid": ACCOUNT_SID,
        "service_sid": service_sid,
        "entity_sid": ENTITY_SID,
        "identity": identity,
        "date_created": "2024-05-14T09:21:03Z",
        "date_updated": "2024-05-14T09:22:41Z",
        "friendly_name": "Ana's Pixel 8",
        "status": "verified",
        "factor_type": "push",
        "config": {
            "sdk_version": "2.3.1",
            "app_id": "com.example.authenticator",
            "notification_platform": "fcm",
            "notification_token": "dGVzdC10b2tlbi1mb3ItYmVuY2htYXJrLW9ubHk",
        },
        "metadata": {"os": "Android", "model": "Pixel 8"},
        "url": f"{_entity_url(service_sid, identity)}/Factors/{sid}",
    }


def challenge(
    service_sid: str, identity: str, index: int, factor_sid: str = FACTOR_SID
) -> dict[str, Any]:
    """A push challenge as the list and create operations return it."""
    sid = f"YC{index:032x}"
    url = f"{_entity_url(service_sid, identity)}/Challenges/{sid}"
    return {
        "sid": sid,
        "account_sid": ACCOUNT_SID,
        "service_sid": service_sid,
        "entity_sid": ENTITY_SID,
        "identity": identity,
        "factor_sid": factor_sid,
        "date_created": "2024-05-14T09:30:00Z",
        "date_updated": "2024-05-14T09:30:12Z",
        "date_responded": "2024-05-14T09:30:12Z",
        "expiration_date": "2024-05-14T09:35:00Z",
        "status": ("pending", "approved", "denied", "expired")[index % 4],
        "responded_reason": "none",
        "details": {
            "message": DETAILS_MESSAGE,
            "date": "2024-05-14T09:30:00Z",
            "fields": DETAILS_FIELDS,
        },
        "hidden_details": HIDDEN_DETAILS,
        "metadata": None,
        "factor_type": "push",
        "url": url,
        "links": {"notifications": f"{url}/Notifications"},
    }


def page_items_bytes(service_sid: str, identity: str, count: int) -> bytes:
    """The JSON array of ``count`` challenges, encoded once and reused for every page."""
    items = [challenge(service_sid, identity, i) for i in range(count)]
    return json.dumps(items, separators=(",", ":")).encode()
