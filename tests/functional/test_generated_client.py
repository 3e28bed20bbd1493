"""Functional tests: an inline spec is generated, imported and called through a mock transport."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from trunkline._transport import MockTransport, Request, Response

GenerateFn = Callable[[str, str], ModuleType]

ACCOUNT = "AC" + "a" * 32

SPEC = """
openapi: 3.0.1
info: {title: Shop - v1, version: 1.0.0}
servers: [{url: "https://shop.twilio.com"}]
components:
  schemas:
    shop.v1.order:
      type: object
      properties:
        sid: {type: string}
        status: {$ref: "#/components/schemas/order_enum_status"}
        date_created: {type: string, format: date-time}
        total: {type: number}
        items:
          type: array
          items: {$ref: "#/components/schemas/shop.v1.order.item"}
        address:
          type: object
          properties:
            city: {type: string}
    shop.v1.order.item:
      type: object
      properties:
        name: {type: string}
        quantity: {type: integer}
    order_enum_status:
      type: string
      enum: [open, shipped]
paths:
  /v1/Stores/{StoreSid}/Orders:
    x-twilio: {pathType: list}
    get:
      operationId: ListOrder
      parameters:
        - {name: StoreSid, in: path, required: true, schema: {type: string}}
        - {name: Status, in: query, schema: {$ref: "#/components/schemas/order_enum_status"}}
        - {name: DateCreated<, in: query, schema: {type: string, format: date-time}}
        - {name: DateCreated>, in: query, schema: {type: string, format: date-time}}
        - {name: PageSize, in: query, schema: {type: integer, maximum: 1000}}
        - {name: Page, in: query, schema: {type: integer}}
        - {name: PageToken, in: query, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                type: object
                properties:
                  orders: {type: array, items: {$ref: "#/components/schemas/shop.v1.order"}}
                  meta: {type: object, properties: {next_page_url: {type: string}}}
    post:
      operationId: CreateOrder
      parameters:
        - {name: StoreSid, in: path, required: true, schema: {type: string}}
        - name: X-Twilio-Webhook-Enabled
          in: header
          schema: {type: string, enum: ["true", "false"]}
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [CustomerName]
              properties:
                CustomerName: {type: string}
                Status: {$ref: "#/components/schemas/order_enum_status"}
                Address.City: {type: string}
                Tags: {type: array, items: {type: string}}
                Gift: {type: boolean}
      responses:
        "201":
          description: Created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/shop.v1.order"}
  /v1/Stores/{StoreSid}/Orders/{Sid}:
    x-twilio: {pathType: instance}
    get:
      operationId: FetchOrder
      parameters:
        - {name: StoreSid, in: path, required: true, schema: {type: string}}
        - {name: Sid, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: "#/components/schemas/shop.v1.order"}
    delete:
      operationId: DeleteOrder
      parameters:
        - {name: StoreSid, in: path, required: true, schema: {type: string}}
        - {name: Sid, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: Deleted}
  /v1/Stores/{StoreSid}/Settings:
    x-twilio: {pathType: list}
    post:
      operationId: CreateSetting
      parameters:
        - {name: StoreSid, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {}}
      responses:
        "201":
          description: Created
          content:
            application/json:
              schema: {type: object}
  /v1/Stores/{StoreSid}/Reviews:
    x-twilio: {pathType: list}
    post:
      operationId: CreateReview
      parameters:
        - {name: StoreSid, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [stars]
              properties:
                stars: {type: integer}
                text: {type: string}
      responses:
        "201":
          description: Created
          content:
            application/json:
              schema: {type: object}
"""

ORDER = {
    "sid": "OR1",
    "status": "open",
    "date_created": "2024-05-01T10:00:00Z",
    "total": 12.5,
    "items": [{"name": "tea", "quantity": 2}],
    "address": {"city": "Lisbon"},
    "loyalty_points": 7,
}

Handler = Callable[[Request], Response]


def _client(package: ModuleType, handler: Handler) -> tuple[Any, MockTransport]:
    transport = MockTransport(handler)
    twilio_module = sys.modules[f"{package.__name__}.twilio"]
    return twilio_module.Twilio(ACCOUNT, "token", transport=transport), transport


def _form(request: Request) -> dict[str, list[str]]:
    return parse_qs((request.content or b"").decode(), keep_blank_values=True)


@pytest.fixture
def shop(generated: GenerateFn) -> ModuleType:
    package = generated("twilio_shop_v1.yaml", SPEC)
    __import__(f"{package.__name__}.twilio")
    return package


async def test_create_encodes_form_and_decodes_a_typed_model(shop: ModuleType) -> None:
    """create() posts the form body under wire names and returns a typed model with extras kept."""
    client, transport = _client(shop, lambda request: Response(201, json=ORDER))
    async with client:
        order = await client.shop.v1.stores.orders.create(
            "ST1",
            customer_name="Ana",
            status="shipped",
            address_city="Porto",
            tags=["a", "b"],
            gift=True,
            x_twilio_webhook_enabled="true",
        )
    request = transport.requests[0]
    assert request.method == "POST"
    assert request.url == "https://shop.twilio.com/v1/Stores/ST1/Orders"
    form = _form(request)
    assert form["CustomerName"] == ["Ana"]
    assert form["Address.City"] == ["Porto"]
    assert form["Tags"] == ["a", "b"]
    assert form["Gift"] == ["true"]
    assert request.headers["X-Twilio-Webhook-Enabled"] == "true"
    assert order.sid == "OR1"
    assert order.status == "open"
    assert order.date_created == dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC)
    assert order.items[0].name == "tea"
    assert order.items[0].quantity == 2
    assert order.address.city == "Lisbon"
    assert order.extra == {"loyalty_points": 7}


async def test_unknown_enum_value_in_a_response_is_kept(shop: ModuleType) -> None:
    """A status the spec does not list decodes to the plain string instead of failing."""
    client, _ = _client(shop, lambda request: Response(200, json={**ORDER, "status": "lost"}))
    async with client:
        order = await client.shop.v1.stores.orders.fetch("ST1", "OR1")
    assert order.status == "lost"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.shop.v1.stores.orders.fetch("ST1", ""), "sid must be a non-empty string"),
        (
            lambda c: c.shop.v1.stores.orders.create("ST1", customer_name=None),
            "customer_name is required",
        ),
        (
            lambda c: c.shop.v1.stores.orders.create("ST1", customer_name="A", status="lost"),
            "status must be one of 'open', 'shipped'",
        ),
        (lambda c: c.shop.v1.stores.orders.list("ST1", status="lost"), "status must be one of"),
    ],
)
async def test_bad_arguments_raise_before_any_request(
    shop: ModuleType, call: Callable[[Any], Any], message: str
) -> None:
    """Empty path parameters, missing required ones and unknown enum values fail before I/O."""
    client, transport = _client(shop, lambda request: Response(200, json=ORDER))
    async with client:
        with pytest.raises(ValueError, match=message):
            await call(client)
    assert transport.requests == []


async def test_list_follows_meta_paging_and_maps_inequality_filters(shop: ModuleType) -> None:
    """list() sends DateCreated</> under their wire names and follows meta.next_page_url."""
    second = "https://shop.twilio.com/v1/Stores/ST1/Orders?PageSize=2&Page=1&PageToken=PT1"

    def handler(request: Request) -> Response:
        if "PageToken" in request.url:
            return Response(200, json={"orders": [ORDER], "meta": {"next_page_url": None}})
        return Response(200, json={"orders": [ORDER, ORDER], "meta": {"next_page_url": second}})

    client, transport = _client(shop, handler)
    async with client:
        orders = await client.shop.v1.stores.orders.list(
            "ST1",
            date_created_before=dt.datetime(2024, 6, 1, tzinfo=dt.UTC),
            date_created_after=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
            page_size=2,
        )
        streamed = [o.sid async for o in client.shop.v1.stores.orders.stream("ST1", limit=2)]
    assert len(orders) == 3
    assert streamed == ["OR1", "OR1"]
    query = parse_qs(urlsplit(transport.requests[0].url).query)
    assert query["DateCreated<"] == ["2024-06-01T00:00:00Z"]
    assert query["DateCreated>"] == ["2024-01-01T00:00:00Z"]
    assert query["PageSize"] == ["2"]
    assert transport.requests[1].url == second


async def test_json_body_and_delete(shop: ModuleType) -> None:
    """A JSON request body is sent as JSON, a free-form one whole, and delete() returns None."""

    def handler(request: Request) -> Response:
        if request.method == "DELETE":
            return Response(204)
        return Response(201, json={"ok": True})

    client, transport = _client(shop, handler)
    async with client:
        review = await client.shop.v1.stores.reviews.create("ST1", stars=5)
        deleted = await client.shop.v1.stores.orders.delete("ST1", "OR1")
        await client.shop.v1.stores.settings.create("ST1", body={"theme": {"dark": True}})
    assert json.loads(transport.requests[0].content or b"") == {"stars": 5}
    assert json.loads(transport.requests[2].content or b"") == {"theme": {"dark": True}}
    assert review == {"ok": True}
    assert deleted is None
    assert transport.requests[1].method == "DELETE"


def test_domains_load_lazily(shop: ModuleType) -> None:
    """Creating the client imports no domain; touching a resource imports it, not its siblings."""
    name = shop.__name__
    client, _ = _client(shop, lambda request: Response(200, json=ORDER))
    assert f"{name}.twilio.shop" not in sys.modules
    stores = client.shop.v1.stores
    assert f"{name}.twilio.shop.v1.stores" in sys.modules
    assert f"{name}.twilio.shop.v1.orders" not in sys.modules
    assert stores.orders is client.shop.v1.stores.orders
    assert f"{name}.twilio.shop.v1.orders" in sys.modules
    assert f"{name}.twilio.shop.v1.reviews" not in sys.modules


async def test_2010_account_default_rfc2822_dates_and_next_page_uri(
    generated: GenerateFn,
) -> None:
    """The 2010 shape fills AccountSid from the client, parses RFC 2822 dates, pages by URI."""
    spec = (Path(__file__).parent.parent / "golden/specs/twilio_golden_v2010.yaml").read_text()
    package = generated("twilio_golden_v2010.yaml", spec)
    __import__(f"{package.__name__}.twilio")
    note = {"sid": "NO1", "date_sent": "Wed, 18 Aug 2010 20:01:40 +0000", "status": "sent"}
    next_uri = f"/2010-04-01/Accounts/{ACCOUNT}/Notes.json?PageSize=1&Page=1&PageToken=PT"

    def handler(request: Request) -> Response:
        if "/Notes/NO1.json" in request.url:
            return Response(200, json=note)
        if "PageToken" in request.url:
            return Response(200, json={"notes": [note], "next_page_uri": None})
        return Response(200, json={"notes": [note], "next_page_uri": next_uri})

    client, transport = _client(package, handler)
    async with client:
        notes = await client.golden.v2010.notes.list(page_size=1)
        other = await client.golden.v2010.notes.fetch("NO1", account_sid="AC" + "b" * 32)
    assert [n.sid for n in notes] == ["NO1", "NO1"]
    assert notes[0].date_sent == dt.datetime(2010, 8, 18, 20, 1, 40, tzinfo=dt.UTC)
    assert notes[0].status == "sent"
    assert urlsplit(transport.requests[0].url).path == f"/2010-04-01/Accounts/{ACCOUNT}/Notes.json"
    assert transport.requests[1].url == "https://golden-api.twilio.com" + next_uri
    assert other.sid == "NO1"
    assert f"/Accounts/AC{'b' * 32}/Notes/NO1.json" in transport.requests[2].url
