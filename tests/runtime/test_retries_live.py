"""Retries, Retry-After, budgets and timeouts against real servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from typing import Any

import pytest
from aiohttp import web

import trunkline
from trunkline._retry import RetryPolicy

from .conftest import (
    CREATE,
    FETCH,
    PATH,
    FakeTime,
    RawServer,
    Starter,
    http_response,
    twilio,
)

FAST_KNOBS: dict[str, Any] = {
    "attempts": 3,
    "wait_initial": 0.01,
    "wait_max": 0.05,
    "wait_jitter": 0.0,
    "timeout": 10,
    "wait_min": 0.01,
}
FAST = RetryPolicy(**FAST_KNOBS)


def scripted(answers: list[web.Response], calls: list[float]) -> web.Application:
    """An app answering every request with the next scripted response (last one repeats)."""

    async def handle(request: web.Request) -> web.Response:
        calls.append(time.monotonic())
        await request.read()
        answer = answers[min(len(calls), len(answers)) - 1]
        return web.Response(status=answer.status, body=answer.body, headers=answer.headers)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


def answer(
    status: int, body: bytes = b"{}", *, headers: dict[str, str] | None = None
) -> web.Response:
    return web.Response(
        status=status, body=body, headers={"Content-Type": "application/json", **(headers or {})}
    )


async def test_503_then_200(
    serve: Starter, caplog: pytest.LogCaptureFixture, fake_time: FakeTime
) -> None:
    """A GET answered 503 is retried (and the retry logged) and returns the following 200."""
    calls: list[float] = []
    base = await serve(scripted([answer(503), answer(200, b'{"sid": "YC1"}')], calls))
    with caplog.at_level(logging.DEBUG, logger="trunkline"):
        async with twilio(base, retry=fake_time.policy(**FAST_KNOBS)) as client:
            assert await client.request(FETCH, PATH) == {"sid": "YC1"}
    assert len(calls) == 2
    assert "-> 503" in caplog.text
    assert "retrying in 0.01 s (attempt 1 failed)" in caplog.text
    assert "-> 200" in caplog.text


async def test_429_retry_after_one_second(serve: Starter, fake_time: FakeTime) -> None:
    """A 429 with ``Retry-After: 1`` is retried after a wait of one second."""
    calls: list[float] = []
    base = await serve(scripted([answer(429, headers={"Retry-After": "1"}), answer(200)], calls))
    async with twilio(base, retry=fake_time.policy(**FAST_KNOBS)) as client:
        await client.request(FETCH, PATH)
    assert len(calls) == 2
    assert fake_time.waits == [1.0]


async def test_post_retried_on_429(serve: Starter, fake_time: FakeTime) -> None:
    """A POST answered 429 was not processed, so it is retried."""
    calls: list[float] = []
    base = await serve(
        scripted([answer(429, headers={"retry-after-ms": "10"}), answer(201)], calls)
    )
    async with twilio(base, retry=fake_time.policy(**FAST_KNOBS)) as client:
        await client.request(CREATE, PATH, body={"FactorSid": "YF1"})
    assert len(calls) == 2


@pytest.mark.parametrize("status", [500, 503])
async def test_post_not_retried_on_server_error(
    serve: Starter, status: int, fake_time: FakeTime
) -> None:
    """A POST answered 500 or 503 may have had an effect, so it is sent only once."""
    calls: list[float] = []
    base = await serve(scripted([answer(status), answer(201)], calls))
    async with twilio(base, retry=fake_time.policy(**FAST_KNOBS)) as client:
        with pytest.raises(trunkline.ServerError) as info:
            await client.request(CREATE, PATH, body={"FactorSid": "YF1"})
    assert len(calls) == 1
    assert info.value.attempts == 1


async def test_idempotent_post_retried(serve: Starter, fake_time: FakeTime) -> None:
    """A POST the caller marks idempotent is retried on 503 like a GET."""
    calls: list[float] = []
    base = await serve(scripted([answer(503), answer(201)], calls))
    async with twilio(base, retry=fake_time.policy(**FAST_KNOBS)) as client:
        await client.request(CREATE, PATH, body={"FactorSid": "YF1"}, idempotent=True)
    assert len(calls) == 2


async def test_get_500_not_retried(serve: Starter, fake_time: FakeTime) -> None:
    """A 500 describes a server bug, not a passing condition: even a GET is not retried."""
    calls: list[float] = []
    base = await serve(scripted([answer(500)], calls))
    async with twilio(base, retry=fake_time.policy(**FAST_KNOBS)) as client:
        with pytest.raises(trunkline.ServerError):
            await client.request(FETCH, PATH)
    assert len(calls) == 1


async def test_budget_exhaustion_reports_attempts(serve: Starter, fake_time: FakeTime) -> None:
    """When every attempt fails the last error is raised with the number of attempts."""
    calls: list[float] = []
    base = await serve(scripted([answer(503, b'{"code": 20503, "message": "busy"}')], calls))
    policy = fake_time.policy(attempts=4, wait_initial=0.01, wait_jitter=0, timeout=10)
    async with twilio(base, retry=policy) as client:
        with pytest.raises(trunkline.ServerError) as info:
            await client.request(FETCH, PATH)
    assert len(calls) == 4
    assert info.value.attempts == 4
    assert info.value.code == 20503
    assert "after 4 attempts" in str(info.value)


async def test_retry_after_beyond_budget_gives_up_now(serve: Starter, fake_time: FakeTime) -> None:
    """A Retry-After longer than what is left of the budget ends the call without waiting."""
    calls: list[float] = []
    base = await serve(scripted([answer(429, headers={"Retry-After": "120"}), answer(200)], calls))
    async with twilio(base, retry=fake_time.policy(**FAST_KNOBS), timeout=30) as client:
        with pytest.raises(trunkline.RateLimitError) as info:
            await client.request(FETCH, PATH)
    assert fake_time.waits == []
    assert len(calls) == 1
    assert info.value.attempts == 1


async def drop_first(
    server: RawServer, n: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """Connection 1: read the request, then hang up. Later ones: answer 200."""
    while True:
        await server.read_request(reader)
        if n == 1:
            return
        writer.write(http_response(200, b'{"ok": true}'))
        await writer.drain()


async def test_dropped_connection_retried_for_get(fake_time: FakeTime) -> None:
    """A GET whose connection drops after sending is retried on a new connection."""
    async with (
        RawServer(drop_first) as server,
        twilio(server.base_url, retry=fake_time.policy(**FAST_KNOBS)) as client,
    ):
        assert await client.request(FETCH, PATH) == {"ok": True}
    assert server.connections == 2
    assert len(server.requests) == 2


async def test_dropped_connection_not_retried_for_post(fake_time: FakeTime) -> None:
    """A POST whose connection drops after sending is never sent a second time."""
    async with (
        RawServer(drop_first) as server,
        twilio(server.base_url, retry=fake_time.policy(**FAST_KNOBS)) as client,
    ):
        with pytest.raises(trunkline.ApiConnectionError) as info:
            await client.request(CREATE, PATH, body={"FactorSid": "YF1"})
    assert len(server.requests) == 1
    err = info.value
    assert err.attempts == 1
    assert err.method == "POST"
    assert err.url.startswith(server.base_url)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def test_refused_connection_retried_even_for_post(fake_time: FakeTime) -> None:
    """A POST whose connection could not be made was never sent, so it is retried."""
    async with twilio(
        f"http://127.0.0.1:{closed_port()}", retry=fake_time.policy(**FAST_KNOBS)
    ) as client:
        with pytest.raises(trunkline.ApiConnectionError) as info:
            await client.request(CREATE, PATH, body={"FactorSid": "YF1"})
    assert not isinstance(info.value, trunkline.ApiTimeoutError)
    assert info.value.attempts == 3
    assert info.value.request_sent is False


async def hang(
    server: RawServer, n: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """Read requests and never answer."""
    await reader.readuntil(b"\r\n\r\n")
    await reader.read()


async def test_timeout_raises_api_timeout_error_within_budget() -> None:
    """A call that outlives its timeout raises ApiTimeoutError; retries stay in the budget."""
    async with RawServer(hang) as server, twilio(server.base_url, retry=FAST) as client:
        start = time.monotonic()
        with pytest.raises(trunkline.ApiTimeoutError) as info:
            await client.request(FETCH, PATH, timeout=0.3)
        elapsed = time.monotonic() - start
    assert elapsed < 2.0
    assert info.value.attempts >= 1
    assert info.value.method == "GET"


async def test_post_timeout_not_retried() -> None:
    """A POST that timed out waiting for its answer is not sent again."""
    policy = RetryPolicy(attempts=3, wait_initial=0.01, wait_jitter=0, timeout=10)
    async with RawServer(hang) as server:
        async with twilio(server.base_url, retry=policy) as client:
            with pytest.raises(trunkline.ApiTimeoutError) as info:
                await client.request(
                    CREATE, PATH, body={"FactorSid": "YF1"}, timeout=trunkline.Timeout(read=0.2)
                )
        assert info.value.attempts == 1
        assert server.connections == 1


async def test_read_timeout_retried_for_get() -> None:
    """A GET whose read limit runs out is retried until the attempts are used up."""
    policy = RetryPolicy(attempts=2, wait_initial=0.01, wait_jitter=0, timeout=10)
    async with RawServer(hang) as server:
        async with twilio(server.base_url, retry=policy) as client:
            with pytest.raises(trunkline.ApiTimeoutError) as info:
                await client.request(FETCH, PATH, timeout=trunkline.Timeout(read=0.2))
        assert info.value.attempts == 2
        assert server.connections == 2


async def test_connect_timeout_retried_even_for_post() -> None:
    """A connect that times out never sent the request: ApiTimeoutError, and a POST retries."""
    # A listening socket whose accept queue is full and never drained: the kernel leaves
    # further connects to it hanging, which is a connect timeout without leaving loopback.
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    policy = RetryPolicy(attempts=2, wait_initial=0.01, wait_jitter=0, timeout=10)
    try:
        async with twilio(f"http://127.0.0.1:{port}", retry=policy) as client:
            with pytest.raises(trunkline.ApiTimeoutError) as info:
                await client.request(
                    CREATE, PATH, body={"FactorSid": "YF1"}, timeout=trunkline.Timeout(connect=0.2)
                )
    finally:
        for filler in fillers:
            filler.close()
        server.close()
    assert info.value.request_sent is False
    assert info.value.attempts == 2
