"""Paging: both Twilio shapes, prefetch, limits, loops, foreign hosts and flat memory."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest
from aiohttp import web

import trunkline
from trunkline._client import BaseClient
from trunkline._operation import Operation
from trunkline._transport import MockTransport, Request, Response

from .conftest import ACCOUNT_SID, LIST, LIST_2010, PATH, Starter, in_use_connections, twilio

LIST_PATH = f"/v2/Services/{PATH['ServiceSid']}/Entities/{PATH['Identity']}/Challenges"


def meta_app(
    pages: int,
    per_page: int,
    *,
    latency: float = 0.0,
    next_host: str | Callable[[web.Request], str] = "https://verify.twilio.com",
    log: list[tuple[int, float]] | None = None,
) -> web.Application:
    """A Twilio-meta list of ``pages`` pages; next links are absolute on ``next_host``."""

    async def handle(request: web.Request) -> web.Response:
        host = next_host if isinstance(next_host, str) else next_host(request)
        number = int(request.query.get("Page", "0"))
        if log is not None:
            log.append((number, time.monotonic()))
        if latency:
            await asyncio.sleep(latency)
        size = int(request.query.get("PageSize", "50"))
        items = [{"sid": f"YC{number:03d}{i:03d}"} for i in range(per_page)]
        nxt = None
        if number + 1 < pages:
            nxt = f"{host}{LIST_PATH}?PageSize={size}&Page={number + 1}&PageToken=PT{number}"
        return web.json_response(
            {
                "challenges": items,
                "meta": {
                    "page": number,
                    "page_size": size,
                    "first_page_url": f"{host}{LIST_PATH}?PageSize={size}&Page=0",
                    "previous_page_url": None,
                    "url": f"{host}{request.path_qs}",
                    "next_page_url": nxt,
                    "key": "challenges",
                },
            }
        )

    app = web.Application()
    app.router.add_get(LIST_PATH, handle)
    return app


def sid(item: Any) -> str:
    return str(item["sid"])


async def test_twilio_meta_pages_follow_absolute_links(serve: Starter) -> None:
    """Absolute next_page_url links on Twilio's host are followed on the base_url server."""
    base = await serve(meta_app(3, 2))
    async with twilio(base) as client:
        items = [s async for s in client.stream(LIST, PATH, sid, page_size=2)]
    assert items == ["YC000000", "YC000001", "YC001000", "YC001001", "YC002000", "YC002001"]


async def test_links_to_the_serving_host_followed(serve: Starter) -> None:
    """Next links that name the local server itself are followed too."""
    base = await serve(meta_app(3, 1, next_host=lambda r: f"http://{r.host}"))
    async with twilio(base) as client:
        assert await client.list(LIST, PATH, sid) == ["YC000000", "YC001000", "YC002000"]


async def test_page_object(serve: Starter) -> None:
    """page() returns a Page with items, metadata, and next_page() walking the list."""
    base = await serve(meta_app(2, 3))
    async with twilio(base) as client:
        page = await client.page(LIST, PATH, sid, page_size=3)
        assert isinstance(page, trunkline.Page)
        assert page.items == ["YC000000", "YC000001", "YC000002"]
        assert list(page) == page.items
        assert len(page) == 3
        assert page.page_number == 0
        assert page.page_size == 3
        assert page.has_next
        assert not page.has_previous
        assert page.meta["key"] == "challenges"
        assert page.next_url is not None
        assert page.next_url.startswith("https://verify.twilio.com/v2/")
        second = await page.next_page()
        assert second is not None
        assert second.page_number == 1
        assert not second.has_next
        assert await second.next_page() is None


def api2010_app(pages: int) -> web.Application:
    """A 2010 API list with relative next_page_uri links."""
    path = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"

    async def handle(request: web.Request) -> web.Response:
        number = int(request.query.get("Page", "0"))
        nxt = f"{path}?PageSize=2&Page={number + 1}&PageToken=PA{number}"
        return web.json_response(
            {
                "messages": [{"sid": f"SM{number}{i}"} for i in range(2)],
                "end": number * 2 + 1,
                "first_page_uri": f"{path}?PageSize=2&Page=0",
                "next_page_uri": nxt if number + 1 < pages else None,
                "page": number,
                "page_size": 2,
                "previous_page_uri": f"{path}?PageSize=2&Page={number - 1}" if number else None,
                "start": number * 2,
                "uri": request.path_qs,
            }
        )

    app = web.Application()
    app.router.add_get(path, handle)
    return app


async def test_twilio_2010_relative_links(serve: Starter) -> None:
    """The 2010 API's relative next_page_uri is followed on the same server."""
    base = await serve(api2010_app(3))
    async with twilio(base) as client:
        items = await client.list(LIST_2010, {}, sid, page_size=2)
        assert items == ["SM00", "SM01", "SM10", "SM11", "SM20", "SM21"]
        page = await client.page(LIST_2010, {}, sid)
        second = await page.next_page()
        assert second is not None
        assert second.meta["start"] == 2
        assert second.has_previous
        first_again = await second.previous_page()
        assert first_again is not None
        assert first_again.items == ["SM00", "SM01"]


async def test_limit_stops_early(serve: Starter) -> None:
    """stream(limit=) and list(limit=) hand out exactly ``limit`` items and stop fetching."""
    log: list[tuple[int, float]] = []
    base = await serve(meta_app(10, 4, log=log))
    async with twilio(base) as client:
        got = [s async for s in client.stream(LIST, PATH, sid, page_size=4, limit=6)]
        assert len(got) == 6
        assert [n for n, _ in log] == [0, 1]
        assert len(await client.list(LIST, PATH, sid, page_size=4, limit=4)) == 4
        pages = [p async for p in client.pages(LIST, PATH, sid, page_size=4, limit=5)]
        assert [len(p) for p in pages] == [4, 1]


async def test_prefetch_overlaps(serve: Starter) -> None:
    """With 50 ms per page on both sides, 10 pages take well under the sequential 1 s."""
    log: list[tuple[int, float]] = []
    base = await serve(meta_app(10, 5, latency=0.05, log=log))
    async with twilio(base) as client:
        start = time.monotonic()
        handled = []
        async for page in client.pages(LIST, PATH, sid, page_size=5):
            handled.append((page.page_number, time.monotonic()))
            await asyncio.sleep(0.05)
        with_prefetch = time.monotonic() - start
    assert len(handled) == 10
    assert with_prefetch < 0.85
    # Page N+1 was asked for before the caller finished with page N.
    for (number, asked), (_, got) in zip(log[1:], handled, strict=False):
        assert asked < got + 0.05, number


async def test_prefetch_can_be_switched_off(serve: Starter) -> None:
    """With prefetch off, the next page is asked for only when the caller wants it."""
    log: list[tuple[int, float]] = []
    base = await serve(meta_app(4, 1, log=log))
    async with twilio(base, prefetch=False) as client:
        pages = client.pages(LIST, PATH, sid)
        await pages.__anext__()
        await asyncio.sleep(0.05)
        assert [n for n, _ in log] == [0]
        await pages.__anext__()
        assert [n for n, _ in log] == [0, 1]
        await pages.aclose()


def loop_handler(request: Request) -> Response:
    """Pages 0 -> 1 -> 0: a next link that comes back to a page already seen."""
    number = 1 if "Page=1" in request.url else 0
    nxt = f"https://verify.twilio.com{LIST_PATH}?Page={1 - number}"
    if number == 1:
        nxt = f"https://verify.twilio.com{LIST_PATH}?Page=1"
    return Response(
        200, json={"challenges": [{"sid": str(number)}], "meta": {"next_page_url": nxt}}
    )


async def test_repeated_next_link_is_an_error() -> None:
    """A next-page link repeating a page already fetched raises PagingError, not a loop."""
    transport = MockTransport(loop_handler)
    async with BaseClient(transport=transport) as client:
        seen: list[str] = []

        async def drain() -> None:
            async for item in client.stream(LIST, PATH, sid):
                seen.append(item)

        with pytest.raises(trunkline.PagingError, match="repeats"):
            await drain()
        assert seen == ["0", "1"]
        page = await client.page(LIST, PATH, sid)
        second = await page.next_page()
        assert second is not None
        with pytest.raises(trunkline.PagingError, match="repeats"):
            await second.next_page()


async def test_foreign_next_link_refused() -> None:
    """A next link to another host is refused: credentials never leave the API's host."""

    def handler(request: Request) -> Response:
        meta = {"next_page_url": "https://verify.twilio.com.evil.example/v2/x?Page=1"}
        return Response(200, json={"challenges": [{"sid": "a"}], "meta": meta})

    transport = MockTransport(handler)
    async with BaseClient(transport=transport) as client:
        with pytest.raises(trunkline.PagingError, match=r"leaves https://verify\.twilio\.com"):
            await client.list(LIST, PATH, sid)
    assert len(transport.requests) == 1


async def test_offset_and_links_strategies() -> None:
    """Ziggeo offset paging advances skip until a short page; SignalWire follows links.next."""
    videos = [{"token": str(i)} for i in range(5)]

    def ziggeo(request: Request) -> Response:
        query = dict(p.split("=") for p in request.url.split("?")[1].split("&"))
        skip, limit = int(query["skip"]), int(query["limit"])
        return Response(200, json=videos[skip : skip + limit])

    zop = Operation(
        id="Index",
        method="GET",
        server="https://srv-api.ziggeo.com",
        path="/v1/applications/{App}/videos",
        paging="ziggeo_offset",
    )
    transport = MockTransport(ziggeo)
    async with BaseClient(transport=transport) as client:
        got = await client.list(zop, {"App": "app1"}, lambda v: v["token"], page_size=2)
    assert got == ["0", "1", "2", "3", "4"]
    assert [r.url.split("?")[1] for r in transport.requests] == [
        "limit=2&skip=0",
        "limit=2&skip=2",
        "limit=2&skip=4",
    ]

    def signalwire(request: Request) -> Response:
        if "page_token" in request.url:
            return Response(200, json={"data": [{"id": "b"}], "links": {"self": request.url}})
        nxt = "https://demo.signalwire.com/api/fabric/subscribers?page_token=PA1"
        return Response(200, json={"data": [{"id": "a"}], "links": {"next": nxt}})

    sop = Operation(
        id="ListSubscribers",
        method="GET",
        server="https://{space}.signalwire.com",
        path="/api/fabric/subscribers",
        paging="signalwire_links",
    )
    async with BaseClient(
        transport=MockTransport(signalwire), server_variables={"space": "demo"}
    ) as client:
        assert await client.list(sop, {}, lambda v: v["id"]) == ["a", "b"]


async def test_streaming_keeps_memory_flat() -> None:
    """Streaming a million items does not retain them: peak memory stays far below them."""
    per_page, pages = 1000, 1000
    items = b",".join(b'{"sid":"YC%06d"}' % i for i in range(per_page))

    def handler(request: Request) -> Response:
        number = int(request.url.rsplit("Page=", 1)[1]) if "Page=" in request.url else 0
        nxt = (
            b'"https://verify.twilio.com/v2/x?Page=%d"' % (number + 1)
            if number + 1 < pages
            else b"null"
        )
        body = b'{"challenges":[' + items + b'],"meta":{"next_page_url":' + nxt + b"}}"
        return Response(200, content=body)

    op = Operation(
        id="L",
        method="GET",
        server="https://verify.twilio.com",
        path="/v2/x",
        paging="twilio_meta",
        items_key="challenges",
    )
    async with BaseClient(transport=MockTransport(handler, record=False)) as client:
        gc.collect()
        tracemalloc.start()
        try:
            count = 0
            async for _ in client.stream(op, {}, lambda d: d):
                count += 1
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert count == per_page * pages
    # A million retained dicts would take hundreds of MB; three pages in flight take ~1 MB.
    assert peak < 8_000_000


async def test_early_break_cancels_fetch_ahead(serve: Starter) -> None:
    """Leaving a stream early cancels the page fetch in flight; no request stays pending."""
    release = asyncio.Event()
    asked_ahead = asyncio.Event()

    async def handle(request: web.Request) -> web.Response:
        number = int(request.query.get("Page", "0"))
        if number:
            asked_ahead.set()
            await release.wait()
        nxt = f"https://verify.twilio.com{LIST_PATH}?Page={number + 1}"
        return web.json_response(
            {"challenges": [{"sid": str(number)}], "meta": {"next_page_url": nxt}}
        )

    def fetches_in_flight() -> list[asyncio.Task[Any]]:
        return [t for t in asyncio.all_tasks() if "Pager.fetch" in repr(t.get_coro())]

    app = web.Application()
    app.router.add_get(LIST_PATH, handle)
    base = await serve(app)
    async with twilio(base) as client:
        async for _ in client.stream(LIST, PATH, sid):
            await asked_ahead.wait()
            assert len(fetches_in_flight()) == 1
            break
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert fetches_in_flight() == []
        assert in_use_connections(client) == 0

        asked_ahead.clear()
        iterator = client.stream(LIST, PATH, sid)
        async with contextlib.aclosing(iterator):
            assert await iterator.__anext__() == "0"
            await asked_ahead.wait()
        assert fetches_in_flight() == []
        assert in_use_connections(client) == 0
        release.set()


async def test_breaking_out_leaves_no_callbacks_on_the_task() -> None:
    """A task that breaks out of many streams keeps no per-stream state hooked onto it."""

    def handler(request: Request) -> Response:
        nxt = f"https://verify.twilio.com{LIST_PATH}?Page={len(request.url)}"
        return Response(200, json={"challenges": [{"sid": "a"}], "meta": {"next_page_url": nxt}})

    task = asyncio.current_task()
    assert task is not None
    before = len(task._callbacks)
    async with BaseClient(transport=MockTransport(handler, record=False)) as client:
        for _ in range(50):
            async for _item in client.stream(LIST, PATH, sid):
                break
    await asyncio.sleep(0)
    assert len(task._callbacks) == before


# Twilio's camelCase token lists: one operation of each item-key shape the 9.0.0 specs use.
CAMEL_SHAPES = [
    ("items", "/v3/ControlPlane/Operators"),
    ("conversations", "/v2/Conversations"),
    ("chunks", "/v2/KnowledgeBases/kb1/Knowledge/k1/Chunks"),
    ("transcriptions", "/v3/Transcriptions"),
]


def camel_app(
    path: str, key: str, pages: int, per_page: int, seen: list[dict[str, str]]
) -> web.Application:
    """A camelCase token list: ``meta.nextToken`` is an opaque token for ``pageToken``."""

    async def handle(request: web.Request) -> web.Response:
        seen.append(dict(request.query))
        token = request.query.get("pageToken")
        number = 0 if token is None else int(token.removeprefix("tok-"))
        items = [{"id": f"{key}-{number}-{i}"} for i in range(per_page)]
        meta: dict[str, Any] = {"key": key, "pageSize": len(items)}
        if number + 1 < pages:
            meta["nextToken"] = f"tok-{number + 1}"
        meta["previousToken"] = f"tok-{number - 1}" if number else ""
        return web.json_response({key: items, "meta": meta})

    app = web.Application()
    app.router.add_get(path, handle)
    return app


def _camel_service(tw: Any, key: str) -> Any:
    """The generated list method's service for one item-key shape, and its path arguments."""
    return {
        "items": (tw.intelligence.v3.operators, ()),
        "conversations": (tw.conversations.v2.conversations, ()),
        "chunks": (tw.knowledge.v2.knowledge_bases_.knowledge.chunks, ("kb1", "k1")),
        "transcriptions": (tw.voice.v3.transcriptions, ()),
    }[key]


def _ids(items: list[Any]) -> list[str]:
    return [item["id"] if isinstance(item, dict) else item.raw["id"] for item in items]


@pytest.mark.parametrize(("key", "path"), CAMEL_SHAPES)
async def test_camel_token_lists_page_stream_and_list(serve: Starter, key: str, path: str) -> None:
    """page, pages, stream and list follow meta.nextToken back as pageToken, page size kept."""
    seen: list[dict[str, str]] = []
    base = await serve(camel_app(path, key, pages=3, per_page=2, seen=seen))
    expected = [f"{key}-{n}-{i}" for n in range(3) for i in range(2)]
    async with trunkline.Twilio(ACCOUNT_SID, "token", base_url=base) as tw:
        service, args = _camel_service(tw, key)
        first = await service.page(*args, page_size=2)
        assert _ids(first.items) == expected[:2]
        assert first.has_next
        assert not first.has_previous
        assert first.page_size == 2
        second = await first.next_page()
        assert second is not None
        assert _ids(second.items) == expected[2:4]
        assert second.has_previous
        assert _ids([i async for i in service.stream(*args, page_size=2)]) == expected
        assert _ids(await service.list(*args, page_size=2)) == expected
        sizes = [len(p.items) async for p in service.pages(*args, page_size=2)]
        assert sizes == [2, 2, 2]
        assert _ids(await service.list(*args, limit=3)) == expected[:3]
    assert seen[0] == {"pageSize": "2"}
    assert seen[1] == {"pageSize": "2", "pageToken": "tok-1"}
    assert {"pageSize", "pageToken"} >= set().union(*seen)


async def test_camel_token_lists_carry_filters_to_every_page(serve: Starter) -> None:
    """A filter argument of a camelCase token list is sent again with each pageToken."""
    seen: list[dict[str, str]] = []
    base = await serve(camel_app("/v2/Conversations", "conversations", 2, 1, seen))
    async with trunkline.Twilio(ACCOUNT_SID, "token", base_url=base) as tw:
        items = await tw.conversations.v2.conversations.list(channel_id="ch1")
    assert _ids(items) == ["conversations-0-0", "conversations-1-0"]
    assert seen == [{"channelId": "ch1"}, {"channelId": "ch1", "pageToken": "tok-1"}]


async def test_camel_token_strategy_takes_meta_key_when_the_spec_names_none() -> None:
    """Without an items key from the spec, meta.key names the items; no nextToken ends it."""
    op = Operation(
        id="ListThings",
        method="GET",
        server="https://things.twilio.com",
        path="/v1/Things",
        paging="twilio_camel_token",
    )
    calls: list[str] = []

    def handler(request: Request) -> Response:
        calls.append(request.url)
        meta = {"key": "things", "pageSize": 1, "nextToken": "", "previousToken": None}
        body = {"things": [{"id": "a"}], "meta": meta}
        return Response(200, {}, json.dumps(body).encode())

    client = BaseClient(transport=MockTransport(handler))
    async with client:
        items = await client.list(op, {}, lambda raw: raw)
    assert items == [{"id": "a"}]
    assert calls == ["https://things.twilio.com/v1/Things"]
