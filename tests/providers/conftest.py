"""A real aiohttp server on 127.0.0.1 that records requests and answers from a script."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import parse_qs

import attrs
import pytest
from aiohttp import web


@attrs.frozen
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    raw_path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body decoded as JSON."""
        return json.loads(self.body)

    def form(self) -> dict[str, list[str]]:
        """The body decoded as an URL-encoded form, keeping repeated keys."""
        return parse_qs(self.body.decode(), keep_blank_values=True, strict_parsing=True)


Reply = Callable[[Seen, str], web.Response]


def json_reply(status: int, payload: Any, headers: dict[str, str] | None = None) -> Reply:
    """A scripted answer: ``payload`` as JSON with ``status``."""

    def reply(_seen: Seen, _base: str) -> web.Response:
        return web.json_response(payload, status=status, headers=headers)

    return reply


def text_reply(status: int, text: str) -> Reply:
    """A scripted answer: plain text with ``status``."""

    def reply(_seen: Seen, _base: str) -> web.Response:
        return web.Response(status=status, text=text)

    return reply


def empty_reply(status: int) -> Reply:
    """A scripted answer with no body."""

    def reply(_seen: Seen, _base: str) -> web.Response:
        return web.Response(status=status)

    return reply


class Recorder:
    """Records every request and answers each with the next scripted reply (else 599)."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.replies: list[Reply] = []
        self.base_url = ""

    def script(self, *replies: Reply) -> None:
        """Queue answers, used in order."""
        self.replies.extend(replies)

    async def handle(self, request: web.Request) -> web.Response:
        seen = Seen(
            method=request.method,
            path=request.path,
            raw_path=request.raw_path.split("?", 1)[0],
            query={k: request.query.getall(k) for k in request.query},
            headers=dict(request.headers),
            body=await request.read(),
        )
        self.seen.append(seen)
        if not self.replies:
            return web.json_response({"error": "nothing scripted"}, status=599)
        return self.replies.pop(0)(seen, self.base_url)


@contextlib.asynccontextmanager
async def _serve() -> AsyncIterator[Recorder]:
    recorder = Recorder()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", recorder.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    recorder.base_url = f"http://127.0.0.1:{port}"
    try:
        yield recorder
    finally:
        await runner.cleanup()


@pytest.fixture
async def server() -> AsyncIterator[Recorder]:
    """A recording server on an ephemeral loopback port; ``base_url`` points at it."""
    async with _serve() as recorder:
        yield recorder


@pytest.fixture
async def other_server() -> AsyncIterator[Recorder]:
    """A second recording server, standing in for a host that must not be contacted."""
    async with _serve() as recorder:
        yield recorder
