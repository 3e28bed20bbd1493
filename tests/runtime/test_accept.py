"""The Accept header follows the operation's response media type; ``+json`` decodes as JSON."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from trunkline._client import BaseClient
from trunkline._operation import Operation
from trunkline._transport import MockTransport, Request, Response

from .conftest import Starter, twilio

SCIM = "application/scim+json"
FETCH_USER = Operation(
    id="FetchOrganizationUser",
    method="GET",
    server="https://preview-iam.twilio.com",
    path="/Organizations/{OrganizationSid}/scim/Users/{UserSid}",
    accept=SCIM,
)
CREATE_USER = Operation(
    id="CreateOrganizationUser",
    method="POST",
    server="https://preview-iam.twilio.com",
    path="/Organizations/{OrganizationSid}/scim/Users",
    body="json",
    accept=SCIM,
)
LIST_USERS = Operation(
    id="ListOrganizationUsers",
    method="GET",
    server="https://preview-iam.twilio.com",
    path="/Organizations/{OrganizationSid}/scim/Users",
    paging="twilio_meta",
    items_key="Resources",
    accept=SCIM,
)
PLAIN = Operation(
    id="FetchThing",
    method="GET",
    server="https://preview-iam.twilio.com",
    path="/Things/{Sid}",
)
PATH = {"OrganizationSid": "OR1", "UserSid": "US1", "Sid": "TH1"}


def scim_app() -> web.Application:
    """Answers SCIM media only, as the IAM API (and Prism) do: anything else is a 406."""

    async def handle(request: web.Request) -> web.Response:
        if request.headers.get("Accept") != SCIM:
            return web.json_response({"message": "not acceptable"}, status=406)
        body: Any = {"id": "US1", "userName": "ana@example.com"}
        if request.path.endswith("/Users") and request.method == "GET":
            body = {"Resources": [body], "meta": {"next_page_url": None}}
        return web.Response(text=json.dumps(body), content_type=SCIM)

    app = web.Application()
    app.router.add_route("*", "/Organizations/{org}/scim/Users", handle)
    app.router.add_get("/Organizations/{org}/scim/Users/{sid}", handle)
    return app


async def test_scim_operations_send_their_media_type_and_decode_it(serve: Starter) -> None:
    """fetch, create and list of a SCIM operation send Accept: application/scim+json."""
    base = await serve(scim_app())
    async with twilio(base) as client:
        fetched = await client.request(FETCH_USER, PATH)
        created = await client.request(CREATE_USER, PATH, body={"userName": "ana@example.com"})
        listed = await client.list(LIST_USERS, PATH, lambda item: item["id"])
    assert fetched == {"id": "US1", "userName": "ana@example.com"}
    assert created == fetched
    assert listed == ["US1"]


async def test_accept_variants_keep_caller_headers_and_json_default() -> None:
    """Extra headers merge over the SCIM Accept; a plain operation still sends JSON."""
    transport = MockTransport(lambda request: Response(200, json={"ok": True}))
    async with BaseClient(transport=transport) as client:
        await client.request(FETCH_USER, PATH, headers={"X-Trace": "t1"})
        await client.request(CREATE_USER, PATH, body={"a": 1})
        await client.request(PLAIN, PATH)
    first, second, third = transport.requests
    assert first.headers["Accept"] == SCIM
    assert first.headers["X-Trace"] == "t1"
    assert second.headers["Accept"] == SCIM
    assert second.headers["Content-Type"] == "application/json"
    assert third.headers["Accept"] == "application/json"


async def test_json_operations_share_one_header_mapping() -> None:
    """The common JSON case reuses the client's prebuilt headers: no per-call copy."""
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        seen.append(request)
        return Response(200, json={})

    async with BaseClient(transport=MockTransport(handler)) as client:
        await client.request(PLAIN, PATH)
        await client.request(PLAIN, PATH)
        await client.request(FETCH_USER, PATH)
        await client.request(FETCH_USER, PATH)
    assert seen[0].headers is seen[1].headers
    assert seen[2].headers is seen[3].headers
    assert seen[0].headers is not seen[2].headers
