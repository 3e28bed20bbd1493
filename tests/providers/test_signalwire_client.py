"""SignalWireClient against a local server, with Operations written the way the generator does."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from trunkline import (
    AuthenticationError,
    NotFoundError,
    ServerError,
    UnprocessableEntityError,
)
from trunkline._operation import Operation
from trunkline._signalwire import SignalWireClient, space_host

from .conftest import Recorder, empty_reply, json_reply

SERVER = "https://{space}.signalwire.com"
CREATE_TOKEN = Operation(
    id="CreateSubscriberToken",
    method="POST",
    server=SERVER,
    path="/api/fabric/subscribers/tokens",
    body="json",
)
CREATE_SUBSCRIBER = Operation(
    id="CreateSubscriber",
    method="POST",
    server=SERVER,
    path="/api/fabric/resources/subscribers",
    body="json",
)
FETCH_SUBSCRIBER = Operation(
    id="FetchSubscriber", method="GET", server=SERVER, path="/api/fabric/resources/subscribers/{id}"
)
LIST_SUBSCRIBERS = Operation(
    id="ListSubscribers",
    method="GET",
    server=SERVER,
    path="/api/fabric/resources/subscribers",
    paging="signalwire_links",
    items_key="data",
    max_page_size=1000,
)
PROJECT = "5f3c6a2e-2b1d-4c55-9d0a-7f1e2b3c4d5e"
SUBSCRIBER = "0b8b4f4e-9e8e-4a57-8f5c-1a2b3c4d5e6f"


def _client(server: Recorder, space: str = "example", **kw: Any) -> SignalWireClient:
    return SignalWireClient(
        PROJECT, "PTsecret", space=space, hosts={f"{space}.signalwire.com": server.base_url}, **kw
    )


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_space_accepts_a_name_a_host_or_an_url() -> None:
    """A space given as a name, a host or an https URL names the same host."""
    for given in ("example", "Example.signalwire.com", "https://example.signalwire.com/"):
        assert space_host(given) == "example.signalwire.com"
    assert space_host("team.example.org") == "team.example.org"


@pytest.mark.parametrize("bad", ["", "exa mple", "ex/ample", "user@example", "-x"])
def test_a_malformed_space_is_refused(bad: str) -> None:
    """A space that is not a host name raises ValueError naming the argument."""
    with pytest.raises(ValueError, match="space must be"):
        space_host(bad)


def test_missing_settings_name_the_arguments_and_env_vars(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without arguments or SIGNALWIRE_* variables the client names everything missing."""
    for name in ("SIGNALWIRE_PROJECT_ID", "SIGNALWIRE_API_TOKEN", "SIGNALWIRE_SPACE"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValueError, match="project_id") as info:
        SignalWireClient()
    text = str(info.value)
    for name in ("SIGNALWIRE_PROJECT_ID", "api_token", "SIGNALWIRE_API_TOKEN", "space"):
        assert name in text


async def test_settings_fall_back_to_the_environment(
    server: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGNALWIRE_PROJECT_ID, _API_TOKEN and _SPACE (a full host) stand in for arguments."""
    monkeypatch.setenv("SIGNALWIRE_PROJECT_ID", PROJECT)
    monkeypatch.setenv("SIGNALWIRE_API_TOKEN", "PTfromenv")
    monkeypatch.setenv("SIGNALWIRE_SPACE", "https://acme.signalwire.com")
    server.script(json_reply(200, {"id": SUBSCRIBER}))
    async with SignalWireClient(hosts={"acme.signalwire.com": server.base_url}) as sw:
        assert sw.space == "acme"
        await sw.request(FETCH_SUBSCRIBER, {"id": SUBSCRIBER})
    assert server.seen[0].headers["Authorization"] == _basic(PROJECT, "PTfromenv")


async def test_requests_go_to_the_space_host_with_basic_auth(
    server: Recorder, other_server: Recorder
) -> None:
    """A call reaches <space>.signalwire.com with the project id and token as basic auth."""
    server.script(
        json_reply(200, {"subscriber_id": SUBSCRIBER, "token": "t", "refresh_token": "r"})
    )
    hosts = {
        "acme.signalwire.com": server.base_url,
        "example.signalwire.com": other_server.base_url,
    }
    async with SignalWireClient(PROJECT, "PTsecret", space="acme", hosts=hosts) as sw:
        body = await sw.request(CREATE_TOKEN, {}, body={"reference": "ana@example.com"})
    assert body["subscriber_id"] == SUBSCRIBER
    assert other_server.seen == []
    seen = server.seen[0]
    assert (seen.method, seen.path) == ("POST", "/api/fabric/subscribers/tokens")
    assert seen.headers["Authorization"] == _basic(PROJECT, "PTsecret")
    assert seen.headers["Content-Type"] == "application/json"
    assert seen.json() == {"reference": "ana@example.com"}


def test_the_api_token_stays_out_of_the_repr() -> None:
    """repr shows the project and space but never the API token."""
    sw = SignalWireClient(PROJECT, "PTsupersecret", space="example")
    assert "PTsupersecret" not in repr(sw)
    assert "example.signalwire.com" in repr(sw)


@pytest.mark.parametrize(
    ("status", "payload", "cls", "message"),
    [
        (401, {"error": "Unauthorized"}, AuthenticationError, "Unauthorized"),
        (404, {"error": "Not Found"}, NotFoundError, "Not Found"),
        (500, {"error": "Internal Server Error"}, ServerError, "Internal Server Error"),
    ],
)
async def test_error_bodies_map_to_the_error_tree(
    server: Recorder, status: int, payload: dict[str, Any], cls: type[Exception], message: str
) -> None:
    """``{"error": ...}`` answers raise the status's error class with the server's message."""
    server.script(json_reply(status, payload))
    async with _client(server) as sw:
        with pytest.raises(cls) as info:
            await sw.request(CREATE_TOKEN, {}, body={"reference": "ana"})
    assert getattr(info.value, "message", None) == message
    assert getattr(info.value, "status", None) == status


async def test_field_errors_are_named_and_kept_in_details(server: Recorder) -> None:
    """A 422 ``errors`` list raises UnprocessableEntityError naming each field, details kept."""
    errors: list[dict[str, Any]] = [
        {
            "type": "validation_error",
            "code": "missing_required_parameter",
            "message": "can't be blank",
            "attribute": "email",
            "url": "https://developer.signalwire.com/rest/overview/error-codes#missing",
        },
        {
            "type": "validation_error",
            "code": "invalid_parameter",
            "message": "is taken",
            "attribute": None,
            "url": "https://developer.signalwire.com/rest/overview/error-codes#invalid",
        },
    ]
    server.script(json_reply(422, {"errors": errors}))
    async with _client(server) as sw:
        with pytest.raises(UnprocessableEntityError) as info:
            await sw.request(CREATE_SUBSCRIBER, {}, body={"email": "ana@example.com"})
    err = info.value
    assert err.message == "email: can't be blank; is taken"
    assert err.code == "missing_required_parameter"
    assert err.more_info == errors[0]["url"]
    assert err.details == errors


async def test_paging_follows_links_next_over_three_pages(server: Recorder) -> None:
    """stream() follows each absolute ``links.next`` on the space host until it is absent."""
    base = "https://example.signalwire.com/api/fabric/resources/subscribers"

    def page(ids: list[str], next_query: str | None) -> dict[str, Any]:
        links = {"self": base, "first": base + "?page_size=2"}
        if next_query:
            links["next"] = f"{base}?{next_query}"
        return {"data": [{"id": i} for i in ids], "links": links}

    server.script(
        json_reply(200, page(["a", "b"], "page_number=1&page_size=2&page_token=PA1")),
        json_reply(200, page(["c", "d"], "page_number=2&page_size=2&page_token=PA2")),
        json_reply(200, page(["e"], None)),
    )
    async with _client(server) as sw:
        ids = [item["id"] async for item in sw.stream(LIST_SUBSCRIBERS, {}, dict, page_size=2)]
    assert ids == ["a", "b", "c", "d", "e"]
    assert [s.path for s in server.seen] == ["/api/fabric/resources/subscribers"] * 3
    assert [s.query for s in server.seen] == [
        {"page_size": ["2"]},
        {"page_number": ["1"], "page_size": ["2"], "page_token": ["PA1"]},
        {"page_number": ["2"], "page_size": ["2"], "page_token": ["PA2"]},
    ]


async def test_a_delete_answered_with_204_returns_none(server: Recorder) -> None:
    """An empty 204 answer decodes to None."""
    server.script(empty_reply(204))
    delete = Operation(
        id="DeleteSubscriber",
        method="DELETE",
        server=SERVER,
        path="/api/fabric/resources/subscribers/{id}",
    )
    async with _client(server) as sw:
        assert await sw.request(delete, {"id": SUBSCRIBER}) is None
    assert (server.seen[0].method, server.seen[0].path) == (
        "DELETE",
        f"/api/fabric/resources/subscribers/{SUBSCRIBER}",
    )


async def test_a_space_on_another_domain_keeps_its_whole_host(server: Recorder) -> None:
    """A space given as a full host outside signalwire.com is contacted at that host."""
    server.script(json_reply(200, {"id": SUBSCRIBER}))
    async with SignalWireClient(
        PROJECT, "PTsecret", space="team.example.org", hosts={"team.example.org": server.base_url}
    ) as sw:
        assert sw.space == "team"
        await sw.request(FETCH_SUBSCRIBER, {"id": SUBSCRIBER})
    assert server.seen[0].path == f"/api/fabric/resources/subscribers/{SUBSCRIBER}"
