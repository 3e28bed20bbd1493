"""A loopback stand-in for Twilio's account concurrency limit: 429 (20429) above a cap.

Every request counts as in flight from its arrival until its answer; one that arrives
while more than ``cap`` are in flight gets 429 with code 20429 and a
``Twilio-Concurrent-Requests`` header at once, the others wait ``latency`` seconds and get
200. Messages creates are logged with their arrival time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

__all__ = ["CappedServer", "capped_server"]

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-token"


class CappedServer:
    """Counts in flight, the most ever seen, answers and 429s."""

    def __init__(self, cap: int, latency: float) -> None:
        self.cap = cap
        self.latency = latency
        self.in_flight = 0
        self.max_in_flight = 0
        self.ok = 0
        self.rejected = 0
        self.first: float | None = None
        self.last = 0.0
        self.messages: list[float] = []
        self.base_url = ""

    async def handle(self, request: web.Request) -> web.Response:
        now = time.monotonic()
        if self.first is None:
            self.first = now
        self.in_flight += 1
        try:
            if self.in_flight > self.cap:
                self.rejected += 1
                return web.json_response(
                    {"code": 20429, "message": "Too Many Requests", "status": 429},
                    status=429,
                    headers={"Twilio-Concurrent-Requests": str(self.in_flight)},
                )
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            if request.method == "POST" and request.path.endswith("/Messages.json"):
                self.messages.append(time.time())
                body = {"sid": "SM" + "0" * 32, "status": "queued"}
                return web.json_response(body, status=201)
            await asyncio.sleep(self.latency)
            self.ok += 1
            return web.json_response({"sid": "CA" + "0" * 32, "status": "completed"})
        finally:
            self.in_flight -= 1
            self.last = time.monotonic()


@asynccontextmanager
async def capped_server(cap: int, latency: float) -> AsyncIterator[CappedServer]:
    """Serve a :class:`CappedServer` on a free loopback port for the block."""
    server = CappedServer(cap, latency)
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", server.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    server.base_url = f"http://127.0.0.1:{port}"
    try:
        yield server
    finally:
        await runner.cleanup()
