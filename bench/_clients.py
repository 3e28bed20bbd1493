"""The three benchmark clients, each run in a process of its own.

``python bench/_clients.py CLIENT SCENARIO N BASE_URL`` does one measured run and prints
one JSON line: client-process CPU seconds (``time.process_time``), wall seconds and peak
RSS. Every client does the same work at the same concurrency: raw aiohttp (the floor),
trunkline's generated Verify v2 services, and the official ``twilio`` package's async
client pointed at the loopback server.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import resource
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import _payloads as p

__all__ = ["CLIENTS", "SCENARIOS", "first_fetch", "measure"]

CLIENTS = ("trunkline", "raw", "twilio")
SCENARIOS = ("fetch", "stream", "create", "stream_rss", "fresh")
CONCURRENCY = 64
STREAM_PAGE_SIZE = 1000
RSS_MARK_EVERY = 50_000


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Client(Protocol):
    """What the driver needs of a client under test."""

    async def fetch(self) -> None:
        """Fetch the factor once."""

    async def create(self) -> None:
        """Create one challenge with a form POST."""

    async def stream(self, identity: str, mark: Callable[[int], None] | None) -> int:
        """Stream every challenge of ``identity`` in pages of 1,000; return the count."""


class RawClient:
    """The floor: ``session.get`` / ``session.post`` and ``await resp.json()``."""

    def __init__(self, base: str) -> None:
        import aiohttp

        self._base = base
        basic = base64.b64encode(f"{p.ACCOUNT_SID}:{p.AUTH_TOKEN}".encode()).decode()
        self._session = aiohttp.ClientSession(headers={"Authorization": f"Basic {basic}"})

    async def fetch(self) -> None:
        url = (
            f"{self._base}/v2/Services/{p.SERVICE_SID}/Entities/{p.IDENTITY}/Factors/{p.FACTOR_SID}"
        )
        async with self._session.get(url) as resp:
            resp.raise_for_status()
            await resp.json()

    async def create(self) -> None:
        url = f"{self._base}/v2/Services/{p.SERVICE_SID}/Entities/{p.IDENTITY}/Challenges"
        form = [
            ("FactorSid", p.FACTOR_SID),
            ("Details.Message", p.DETAILS_MESSAGE),
            *(("Details.Fields", json.dumps(field)) for field in p.DETAILS_FIELDS),
            ("HiddenDetails", json.dumps(p.HIDDEN_DETAILS)),
        ]
        async with self._session.post(url, data=form) as resp:
            resp.raise_for_status()
            await resp.json()

    async def stream(self, identity: str, mark: Callable[[int], None] | None) -> int:
        url: str | None = f"{self._base}/v2/Services/{p.SERVICE_SID}/Entities/{identity}/Challenges"
        params: dict[str, str] | None = {"PageSize": str(STREAM_PAGE_SIZE)}
        count = 0
        next_mark = RSS_MARK_EVERY
        while url is not None:
            async with self._session.get(url, params=params) as resp:
                resp.raise_for_status()
                data = await resp.json()
            for item in data["challenges"]:
                if not item["sid"]:
                    raise RuntimeError("a challenge without a sid")
                count += 1
                if mark is not None and count == next_mark:
                    mark(count)
                    next_mark += RSS_MARK_EVERY
            following = data["meta"]["next_page_url"]
            url = self._base + following[len(p.HOST) :] if following else None
            params = None
        return count

    async def aclose(self) -> None:
        await self._session.close()


class TrunklineClient:
    """trunkline's generated services (``verify.v2.services.entities.factors.fetch``, ...)."""

    def __init__(self, base: str) -> None:
        import trunkline

        self._tw = trunkline.Twilio(p.ACCOUNT_SID, p.AUTH_TOKEN, base_url=base)

    async def fetch(self) -> None:
        await self._tw.verify.v2.services.entities.factors.fetch(
            p.SERVICE_SID, p.IDENTITY, p.FACTOR_SID
        )

    async def create(self) -> None:
        await self._tw.verify.v2.services.entities.challenges.create(
            p.SERVICE_SID,
            p.IDENTITY,
            factor_sid=p.FACTOR_SID,
            details_message=p.DETAILS_MESSAGE,
            details_fields=p.DETAILS_FIELDS,
            hidden_details=p.HIDDEN_DETAILS,
        )

    async def stream(self, identity: str, mark: Callable[[int], None] | None) -> int:
        count = 0
        next_mark = RSS_MARK_EVERY
        challenges = self._tw.verify.v2.services.entities.challenges
        async for item in challenges.stream(p.SERVICE_SID, identity, page_size=STREAM_PAGE_SIZE):
            if not item.sid:
                raise RuntimeError("a challenge without a sid")
            count += 1
            if mark is not None and count == next_mark:
                mark(count)
                next_mark += RSS_MARK_EVERY
        return count

    async def aclose(self) -> None:
        await self._tw.aclose()


class TwilioClient:
    """The official package's async client, its host rewritten to the loopback server."""

    def __init__(self, base: str) -> None:
        from twilio.http.async_http_client import AsyncTwilioHttpClient
        from twilio.rest import Client as RestClient

        class LoopbackHttpClient(AsyncTwilioHttpClient):  # type: ignore[misc]
            async def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
                path = url[url.index("/", len("https://")) :]
                return await super().request(method, base + path, *args, **kwargs)

        self._http = LoopbackHttpClient()
        self._client = RestClient(p.ACCOUNT_SID, p.AUTH_TOKEN, http_client=self._http)

    async def fetch(self) -> None:
        service = self._client.verify.v2.services(p.SERVICE_SID)
        await service.entities(p.IDENTITY).factors(p.FACTOR_SID).fetch_async()

    async def create(self) -> None:
        entity = self._client.verify.v2.services(p.SERVICE_SID).entities(p.IDENTITY)
        await entity.challenges.create_async(
            factor_sid=p.FACTOR_SID,
            details_message=p.DETAILS_MESSAGE,
            details_fields=p.DETAILS_FIELDS,
            hidden_details=p.HIDDEN_DETAILS,
        )

    async def stream(self, identity: str, mark: Callable[[int], None] | None) -> int:
        count = 0
        next_mark = RSS_MARK_EVERY
        entity = self._client.verify.v2.services(p.SERVICE_SID).entities(identity)
        async for item in await entity.challenges.stream_async(page_size=STREAM_PAGE_SIZE):
            if not item.sid:
                raise RuntimeError("a challenge without a sid")
            count += 1
            if mark is not None and count == next_mark:
                mark(count)
                next_mark += RSS_MARK_EVERY
        return count

    async def aclose(self) -> None:
        await self._http.close()


_FACTORIES: dict[str, Callable[[str], Any]] = {
    "raw": RawClient,
    "trunkline": TrunklineClient,
    "twilio": TwilioClient,
}


async def _concurrently(op: Callable[[], Awaitable[None]], n: int) -> None:
    remaining = n

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await op()

    await asyncio.gather(*(worker() for _ in range(min(CONCURRENCY, n))))


async def measure(client_name: str, scenario: str, n: int, base: str) -> dict[str, Any]:
    """Warm one client up, then time ``n`` operations (items, for streams) of ``scenario``.

    ``fresh`` fetches the factor ``n`` times with no warm-up and times everything from
    before the client is made: the library's imports, its first use, ``n`` answers.
    """
    cpu0, wall0 = time.process_time(), time.perf_counter()
    client = _FACTORIES[client_name](base)
    marks: list[tuple[int, float]] = []
    try:
        if scenario == "fresh":
            await _concurrently(client.fetch, n)
            done = n
        elif scenario in ("fetch", "create"):
            op = client.fetch if scenario == "fetch" else client.create
            await _concurrently(op, CONCURRENCY)
            cpu0, wall0 = time.process_time(), time.perf_counter()
            await _concurrently(op, n)
            done = n
        else:
            await client.stream(p.identity_for_total(STREAM_PAGE_SIZE), None)
            mark = (lambda c: marks.append((c, _maxrss_mb()))) if scenario == "stream_rss" else None
            cpu0, wall0 = time.process_time(), time.perf_counter()
            done = await client.stream(p.identity_for_total(n), mark)
            if done != n:
                raise RuntimeError(f"{client_name} streamed {done} items, expected {n}")
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    finally:
        await client.aclose()
    return {
        "client": client_name,
        "scenario": scenario,
        "n": done,
        "cpu_s": cpu,
        "wall_s": wall,
        "maxrss_mb": _maxrss_mb(),
        "rss_marks": marks,
    }


async def first_fetch(client_name: str, base: str) -> None:
    """Create a client and fetch the factor once: what a short-lived script pays."""
    client = _FACTORIES[client_name](base)
    try:
        await client.fetch()
    finally:
        await client.aclose()


def main() -> None:
    """Run one measurement from the command line and print it as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("client", choices=CLIENTS)
    parser.add_argument("scenario", choices=SCENARIOS)
    parser.add_argument("n", type=int)
    parser.add_argument("base_url")
    args = parser.parse_args()
    result = asyncio.run(measure(args.client, args.scenario, args.n, args.base_url))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
