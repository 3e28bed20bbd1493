"""Sessions, closing, connection caps and cancellation against real loopback servers."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from trunkline._transport import AiohttpTransport

from .conftest import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    FETCH,
    LIST,
    PATH,
    RawServer,
    Starter,
    http_response,
    in_use_connections,
    twilio,
)


def echo_app(seen: list[dict[str, str]] | None = None) -> web.Application:
    async def handle(request: web.Request) -> web.Response:
        if seen is not None:
            seen.append(dict(request.headers))
        return web.json_response({"path": request.path})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


def aiohttp_transport(client: Any) -> AiohttpTransport:
    transport = client.transport
    assert isinstance(transport, AiohttpTransport)
    return transport


async def test_async_with_closes_session(serve: Starter) -> None:
    """Leaving ``async with`` closes the client's own session and its connections."""
    base = await serve(echo_app())
    async with twilio(base) as client:
        await client.request(FETCH, PATH)
        session = aiohttp_transport(client).session
        assert session is not None
        states = [session.closed]
    states.append(session.closed)
    assert states == [False, True]
    assert client.closed
    await client.aclose()


async def test_real_request_headers(serve: Starter) -> None:
    """Over a real socket the server sees basic auth, the User-Agent and Accept."""
    seen: list[dict[str, str]] = []
    base = await serve(echo_app(seen))
    async with twilio(base) as client:
        await client.request(FETCH, PATH)
        await client.request(FETCH, PATH, headers={"X-Extra": "1"})
    import base64

    expected = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    for headers in seen:
        assert headers["Authorization"] == expected
        assert headers["User-Agent"].startswith("trunkline/")
        assert headers["Accept"] == "application/json"
    assert seen[1]["X-Extra"] == "1"


async def test_users_session_left_open(serve: Starter) -> None:
    """A session passed in is used for requests and left open when the client closes."""
    seen: list[dict[str, str]] = []
    base = await serve(echo_app(seen))
    async with aiohttp.ClientSession() as session:
        async with twilio(base, session=session) as client:
            assert await client.request(FETCH, PATH) is not None
        assert not session.closed
        assert seen[0]["Authorization"].startswith("Basic ")


async def test_unclosed_client_warns(serve: Starter) -> None:
    """A client dropped with its session open warns with ResourceWarning."""
    base = await serve(echo_app())
    client = twilio(base)
    await client.request(FETCH, PATH)
    transport = aiohttp_transport(client)
    holder = [client]
    del client
    with pytest.warns(ResourceWarning, match="never closed"):
        holder.clear()
    await transport.aclose()


def test_unused_client_needs_no_loop_and_does_not_warn() -> None:
    """A client can be built outside a running loop; one never used holds nothing to close."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        client = trunkline_client()
        del client
        gc.collect()


def trunkline_client() -> Any:
    from trunkline._twilio import TwilioClient

    return TwilioClient(ACCOUNT_SID, AUTH_TOKEN)


async def test_connection_cap(serve: Starter) -> None:
    """1,000 concurrent calls with max_connections=20 all complete, never over 20 at once."""
    state = {"now": 0, "peak": 0}
    peers: set[Any] = set()

    async def handle(request: web.Request) -> web.Response:
        state["now"] += 1
        state["peak"] = max(state["peak"], state["now"])
        transport = request.transport
        if transport is not None:
            peers.add(transport.get_extra_info("peername"))
        await asyncio.sleep(0.005)
        state["now"] -= 1
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    base = await serve(app)
    async with twilio(base, max_connections=20) as client:
        results = await asyncio.gather(*(client.request(FETCH, PATH) for _ in range(1000)))
    assert len(results) == 1000
    assert all(r == {"ok": True} for r in results)
    assert 1 < state["peak"] <= 20
    assert len(peers) <= 20


async def hang_after_request(
    server: RawServer, n: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """Read one request and never answer."""
    await server.read_request(reader)
    await reader.read()


async def test_cancel_mid_request_closes_connection() -> None:
    """Cancelling a call mid-request closes its connection, leaving none open or in use."""
    async with RawServer(hang_after_request) as server, twilio(server.base_url) as client:
        task = asyncio.create_task(client.request(FETCH, PATH))
        await server.wait_for_requests(1)
        assert in_use_connections(client) == 1
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert in_use_connections(client) == 0
        await server.wait_closed_by_client()
        assert server.open == 0


async def second_page_hangs(
    server: RawServer, n: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """Page 0 is answered with a next link; any other page never is."""
    while True:
        request = await server.read_request(reader)
        if b"Page=1" in request.split(b"\r\n", 1)[0]:
            await reader.read()
            return
        body = (
            b'{"challenges": [{"sid": "a"}, {"sid": "b"}], "meta": {"next_page_url": '
            b'"https://verify.twilio.com/v2/next?Page=1"}}'
        )
        writer.write(http_response(200, body))
        await writer.drain()


async def test_cancel_mid_stream_closes_connection() -> None:
    """Cancelling a task mid-stream cancels the fetch ahead and leaves no connection open."""
    async with RawServer(second_page_hangs) as server, twilio(server.base_url) as client:
        got: list[str] = []
        handling = asyncio.Event()

        async def consume() -> None:
            async for item in client.stream(LIST, PATH, lambda d: str(d["sid"])):
                got.append(item)
                handling.set()
                await asyncio.sleep(30)

        task = asyncio.create_task(consume())
        await handling.wait()
        await server.wait_for_requests(2)
        assert in_use_connections(client) == 1
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert in_use_connections(client) == 0
        await server.wait_closed_by_client()
        assert got == ["a"]


async def test_cookies_not_carried_between_calls(serve: Starter) -> None:
    """A cookie set by one answer is not sent with the next call (the client is stateless)."""
    seen: list[str | None] = []

    async def handle(request: web.Request) -> web.Response:
        seen.append(request.headers.get("Cookie"))
        response = web.json_response({})
        response.set_cookie("session", "abc")
        return response

    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    # By host name: aiohttp's cookie jar ignores cookies from bare IP addresses anyway.
    base = (await serve(app)).replace("127.0.0.1", "localhost")
    async with twilio(base) as client:
        await client.request(FETCH, PATH)
        await client.request(FETCH, PATH)
    assert seen == [None, None]
