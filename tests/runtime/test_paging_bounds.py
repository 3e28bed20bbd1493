"""The paging driver's bounds against servers whose lists never end or whose links are bad."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

import trunkline
from trunkline._transport import MockTransport, Request, Response
from trunkline._twilio import TwilioClient

from .conftest import ACCOUNT_SID, AUTH_TOKEN, LIST, LIST_2010, PATH

LIST_PATH = f"/v2/Services/{PATH['ServiceSid']}/Entities/{PATH['Identity']}/Challenges"
HOST = "https://verify.twilio.com"


def _client(handler: Callable[[Request], Response], **kwargs: Any) -> TwilioClient:
    count = [0]

    def guarded(request: Request) -> Response:
        # A client without the bounds would page forever; fail the test instead of hanging.
        count[0] += 1
        if count[0] > 50:
            raise AssertionError("the list went on past 50 pages")
        return handler(request)

    return TwilioClient(ACCOUNT_SID, AUTH_TOKEN, transport=MockTransport(guarded), **kwargs)


def _page(request: Request, items: int, nxt: Any) -> Response:
    number = int(parse_qs(urlsplit(request.url).query).get("Page", ["0"])[0])
    link = nxt(number) if callable(nxt) else nxt
    challenges = [{"sid": f"YC{number}-{i}"} for i in range(items)]
    return Response(200, json={"challenges": challenges, "meta": {"next_page_url": link}})


def _next(number: int) -> str:
    return f"{HOST}{LIST_PATH}?PageSize=50&Page={number + 1}&PageToken=PT{number}"


def _sid(item: Any) -> str:
    return str(item["sid"])


async def test_endless_empty_pages_with_next_links_end_in_a_paging_error() -> None:
    """Empty pages that always point at a next one stop after max_empty_pages, naming it."""
    async with _client(lambda r: _page(r, 0, _next)) as client:
        with pytest.raises(trunkline.PagingError, match="4 empty pages in a row") as info:
            await client.list(LIST, PATH, _sid, limit=5)
        requests = client.transport.requests  # type: ignore[attr-defined]
    assert "ListChallenge" in str(info.value)
    assert len(requests) == 4


async def test_max_empty_pages_is_a_knob_and_a_page_with_items_resets_the_count() -> None:
    """max_empty_pages=1 allows one empty page in a row; items in between reset the run."""

    def handler(request: Request) -> Response:
        number = int(parse_qs(urlsplit(request.url).query).get("Page", ["0"])[0])
        return _page(request, 1 if number % 2 else 0, _next if number < 7 else None)

    async with _client(handler, max_empty_pages=1) as client:
        items = await client.list(LIST, PATH, _sid)
    assert items == ["YC1-0", "YC3-0", "YC5-0", "YC7-0"]
    async with _client(lambda r: _page(r, 0, _next), max_empty_pages=1) as client:
        with pytest.raises(trunkline.PagingError, match="2 empty pages"):
            await client.list(LIST, PATH, _sid)


@pytest.mark.parametrize("prefetch", [True, False])
async def test_max_pages_stops_a_list_that_goes_on(prefetch: bool) -> None:
    """With max_pages=3 the fourth page is never asked for; the error names the knob."""
    got: list[str] = []

    async def drain(client: TwilioClient) -> None:
        async with contextlib.aclosing(client.stream(LIST, PATH, _sid)) as stream:
            async for sid in stream:
                got.append(sid)

    async with _client(lambda r: _page(r, 2, _next), max_pages=3, prefetch=prefetch) as client:
        with pytest.raises(trunkline.PagingError, match="max_pages=3"):
            await drain(client)
        requests = client.transport.requests  # type: ignore[attr-defined]
    assert len(got) == 6
    assert len(requests) == 3


async def test_next_page_by_hand_is_bounded_too() -> None:
    """Page.next_page() follows the same bounds as iteration (empty runs here)."""

    async def follow(page: trunkline.Page[str] | None) -> None:
        while page is not None:
            page = await page.next_page()

    async with _client(lambda r: _page(r, 0, _next)) as client:
        with pytest.raises(trunkline.PagingError, match="empty pages"):
            await follow(await client.page(LIST, PATH, _sid))
        requests = client.transport.requests  # type: ignore[attr-defined]
    assert len(requests) == 4


@pytest.mark.parametrize("link", [5, ["a"], True, {"Page": "9"}, 1.5])
@pytest.mark.parametrize("op", [LIST, LIST_2010], ids=["meta", "2010"])
async def test_a_next_link_that_is_not_a_string_is_a_paging_error(link: Any, op: Any) -> None:
    """A next link that is a number, list, bool or object raises PagingError, not a TypeError."""

    def handler(request: Request) -> Response:
        body: dict[str, Any] = {"messages": [{"sid": "SM1"}], "challenges": [{"sid": "YC1"}]}
        body["meta"] = {"next_page_url": link}
        body["next_page_uri"] = link
        return Response(200, json=body)

    async with _client(handler) as client:
        with pytest.raises(trunkline.PagingError, match="not a link string"):
            await client.list(op, PATH, _sid)
        requests = client.transport.requests  # type: ignore[attr-defined]
    assert len(requests) == 1


@pytest.mark.parametrize("size", ["1001", "5000", "lots"])
async def test_a_next_link_past_the_page_size_maximum_is_not_followed(size: str) -> None:
    """A next link asking for PageSize past the operation's maximum (1000) is refused."""
    link = f"{HOST}{LIST_PATH}?PageSize={size}&Page=1"
    async with _client(lambda r: _page(r, 1, link if "Page=1" not in r.url else None)) as client:
        with pytest.raises(trunkline.PagingError, match="PageSize"):
            await client.list(LIST, PATH, _sid)
        requests = client.transport.requests  # type: ignore[attr-defined]
    assert len(requests) == 1


async def test_page_sizes_sent_never_pass_the_maximum() -> None:
    """Whatever the caller asks, no request carries a PageSize above the operation's max."""
    link = f"{HOST}{LIST_PATH}?PageSize=1000&Page=1"
    async with _client(lambda r: _page(r, 1, link if "Page=1" not in r.url else None)) as client:
        await client.list(LIST, PATH, _sid, page_size=50_000)
        requests = client.transport.requests  # type: ignore[attr-defined]
    sizes = [int(parse_qs(urlsplit(r.url).query)["PageSize"][0]) for r in requests]
    assert sizes == [1000, 1000]


@pytest.mark.parametrize("bad", [{"max_pages": 0}, {"max_empty_pages": -1}])
def test_paging_knobs_are_checked(bad: dict[str, int]) -> None:
    """max_pages below 1 or a negative max_empty_pages is a ValidationError naming it."""
    with pytest.raises(trunkline.ValidationError, match=next(iter(bad))):
        TwilioClient(ACCOUNT_SID, AUTH_TOKEN, **bad)  # type: ignore[arg-type]


async def test_paging_errors_name_query_parameters_not_their_values() -> None:
    """A repeated next link is reported with its parameter names and without their values."""
    link = f"{HOST}{LIST_PATH}?PageSize=50&Page=0&To=%2B15005550006"

    def handler(request: Request) -> Response:
        return _page(request, 1, link)

    async with _client(handler) as client:
        with pytest.raises(trunkline.PagingError, match="repeats") as info:
            await client.list(LIST, PATH, _sid, query={"To": "+15005550006"})
    assert "To=…" in str(info.value)
    assert "15005550006" not in str(info.value)
