"""The generated ``trunkline.SignalWire`` against a local server: every Fabric operation."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytest

import trunkline
from trunkline import AuthenticationError, NotFoundError, ServerError, UnprocessableEntityError
from trunkline.generated.signalwire.fabric.models import (
    GuestToken,
    PaginationLinks,
    Subscriber,
    SubscriberList,
    SubscriberResource,
    SubscriberToken,
    SubscriberTokenRefresh,
)

from .conftest import Recorder, empty_reply, json_reply

PROJECT = "5f3c6a2e-2b1d-4c55-9d0a-7f1e2b3c4d5e"
RESOURCE = "0b8b4f4e-9e8e-4a57-8f5c-1a2b3c4d5e6f"
SUBSCRIBER = "d2a1b0c9-8e7f-4a6b-9c5d-4e3f2a1b0c9d"
ADDRESS = "6a1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"
AUTH = "Basic " + base64.b64encode(f"{PROJECT}:PTsecret".encode()).decode()
BASE = "/api/fabric/resources/subscribers"


def _client(server: Recorder, space: str = "example") -> trunkline.SignalWire:
    return trunkline.SignalWire(
        PROJECT, "PTsecret", space=space, hosts={f"{space}.signalwire.com": server.base_url}
    )


def _resource(resource_id: str = RESOURCE, email: str = "ana@example.com") -> dict[str, Any]:
    return {
        "id": resource_id,
        "project_id": PROJECT,
        "display_name": "Ana",
        "type": "subscriber",
        "created_at": "2026-11-25T20:00:00Z",
        "updated_at": "2026-11-25T21:30:00Z",
        "subscriber": {
            "id": SUBSCRIBER,
            "email": email,
            "first_name": "Ana",
            "last_name": None,
            "display_name": "Ana",
            "job_title": None,
            "timezone": "Europe/Lisbon",
            "country": "PT",
            "region": None,
            "company_name": None,
            "fabric_addresses": [],
        },
    }


def _assert_request(seen: Any, method: str, path: str) -> None:
    assert (seen.method, seen.path) == (method, path)
    assert seen.headers["Authorization"] == AUTH


def test_the_generated_class_builds_on_the_runtime_client() -> None:
    """trunkline.SignalWire is the generated class on top of SignalWireClient."""
    from trunkline._signalwire import SignalWireClient

    assert issubclass(trunkline.SignalWire, SignalWireClient)


async def test_create_subscriber_token_sends_json_and_parses_the_pair(
    server: Recorder, other_server: Recorder
) -> None:
    """subscriber_tokens.create POSTs every given field as JSON to the space host."""
    server.script(
        json_reply(200, {"subscriber_id": SUBSCRIBER, "token": "eyJ.a.b", "refresh_token": "eyJ.r"})
    )
    hosts = {
        "acme.signalwire.com": server.base_url,
        "example.signalwire.com": other_server.base_url,
    }
    async with trunkline.SignalWire(PROJECT, "PTsecret", space="acme", hosts=hosts) as sw:
        pair = await sw.fabric.subscriber_tokens.create(
            reference="ana@example.com",
            expire_at=1767225600,
            application_id=ADDRESS,
            password="correct horse",
            first_name="Ana",
            time_zone="Europe/Lisbon",
            company_name="Acme",
        )
    assert isinstance(pair, SubscriberToken)
    assert (pair.subscriber_id, pair.token, pair.refresh_token) == (SUBSCRIBER, "eyJ.a.b", "eyJ.r")
    assert other_server.seen == []
    seen = server.seen[0]
    _assert_request(seen, "POST", "/api/fabric/subscribers/tokens")
    assert seen.headers["Content-Type"] == "application/json"
    assert seen.json() == {
        "reference": "ana@example.com",
        "expire_at": 1767225600,
        "application_id": ADDRESS,
        "password": "correct horse",
        "first_name": "Ana",
        "time_zone": "Europe/Lisbon",
        "company_name": "Acme",
    }


async def test_refresh_trades_the_refresh_token(server: Recorder) -> None:
    """subscriber_tokens.refresh POSTs the refresh token and parses the new pair."""
    server.script(json_reply(200, {"token": "eyJ.new", "refresh_token": "eyJ.r2"}))
    async with _client(server) as sw:
        pair = await sw.fabric.subscriber_tokens.refresh(refresh_token="eyJ.r")
    assert isinstance(pair, SubscriberTokenRefresh)
    assert (pair.token, pair.refresh_token) == ("eyJ.new", "eyJ.r2")
    _assert_request(server.seen[0], "POST", "/api/fabric/subscribers/tokens/refresh")
    assert server.seen[0].json() == {"refresh_token": "eyJ.r"}


async def test_guest_token_lists_the_allowed_addresses(server: Recorder) -> None:
    """guest_tokens.create POSTs the address list and expiry and parses the 201 answer."""
    server.script(json_reply(201, {"token": "eyJ.guest"}))
    async with _client(server) as sw:
        guest = await sw.fabric.guest_tokens.create(
            allowed_addresses=[ADDRESS, RESOURCE], expire_at=1767225600
        )
    assert isinstance(guest, GuestToken)
    assert guest.token == "eyJ.guest"
    _assert_request(server.seen[0], "POST", "/api/fabric/guests/tokens")
    assert server.seen[0].json() == {
        "allowed_addresses": [ADDRESS, RESOURCE],
        "expire_at": 1767225600,
    }


async def test_subscriber_create_fetch_update_delete(server: Recorder) -> None:
    """The subscriber CRUD methods hit the right method and path and parse the resource."""
    server.script(
        json_reply(201, _resource()),
        json_reply(200, _resource()),
        json_reply(200, _resource(email="ana@acme.example")),
        empty_reply(204),
    )
    async with _client(server) as sw:
        created = await sw.fabric.subscribers.create(
            email="ana@example.com", password="s3cret-pass", first_name="Ana", timezone="UTC"
        )
        fetched = await sw.fabric.subscribers.fetch(RESOURCE)
        updated = await sw.fabric.subscribers.update(RESOURCE, email="ana@acme.example")
        await sw.fabric.subscribers.delete(RESOURCE)
    assert isinstance(created, SubscriberResource)
    assert created == fetched
    assert created.id == RESOURCE
    assert created.created_at == dt.datetime(2026, 11, 25, 20, 0, tzinfo=dt.UTC)
    assert isinstance(created.subscriber, Subscriber)
    assert created.subscriber.timezone == "Europe/Lisbon"
    assert created.subscriber.extra == {"fabric_addresses": []}
    assert updated.subscriber is not None
    assert updated.subscriber.email == "ana@acme.example"
    create, fetch, update, delete = server.seen
    _assert_request(create, "POST", BASE)
    assert create.json() == {
        "email": "ana@example.com",
        "password": "s3cret-pass",
        "first_name": "Ana",
        "timezone": "UTC",
    }
    _assert_request(fetch, "GET", f"{BASE}/{RESOURCE}")
    assert fetch.body == b""
    _assert_request(update, "PUT", f"{BASE}/{RESOURCE}")
    assert update.json() == {"email": "ana@acme.example"}
    _assert_request(delete, "DELETE", f"{BASE}/{RESOURCE}")


def _page(ids: list[str], next_query: str | None) -> dict[str, Any]:
    url = f"https://example.signalwire.com{BASE}"
    links = {"self": url, "first": f"{url}?page_size=2"}
    if next_query is not None:
        links["next"] = f"{url}?{next_query}"
    return {"data": [_resource(i) for i in ids], "links": links}


IDS = [f"00000000-0000-4000-8000-00000000000{n}" for n in range(5)]


def test_a_links_field_named_self_decodes_as_self_() -> None:
    """The wire field ``links.self`` is the model field ``self_``, beside first and next."""
    listing = SubscriberList.from_dict(_page(IDS[0:1], "page_number=1"))
    assert isinstance(listing.links, PaginationLinks)
    assert listing.links.self_ == f"https://example.signalwire.com{BASE}"
    assert listing.links.first == f"https://example.signalwire.com{BASE}?page_size=2"
    assert listing.links.next == f"https://example.signalwire.com{BASE}?page_number=1"
    assert "self" not in listing.links.extra
    assert PaginationLinks(self_="/here").self_ == "/here"


async def test_list_follows_links_next_across_three_pages(server: Recorder) -> None:
    """subscribers.list follows links.next over three pages and parses every item."""
    server.script(
        json_reply(200, _page(IDS[0:2], "page_number=1&page_size=2&page_token=PA1")),
        json_reply(200, _page(IDS[2:4], "page_number=2&page_size=2&page_token=PA2")),
        json_reply(200, _page(IDS[4:], None)),
    )
    async with _client(server) as sw:
        items = await sw.fabric.subscribers.list(page_size=2)
    assert [s.id for s in items] == IDS
    assert all(isinstance(s, SubscriberResource) for s in items)
    assert [s.query for s in server.seen] == [
        {"page_size": ["2"]},
        {"page_number": ["1"], "page_size": ["2"], "page_token": ["PA1"]},
        {"page_number": ["2"], "page_size": ["2"], "page_token": ["PA2"]},
    ]
    for seen in server.seen:
        _assert_request(seen, "GET", BASE)


async def test_page_exposes_the_links_and_walks_on(server: Recorder) -> None:
    """page() returns the first page with its links; next_page() fetches the following one."""
    server.script(
        json_reply(200, _page(IDS[0:2], "page_number=1&page_size=2&page_token=PA1")),
        json_reply(200, _page(IDS[2:3], None)),
    )
    async with _client(server) as sw:
        first = await sw.fabric.subscribers.page(page_size=2)
        assert first.has_next
        assert [s.id for s in first.items] == IDS[0:2]
        second = await first.next_page()
    assert second is not None
    assert not second.has_next
    assert [s.id for s in second.items] == IDS[2:3]


async def test_stream_stops_at_limit(server: Recorder) -> None:
    """stream(limit=3) yields three items and asks for no page beyond the second."""
    server.script(
        json_reply(200, _page(IDS[0:2], "page_number=1&page_size=2&page_token=PA1")),
        json_reply(200, _page(IDS[2:4], "page_number=2&page_size=2&page_token=PA2")),
        json_reply(200, _page(IDS[4:], None)),
    )
    async with _client(server) as sw:
        got = [s.id async for s in sw.fabric.subscribers.stream(page_size=2, limit=3)]
    assert got == IDS[:3]
    assert len(server.seen) == 2


@pytest.mark.parametrize(
    ("status", "payload", "cls", "message"),
    [
        (401, {"error": "Unauthorized"}, AuthenticationError, "Unauthorized"),
        (404, {"error": "Not Found"}, NotFoundError, "Not Found"),
        (500, {"error": "Internal Server Error"}, ServerError, "Internal Server Error"),
    ],
)
async def test_error_bodies_raise_the_status_class(
    server: Recorder, status: int, payload: dict[str, Any], cls: type[Exception], message: str
) -> None:
    """``{"error": ...}`` answers raise the class for their status with that message."""
    server.script(json_reply(status, payload))
    async with _client(server) as sw:
        with pytest.raises(cls) as info:
            await sw.fabric.subscribers.fetch(RESOURCE)
    err = info.value
    assert isinstance(err, trunkline.ApiError)
    assert (err.status, err.message) == (status, message)
    assert err.url.endswith(f"{BASE}/{RESOURCE}")


async def test_field_errors_raise_unprocessable_with_details(server: Recorder) -> None:
    """A 422 ``errors`` list raises UnprocessableEntityError with the field and the full list."""
    errors = [
        {
            "type": "validation_error",
            "code": "invalid_parameter",
            "message": "has already been taken",
            "attribute": "email",
            "url": "https://developer.signalwire.com/rest/overview/error-codes#invalid",
        }
    ]
    server.script(json_reply(422, {"errors": errors}))
    async with _client(server) as sw:
        with pytest.raises(UnprocessableEntityError) as info:
            await sw.fabric.subscribers.create(email="ana@example.com")
    err = info.value
    assert err.message == "email: has already been taken"
    assert err.code == "invalid_parameter"
    assert err.details == errors
    assert "email: has already been taken" in str(err)


async def test_missing_reference_fails_before_any_request(server: Recorder) -> None:
    """subscriber_tokens.create without a reference raises before anything is sent."""
    async with _client(server) as sw:
        with pytest.raises(TypeError, match="reference"):
            await sw.fabric.subscriber_tokens.create()  # type: ignore[call-arg]
        with pytest.raises(ValueError, match="reference is required"):
            await sw.fabric.subscriber_tokens.create(reference=None)  # type: ignore[arg-type]
    assert server.seen == []


async def test_bad_formats_and_lengths_fail_before_any_request(server: Recorder) -> None:
    """A bad UUID, a 7-character password or 11 addresses raise ValueError; nothing is sent."""
    async with _client(server) as sw:
        tokens, subscribers = sw.fabric.subscriber_tokens, sw.fabric.subscribers
        with pytest.raises(ValueError, match="application_id must be a UUID"):
            await tokens.create(reference="ana", application_id="not-a-uuid")
        with pytest.raises(ValueError, match="password must be 8 to 72 characters long, got 7"):
            await tokens.create(reference="ana", password="1234567")
        with pytest.raises(ValueError, match="password must be 8 to 72"):
            await subscribers.create(email="ana@example.com", password="1234567")
        with pytest.raises(ValueError, match="id must be a UUID"):
            await subscribers.fetch("42")
        with pytest.raises(ValueError, match="id must be a UUID"):
            await subscribers.delete("../projects")
        with pytest.raises(ValueError, match="1 to 10"):
            await sw.fabric.guest_tokens.create(allowed_addresses=[ADDRESS] * 11)
        with pytest.raises(ValueError, match=r"^allowed_addresses\[1\] must be a UUID"):
            await sw.fabric.guest_tokens.create(allowed_addresses=[ADDRESS, "bad"])
        with pytest.raises(ValueError, match="allowed_addresses must be a list, got a str"):
            await sw.fabric.guest_tokens.create(allowed_addresses=ADDRESS)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="email must be an email address"):
            await subscribers.update(RESOURCE, email="ana at example")
        with pytest.raises(ValueError, match="reference must be at least 1 characters long"):
            await tokens.create(reference="")
    assert server.seen == []


async def test_a_bad_password_or_token_is_never_echoed(server: Recorder) -> None:
    """Errors about a password or refresh token give its length, never its text."""
    async with _client(server) as sw:
        with pytest.raises(ValueError, match=r"got 7$") as short:
            await sw.fabric.subscribers.create(email="ana@example.com", password="hunter2")
        with pytest.raises(ValueError, match="password must be a string") as typed:
            await sw.fabric.subscribers.create(
                email="ana@example.com",
                password=12345678,  # type: ignore[arg-type]
            )
    assert "hunter2" not in str(short.value)
    assert "12345678" not in str(typed.value)
    assert server.seen == []
