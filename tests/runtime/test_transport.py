"""The transport seam: requests, responses, the mock transport and aiohttp's limits."""

from __future__ import annotations

import pytest

from trunkline._operation import Timeout
from trunkline._transport import AiohttpTransport, MockTransport, Request, Response


def test_request_repr_and_redaction() -> None:
    """A request's repr names method and URL only; redacted headers hide credentials."""
    request = Request(
        "GET",
        "https://verify.twilio.com/v2/x",
        {"Authorization": "Basic c2VjcmV0", "Cookie": "a=b", "X-Trace": "t1"},
    )
    assert repr(request) == "<Request GET https://verify.twilio.com/v2/x attempt=1>"
    assert request.redacted_headers() == {
        "Authorization": "[redacted]",
        "Cookie": "[redacted]",
        "X-Trace": "t1",
    }


def test_response_helpers() -> None:
    """Response builds JSON or text bodies and finds headers regardless of case."""
    response = Response(200, {"Twilio-Request-Id": "RQ1"}, json={"a": 1})
    assert response.json() == {"a": 1}
    assert response.header("twilio-request-id") == "RQ1"
    assert response.header("Content-Type") == "application/json"
    assert Response(204).json() is None
    assert Response(400, text="bad ü").text() == "bad ü"


async def test_mock_transport_async_handler() -> None:
    """MockTransport awaits coroutine handlers and records each request."""

    async def handler(request: Request) -> Response:
        return Response(201, json={"url": request.url})

    transport = MockTransport(handler)
    response = await transport.send(Request("POST", "http://x/y", {}))
    assert response.status == 201
    assert response.json() == {"url": "http://x/y"}
    assert [r.url for r in transport.requests] == ["http://x/y"]
    await transport.aclose()
    assert transport.closed


def test_timeout_maps_to_aiohttp_limits() -> None:
    """total, connect and read become aiohttp's total, sock_connect and sock_read."""
    transport = AiohttpTransport()
    transport._load()
    limits = transport._client_timeout(Timeout(total=9, connect=2, read=3))
    assert (limits.total, limits.sock_connect, limits.sock_read) == (9, 2, 3)
    # The wait for a pooled connection is not a connect timeout: the cap makes it long.
    assert limits.connect is None
    same = Timeout(total=9, connect=2, read=3)
    assert transport._client_timeout(same) == limits


def test_max_connections_validated() -> None:
    """A non-positive connection limit is refused, naming max_connections."""
    with pytest.raises(ValueError, match="max_connections"):
        AiohttpTransport(max_connections=0)
