"""Paging reads what the spec says: items under the spec's key, tokens in meta."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web

import trunkline
from trunkline._client import BaseClient
from trunkline._operation import Operation
from trunkline._transport import MockTransport, Request, Response

from .conftest import LIST, PATH, Starter, twilio


def sid(item: Any) -> str:
    return str(item["sid"])


async def test_spec_items_key_wins_over_a_placeholder_meta_key() -> None:
    """A page whose meta.key is a placeholder ("string") is read under the spec's items key."""
    body = {
        "challenges": [{"sid": "YC1"}, {"sid": "YC2"}],
        "meta": {"key": "string", "next_page_url": None, "page": 0, "page_size": 50},
    }
    async with BaseClient(transport=MockTransport(lambda r: Response(200, json=body))) as client:
        assert await client.list(LIST, PATH, sid) == ["YC1", "YC2"]


async def test_meta_key_still_used_when_the_spec_names_no_key() -> None:
    """Without a spec items key the response's meta.key picks the list among several arrays."""
    op = Operation(
        id=LIST.id, method="GET", server=LIST.server, path=LIST.path, paging="twilio_meta"
    )
    body = {
        "links": [{"sid": "no"}],
        "challenges": [{"sid": "YC1"}],
        "meta": {"key": "challenges", "next_page_url": None},
    }

    def handler(request: Request) -> Response:
        return Response(200, json=body)

    async with BaseClient(transport=MockTransport(handler)) as client:
        assert await client.list(op, PATH, sid) == ["YC1"]


PORT_IN = Operation(
    id="ListPortInRequests",
    method="GET",
    server="https://numbers.twilio.com",
    path="/v1/Porting/PortIn/PortInRequests",
    paging="twilio_token",
    items_key="port_in_requests",
    max_page_size=100,
)
TOKENS = {None: "T1", "T1": "T2", "T2": None}


def token_app(seen: list[dict[str, str]]) -> web.Application:
    """Three pages chained by meta.next_token; each page says its previous token."""

    async def handle(request: web.Request) -> web.Response:
        seen.append(dict(request.query))
        token = request.query.get("Token")
        size = int(request.query.get("Size", "20"))
        items = [{"port_in_request_sid": f"KW{token or 'T0'}{i}"} for i in range(size)]
        previous = {"T1": None, "T2": "T1"}.get(token or "")
        meta = {"next_token": TOKENS[token], "previous_token": previous}
        return web.json_response({"port_in_requests": items, "meta": meta})

    app = web.Application()
    app.router.add_get(PORT_IN.path, handle)
    return app


def port_sid(item: Any) -> str:
    return str(item["port_in_request_sid"])


async def test_token_paging_sends_next_token_back_across_three_pages(serve: Starter) -> None:
    """twilio_token paging repeats the first query with Token=<meta.next_token> until none."""
    seen: list[dict[str, str]] = []
    base = await serve(token_app(seen))
    async with twilio(base) as client:
        items = await client.list(
            PORT_IN, {}, port_sid, query={"PortInRequestStatus": "Completed"}, page_size=2
        )
        first = await client.page(PORT_IN, {}, port_sid, page_size=2)
        second = await first.next_page()
        assert second is not None
        third = await second.next_page()
    assert items == ["KWT00", "KWT01", "KWT10", "KWT11", "KWT20", "KWT21"]
    assert seen[:3] == [
        {"PortInRequestStatus": "Completed", "Size": "2"},
        {"PortInRequestStatus": "Completed", "Size": "2", "Token": "T1"},
        {"PortInRequestStatus": "Completed", "Size": "2", "Token": "T2"},
    ]
    assert first.has_next
    assert not first.has_previous
    assert third is not None
    assert third.has_previous
    assert not third.has_next
    assert list(second) == ["KWT10", "KWT11"]
    assert second.page_size == 2


async def test_token_paging_stops_on_a_repeated_token() -> None:
    """A next_token that names the page just fetched raises PagingError instead of looping."""

    def handler(request: Request) -> Response:
        meta = {"next_token": "T1", "previous_token": None}
        return Response(
            200, json={"port_in_requests": [{"port_in_request_sid": "a"}], "meta": meta}
        )

    async with BaseClient(transport=MockTransport(handler)) as client:
        with pytest.raises(trunkline.PagingError, match="repeats"):
            await client.list(PORT_IN, {}, port_sid)
