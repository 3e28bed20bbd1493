"""A reference encoding of a :class:`CallPlan` into an HTTP request, independent of trunkline.

The harness checks itself with it: the synthesized arguments, sent this way, must pass
Prism; so when a generated method's request is refused, the client is at fault, not the
arguments.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

import aiohttp
import attrs

from ._spec import JSON_TYPES
from ._synth import WHOLE_BODY, CallPlan

__all__ = ["ACCOUNT_SID", "AUTH_TOKEN", "RawRequest", "encode_plan", "send_raw"]

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "contract-token"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping | list):
        return json.dumps(value, default=str)
    return str(value)


def _pairs(items: list[tuple[str, Any]]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for wire, value in items:
        if isinstance(value, list):
            pairs.extend((wire, _text(v)) for v in value)
        else:
            pairs.append((wire, _text(value)))
    return pairs


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return _text(value)
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


@attrs.frozen
class RawRequest:
    """An encoded request: method, path with query, headers and body bytes."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes | None


def encode_plan(plan: CallPlan, account_sid: str = ACCOUNT_SID) -> RawRequest:
    """Encode ``plan`` the way Twilio expects it on the wire."""
    op = plan.operation
    path_values = {a.wire: _text(a.value) for a in plan.positional}
    if plan.default_account:
        path_values["AccountSid"] = account_sid
    path = op.path
    for wire, value in path_values.items():
        path = path.replace("{" + wire + "}", quote(value, safe=""))
    query = _pairs([(a.wire, a.value) for a in plan.keywords if a.location == "query"])
    headers = {a.wire: _text(a.value) for a in plan.keywords if a.location == "header"}
    body_items = [(a.wire, a.value) for a in plan.keywords if a.location == "body"]
    body: bytes | None = None
    if op.content_type in JSON_TYPES:
        headers["Content-Type"] = op.content_type or "application/json"
        whole = [v for w, v in body_items if w == WHOLE_BODY]
        fields = {w: _jsonable(v) for w, v in body_items if w != WHOLE_BODY}
        body = json.dumps(_jsonable(whole[0]) if whole else fields).encode()
    elif op.content_type is not None:
        headers["Content-Type"] = op.content_type
        body = urlencode(_pairs(body_items)).encode()
    target = path + ("?" + urlencode(query) if query else "")
    return RawRequest(method=op.method, target=target, headers=headers, body=body)


async def send_raw(
    session: aiohttp.ClientSession,
    base_url: str,
    request: RawRequest,
    *,
    account_sid: str = ACCOUNT_SID,
    auth_token: str = AUTH_TOKEN,
) -> tuple[int, str]:
    """Send ``request`` with Basic auth; return the status and the response text."""
    headers = dict(request.headers)
    token = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode("ascii")
    headers.setdefault("Authorization", f"Basic {token}")
    async with session.request(
        request.method, base_url + request.target, headers=headers, data=request.body
    ) as response:
        return response.status, await response.text()
