"""Local servers and clients for the runtime tests: real sockets on 127.0.0.1 only."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from trunkline._operation import Operation
from trunkline._retry import RetryPolicy
from trunkline._twilio import TwilioClient

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "s3cr3t-auth-token-value"

FETCH = Operation(
    id="FetchChallenge",
    method="GET",
    server="https://verify.twilio.com",
    path="/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{Sid}",
)
CREATE = Operation(
    id="CreateChallenge",
    method="POST",
    server="https://verify.twilio.com",
    path="/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges",
    body="form",
)
LIST = Operation(
    id="ListChallenge",
    method="GET",
    server="https://verify.twilio.com",
    path="/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges",
    paging="twilio_meta",
    items_key="challenges",
    max_page_size=1000,
)
LIST_2010 = Operation(
    id="ListMessage",
    method="GET",
    server="https://api.twilio.com",
    path="/2010-04-01/Accounts/{AccountSid}/Messages.json",
    paging="twilio_2010",
    items_key="messages",
    max_page_size=1000,
)
PATH = {"ServiceSid": "VA" + "1" * 32, "Identity": "alice", "Sid": "YC" + "2" * 32}

Starter = Callable[[web.Application], Awaitable[str]]


@pytest.fixture
async def serve() -> AsyncIterator[Starter]:
    """Start aiohttp apps on 127.0.0.1 (port 0); yields a function returning the base URL."""
    servers: list[TestServer] = []

    async def start(app: web.Application) -> str:
        server = TestServer(app, host="127.0.0.1", port=0)
        await server.start_server()
        servers.append(server)
        return str(server.make_url("")).rstrip("/")

    yield start
    for server in servers:
        await server.close()


Responder = Callable[
    ["RawServer", int, asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]
]


class RawServer:
    """A bare TCP server speaking just enough HTTP/1.1, to act out broken connections.

    ``respond(server, n, reader, writer)`` handles the n-th connection (from 1); the
    server counts connections currently open, which shows whether a client let go of one.
    """

    def __init__(self, respond: Responder) -> None:
        self._respond = respond
        self.connections = 0
        self.open = 0
        self.server: asyncio.Server | None = None
        self.base_url = ""
        self.requests: list[bytes] = []
        self._writers: list[asyncio.StreamWriter] = []
        self._idle = asyncio.Event()
        self._idle.set()
        self._arrived = asyncio.Event()

    async def __aenter__(self) -> RawServer:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        for writer in self._writers:
            writer.close()
        await self.server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.open += 1
        self._idle.clear()
        self._writers.append(writer)
        try:
            await self._respond(self, self.connections, reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self.open -= 1
            if not self.open:
                self._idle.set()
            writer.close()

    async def read_request(self, reader: asyncio.StreamReader) -> bytes:
        """Read one request's head and body (Content-Length bodies only)."""
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        body = await reader.readexactly(length) if length else b""
        self.requests.append(head + body)
        self._arrived.set()
        return head + body

    async def wait_for_requests(self, count: int, timeout: float = 2.0) -> None:
        """Wait (bounded) until ``count`` requests have arrived in all."""
        async with asyncio.timeout(timeout):
            while len(self.requests) < count:
                self._arrived.clear()
                await self._arrived.wait()

    async def wait_closed_by_client(self, timeout: float = 2.0) -> None:
        """Wait (bounded) until every connection the client opened is closed."""
        async with asyncio.timeout(timeout):
            await self._idle.wait()


def http_response(status: int, body: bytes = b"{}", headers: dict[str, str] | None = None) -> bytes:
    """One HTTP/1.1 response with a JSON body."""
    lines = [f"HTTP/1.1 {status} X", "Content-Type: application/json"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def twilio(base_url: str, **kwargs: Any) -> TwilioClient:
    """A Twilio client with test credentials sending every host to ``base_url``."""
    return TwilioClient(ACCOUNT_SID, AUTH_TOKEN, base_url=base_url, **kwargs)


def in_use_connections(client: TwilioClient) -> int:
    """Connections of the client's aiohttp pool in use by a request (idle ones not counted).

    aiohttp has no public count; its connector's bookkeeping is read directly here.
    """
    from trunkline._transport import AiohttpTransport

    transport = client.transport
    assert isinstance(transport, AiohttpTransport)
    session = transport.session
    if session is None or session.closed:
        return 0
    connector: Any = session.connector
    return len(connector._acquired)


class FakeTime:
    """A clock and a sleep for a RetryPolicy: sleeping records the wait and moves the clock."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        self.waits.append(delay)
        self.now += delay
        await asyncio.sleep(0)

    def policy(self, **knobs: Any) -> RetryPolicy:
        """A RetryPolicy with ``knobs`` that waits on this fake time."""
        return RetryPolicy(clock=self.clock, sleep=self.sleep, **knobs)


@pytest.fixture
def fake_time() -> FakeTime:
    """Fake time for retry policies, so no test really sleeps between attempts."""
    return FakeTime()
