"""An empty success reply: None where the spec allows it, a clear ApiError where it does not."""

from __future__ import annotations

import pytest

import trunkline
from trunkline._client import BaseClient
from trunkline._operation import Operation
from trunkline._transport import MockTransport, Response

FETCH = Operation(
    id="FetchWidget",
    method="GET",
    server="https://widgets.twilio.com",
    path="/v1/Widgets/{Sid}",
    requires_content=True,
)
DELETE = Operation(
    id="DeleteWidget",
    method="DELETE",
    server="https://widgets.twilio.com",
    path="/v1/Widgets/{Sid}",
)


async def test_empty_reply_where_the_spec_promises_a_body_is_an_api_error() -> None:
    """A 204 to an operation whose every success has a body raises ApiError naming it."""
    transport = MockTransport(lambda request: Response(204, {"X-Request-Id": "RQ1"}))
    async with BaseClient(transport=transport) as client:
        with pytest.raises(trunkline.ApiError) as caught:
            await client.request(FETCH, {"Sid": "WD1"})
    err = caught.value
    assert "FetchWidget" in err.message
    assert "204" in err.message
    assert err.status == 204
    assert err.url == "https://widgets.twilio.com/v1/Widgets/WD1"
    assert err.request_id == "RQ1"
    assert len(transport.requests) == 1


async def test_empty_reply_where_none_is_promised_is_none() -> None:
    """An operation that does not promise a body (a delete) gets None for an empty reply."""
    async with BaseClient(transport=MockTransport(lambda request: Response(204))) as client:
        assert await client.request(DELETE, {"Sid": "WD1"}) is None
