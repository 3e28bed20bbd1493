"""OAuth client credentials: one token fetch for many callers, caching and renewal."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from typing import Any
from urllib.parse import parse_qsl

import pytest
from aiohttp import web

import trunkline
import trunkline._twilio as twilio_module
from trunkline._transport import MockTransport, Request, Response
from trunkline._twilio import TwilioClient

from .conftest import FETCH, PATH, Starter

CLIENT_ID = "OQ" + "3" * 32
CLIENT_SECRET = "oauth-client-secret-value"


def jwt(exp: float) -> str:
    """An unsigned-looking JWT carrying ``exp`` (the client never verifies it)."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256'})}.{part({'exp': int(exp)})}.c2ln"


class OAuthServer:
    """A token endpoint and a resource that requires its bearer tokens."""

    def __init__(self, lifetime: float = 3600, token_delay: float = 0.0) -> None:
        self.lifetime = lifetime
        self.token_delay = token_delay
        self.token_requests: list[tuple[dict[str, str], dict[str, str]]] = []
        self.issued: list[str] = []
        self.resource_auth: list[str] = []
        self.fail_next_token = False

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v2/token", self.token)
        app.router.add_get("/{tail:.*}", self.resource)
        return app

    async def token(self, request: web.Request) -> web.Response:
        form = dict(parse_qsl(await request.text()))
        self.token_requests.append((dict(request.headers), form))
        if self.token_delay:
            await asyncio.sleep(self.token_delay)
        if self.fail_next_token:
            self.fail_next_token = False
            return web.json_response({"error": "invalid_client"}, status=401)
        token = jwt(time.time() + self.lifetime) + str(len(self.issued))
        self.issued.append(token)
        return web.json_response(
            {"access_token": token, "token_type": "Bearer", "expires_in": self.lifetime}
        )

    async def resource(self, request: web.Request) -> web.Response:
        auth = request.headers.get("Authorization", "")
        self.resource_auth.append(auth)
        if auth.removeprefix("Bearer ") not in self.issued:
            return web.json_response({"code": 20003, "message": "Authenticate"}, status=401)
        return web.json_response({"ok": True})


def oauth_client(base: str, **kwargs: Any) -> TwilioClient:
    return TwilioClient(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, base_url=base, **kwargs)


async def test_one_fetch_for_many_concurrent_calls(serve: Starter) -> None:
    """Fifty concurrent calls with no token yet cause exactly one token request."""
    server = OAuthServer(token_delay=0.05)
    base = await serve(server.app())
    async with oauth_client(base) as client:
        results = await asyncio.gather(*(client.request(FETCH, PATH) for _ in range(50)))
        await client.request(FETCH, PATH)
    assert results == [{"ok": True}] * 50
    assert len(server.token_requests) == 1
    headers, form = server.token_requests[0]
    assert form == {
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
    }
    assert "Authorization" not in headers
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert set(server.resource_auth) == {f"Bearer {server.issued[0]}"}


async def test_fetch_does_not_block_the_loop(serve: Starter) -> None:
    """While the token is being fetched, other tasks on the loop keep running."""
    server = OAuthServer(token_delay=0.2)
    base = await serve(server.app())
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    task = asyncio.create_task(ticker())
    try:
        async with oauth_client(base) as client:
            await client.request(FETCH, PATH)
    finally:
        task.cancel()
    assert ticks >= 5


class FakeClock:
    """Stands in for the ``time`` module inside the Twilio client module."""

    def __init__(self) -> None:
        self.offset = 0.0

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    def time(self) -> float:
        return time.time()


async def test_token_renewed_before_expiry(serve: Starter, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cached token is reused until a margin before it expires, then fetched anew."""
    server = OAuthServer(lifetime=600)
    base = await serve(server.app())
    clock = FakeClock()
    monkeypatch.setattr(twilio_module, "time", clock)
    async with oauth_client(base) as client:
        await client.request(FETCH, PATH)
        clock.offset = 600 - twilio_module.RENEW_MARGIN - 5
        await client.request(FETCH, PATH)
        assert len(server.token_requests) == 1
        clock.offset = 600 - twilio_module.RENEW_MARGIN + 1
        await asyncio.gather(*(client.request(FETCH, PATH) for _ in range(10)))
    assert len(server.token_requests) == 2
    assert server.resource_auth[-1] == f"Bearer {server.issued[1]}"


async def test_failed_fetch_raises_and_is_retried_later(
    serve: Starter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refused token request fails the call; calls during the backoff fail at once, then
    the next call fetches again."""
    monkeypatch.setattr("trunkline._twilio.TOKEN_BACKOFF_INITIAL", 0.05)
    server = OAuthServer()
    server.fail_next_token = True
    base = await serve(server.app())
    async with oauth_client(base) as client:
        with pytest.raises(trunkline.AuthenticationError) as info:
            await client.request(FETCH, PATH)
        assert info.value.message == "invalid_client"
        with pytest.raises(trunkline.ApiConnectionError, match="token fetch failed"):
            await client.request(FETCH, PATH)
        assert len(server.token_requests) == 1
        await asyncio.sleep(0.06)
        assert await client.request(FETCH, PATH) == {"ok": True}
    assert len(server.token_requests) == 2


async def test_secrets_stay_out_of_logs_and_errors(
    serve: Starter, caplog: pytest.LogCaptureFixture
) -> None:
    """Neither the client secret nor the bearer token shows up in DEBUG logs or errors."""
    server = OAuthServer()
    base = await serve(server.app())
    with caplog.at_level(logging.DEBUG, logger="trunkline"):
        async with oauth_client(base) as client:
            await client.request(FETCH, PATH)
            server.issued.clear()
            with pytest.raises(trunkline.AuthenticationError) as info:
                await client.request(FETCH, PATH)
    token = server.resource_auth[0].removeprefix("Bearer ")
    for text in (caplog.text, str(info.value), repr(info.value), repr(client)):
        assert CLIENT_SECRET not in text
        assert token not in text
    assert "/v2/token" in caplog.text


async def test_refused_token_is_forgotten(serve: Starter) -> None:
    """After a 401 on a call, the next call fetches a new token instead of reusing it."""
    server = OAuthServer()
    base = await serve(server.app())
    async with oauth_client(base) as client:
        await client.request(FETCH, PATH)
        server.issued.clear()
        with pytest.raises(trunkline.AuthenticationError):
            await client.request(FETCH, PATH)
        assert await client.request(FETCH, PATH) == {"ok": True}
    assert len(server.token_requests) == 2
    assert server.resource_auth[-1] == f"Bearer {server.issued[0]}"


def _hung_token_endpoint(requests: list[Request]) -> MockTransport:
    """A transport whose token endpoint never answers; any other request gets 200."""

    async def handle(request: Request) -> Response:
        requests.append(request)
        if request.url.endswith("/v2/token"):
            await asyncio.Event().wait()
        return Response(200, json={"ok": True})

    return MockTransport(handle, record=False)


async def test_the_call_deadline_covers_the_token_fetch() -> None:
    """With a hung token endpoint a call with timeout=0.3 raises ApiTimeoutError in time."""
    requests: list[Request] = []
    transport = _hung_token_endpoint(requests)
    async with TwilioClient(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, transport=transport
    ) as client:
        # The outer guard only turns a hang into a failure; the assertion is on the error.
        with pytest.raises(trunkline.ApiTimeoutError, match="OAuth token"):
            await asyncio.wait_for(client.request(FETCH, PATH, timeout=0.3), 20)
    assert [r.url.endswith("/v2/token") for r in requests] == [True]


async def test_the_token_fetch_has_its_own_bounded_timeout() -> None:
    """The token request carries TOKEN_TIMEOUT as its total, whatever the client's default."""
    requests: list[Request] = []
    transport = _hung_token_endpoint(requests)
    async with TwilioClient(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, transport=transport, timeout=300
    ) as client:
        with pytest.raises(trunkline.ApiTimeoutError):
            await asyncio.wait_for(client.request(FETCH, PATH, timeout=0.2), 20)
    timeout = requests[0].timeout
    assert timeout is not None
    assert timeout.total == twilio_module.TOKEN_TIMEOUT <= 10


async def test_a_failing_token_endpoint_is_not_hit_by_every_call() -> None:
    """After a failed fetch, 20 more calls within the backoff send no token request."""
    requests: list[Request] = []

    def handle(request: Request) -> Response:
        requests.append(request)
        return Response(500, json={"message": "down"})

    async with TwilioClient(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        transport=MockTransport(handle),
        retry=trunkline.RetryPolicy(attempts=1),
    ) as client:
        with pytest.raises(trunkline.ServerError):
            await client.request(FETCH, PATH)
        for _ in range(20):
            with pytest.raises(trunkline.ApiConnectionError, match="next try is in"):
                await client.request(FETCH, PATH)
    assert len(requests) == 1
