"""What a raw socket server receives from the client: path segments, resends, error chains."""

from __future__ import annotations

import asyncio
import base64
import socket
import struct
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import trunkline
from trunkline import Request, Response, RetryPolicy
from trunkline._client import Handler
from trunkline._operation import Operation

from .conftest import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    FETCH,
    PATH,
    FakeTime,
    RawServer,
    http_response,
    twilio,
)

DELETE = Operation(
    id="DeleteEntity",
    method="DELETE",
    server="https://verify.twilio.com",
    path="/v2/Services/{ServiceSid}/Entities/{Identity}",
)
SERVICE = "VA" + "1" * 32
BASIC = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
PRIVATE = "19800101"
ONCE = RetryPolicy(attempts=1)


async def answer_all(
    server: RawServer, n: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """Answer every request on the connection with 204."""
    while True:
        await server.read_request(reader)
        writer.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()


def _target(request: bytes) -> str:
    return request.split(b" ", 2)[1].decode("ascii")


@pytest.mark.parametrize("value", [".", ".."])
async def test_dot_segments_are_refused_before_any_io(value: str) -> None:
    """A path value of "." or ".." raises ValidationError naming it; nothing reaches the wire."""
    async with RawServer(answer_all) as server, twilio(server.base_url) as client:
        with pytest.raises(trunkline.ValidationError, match="Identity") as info:
            await client.request(DELETE, {"ServiceSid": SERVICE, "Identity": value})
        assert isinstance(info.value, ValueError)
        with pytest.raises(trunkline.ValidationError, match="identity"):
            await client_twilio(server.base_url).verify.v2.services.entities.delete(SERVICE, value)
    assert server.requests == []


async def test_generated_ziggeo_method_refuses_a_dot_segment() -> None:
    """zg.auth_tokens.delete("..") raises ValidationError instead of sending DELETE /v1/."""
    async with (
        RawServer(answer_all) as server,
        trunkline.Ziggeo("app-token", "private-key", base_url=server.base_url) as zg,
    ):
        with pytest.raises(trunkline.ValidationError):
            await zg.auth_tokens.delete("..")
    assert server.requests == []


def client_twilio(base_url: str) -> trunkline.Twilio:
    """The generated Twilio client on ``base_url`` (never opened: the checks run first)."""
    return trunkline.Twilio(ACCOUNT_SID, AUTH_TOKEN, base_url=base_url)


TRICKY = [
    "%2E%2E",
    "%2e",
    ".%2E",
    "...",
    "a/../b",
    "../x",
    "..%2F",
    "./",
    "?x=1",
    "#frag",
    " ",
    "ü",
    "\u2025",
    "%",
    "a%2Fb",
]


def _one_segment(values: list[str]) -> None:
    async def run() -> list[str]:
        async with (
            RawServer(answer_all) as server,
            twilio(server.base_url, retry=ONCE) as client,
        ):
            for value in values:
                await client.request(DELETE, {"ServiceSid": SERVICE, "Identity": value})
            return [_target(r) for r in server.requests]

    targets = asyncio.run(run())
    for value, target in zip(values, targets, strict=True):
        segments = target.split("/")
        assert segments[:5] == ["", "v2", "Services", SERVICE, "Entities"], target
        assert len(segments) == 6, target
        assert unquote(segments[5]) == value, target


def test_tricky_path_values_stay_one_segment() -> None:
    """Encoded dots, slashes, '?', '#' and non-ASCII arrive as exactly the one segment given."""
    _one_segment(TRICKY)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.text(min_size=1, max_size=12).filter(lambda v: v not in (".", "..")),
        min_size=1,
        max_size=40,
    )
)
def test_any_path_value_lands_as_one_segment(values: list[str]) -> None:
    """Whatever text a path value holds, the wire carries it as one segment of that path."""
    _one_segment(values)


async def stale_after_first(
    server: RawServer, n: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """Connection 1 answers one request, then reads the next and drops it; others answer.

    Each answer's body names the connection it came on.
    """
    while True:
        await server.read_request(reader)
        if n == 1 and len(server.requests) == 2:
            return
        writer.write(http_response(200, b'{"n": %d}' % n))
        await writer.drain()


@pytest.mark.parametrize("method", ["GET", "DELETE"])
async def test_no_hidden_resend_on_a_stale_keep_alive_connection(method: str) -> None:
    """With attempts=1 a request dropped on a reused connection reaches the wire once."""
    op = Operation(id="Op", method=method, server=FETCH.server, path=FETCH.path)
    seen: list[int] = []

    async def count(request: Request, handler: Handler) -> Response:
        seen.append(request.attempt)
        return await handler(request)

    async with (
        RawServer(stale_after_first) as server,
        twilio(server.base_url, retry=ONCE, middlewares=[count]) as client,
    ):
        await client.request(op, PATH)
        with pytest.raises(trunkline.ApiConnectionError):
            await client.request(op, PATH)
    assert len(server.requests) == 2
    assert seen == [1, 1]


async def test_a_retried_stale_connection_is_a_counted_attempt() -> None:
    """With retries on, the resend after a stale connection is attempt 2, seen by middlewares."""
    seen: list[int] = []

    async def count(request: Request, handler: Handler) -> Response:
        seen.append(request.attempt)
        return await handler(request)

    fast = FakeTime().policy(attempts=2, wait_initial=0.01, wait_jitter=0, wait_min=0.01)
    async with (
        RawServer(stale_after_first) as server,
        twilio(server.base_url, retry=fast, middlewares=[count]) as client,
    ):
        await client.request(FETCH, PATH)
        assert await client.request(FETCH, PATH) == {"n": 2}
    assert len(server.requests) == 3
    assert seen == [1, 1, 2]


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [current.__cause__, current.__context__]


def _assert_clean(exc: BaseException) -> None:
    for link in _chain(exc):
        shown = [repr(link), str(link), *map(repr, link.args)]
        for text in shown:
            for secret in (AUTH_TOKEN, BASIC, PRIVATE):
                assert secret not in text, (type(link).__name__, text)
        # Attributes may hold the full URL (the caller's own values), never a credential.
        attributes = repr(vars(link))
        assert AUTH_TOKEN not in attributes
        assert BASIC not in attributes


async def refuse_status_line(
    server: RawServer, n: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """Answer with a status line no HTTP parser accepts."""
    await server.read_request(reader)
    writer.write(b"HTTP/1.1 twohundred OK\r\nContent-Length: 0\r\n\r\n")
    await writer.drain()


async def reset(
    server: RawServer, n: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """Read the request, then reset the connection (RST, not FIN)."""
    await server.read_request(reader)
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def hang(
    server: RawServer, n: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """Read the request and never answer."""
    await server.read_request(reader)
    await reader.read()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    "respond", [refuse_status_line, reset, hang, None], ids=["status", "reset", "timeout", "tls"]
)
async def test_no_credential_or_value_in_the_exception_chain(respond: object) -> None:
    """Every failure's chain (causes, contexts, args, reprs) is free of credentials and values."""
    query = {"DateOfBirth": PRIVATE}
    if respond is None:
        async with RawServer(answer_all) as server:
            https = server.base_url.replace("http://", "https://")
            async with twilio(https, retry=ONCE) as client:
                with pytest.raises(trunkline.ApiConnectionError) as info:
                    await client.request(FETCH, PATH, query=query)
    else:
        async with (
            RawServer(respond) as server,  # type: ignore[arg-type]
            twilio(server.base_url, retry=ONCE, timeout=0.3) as client,
        ):
            with pytest.raises(trunkline.ApiConnectionError) as info:
                await client.request(FETCH, PATH, query=query)
    _assert_clean(info.value)
    assert "DateOfBirth" in str(info.value)


async def test_no_credential_in_the_chain_of_a_refused_connection() -> None:
    """A refused connection's error chain holds no credential and no query value."""
    base = f"http://127.0.0.1:{_closed_port()}"
    async with twilio(base, retry=ONCE) as client:
        with pytest.raises(trunkline.ApiConnectionError) as info:
            await client.request(FETCH, PATH, query={"DateOfBirth": PRIVATE})
    assert info.value.request_sent is False
    _assert_clean(info.value)


def test_a_client_used_from_a_second_event_loop_says_so() -> None:
    """A client whose session was opened in one event loop raises UsageError in another."""

    async def call(client: trunkline.Twilio) -> object:
        return await client.request(FETCH, PATH)

    first = asyncio.new_event_loop()
    try:
        server = RawServer(answer_all)
        first.run_until_complete(server.__aenter__())
        client = client_twilio(server.base_url)
        assert first.run_until_complete(call(client)) is None
        with pytest.raises(trunkline.UsageError, match="event loop"):
            asyncio.run(call(client))
        assert len(server.requests) == 1
        first.run_until_complete(client.aclose())
        first.run_until_complete(server.__aexit__(None, None, None))
    finally:
        first.close()


def test_a_client_called_from_another_thread_while_its_loop_runs_says_so() -> None:
    """A client whose event loop still runs in one thread raises UsageError from another."""
    import threading

    async def call(client: trunkline.Twilio) -> object:
        return await client.request(FETCH, PATH)

    first = asyncio.new_event_loop()
    thread = threading.Thread(target=first.run_forever, daemon=True)
    thread.start()

    def on_first(coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, first).result(30)

    try:
        server = RawServer(answer_all)
        on_first(server.__aenter__())
        client = client_twilio(server.base_url)
        assert on_first(call(client)) is None
        with pytest.raises(trunkline.UsageError, match="event loop"):
            asyncio.run(call(client))
        assert len(server.requests) == 1
        on_first(client.aclose())
        on_first(server.__aexit__(None, None, None))
    finally:
        first.call_soon_threadsafe(first.stop)
        thread.join(30)
        first.close()
