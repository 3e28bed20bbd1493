"""A loopback aiohttp server that answers like Twilio Verify v2, for the benchmark.

Run as a script it binds 127.0.0.1 on a free port, prints ``PORT <n>`` once it
listens and serves until stdin closes (so it dies with the process that started it).
Bodies are encoded once and reused, so the server spends as little CPU as it can
and the clients' costs are what a run measures.

Why not the emulator (``trunkline.testing``), which fakes the same API for the tests: it
keeps state and renders every answer, ≈ 6,500 fetches/s in its own process here, which
on two shared cores would make the server, not the client, set ops/s and wall figures; and
the bench needs byte-identical bodies for every client, run and round (a 20,000-challenge
list of one fixed shape), which a stateful fake would have to be seeded into. This is a
raw reference server, not a second fake: it holds no rules.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from typing import Any

import _payloads as p
from aiohttp import web

__all__ = ["make_app", "serve"]

DEFAULT_TOTAL = 20_000
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
_JSON = "application/json"


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


def _unauthorized() -> web.Response:
    body = {"code": 20003, "message": "Authenticate", "more_info": "", "status": 401}
    return web.Response(status=401, body=_dumps(body), content_type=_JSON)


def make_app() -> web.Application:
    """The Verify v2 routes the benchmark drives: factor fetch, challenge list and create."""
    factor_cache: dict[str, bytes] = {}
    items_cache: dict[tuple[str, str, int], bytes] = {}
    created = 0

    async def fetch_factor(request: web.Request) -> web.Response:
        if "Authorization" not in request.headers:
            return _unauthorized()
        body = factor_cache.get(request.path)
        if body is None:
            info = request.match_info
            body = _dumps(p.factor(info["service"], info["identity"], info["sid"]))
            factor_cache[request.path] = body
        return web.Response(body=body, content_type=_JSON)

    async def list_challenges(request: web.Request) -> web.Response:
        if "Authorization" not in request.headers:
            return _unauthorized()
        service, identity = request.match_info["service"], request.match_info["identity"]
        query = request.query
        size = min(int(query.get("PageSize", DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE)
        page = int(query.get("Page", 0))
        total = p.total_for_identity(identity, DEFAULT_TOTAL)
        count = max(0, min(size, total - page * size))
        key = (service, identity, count)
        items = items_cache.get(key)
        if items is None:
            items = p.page_items_bytes(service, identity, count)
            items_cache[key] = items
        base = f"{p.HOST}{request.path}?PageSize={size}"
        has_next = (page + 1) * size < total
        meta = {
            "page": page,
            "page_size": size,
            "first_page_url": f"{base}&Page=0",
            "previous_page_url": f"{base}&Page={page - 1}&PageToken=PB{page}" if page else None,
            "url": f"{base}&Page={page}",
            "next_page_url": f"{base}&Page={page + 1}&PageToken=PA{page + 1}" if has_next else None,
            "key": "challenges",
        }
        body = b'{"challenges":' + items + b',"meta":' + _dumps(meta) + b"}"
        return web.Response(body=body, content_type=_JSON)

    async def create_challenge(request: web.Request) -> web.Response:
        nonlocal created
        if "Authorization" not in request.headers:
            return _unauthorized()
        form = await request.post()
        factor_sid = form.get("FactorSid")
        if not isinstance(factor_sid, str) or not form.getall("Details.Fields", []):
            body = {"code": 60200, "message": "Invalid parameter", "status": 400}
            return web.Response(status=400, body=_dumps(body), content_type=_JSON)
        created += 1
        info = request.match_info
        item = p.challenge(info["service"], info["identity"], created, factor_sid)
        return web.Response(status=201, body=_dumps(item), content_type=_JSON)

    app = web.Application()
    entity = "/v2/Services/{service}/Entities/{identity}"
    app.router.add_get(entity + "/Factors/{sid}", fetch_factor)
    app.router.add_get(entity + "/Challenges", list_challenges)
    app.router.add_post(entity + "/Challenges", create_challenge)
    return app


async def serve() -> None:
    """Listen on a free loopback port, announce it and serve until stdin closes."""
    runner = web.AppRunner(make_app(), access_log=None)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    await web.SockSite(runner, sock, backlog=1024).start()
    print(f"PORT {port}", flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(serve())
