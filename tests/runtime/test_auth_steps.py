"""Auth steps (trunkline._auth): headers and query pairs decided without I/O, token caching."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import pytest

import trunkline
from trunkline._auth import ApiKeyAuth, BasicAuth, BearerAuth, ClientCredentials
from trunkline._client import BaseClient
from trunkline._operation import Operation, Timeout
from trunkline._transport import MockTransport, Request, Response

TOKEN_OP = Operation(
    id="Token", method="POST", server="https://auth.example.com", path="/token", body="form"
)
LIST = Operation(
    id="ListThings",
    method="GET",
    server="https://api.example.com",
    path="/things",
    paging="signalwire_links",
    items_key="data",
)
FETCH = Operation(id="GetThing", method="GET", server="https://api.example.com", path="/thing")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now


class FakeFetch:
    """Answers token requests with numbered tokens, or raises while ``fail`` is set."""

    def __init__(self) -> None:
        self.calls: list[bytes] = []
        self.fail = False

    async def __call__(self, op: Operation, content: bytes, limits: Timeout) -> Any:
        self.calls.append(content)
        await asyncio.sleep(0)
        if self.fail:
            raise trunkline.ApiConnectionError("token endpoint down", request_sent=True)
        return {"access_token": f"tok{len(self.calls)}", "expires_in": 600}


def test_basic_allows_an_empty_password() -> None:
    """Basic with an empty password sends ``user:`` (Stripe-style secret keys)."""
    header = BasicAuth("sk_test_1").headers()["Authorization"]
    assert base64.b64decode(header.removeprefix("Basic ")) == b"sk_test_1:"
    with pytest.raises(trunkline.ValidationError, match="user name"):
        BasicAuth("")


def test_api_key_goes_where_the_scheme_says() -> None:
    """An API key lands in its header, its query parameter or a cookie."""
    assert ApiKeyAuth("X-Api-Key", "k1").headers() == {"X-Api-Key": "k1"}
    in_query = ApiKeyAuth("api_key", "k 2", "query")
    assert (in_query.headers(), in_query.query()) == ({}, {"api_key": "k 2"})
    assert ApiKeyAuth("session", "a;b", "cookie").headers() == {"Cookie": "session=a%3Bb"}
    with pytest.raises(trunkline.ValidationError, match="header, query or cookie"):
        ApiKeyAuth("k", "v", "body")  # type: ignore[arg-type]


def test_reprs_hold_no_secret() -> None:
    """No step's repr shows the credential it carries."""
    for step in (BasicAuth("u", "s3cret"), BearerAuth("s3cret"), ApiKeyAuth("k", "s3cret")):
        assert "s3cret" not in repr(step)
    assert "s3cret" not in repr(ClientCredentials(TOKEN_OP, "id", "s3cret"))


async def test_one_token_fetch_serves_concurrent_calls_until_forgotten() -> None:
    """Concurrent callers share one fetch; after forget() the next call fetches again."""
    fetch = FakeFetch()
    step = ClientCredentials(TOKEN_OP, "id", "sec ret", scopes=("a", "b"), clock=FakeClock())
    first, second = await asyncio.gather(step.current(5, fetch), step.current(5, fetch))
    assert first == second == {"Authorization": "Bearer tok1"}
    assert fetch.calls == [
        b"grant_type=client_credentials&client_id=id&client_secret=sec+ret&scope=a+b"
    ]
    step.forget()
    assert await step.current(5, fetch) == {"Authorization": "Bearer tok2"}


async def test_token_renewed_near_expiry_and_backoff_after_failure() -> None:
    """A token is renewed a margin before it expires; after a failure calls fail at once."""
    clock = FakeClock()
    fetch = FakeFetch()
    step = ClientCredentials(TOKEN_OP, "id", "secret", clock=clock, backoff=(2.0, 8.0))
    await step.current(5, fetch)
    clock.now += 600 - 61
    assert await step.current(5, fetch) == {"Authorization": "Bearer tok1"}
    clock.now += 2
    fetch.fail = True
    with pytest.raises(trunkline.ApiConnectionError, match="token endpoint down"):
        await step.current(5, fetch)
    with pytest.raises(trunkline.ApiConnectionError, match=r"the next try is in 2\.0 s"):
        await step.current(5, fetch)
    assert len(fetch.calls) == 2
    clock.now += 2.5
    fetch.fail = False
    assert await step.current(5, fetch) == {"Authorization": "Bearer tok3"}


async def test_query_key_rides_on_every_page() -> None:
    """An API key in the query goes on the first request and on next links that lack it."""

    def answer(request: Request) -> Response:
        if "after=1" in request.url:
            return Response(200, json={"data": [2], "links": {}})
        return Response(200, json={"data": [1], "links": {"next": "/things?after=1"}})

    transport = MockTransport(answer)
    client = BaseClient(auth=ApiKeyAuth("key", "k1", "query"), transport=transport)
    async with client:
        assert await client.request(FETCH, {}) is not None
        assert [x async for x in client.stream(LIST, {}, lambda item: item)] == [1, 2]
    urls = [r.url for r in transport.requests]
    assert urls == [
        "https://api.example.com/thing?key=k1",
        "https://api.example.com/things?key=k1",
        "https://api.example.com/things?after=1&key=k1",
    ]
    assert all("Authorization" not in r.headers for r in transport.requests)
